// Automatic alignment on a generated participant whose head and body moved
// between visits by known amounts: the comparator point the alignment finds
// for each lesion centre lies where truth.json puts it. Manual alignments are
// stored per pair and audited.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateTrial } from '../../../main/demo/generate';
import { organiseDemoStore } from '../../../main/demo/demo-store';
import { type Workstation, openWorkstation } from '../../../main/workstation';
import { type Client, createClient } from '../../../shared/client';
import type { Transform, Worklist } from '../../../shared/contract';
import { applyTransform } from '../../../shared/registration';
import type { TrialTruth } from '../../../shared/synthetic/truth';
import { dot, norm, sub, type Vec3 } from '../../../shared/vector';
import { projectRoot, transferSyntaxes } from '../../helpers/fixtures';

let workstation: Workstation;
let client: Client;
let truth: TrialTruth;
let worklist: Worklist;

beforeAll(async () => {
  // Kept for the whole file (tempFolder() would go after the first test).
  const folder = mkdtempSync(join(tmpdir(), 'lesiontrack-align-'));
  await generateTrial({ out: join(folder, 'trial'), subjects: 1, seed: 'align', workerFile: join(projectRoot, 'dist', 'main', 'demo-worker.js') });
  truth = JSON.parse(readFileSync(join(folder, 'trial', 'truth.json'), 'utf8')) as TrialTruth;
  workstation = openWorkstation({ dbPath: join(folder, 'store.sqlite'), actor: 'align-test', rendererDir: folder, alignmentWorkerFile: join(projectRoot, 'dist', 'main', 'alignment-worker.js') });
  client = createClient((name, payload) => workstation.dispatch(name, payload));
  await organiseDemoStore(client, truth, join(folder, 'trial'));
  worklist = await client.worklist({});
  return () => {
    workstation.close();
    rmSync(folder, { recursive: true, force: true });
  };
});

function seriesOf(visitCode: string, region: string): number {
  return worklist.rows[0]!.cells.find((cell) => cell.visitCode === visitCode && cell.region === region)!.series[0]!.seriesId;
}

describe('automatic alignment on the synthetic trial', () => {
  for (const region of ['brain', 'spinal_cord', 'optic_nerve'] as const) {
    it(`maps each ${region} lesion seen at week 12 to where it is at week 0`, async () => {
      const current = seriesOf('W12', region);
      const comparator = seriesOf('W0', region);
      const alignment = await client.autoAlign({ currentSeriesId: current, comparatorSeriesId: comparator });
      expect(alignment).toMatchObject({ source: 'automatic', currentSeriesId: current, comparatorSeriesId: comparator });
      expect(alignment.score).toBeGreaterThan(0.5);

      const comparatorImages = (await client.seriesImages({ seriesId: comparator })).images;
      const normal = sliceNormalOf(comparatorImages[0]!.orientation!);
      const thickness = Math.abs(dot(sub(comparatorImages[1]!.position!, comparatorImages[0]!.position!), normal));
      const lesions = truth.participants[0]!.lesions.filter((lesion) => lesion.region === region);
      let checked = 0;
      for (const lesion of lesions) {
        const now = lesion.visits.find((visit) => visit.visit === 'W12')!;
        const before = lesion.visits.find((visit) => visit.visit === 'W0')!;
        if (!now.location.inside || !before.location.inside) continue;
        const found = applyTransform(alignment.transform, now.location.patientMm);
        const error = sub(found, before.location.patientMm);
        expect(norm(error), `${lesion.label} error in mm`).toBeLessThan(3);
        expect(Math.abs(dot(error, normal)), `${lesion.label} across slices`).toBeLessThan(thickness);
        checked += 1;
      }
      expect(checked).toBeGreaterThan(0);
      expect((await client.alignment({ currentSeriesId: current, comparatorSeriesId: comparator }))?.transform).toEqual(alignment.transform);
    });
  }
});

function sliceNormalOf(orientation: readonly number[]): Vec3 {
  const [a, b, c, d, e, f] = orientation as [number, number, number, number, number, number];
  const n: Vec3 = [b * f - c * e, c * d - a * f, a * e - b * d];
  const length = norm(n);
  return [n[0] / length, n[1] / length, n[2] / length];
}

describe('alignments by hand', () => {
  it('are stored per ordered pair, replace the automatic one, and are audited', async () => {
    const current = seriesOf('W24', 'brain');
    const comparator = seriesOf('W12', 'brain');
    expect(await client.alignment({ currentSeriesId: current, comparatorSeriesId: comparator })).toBeNull();
    const transform: Transform = { rotationDeg: [0, 0, 1], translationMm: [1.5, -2, 4], centreMm: [0, 0, 0] };
    const saved = await client.saveAlignment({ currentSeriesId: current, comparatorSeriesId: comparator, transform });
    expect(saved).toMatchObject({ source: 'manual', score: null, savedBy: 'align-test', transform });
    expect(await client.alignment({ currentSeriesId: comparator, comparatorSeriesId: current })).toBeNull();
    const audit = workstation.db.prepare("SELECT new_value FROM audit WHERE action = 'alignment.save' AND entity_id = ?").all(`${current}:${comparator}`) as { new_value: string }[];
    expect(audit.map((row) => JSON.parse(row.new_value).source)).toEqual(['manual']);
  });

  it('refuse a series paired with itself, an unknown series and absurd values', async () => {
    const current = seriesOf('W24', 'brain');
    await expect(client.saveAlignment({ currentSeriesId: current, comparatorSeriesId: current, transform: { rotationDeg: [0, 0, 0], translationMm: [0, 0, 0], centreMm: [0, 0, 0] } })).rejects.toThrow('not aligned to itself');
    await expect(client.alignment({ currentSeriesId: current, comparatorSeriesId: 999_999 })).rejects.toThrow('not in the store');
    const absurd = await workstation.dispatch('saveAlignment', { currentSeriesId: current, comparatorSeriesId: seriesOf('W0', 'brain'), transform: { rotationDeg: [90, 0, 0], translationMm: [0, 0, 0], centreMm: [0, 0, 0] } });
    expect(absurd).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  it('explain that compressed images are aligned by hand', async () => {
    await client.importFolder({ folder: transferSyntaxes });
    const demoUids = new Set(truth.participants[0]!.studies.flatMap((study) => study.series.map((series) => series.seriesInstanceUid)));
    const compressed = (await client.listSeries({})).find((series) => !demoUids.has(series.seriesUid) && series.transferSyntaxes.some((uid) => uid.startsWith('1.2.840.10008.1.2.4')));
    expect(compressed).toBeDefined();
    const answer = await workstation.dispatch('autoAlign', { currentSeriesId: seriesOf('W0', 'brain'), comparatorSeriesId: compressed!.id });
    expect(answer).toMatchObject({ ok: false, error: { code: 'unsupported', message: expect.stringMatching(/by hand/) } });
  });
});
