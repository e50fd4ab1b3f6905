import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import dicomParser from 'dicom-parser';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/main';
import { formatDecimal, generateTrial, type GenerateTrialResult } from '../../../main/demo';
import { designParticipant } from '../../../shared/synthetic/design';
import { participantTruth, type TrialTruth } from '../../../shared/synthetic/truth';
import { projectRoot } from '../../helpers/fixtures';
import { requireTool } from '../../helpers/tools';

function filesUnder(folder: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) found.push(...filesUnder(path));
    else found.push(path);
  }
  return found.sort();
}

function hashes(folder: string): Map<string, string> {
  return new Map(filesUnder(folder).map((file) => [relative(folder, file), createHash('sha256').update(readFileSync(file)).digest('hex')]));
}

let scratch: string;
let out: string;
let result: GenerateTrialResult;
let truth: TrialTruth;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'lesiontrack-demo-test-'));
  out = join(scratch, 'trial');
  result = await generateTrial({ out, subjects: 1, seed: 'test-seed' });
  truth = JSON.parse(readFileSync(result.truthPath, 'utf8')) as TrialTruth;
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('generateTrial', () => {
  it('writes every series of every visit, and truth.json names them all', () => {
    const dicom = filesUnder(out).filter((file) => file.endsWith('.dcm'));
    expect(result).toMatchObject({ subjects: 1, studies: 4, series: 16, files: dicom.length, seed: 'test-seed' });
    expect(dicom.length).toBe(4 * (3 + 36 + 20 + 15));
    expect(result.bytes).toBe(dicom.reduce((sum, file) => sum + statSync(file).size, 0));
    expect(truth).toMatchObject({ schema: 'lesiontrack-synthetic-truth', version: 2, seed: 'test-seed', subjects: 1 });
    const [participant] = truth.participants;
    expect(participant!.patientId).toBe('NMO-001');
    for (const study of participant!.studies) {
      for (const series of study.series) expect(readdirSync(join(out, series.folder)).length).toBe(series.instances);
    }
    expect(participant!.endpoint).toEqual({ previous: 8, baseline: 12 });
    // The truth written is the truth computed from the design.
    expect(participant).toEqual(JSON.parse(JSON.stringify(participantTruth('test-seed', designParticipant('test-seed', 0)))));
  });

  it('gives byte-identical files for the same seed, in-process, from the CLI and on worker threads', async () => {
    const viaCli = join(scratch, 'cli');
    let stdout = '';
    const code = await runCli(['demo', '--out', viaCli, '--subjects', '1', '--seed', 'test-seed', '--json'], { out: (text) => (stdout += text), err: () => {} });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ files: result.files, bytes: result.bytes });

    const workerFile = join(scratch, 'demo-worker.mjs');
    await build({ entryPoints: [join(projectRoot, 'main', 'demo', 'worker.ts')], bundle: true, platform: 'node', format: 'esm', outfile: workerFile, logLevel: 'silent' });
    const viaWorkers = join(scratch, 'workers');
    const threaded = await generateTrial({ out: viaWorkers, subjects: 1, seed: 'test-seed', workerFile, threads: 2 });
    expect(threaded.threads).toBe(2);

    const expected = hashes(out);
    expect(hashes(viaCli)).toEqual(expected);
    expect(hashes(viaWorkers)).toEqual(expected);
  });

  it('designs different lesions and UIDs for a different seed', () => {
    const other = participantTruth('other-seed', designParticipant('other-seed', 0));
    const mine = truth.participants[0]!;
    expect(other.lesions.map((lesion) => lesion.visits[0]!.centreMm)).not.toEqual(mine.lesions.map((lesion) => lesion.visits[0]!.centreMm));
    expect(other.studies[0]!.studyInstanceUid).not.toBe(mine.studies[0]!.studyInstanceUid);
  });

  it('refuses a folder holding anything but a previous demo trial, and replaces a previous one', async () => {
    const busy = join(scratch, 'busy');
    mkdirSync(busy);
    writeFileSync(join(busy, 'notes.txt'), 'mine');
    await expect(generateTrial({ out: busy, subjects: 1 })).rejects.toThrow(/not empty/);
    expect(readFileSync(join(busy, 'notes.txt'), 'utf8')).toBe('mine');
    await expect(generateTrial({ out, subjects: 0 })).rejects.toThrow(RangeError);
  });

  it('leaves nothing behind when cancelled', async () => {
    const cancelled = join(scratch, 'cancelled');
    const controller = new AbortController();
    await expect(generateTrial({ out: cancelled, subjects: 1, signal: controller.signal, onProgress: () => controller.abort() })).rejects.toThrow();
    expect(readdirSync(cancelled)).toEqual([]);
    // An empty folder is fine to generate into afterwards.
    await expect(generateTrial({ out: cancelled, subjects: 1, signal: AbortSignal.abort() })).rejects.toThrow();
  });

  it('formats decimal strings within 16 characters', () => {
    expect(formatDecimal(-119.53125)).toBe('-119.53125');
    expect(formatDecimal(1 / 3)).toBe('0.333333');
    expect(formatDecimal(-1e-9)).toBe('0');
    expect(formatDecimal(123456789.123456)).toBe('123456789.123456');
    expect(formatDecimal(-123456789.123456).length).toBeLessThanOrEqual(16);
  });
});

describe('the files are valid DICOM', () => {
  const oneOfEach = () => truth.participants[0]!.studies.flatMap((study) => study.series.map((series) => join(out, series.folder, readdirSync(join(out, series.folder))[1]!)));

  it('dciodvfy finds no error in any series type at any visit', () => {
    const dciodvfy = requireTool('dciodvfy', 'dicom3tools');
    for (const file of oneOfEach()) {
      const run = spawnSync(dciodvfy, [file], { encoding: 'utf8' });
      const report = `${run.stdout}${run.stderr}`;
      expect(report, file).toMatch(/MRImage/);
      expect(report.split('\n').filter((line) => line.startsWith('Error')), `${file}\n${report}`).toEqual([]);
    }
  });

  it('dcmdump reads every file of a study, pixel data included', () => {
    const dcmdump = requireTool('dcmdump', 'dcmtk');
    const study = truth.participants[0]!.studies[3]!;
    const files = study.series.flatMap((series) => readdirSync(join(out, series.folder)).map((name) => join(out, series.folder, name)));
    const run = spawnSync(dcmdump, ['-q', ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.match(/\(7fe0,0010\) OW/g)?.length).toBe(files.length);
    expect(run.stdout).toMatch(/\(0010,0010\) PN \[SYNTHETIC\^SUBJECT001\]/);
    expect(run.stdout).not.toMatch(/\(0020,0060\)/); // no Laterality on head and spine images
  });
});

interface Slice {
  position: number[];
  normal: number[];
  rows: number;
  columns: number;
  pixels: Uint16Array;
}

const seriesCache = new Map<string, Slice[]>();

/** Reads a series with dicom-parser and sorts its slices by position along the normal (not by file or instance number). */
function readSeries(folder: string): Slice[] {
  const cached = seriesCache.get(folder);
  if (cached) return cached;
  const slices = readdirSync(folder).map((name): Slice => {
    const bytes = new Uint8Array(readFileSync(join(folder, name)));
    const dataSet = dicomParser.parseDicom(bytes);
    const numbers = (tag: string) => dataSet.string(tag)!.split('\\').map(Number);
    const [r0, r1, r2, c0, c1, c2] = numbers('x00200037') as [number, number, number, number, number, number];
    const normal = [r1 * c2 - r2 * c1, r2 * c0 - r0 * c2, r0 * c1 - r1 * c0];
    const element = dataSet.elements.x7fe00010!;
    const pixels = new Uint16Array(bytes.slice(element.dataOffset, element.dataOffset + element.length).buffer);
    return { position: numbers('x00200032'), normal, rows: dataSet.uint16('x00280010')!, columns: dataSet.uint16('x00280011')!, pixels };
  });
  const along = (slice: Slice) => slice.position[0]! * slice.normal[0]! + slice.position[1]! * slice.normal[1]! + slice.position[2]! * slice.normal[2]!;
  slices.sort((a, b) => along(a) - along(b));
  seriesCache.set(folder, slices);
  return slices;
}

/** Mean of the 3 x 3 pixels around (column, row). */
function boxMean(slice: Slice, column: number, row: number): number {
  let sum = 0;
  for (let dr = -1; dr <= 1; dr += 1) for (let dc = -1; dc <= 1; dc += 1) sum += slice.pixels[(row + dr) * slice.columns + column + dc]!;
  return sum / 9;
}

describe('geometry: slices sorted by position reconstruct the phantom', () => {
  it('puts every lesion peak at the slice and pixel truth.json gives, and nothing there when it is absent', () => {
    const participant = truth.participants[0]!;
    let checked = 0;
    for (const lesion of participant.lesions) {
      const present: number[] = [];
      const absent: number[] = [];
      for (const visit of lesion.visits) {
        const study = participant.studies.find((entry) => entry.visit === visit.visit)!;
        const series = study.series.find((entry) => entry.seriesInstanceUid === visit.location.seriesInstanceUid)!;
        const slices = readSeries(join(out, series.folder));
        const { sliceIndex, column, row } = visit.location;
        const here = boxMean(slices[sliceIndex]!, column, row);
        if (!visit.present) {
          absent.push(here);
          continue;
        }
        // The brightest 3 x 3 neighbourhood within a slice and 3 pixels of the truth.
        let best = { value: -1, slice: 0, column: 0, row: 0 };
        for (let s = Math.max(0, sliceIndex - 1); s <= Math.min(slices.length - 1, sliceIndex + 1); s += 1) {
          for (let r = row - 3; r <= row + 3; r += 1) {
            for (let c = column - 3; c <= column + 3; c += 1) {
              const value = boxMean(slices[s]!, c, r);
              if (value > best.value) best = { value, slice: s, column: c, row: r };
            }
          }
        }
        const where = `${lesion.id} ${visit.visit}: truth slice ${sliceIndex} (${column}, ${row}), peak slice ${best.slice} (${best.column}, ${best.row})`;
        expect(Math.abs(best.slice - sliceIndex), where).toBeLessThanOrEqual(1);
        expect(Math.abs(best.column - column), where).toBeLessThanOrEqual(2);
        expect(Math.abs(best.row - row), where).toBeLessThanOrEqual(2);
        present.push(here);
        checked += 1;
      }
      // A lesion is bright where it is and absent where it is not.
      if (present.length > 0 && absent.length > 0) expect(Math.min(...present), lesion.id).toBeGreaterThan(1.5 * Math.max(...absent));
    }
    expect(checked).toBeGreaterThan(25);
  });
});
