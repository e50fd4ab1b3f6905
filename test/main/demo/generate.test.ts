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
import { cross, dot, sub, type Vec3 } from '../../../shared/vector';
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
    expect(result).toMatchObject({ subjects: 1, studies: 4, series: 20, files: dicom.length, seed: 'test-seed' });
    expect(dicom.length).toBe(4 * (3 + 36 + 20 + 15 + 160));
    expect(result.bytes).toBe(dicom.reduce((sum, file) => sum + statSync(file).size, 0));
    expect(truth).toMatchObject({ schema: 'lesiontrack-synthetic-truth', version: 2, seed: 'test-seed', subjects: 1 });
    const [participant] = truth.participants;
    expect(participant!.patientId).toBe('NMO-001');
    for (const study of participant!.studies) {
      for (const series of study.series) expect(readdirSync(join(out, series.folder)).length).toBe(series.instances);
    }
    expect(participant!.endpoint).toEqual({ previous: 8, baseline: 12 });
  });

  it('truth.json states what the files hold: identities, UIDs and geometry of every series, and where every lesion is', () => {
    const participant = truth.participants[0]!;
    for (const study of participant.studies) {
      for (const series of study.series) {
        const slices = readSeries(join(out, series.folder));
        expect(slices).toHaveLength(series.instances);
        for (const slice of slices) {
          expect(slice.tags, slice.file).toEqual({
            patientId: participant.patientId,
            patientName: participant.patientName,
            birthDate: participant.birthDate,
            sex: participant.sex,
            studyInstanceUid: study.studyInstanceUid,
            studyDate: study.studyDate,
            studyTime: study.studyTime,
            accessionNumber: study.accessionNumber,
            frameOfReferenceUid: study.frameOfReferenceUid,
            seriesInstanceUid: series.seriesInstanceUid,
            seriesNumber: String(series.seriesNumber),
            description: series.description,
          });
          expect([slice.rows, slice.columns, ...slice.pixelSpacing, slice.sliceThickness], slice.file).toEqual([series.rows, series.columns, ...series.pixelSpacing, series.sliceThickness]);
        }
        // The localizer's three slices lie in three planes; every other series is a regular stack.
        if (series.spacingBetweenSlices > 0) {
          const depths = slices.map((slice) => dot(slice.position, slice.normal));
          for (let index = 1; index < depths.length; index += 1) expect(depths[index]! - depths[index - 1]!, `${series.folder} slice ${index}`).toBeCloseTo(series.spacingBetweenSlices, 3);
        }
      }
    }
    let located = 0;
    for (const lesion of participant.lesions) {
      for (const [visit, location] of lesion.visits.flatMap((visit) => locationsOf(visit).map((location) => [visit, location] as const))) {
        const series = participant.studies.find((study) => study.visit === visit.visit)!.series.find((item) => item.seriesInstanceUid === location.seriesInstanceUid)!;
        const slices = readSeries(join(out, series.folder));
        const slice = slices[location.sliceIndex]!;
        const where = `${lesion.id} ${visit.visit} ${location.seriesRole}`;
        expect([slice.file, slice.sopInstanceUid, slice.instanceNumber], where).toEqual([location.file, location.sopInstanceUid, location.instanceNumber]);
        // The lesion centre projected with the file's own geometry lands on the pixel, and the slice depth, truth.json gives.
        const inPlane = sub(location.patientMm, slice.position);
        expect(dot(inPlane, slice.rowDirection) / slice.pixelSpacing[1]!, where).toBeCloseTo(location.continuous[0], 2);
        expect(dot(inPlane, slice.columnDirection) / slice.pixelSpacing[0]!, where).toBeCloseTo(location.continuous[1], 2);
        expect(dot(sub(location.patientMm, slices[0]!.position), slice.normal) / series.spacingBetweenSlices, where).toBeCloseTo(location.continuous[2], 2);
        located += 1;
      }
    }
    const brainLesions = participant.lesions.filter((lesion) => lesion.region === 'brain').length;
    expect(brainLesions).toBeGreaterThan(0);
    expect(located).toBe((participant.lesions.length + brainLesions) * truth.visits.length);
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
    await expect(generateTrial({ out: cancelled, subjects: 1, signal: controller.signal, onProgress: () => controller.abort() })).rejects.toMatchObject({ name: 'AbortError' });
    expect(readdirSync(cancelled)).toEqual([]);
    // The emptied folder is accepted again: this run gets past the folder check and stops only at the cancel.
    await expect(generateTrial({ out: cancelled, subjects: 1, signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
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

/** Attributes truth.json states for every file of a series, by dicom-parser tag. */
const STATED_TAGS = {
  patientId: 'x00100020',
  patientName: 'x00100010',
  birthDate: 'x00100030',
  sex: 'x00100040',
  studyInstanceUid: 'x0020000d',
  studyDate: 'x00080020',
  studyTime: 'x00080030',
  accessionNumber: 'x00080050',
  frameOfReferenceUid: 'x00200052',
  seriesInstanceUid: 'x0020000e',
  seriesNumber: 'x00200011',
  description: 'x0008103e',
} as const;

interface Slice {
  /** Path relative to the output folder, as truth.json gives it. */
  file: string;
  tags: Record<keyof typeof STATED_TAGS, string | undefined>;
  sopInstanceUid: string;
  instanceNumber: number;
  position: Vec3;
  rowDirection: Vec3;
  columnDirection: Vec3;
  normal: Vec3;
  /** Between rows, then between columns (mm). */
  pixelSpacing: number[];
  sliceThickness: number;
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
    const rowDirection: Vec3 = [r0, r1, r2];
    const columnDirection: Vec3 = [c0, c1, c2];
    const element = dataSet.elements.x7fe00010!;
    const pixels = new Uint16Array(bytes.slice(element.dataOffset, element.dataOffset + element.length).buffer);
    return {
      file: relative(out, join(folder, name)),
      tags: Object.fromEntries(Object.entries(STATED_TAGS).map(([key, tag]) => [key, dataSet.string(tag)])) as Slice['tags'],
      sopInstanceUid: dataSet.string('x00080018')!,
      instanceNumber: Number(dataSet.string('x00200013')),
      position: numbers('x00200032') as unknown as Vec3,
      rowDirection,
      columnDirection,
      normal: cross(rowDirection, columnDirection),
      pixelSpacing: numbers('x00280030'),
      sliceThickness: Number(dataSet.string('x00180050')),
      rows: dataSet.uint16('x00280010')!,
      columns: dataSet.uint16('x00280011')!,
      pixels,
    };
  });
  slices.sort((a, b) => dot(a.position, a.normal) - dot(b.position, b.normal));
  seriesCache.set(folder, slices);
  return slices;
}

/** Where truth.json places a lesion at a visit: on the series read by default and, for brain lesions, on the 3D FLAIR. */
function locationsOf(visit: TrialTruth['participants'][number]['lesions'][number]['visits'][number]) {
  return visit.location3d ? [visit.location, visit.location3d] : [visit.location];
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
    for (const [lesion, role] of participant.lesions.flatMap((item) => locationsOf(item.visits[0]!).map((location) => [item, location.seriesRole] as const))) {
      const present: number[] = [];
      const absent: number[] = [];
      for (const visit of lesion.visits) {
        const location = locationsOf(visit).find((item) => item.seriesRole === role)!;
        const study = participant.studies.find((entry) => entry.visit === visit.visit)!;
        const series = study.series.find((entry) => entry.seriesInstanceUid === location.seriesInstanceUid)!;
        const slices = readSeries(join(out, series.folder));
        const { sliceIndex, column, row } = location;
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
        const where = `${lesion.id} ${visit.visit} ${role}: truth slice ${sliceIndex} (${column}, ${row}), peak slice ${best.slice} (${best.column}, ${best.row})`;
        expect(Math.abs(best.slice - sliceIndex), where).toBeLessThanOrEqual(1);
        expect(Math.abs(best.column - column), where).toBeLessThanOrEqual(2);
        expect(Math.abs(best.row - row), where).toBeLessThanOrEqual(2);
        present.push(here);
        checked += 1;
      }
      // A lesion is bright where it is and absent where it is not.
      if (present.length > 0 && absent.length > 0) expect(Math.min(...present), `${lesion.id} ${role}`).toBeGreaterThan(1.5 * Math.max(...absent));
    }
    expect(checked).toBeGreaterThan(40);
  });
});
