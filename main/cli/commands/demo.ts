// `lesiontrack demo`: write a synthetic trial with its answer key, and with
// --read also import, mark and sign it in the store as a reader would. With
// --qualification the trial is a qualification set in a store of its own,
// and --read also scores the scripted reader against the truth.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { type Estimate, formatEstimate } from '../../../shared/agreement';
import { DifficultySchema } from '../../../shared/contract';
import type { Region } from '../../../shared/protocol';
import type { QualificationScore } from '../../../shared/qualification-score';
import type { TrialTruth } from '../../../shared/synthetic/truth';
import { organiseDemoStore } from '../../demo/demo-store';
import { DEFAULT_SEED, DEFAULT_SUBJECTS, generateTrial, type GenerateTrialResult } from '../../demo/generate';
import { readQualificationSet, scoreQualificationRead } from '../../demo/qualification';
import { markTruth, readTwice, signAll } from '../../demo/read-demo';
import { secondReaderScript } from '../../../shared/synthetic/second-reader';
import { workerFiles } from '../bundle-files';
import { defineCommand, integerOption, oneOf, UsageError } from '../command';

/** A qualification set is read in one sitting: a few participants. */
const QUALIFICATION_SUBJECTS = 3;

/** Where a qualification set's files go without --out: beside its store, named after it. */
export function qualificationFolder(dbPath: string): string {
  return join(dirname(dbPath), `${basename(dbPath, extname(dbPath))}-set`);
}

export const demoCommand = defineCommand({
  name: 'demo',
  summary: 'write a synthetic trial (DICOM files and truth.json with the expected counts)',
  usage: '--out FOLDER [--subjects N] [--seed S] [--difficulty D] [--progress] [--read [--double] [--db PATH]] [--json]\n       lesiontrack demo --qualification [--subjects N] [--seed S] [--difficulty D] [--out FOLDER] [--read [--miss K] [--extra M]] --db PATH [--json]',
  options: {
    out: { type: 'string', valueName: 'FOLDER', description: 'the folder to write into: empty or new (with --qualification: default PATH-set beside the store)' },
    subjects: { type: 'string', valueName: 'N', description: `how many participants, 1 to 999 (default ${DEFAULT_SUBJECTS}; ${QUALIFICATION_SUBJECTS} with --qualification)` },
    seed: { type: 'string', valueName: 'S', description: 'the same seed writes the same files' },
    difficulty: { type: 'string', valueName: 'D', description: 'standard, or hard: lesions near the minimum size, growth near the enlarging rules, more motion (default standard; hard with --qualification)' },
    qualification: { type: 'boolean', description: 'a qualification set: recorded in the store given by --db, which must be new or hold this set only' },
    miss: { type: 'string', valueName: 'K', description: 'with --qualification --read: the reader overlooks K truth lesions where they first appear (default 0)' },
    extra: { type: 'string', valueName: 'M', description: 'with --qualification --read: the reader adds M false lesions at the last visit (default 0)' },
    progress: { type: 'boolean', description: 'report series done / total as it goes (JSON lines with --json)' },
    read: { type: 'boolean', description: 'also import it into the store, mark each lesion where truth.json places it, sign every read (with --qualification: and score the read)' },
    double: { type: 'boolean', description: 'with --read: two readers (the second misses and adds lesions, as truth.json records) and an adjudicator' },
  },
  async run({ values, positionals, io, dbPath, withWorkstation }) {
    if (positionals.length !== 0) throw new UsageError('demo takes no arguments: give the folder with --out.');
    const qualification = values.qualification === true;
    if (!qualification && (values.out === undefined || values.out === '')) throw new UsageError('demo needs --out FOLDER.');
    if (values.double && !values.read) throw new UsageError('--double is a way of reading the demo: give --read too.');
    if (values.double && qualification) throw new UsageError('a qualification set is read by one reader: --double does not go with --qualification.');
    if ((values.miss !== undefined || values.extra !== undefined) && !(qualification && values.read)) throw new UsageError('--miss and --extra script the qualification reader: give --qualification --read too.');
    if (qualification && values.db === undefined) throw new UsageError('a qualification set goes into a store of its own: name it with --db PATH.');
    const subjects = values.subjects === undefined ? (qualification ? QUALIFICATION_SUBJECTS : DEFAULT_SUBJECTS) : integerOption('--subjects', values.subjects, 1, 999);
    const difficulty = values.difficulty === undefined ? (qualification ? 'hard' : 'standard') : oneOf('difficulty', values.difficulty, DifficultySchema.options);
    const miss = values.miss === undefined ? 0 : integerOption('--miss', values.miss, 0, 9999);
    const extra = values.extra === undefined ? 0 : integerOption('--extra', values.extra, 0, 9999);
    const generate = async () => {
      const result = await generateTrial({
      out: resolve(values.out || qualificationFolder(dbPath)),
      subjects,
      difficulty,
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
      return result;
    };
    if (qualification) {
      return withWorkstation(async ({ client }) => {
        // Recorded first: a store that holds anything else is refused before any file is written.
        await client.recordQualificationSet({ set: { seed: values.seed ?? DEFAULT_SEED, difficulty, participants: subjects } });
        const result = await generate();
        const truth = JSON.parse(readFileSync(result.truthPath, 'utf8')) as TrialTruth;
        await organiseDemoStore(client, truth, result.out);
        if (!values.read) {
          io.out(values.json ? `${JSON.stringify({ qualification: { set: await client.qualificationSet({}) } })}\n` : `Qualification set recorded and imported into ${dbPath}\n`);
          return 0;
        }
        const signed = await readQualificationSet(client, truth, miss, extra);
        const score = await scoreQualificationRead(client);
        io.out(values.json ? `${JSON.stringify({ qualification: { set: await client.qualificationSet({}), read: { signed, miss, extra }, score } })}\n` : formatScore(score, signed, dbPath));
        return 0;
      });
    }
    const result = await generate();
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

const REGION_NAMES: Readonly<Record<Region, string>> = { brain: 'brain', spinal_cord: 'spinal cord', optic_nerve: 'optic nerves' };

/** The score as a quality manager reads it: each figure with its interval and cases, per region, the endpoint per participant, the verdict. */
function formatScore(score: QualificationScore, signed: number, dbPath: string): string {
  const figure = (estimate: Estimate) => formatEstimate(estimate);
  const block = (name: string, region: QualificationScore['overall']) => [
    `  ${name}`,
    `    sensitivity               ${figure(region.sensitivity)} (${region.found} of ${region.truthLesions} lesions at a visit)`,
    `    false positives per scan  ${figure(region.falsePositivesPerScan)} (${region.falsePositives} in ${region.scans} scans)`,
    `    new/enlarging calls       ${figure(region.statusAccuracy)}`,
    `    counts exactly right      ${figure(region.countExactMatch)}; mean absolute difference ${region.countMeanAbsoluteDifference.value === null ? '–' : region.countMeanAbsoluteDifference.value.toFixed(2)}`,
  ];
  return [
    `Read and signed ${signed} participant x visit x region reads into ${dbPath}`,
    `Score against truth (marks within ${score.rule.pairingToleranceMm} mm of a truth lesion pair with it; 95% intervals):`,
    ...block('all regions', score.overall),
    ...(Object.entries(score.byRegion) as [Region, QualificationScore['overall']][]).flatMap(([region, scored]) => block(REGION_NAMES[region], scored)),
    `  endpoint per participant (reader vs truth): ${score.endpoints.map((endpoint) => `${endpoint.subject} ${endpoint.reader} vs ${endpoint.truth}`).join(', ')}`,
    `${score.passed ? 'Passed' : 'Not passed'}: ${score.verdict.join('; ')}`,
    '',
  ].join('\n');
}

function formatDemo(result: GenerateTrialResult): string {
  return [
    `Synthetic trial written to ${result.out}`,
    `  participants   ${result.subjects} (seed ${result.seed}, ${result.difficulty})`,
    `  studies        ${result.studies}`,
    `  files          ${result.files} (${(result.bytes / 1e6).toFixed(1)} MB)`,
    `  truth          ${result.truthPath}`,
    `  took           ${(result.elapsedMs / 1000).toFixed(1)} s`,
    '',
  ].join('\n');
}
