// `lesiontrack demo`: write a synthetic trial with its answer key, and with
// --read also import, mark and sign it in the store as a reader would.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TrialTruth } from '../../../shared/synthetic/truth';
import { organiseDemoStore } from '../../demo/demo-store';
import { DEFAULT_SEED, DEFAULT_SUBJECTS, generateTrial, type GenerateTrialResult } from '../../demo/generate';
import { markTruth, readTwice, signAll } from '../../demo/read-demo';
import { secondReaderScript } from '../../../shared/synthetic/second-reader';
import { workerFiles } from '../bundle-files';
import { defineCommand, integerOption, UsageError } from '../command';

export const demoCommand = defineCommand({
  name: 'demo',
  summary: 'write a synthetic trial (DICOM files and truth.json with the expected counts)',
  usage: '--out FOLDER [--subjects N] [--seed S] [--progress] [--read [--double] [--db PATH]] [--json]',
  options: {
    out: { type: 'string', valueName: 'FOLDER', description: 'the folder to write into: empty or new' },
    subjects: { type: 'string', valueName: 'N', description: `how many participants, 1 to 999 (default ${DEFAULT_SUBJECTS})` },
    seed: { type: 'string', valueName: 'S', description: 'the same seed writes the same files' },
    progress: { type: 'boolean', description: 'report series done / total as it goes (JSON lines with --json)' },
    read: { type: 'boolean', description: 'also import it into the store, mark each lesion where truth.json places it, sign every read' },
    double: { type: 'boolean', description: 'with --read: two readers (the second misses and adds lesions, as truth.json records) and an adjudicator' },
  },
  async run({ values, positionals, io, dbPath, withWorkstation }) {
    if (positionals.length !== 0) throw new UsageError('demo takes no arguments: give the folder with --out.');
    if (values.out === undefined || values.out === '') throw new UsageError('demo needs --out FOLDER.');
    if (values.double && !values.read) throw new UsageError('--double is a way of reading the demo: give --read too.');
    const subjects = values.subjects === undefined ? DEFAULT_SUBJECTS : integerOption('--subjects', values.subjects, 1, 999);
    const result = await generateTrial({
      out: resolve(values.out),
      subjects,
      seed: values.seed ?? DEFAULT_SEED,
      workerFile: workerFiles.demoWorkerFile,
      onProgress: values.progress
        ? (progress) => {
            if (values.json) io.out(`${JSON.stringify({ progress })}\n`);
            else io.err(`\r${progress.seriesDone} / ${progress.seriesTotal} series  NMO-${progress.subject} ${progress.visit} ${progress.series}`.padEnd(70).slice(0, 120));
          }
        : undefined,
    });
    if (values.progress && !values.json) io.err('\n');
    io.out(values.json ? `${JSON.stringify(result)}\n` : formatDemo(result));
    if (!values.read) return 0;
    // The read demo: import it into the store and read it as a reader would, then sign every read.
    return withWorkstation(async ({ client }) => {
      const truth = JSON.parse(readFileSync(result.truthPath, 'utf8')) as TrialTruth;
      await organiseDemoStore(client, truth, result.out);
      if (values.double) {
        // The second reader's script goes into truth.json first, so that what they will do is on record.
        const script = secondReaderScript(truth);
        writeFileSync(result.truthPath, `${JSON.stringify({ ...truth, secondReader: script }, null, 1)}\n`);
        const read = await readTwice(client, truth, script);
        io.out(
          values.json
            ? `${JSON.stringify({ read: { double: read } })}\n`
            : `Read twice and signed ${read.signed} participant x visit x region reads per reader into ${dbPath}; adjudicated ${read.adjudicated.length} participant${read.adjudicated.length === 1 ? '' : 's'} (${read.adjudicated.join(', ') || 'none'}) with ${read.calls} call${read.calls === 1 ? '' : 's'}\n`,
        );
        return 0;
      }
      await markTruth(client, truth);
      const signed = await signAll(client, truth);
      io.out(values.json ? `${JSON.stringify({ read: { signed } })}\n` : `Read and signed ${signed} participant x visit x region reads into ${dbPath}\n`);
      return 0;
    });
  },
});

function formatDemo(result: GenerateTrialResult): string {
  return [
    `Synthetic trial written to ${result.out}`,
    `  participants   ${result.subjects} (seed ${result.seed})`,
    `  studies        ${result.studies}`,
    `  files          ${result.files} (${(result.bytes / 1e6).toFixed(1)} MB)`,
    `  truth          ${result.truthPath}`,
    `  took           ${(result.elapsedMs / 1000).toFixed(1)} s`,
    '',
  ].join('\n');
}
