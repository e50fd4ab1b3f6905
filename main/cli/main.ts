// `lesiontrack`: the command line for automation and data managers. Every
// verb goes through the same services as the app, on the same store.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ImportSummary, SeriesSummary } from '../../shared/contract';
import { localActor, resolveDatabasePath } from '../config';
import { startHttpHost } from '../host/http-host';
import { openWorkstation, type Workstation } from '../workstation';

const USAGE = `Usage: lesiontrack <command> [options]

Commands:
  import <folder> [--db PATH] [--json]   index a folder of DICOM files (headers only) into the store
  series [--db PATH] [--json]            list the stored series
  host [--db PATH] [--port N]            serve the app to a browser on 127.0.0.1 (prints the link to open)

Options:
  --db PATH   the store to use (default: $LESIONTRACK_DB, else lesiontrack.sqlite in the user data folder)
  --json      machine-readable output
  --help      this text
`;

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

export async function runCli(argv: string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        db: { type: 'string' },
        json: { type: 'boolean', default: false },
        port: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    io.err(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || command === undefined) {
    (command === undefined && !values.help ? io.err : io.out)(USAGE);
    return command === undefined && !values.help ? 2 : 0;
  }

  const open = () => openWorkstation({ dbPath: resolveDatabasePath({ db: values.db }), actor: localActor(), rendererDir, headerWorkerFile: existsSync(headerWorkerFile) ? headerWorkerFile : undefined });
  try {
    switch (command) {
      case 'import': {
        if (rest.length !== 1) throw new UsageError('import needs exactly one folder.');
        return await withWorkstation(open, async (workstation) => {
          const summary = await call(workstation, 'importFolder', { folder: resolve(rest[0]!) });
          io.out(values.json ? `${JSON.stringify(summary)}\n` : formatImport(summary as ImportSummary));
          return 0;
        });
      }
      case 'series': {
        if (rest.length !== 0) throw new UsageError('series takes no arguments.');
        return await withWorkstation(open, async (workstation) => {
          const series = (await call(workstation, 'listSeries', {})) as SeriesSummary[];
          io.out(values.json ? `${JSON.stringify(series.map(seriesForCli))}\n` : formatSeries(series));
          return 0;
        });
      }
      case 'host':
        return await runHost(open, values.port, io);
      default:
        throw new UsageError(`Unknown command "${command}".`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    io.err(`lesiontrack: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

async function withWorkstation(open: () => Workstation, run: (workstation: Workstation) => Promise<number>): Promise<number> {
  const workstation = open();
  try {
    return await run(workstation);
  } finally {
    workstation.close();
  }
}

/** The CLI uses the contract like any other client: through the dispatcher. */
async function call(workstation: Workstation, name: string, payload: unknown): Promise<unknown> {
  const envelope = await workstation.dispatch(name, payload);
  if (!envelope.ok) throw new Error(envelope.error.message);
  return envelope.value;
}

async function runHost(open: () => Workstation, portText: string | undefined, io: Io): Promise<number> {
  const port = portText === undefined ? 0 : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port takes a number from 0 to 65535.');
  const workstation = open();
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

function seriesForCli(series: SeriesSummary) {
  return {
    uid: series.seriesUid,
    modality: series.modality,
    description: series.description,
    seriesNumber: series.seriesNumber,
    instances: series.instanceCount,
    frames: series.frameCount,
    isImage: series.isImage,
  };
}

function formatImport(summary: ImportSummary): string {
  const lines = [
    `Imported ${summary.folder}`,
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

function formatSeries(series: SeriesSummary[]): string {
  if (series.length === 0) return 'No series stored.\n';
  const rows = series.map((s) =>
    [s.modality.padEnd(4), String(s.seriesNumber ?? '').padStart(5), `${s.instanceCount} inst`.padStart(9), `${s.frameCount} fr`.padStart(8), s.description || '(no description)'].join('  '),
  );
  return `${rows.join('\n')}\n`;
}
