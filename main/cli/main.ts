// `lesiontrack`: the command line for automation and data managers. Every
// verb goes through the same services as the app, on the same store.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { type Client, createClient } from '../../shared/client';
import type { TrialTruth } from '../../shared/synthetic/truth';
import { type CountsReport, type ImportJob, type ImportSummary, type RedcapMapping, RedcapMappingSchema, type SeriesSummary, type StudyAssignment } from '../../shared/contract';
import { type ImportOutcome, importOutcome, storedNothing } from '../../shared/import-outcome';
import { localActor, resolveDatabasePath } from '../config';
import { DEFAULT_SEED, DEFAULT_SUBJECTS, generateTrial, type GenerateTrialResult } from '../demo/generate';
import { organiseDemoStore } from '../demo/demo-store';
import { markTruth, signAll } from '../demo/read-demo';
import { FORMATS } from '../exports/formats';
import { startHttpHost } from '../host/http-host';
import { storeProblems } from '../reads/store-check';
import { verifyAudit } from '../store/audit';
import { backupStore, latestHealthyBackup, restoreBackup } from '../store/backups';
import { openWorkstation, StoreDamagedError, type Workstation } from '../workstation';

const USAGE = `Usage: lesiontrack <command> [options]

Commands:
  import <folder> [--db PATH] [--json] [--progress]
                                         index a folder of DICOM files (headers only) into the store;
                                         --progress reports files done / total as it goes (JSON lines with --json);
                                         Ctrl-C cancels and keeps what was committed
  series [--db PATH] [--json]            list the stored series
  host [--db PATH] [--port N] [--demo]   serve the app to a browser on 127.0.0.1 (prints the link to open);
                                         --demo opens the demo trial (generated beside the store on first use)
  counts [--db PATH] [--json]            new / enlarging lesions per participant x visit x region, and the endpoint totals
  audit verify [--db PATH] [--json]      check the store: the audit trail's hash chain, every reading row against
                                         the trail, every signed read against what was signed; exit 1 and name
                                         each problem by table and key
  backup [--db PATH] [--json]            copy the store now into backups/ beside it (the app also keeps one a day)
  restore (--latest | --from FILE) [--db PATH]
                                         put a backup in place of a damaged store; the old file is moved aside
  demo --out FOLDER [--subjects N] [--seed S] [--json] [--progress] [--read [--db PATH]]
                                         write a synthetic trial (DICOM + truth.json with the expected counts) into
                                         an empty or new folder; N participants (default ${DEFAULT_SUBJECTS}), same seed = same files;
                                         --read also imports it into the store, marks every lesion as truth.json places
                                         it and signs every read with a demo reader
  export --format FORMAT --out FOLDER [--signed-only | --preliminary] [--mapping FILE] [--db PATH]
                                         write counts-csv, sdtm (TU, TR, define), redcap (--mapping: JSON with
                                         "events" and "fields" renames), odm (ODM-XML 1.3.2) or dicom-sr (one
                                         TID 1500 SR per read); subject codes only. Without either flag it is
                                         refused while any read is unsigned; --preliminary includes unsigned
                                         reads in files marked PRELIMINARY

Options:
  --db PATH   the store to use (default: $LESIONTRACK_DB, else lesiontrack.sqlite in the user data folder)
  --json      machine-readable output
  --help      this text

Exit codes:
  0   done (an import whose instances were all in the store already is done too)
  1   failed: an import that stored nothing (no DICOM files found, or every file rejected),
      a broken audit trail, a refused export or any other error; the output says why
  2   a usage mistake: an unknown command or option, a missing or wrong option value
`;

const HELP_HINT = 'See "lesiontrack --help" for the commands and their options.';

const COMMANDS = ['import', 'series', 'host', 'counts', 'audit', 'backup', 'restore', 'demo', 'export'] as const;

export class UsageError extends Error {
  override name = 'UsageError';
}

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

const bundleDir = dirname(fileURLToPath(import.meta.url));
const rendererDir = join(bundleDir, '..', 'renderer');
const headerWorkerFile = join(bundleDir, 'header-worker.js');
const demoWorkerFile = join(bundleDir, 'demo-worker.js');
const alignmentWorkerFile = join(bundleDir, 'alignment-worker.js');

export async function runCli(argv: string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        db: { type: 'string' },
        json: { type: 'boolean', default: false },
        progress: { type: 'boolean', default: false },
        port: { type: 'string' },
        out: { type: 'string' },
        subjects: { type: 'string' },
        seed: { type: 'string' },
        from: { type: 'string' },
        format: { type: 'string' },
        mapping: { type: 'string' },
        'signed-only': { type: 'boolean', default: false },
        preliminary: { type: 'boolean', default: false },
        read: { type: 'boolean', default: false },
        latest: { type: 'boolean', default: false },
        demo: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    io.err(`lesiontrack: ${parseErrorLine(error instanceof Error ? error.message : String(error))}\n${HELP_HINT}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [commandName, ...rest] = positionals;
  if (values.help || commandName === undefined) {
    (commandName === undefined && !values.help ? io.err : io.out)(USAGE);
    return commandName === undefined && !values.help ? 2 : 0;
  }

  const dbPath = resolveDatabasePath({ db: values.db });
  const open = () =>
    openWorkstation({
      dbPath,
      actor: localActor(),
      rendererDir,
      headerWorkerFile: existsSync(headerWorkerFile) ? headerWorkerFile : undefined,
      demoWorkerFile: existsSync(demoWorkerFile) ? demoWorkerFile : undefined,
      alignmentWorkerFile: existsSync(alignmentWorkerFile) ? alignmentWorkerFile : undefined,
    });
  try {
    const command = oneOf('command', commandName, COMMANDS);
    switch (command) {
      case 'import': {
        if (rest.length !== 1) throw new UsageError('import needs exactly one folder.');
        return await withWorkstation(open, async (workstation) => {
          const summary = await runImport(workstation, resolve(rest[0]!), values.progress ? (job) => reportProgress(job, values.json, io) : null);
          const outcome = importOutcome(summary);
          const headline = importHeadline(outcome, summary.folder);
          if (values.json) {
            io.out(`${JSON.stringify(summary)}\n`);
            if (storedNothing(outcome)) io.err(`lesiontrack: ${headline}\n`);
          } else {
            io.out(formatImport(summary, headline));
          }
          return storedNothing(outcome) ? 1 : 0;
        });
      }
      case 'series': {
        if (rest.length !== 0) throw new UsageError('series takes no arguments.');
        return await withWorkstation(open, async (workstation) => {
          const series = (await call(workstation, 'listSeries', {})) as SeriesSummary[];
          const placed = assignmentsBySeries((await call(workstation, 'listAssignments', {})) as StudyAssignment[]);
          io.out(values.json ? `${JSON.stringify(series.map((item) => seriesForCli(item, placed.get(item.id) ?? null)))}\n` : formatSeries(series));
          return 0;
        });
      }
      case 'host':
        return await runHost(open, values.port, values.demo, io);
      case 'counts': {
        if (rest.length !== 0) throw new UsageError('counts takes no arguments.');
        return await withWorkstation(open, async (workstation) => {
          const report = (await call(workstation, 'counts', {})) as CountsReport;
          io.out(values.json ? `${JSON.stringify(report)}\n` : formatCounts(report));
          return 0;
        });
      }
      case 'audit': {
        if (rest.length !== 1) throw new UsageError('audit takes one subcommand: verify.');
        oneOf('audit subcommand', rest[0]!, ['verify']);
        // Read the store as it is, without the start-up checks: reporting what is broken is the point.
        const db = new Database(dbPath, { readonly: true, fileMustExist: true });
        try {
          const { entries } = verifyAudit(db);
          const problems = storeProblems(db);
          if (values.json) io.out(`${JSON.stringify({ ok: problems.length === 0, entries, problems })}\n`);
          else if (problems.length === 0) io.out(`Store intact: ${entries} audit entries; every reading row and signed read is as the trail records.\n`);
          else io.out(`Store check FAILED (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((problem) => `- ${problem}`).join('\n')}\n`);
          return problems.length === 0 ? 0 : 1;
        } finally {
          db.close();
        }
      }
      case 'backup': {
        if (rest.length !== 0) throw new UsageError('backup takes no arguments.');
        return await withWorkstation(open, async (workstation) => {
          const backup = await backupStore(workstation.db, dbPath);
          io.out(values.json ? `${JSON.stringify({ path: backup.path, takenAt: backup.takenAt.toISOString() })}\n` : `Backup written: ${backup.path}\n`);
          return 0;
        });
      }
      case 'restore': {
        if (rest.length !== 0 || (values.from === undefined) === !values.latest) throw new UsageError('restore takes --latest or --from FILE.');
        const backup = values.from !== undefined ? resolve(values.from) : latestHealthyBackup(dbPath)?.path;
        if (backup === undefined) throw new Error(`No healthy backup of ${dbPath} was found.`);
        const aside = restoreBackup(dbPath, backup);
        io.out(`Restored ${backup}\nThe previous store was moved to ${aside} (kept, not deleted).\n`);
        return 0;
      }
      case 'demo': {
        if (rest.length !== 0) throw new UsageError('demo takes no arguments: give the folder with --out.');
        if (values.out === undefined || values.out === '') throw new UsageError('demo needs --out FOLDER.');
        const subjects = values.subjects === undefined ? DEFAULT_SUBJECTS : integerOption('--subjects', values.subjects, 1, 999);
        const result = await generateTrial({
          out: resolve(values.out),
          subjects,
          seed: values.seed ?? DEFAULT_SEED,
          workerFile: existsSync(demoWorkerFile) ? demoWorkerFile : undefined,
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
        return await withWorkstation(open, async (workstation) => {
          const client = clientOf(workstation);
          const truth = JSON.parse(readFileSync(result.truthPath, 'utf8')) as TrialTruth;
          await organiseDemoStore(client, truth, result.out);
          await markTruth(client, truth);
          const signed = await signAll(client, truth);
          io.out(values.json ? `${JSON.stringify({ read: { signed } })}\n` : `Read and signed ${signed} participant x visit x region reads into ${dbPath}\n`);
          return 0;
        });
      }
      case 'export': {
        if (rest.length !== 0) throw new UsageError('export takes no arguments: give --format and --out.');
        if (values.format === undefined) throw new UsageError(`export needs --format: choose ${anyOf(FORMATS)}.`);
        const format = oneOf('export format', values.format, FORMATS);
        if (values.out === undefined || values.out === '') throw new UsageError('export needs --out FOLDER.');
        if (values['signed-only'] && values.preliminary) throw new UsageError('give --signed-only or --preliminary, not both.');
        const redcapMapping = values.mapping === undefined ? undefined : readMapping(resolve(values.mapping));
        const reads = values['signed-only'] ? 'signed' : values.preliminary ? 'preliminary' : 'all';
        return await withWorkstation(open, async (workstation) => {
          const { files } = await clientOf(workstation).exportFiles({ format, reads, redcapMapping });
          const folder = resolve(values.out!);
          const written = files.map((file) => {
            const path = join(folder, ...file.name.split('/'));
            mkdirSync(dirname(path), { recursive: true });
            writeFileSync(path, file.encoding === 'base64' ? Buffer.from(file.content, 'base64') : file.content);
            return path;
          });
          io.out(values.json ? `${JSON.stringify({ files: written })}\n` : written.map((path) => `${path}\n`).join(''));
          return 0;
        });
      }
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`lesiontrack: ${error.message}\n${HELP_HINT}\n`);
      return 2;
    }
    io.err(`lesiontrack: ${error instanceof Error ? error.message : String(error)}\n`);
    if (error instanceof StoreDamagedError) io.err(`Restore the newest healthy backup with: lesiontrack restore --latest${values.db ? ` --db ${values.db}` : ''}\n`);
    return 1;
  }
}

/**
 * parseArgs's message on one line: its advice on passing values that start
 * with a dash is left out, as no option of this command takes one.
 */
function parseErrorLine(message: string): string {
  return message
    .split(/(?<=[.?])\s+/)
    .filter((sentence) => !sentence.startsWith('To specify'))
    .join(' ');
}

/** "a, b or c": the allowed values as a sentence says them. */
function anyOf(values: readonly string[]): string {
  return new Intl.ListFormat('en-GB', { type: 'disjunction' }).format(values);
}

/** The value when it is one of the allowed ones; otherwise a usage mistake naming it and them. */
function oneOf<T extends string>(what: string, value: string, allowed: readonly T[]): T {
  const match = allowed.find((candidate) => candidate === value);
  if (match === undefined) throw new UsageError(`Unknown ${what} "${value}": choose ${anyOf(allowed)}.`);
  return match;
}

function integerOption(option: string, text: string, min: number, max: number): number {
  const value = /^\d{1,9}$/.test(text) ? Number(text) : NaN;
  if (!(value >= min && value <= max)) throw new UsageError(`${option} takes a whole number from ${min} to ${max}, not "${text}".`);
  return value;
}

async function withWorkstation(open: () => Workstation, run: (workstation: Workstation) => Promise<number>): Promise<number> {
  const workstation = open();
  try {
    return await run(workstation);
  } finally {
    workstation.close();
  }
}

function readMapping(path: string): RedcapMapping {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the mapping file ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`the mapping file ${path} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const mapping = RedcapMappingSchema.safeParse(json);
  if (!mapping.success) throw new UsageError(`the mapping file ${path} is not a REDCap mapping: ${z.prettifyError(mapping.error)}`);
  return mapping.data;
}

function clientOf(workstation: Workstation): Client {
  return createClient((name, payload) => workstation.dispatch(name, payload));
}

/** The CLI uses the contract like any other client: through the dispatcher. */
async function call(workstation: Workstation, name: string, payload: unknown): Promise<unknown> {
  const envelope = await workstation.dispatch(name, payload);
  if (!envelope.ok) throw new Error(envelope.error.message);
  return envelope.value;
}

const POLL_MS = 100;

/** Starts an import job and follows it to the end; Ctrl-C cancels it (committed batches stay). */
async function runImport(workstation: Workstation, folder: string, onProgress: ((job: ImportJob) => void) | null): Promise<ImportSummary> {
  let job = (await call(workstation, 'startImport', { folder })) as ImportJob;
  const cancel = () => void call(workstation, 'cancelImport', { jobId: job.jobId });
  process.once('SIGINT', cancel);
  try {
    while (job.state === 'running') {
      await new Promise((resolveWait) => setTimeout(resolveWait, POLL_MS));
      job = (await call(workstation, 'importStatus', { jobId: job.jobId })) as ImportJob;
      onProgress?.(job);
    }
  } finally {
    process.removeListener('SIGINT', cancel);
  }
  if (job.state !== 'done' || !job.summary) throw new Error(job.error ?? `import ${job.state}`);
  return job.summary;
}

function reportProgress(job: ImportJob, json: boolean, io: Io): void {
  const progress = { filesDone: job.filesDone, filesTotal: job.filesTotal, currentFolder: job.currentFolder };
  if (json) io.out(`${JSON.stringify({ progress })}\n`);
  else io.err(`\r${progress.filesDone} / ${progress.filesTotal} files  ${progress.currentFolder}`.slice(0, 120));
}

interface Placement {
  subject: string | null;
  visit: string | null;
  region: string | null;
}

function assignmentsBySeries(studies: StudyAssignment[]): Map<number, Placement> {
  const placed = new Map<number, Placement>();
  for (const study of studies) {
    for (const series of study.series) {
      if (study.subjectCode !== null || series.region !== null) placed.set(series.seriesId, { subject: study.subjectCode, visit: study.visitCode, region: series.region });
    }
  }
  return placed;
}

async function runHost(open: () => Workstation, portText: string | undefined, demo: boolean, io: Io): Promise<number> {
  const port = portText === undefined ? 0 : integerOption('--port', portText, 0, 65535);
  const workstation = open();
  if (demo) {
    io.err('Opening the demo trial (generated on first use, a few seconds)...\n');
    await workstation.openDemo();
  }
  const host = await startHttpHost(workstation, { port });
  io.out(`${JSON.stringify({ url: host.url })}\n`);
  await new Promise<void>((resolveStop) => {
    const stop = () => resolveStop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await host.close();
  workstation.close();
  return 0;
}

function seriesForCli(series: SeriesSummary, placement: Placement | null) {
  return {
    uid: series.seriesUid,
    modality: series.modality,
    description: series.description,
    seriesNumber: series.seriesNumber,
    orientation: series.orientation,
    instances: series.instanceCount,
    frames: series.frameCount,
    slices: series.isImage ? series.frameCount : 0,
    spacing: series.spacing,
    transferSyntaxes: series.transferSyntaxes,
    isImage: series.isImage,
    assigned: placement,
    warnings: series.warnings,
  };
}

function importHeadline(outcome: ImportOutcome, folder: string): string {
  switch (outcome) {
    case 'no-files':
      return `No DICOM files found in ${folder}: nothing was imported.`;
    case 'nothing-stored':
      return `Nothing was imported from ${folder}: none of its files could be stored.`;
    case 'already-stored':
      return `Nothing new in ${folder}: every instance in it is already in the store.`;
    case 'imported':
      return `Imported ${folder}`;
  }
}

function formatImport(summary: ImportSummary, headline: string): string {
  const lines = [
    headline,
    `  files seen          ${summary.filesSeen}`,
    `  instances added     ${summary.instancesAdded}`,
    `  duplicates skipped  ${summary.duplicatesSkipped}`,
    `  series touched      ${summary.seriesTouched}`,
    `  rejected files      ${summary.rejected.length}`,
    ...summary.rejected.map((file) => `    ${file.path}: ${file.reason}`),
  ];
  if (summary.conflicts.length > 0) lines.push(`  conflicts           ${summary.conflicts.length}`, ...summary.conflicts.map((file) => `    ${file.path}: ${file.reason}`));
  if (summary.skipped.length > 0) lines.push(`  not instances       ${summary.skipped.length}`, ...summary.skipped.map((file) => `    ${file.path}: ${file.reason}`));
  lines.push(`  took                ${(summary.elapsedMs / 1000).toFixed(2)} s`);
  return `${lines.join('\n')}\n`;
}

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

function formatCounts(report: CountsReport): string {
  const lines = [`Charter ${report.charter.id} (comparator: ${report.charter.comparator} scan)`];
  for (const participant of report.participants) {
    lines.push(`${participant.subjectCode}: endpoint ${participant.endpointTotal}`);
    for (const cell of participant.cells) {
      lines.push(`  ${cell.visitCode.padEnd(14)} ${cell.region.padEnd(12)} new ${cell.new}  enlarging ${cell.enlarging}  new or enlarging ${cell.newOrEnlarging}  (vs ${cell.comparatorVisit ?? '-'})`);
    }
  }
  lines.push(`Trial total: ${report.trialTotal}`);
  return `${lines.join('\n')}\n`;
}

function formatSeries(series: SeriesSummary[]): string {
  if (series.length === 0) return 'No series stored.\n';
  const rows = series.map((s) =>
    [s.modality.padEnd(4), String(s.seriesNumber ?? '').padStart(5), `${s.instanceCount} inst`.padStart(9), `${s.frameCount} fr`.padStart(8), s.description || '(no description)'].join('  '),
  );
  return `${rows.join('\n')}\n`;
}
