// Accuracy and speed of the automatic alignment on a synthetic trial whose
// head and body positions per visit are known: for every lesion centre seen
// at both visits of a pair, the distance between where the alignment puts it
// and where it truly is, beside the same distance with no alignment at all.
// Its time beside the floor of reading both series into volumes, which every
// alignment does before it searches.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readVolume } from '../main/alignment/volume';
import { organiseDemoStore } from '../main/demo/demo-store';
import { instanceFile, seriesImages } from '../main/store/catalog';
import { openWorkstation } from '../main/workstation';
import { createClient } from '../shared/client';
import { applyTransform } from '../shared/registration';
import type { TrialTruth } from '../shared/synthetic/truth';
import { norm, sub } from '../shared/vector';
import { compare, emit, median, round } from './report';
import { syntheticTrialFolder } from './synthetic';

const root = fileURLToPath(new URL('../..', import.meta.url));
const PAIRS = [
  ['W12', 'W0'],
  ['W24', 'W12'],
  ['W52', 'W24'],
] as const;

export async function benchAlignment(subjects = 6): Promise<void> {
  const folder = await syntheticTrialFolder(subjects, 'align');
  const truth = JSON.parse(readFileSync(join(folder, 'truth.json'), 'utf8')) as TrialTruth;
  const scratch = mkdtempSync(join(tmpdir(), 'lesiontrack-bench-align-'));
  try {
    const workstation = openWorkstation({
      dbPath: join(scratch, 'trial.sqlite'),
      actor: 'bench',
      rendererDir: scratch,
      headerWorkerFile: join(root, 'dist', 'main', 'header-worker.js'),
      alignmentWorkerFile: join(root, 'dist', 'main', 'alignment-worker.js'),
    });
    const client = createClient((name, payload) => workstation.dispatch(name, payload));
    await organiseDemoStore(client, truth, folder);
    const worklist = await client.worklist({});
    const aligned: number[] = [];
    const unaligned: number[] = [];
    const alignMs: number[] = [];
    const readMs: number[] = [];
    const filesOf = (seriesId: number) => seriesImages(workstation.db, seriesId)!.map((image) => ({ filePath: instanceFile(workstation.db, image.instanceId)!.filePath, frame: image.frame }));
    for (const row of worklist.rows) {
      const participant = truth.participants.find((item) => item.subject === row.subjectCode)!;
      for (const region of ['brain', 'spinal_cord', 'optic_nerve'] as const) {
        for (const [current, comparator] of PAIRS) {
          const seriesOf = (visit: string) => row.cells.find((cell) => cell.visitCode === visit && cell.region === region)!.series[0]!.seriesId;
          const start = performance.now();
          const alignment = await client.autoAlign({ currentSeriesId: seriesOf(current), comparatorSeriesId: seriesOf(comparator) });
          alignMs.push(performance.now() - start);
          const readStart = performance.now();
          readVolume(filesOf(seriesOf(current)));
          readVolume(filesOf(seriesOf(comparator)));
          readMs.push(performance.now() - readStart);
          for (const lesion of participant.lesions.filter((item) => item.region === region)) {
            const now = lesion.visits.find((visit) => visit.visit === current)!.location;
            const before = lesion.visits.find((visit) => visit.visit === comparator)!.location;
            if (!now.inside || !before.inside) continue;
            aligned.push(norm(sub(applyTransform(alignment.transform, now.patientMm), before.patientMm)));
            unaligned.push(norm(sub(now.patientMm, before.patientMm)));
          }
        }
      }
    }
    workstation.close();
    const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    const name = `alignment-${subjects}`;
    emit({ case: name, metric: `mean residual at ${aligned.length} lesion centres, ${alignMs.length} series pairs`, unit: 'mm', value: round(mean(aligned), 2), peer: 'no alignment (scanner coordinates)', peer_value: round(mean(unaligned), 2), ratio: round(mean(aligned) / mean(unaligned), 3) });
    emit({ case: name, metric: 'largest residual at a lesion centre', unit: 'mm', value: round(Math.max(...aligned), 2), peer: 'no alignment (scanner coordinates)', peer_value: round(Math.max(...unaligned), 2), ratio: round(Math.max(...aligned) / Math.max(...unaligned), 3) });
    compare({ case: name, metric: 'automatic alignment of one series pair, median (worker thread)', unit: 'ms', value: median(alignMs) }, 'reading both series into volumes, one thread, median', median(readMs));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
