// `lesiontrack import <folder>`: index a folder of DICOM files (headers only)
// into the store, as the app's import does, and report what was stored.
import { resolve } from 'node:path';
import type { Client } from '../../../shared/client';
import type { ImportJob, ImportSummary } from '../../../shared/contract';
import { type ImportOutcome, importOutcome, storedNothing } from '../../../shared/import-outcome';
import { defineCommand, type Io, UsageError } from '../command';

export const importCommand = defineCommand({
  name: 'import',
  summary: 'index a folder of DICOM files (headers only) into the store; Ctrl-C keeps what was committed',
  usage: '<folder> [--progress] [--db PATH] [--json]',
  options: {
    progress: { type: 'boolean', description: 'report files done / total as it goes (JSON lines with --json)' },
  },
  async run({ values, positionals, io, withWorkstation }) {
    if (positionals.length !== 1) throw new UsageError('import needs exactly one folder.');
    return withWorkstation(async ({ client }) => {
      const summary = await followImport(client, resolve(positionals[0]!), values.progress ? (job) => reportProgress(job, values.json ?? false, io) : null);
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
  },
});

const POLL_MS = 100;

/** Starts an import job and follows it to the end; Ctrl-C cancels it (committed batches stay). */
async function followImport(client: Client, folder: string, onProgress: ((job: ImportJob) => void) | null): Promise<ImportSummary> {
  let job = await client.startImport({ folder });
  const cancel = () => void client.cancelImport({ jobId: job.jobId });
  process.once('SIGINT', cancel);
  try {
    while (job.state === 'running') {
      await new Promise((resolveWait) => setTimeout(resolveWait, POLL_MS));
      job = await client.importStatus({ jobId: job.jobId });
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
