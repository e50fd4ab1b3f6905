// `lesiontrack listen`: a headless receiving station. Runs the DICOM listener
// in the foreground and imports each released association through the same
// importer as `lesiontrack import`, until SIGINT or SIGTERM.
import { type AllowedCaller, type ListenerEvent, receivedRootOf, startDicomListener } from '../../network/listener';
import { defineCommand, integerOption, type Io, UsageError } from '../command';

/** PS3.8 9.3.1: an AE title is 1 to 16 characters, no backslash or control characters, not only spaces. */
export function aeTitle(option: string, text: string): string {
  const title = text.trim();
  if (title.length === 0 || title.length > 16 || /[\\\x00-\x1f]/.test(title)) throw new UsageError(`${option} takes an AE title of 1 to 16 characters without a backslash, not "${text}".`);
  return title;
}

/** "AE@HOST", or "AE" for a sender on this machine (127.0.0.1). */
export function allowedCaller(text: string): AllowedCaller {
  const at = text.lastIndexOf('@');
  const host = at < 0 ? '127.0.0.1' : text.slice(at + 1);
  if (!/^[0-9A-Fa-f.:]+$/.test(host)) throw new UsageError(`--allow takes CALLING_AE or CALLING_AE@IP_ADDRESS, not "${text}".`);
  return { aeTitle: aeTitle('--allow', at < 0 ? text : text.slice(0, at)), host };
}

export const listenCommand = defineCommand({
  name: 'listen',
  summary: 'receive DICOM from allowed senders and import each study as it arrives; Ctrl-C stops',
  usage: '--port N [--ae TITLE] [--allow CALLING_AE[@IP]]... [--address IP] [--db PATH] [--json]',
  options: {
    port: { type: 'string', valueName: 'N', description: 'the port to listen on (104 and 11112 are usual; 0: any free one, printed)' },
    ae: { type: 'string', valueName: 'TITLE', description: 'this listener\'s AE title (default: LESIONTRACK)' },
    allow: { type: 'string', valueName: 'CALLING_AE[@IP]', multiple: true, description: 'a sender allowed to send, from that address (default 127.0.0.1); everyone else is refused' },
    address: { type: 'string', valueName: 'IP', description: 'the address to listen on (default 127.0.0.1; 0.0.0.0 for other machines)' },
  },
  async run({ values, positionals, io, dbPath, withWorkstation }) {
    if (positionals.length !== 0) throw new UsageError('listen takes no arguments.');
    if (values.port === undefined) throw new UsageError('listen needs --port.');
    const port = integerOption('--port', values.port, 0, 65535);
    const allowed = (values.allow ?? []).map(allowedCaller);
    if (allowed.length === 0) throw new UsageError('listen needs at least one --allow CALLING_AE[@IP]: with none, every sender would be refused.');
    const config = { aeTitle: aeTitle('--ae', values.ae ?? 'LESIONTRACK'), port, address: values.address ?? '127.0.0.1', allowed };
    const report = reporter(io, values.json ?? false);
    return withWorkstation(async ({ client }) => {
      const listener = await startDicomListener({
        config,
        receivedRoot: receivedRootOf(dbPath),
        importBatch: async (batch) => {
          try {
            const summary = await client.importFolder({ folder: batch.folder });
            report({ kind: 'imported', folder: batch.folder, added: summary.instancesAdded, duplicates: summary.duplicatesSkipped, rejected: summary.rejected.length });
          } catch (error) {
            report({ kind: 'import-failed', folder: batch.folder, reason: error instanceof Error ? error.message : String(error) });
          }
        },
        onEvent: report,
      });
      report({ kind: 'listening', aeTitle: config.aeTitle, address: config.address, port: listener.port });
      await new Promise<void>((resolveStop) => {
        process.once('SIGINT', () => resolveStop());
        process.once('SIGTERM', () => resolveStop());
      });
      await listener.close();
      report({ kind: 'stopped' });
      return 0;
    });
  },
});

type Report =
  | ListenerEvent
  | { kind: 'listening'; aeTitle: string; address: string; port: number }
  | { kind: 'imported'; folder: string; added: number; duplicates: number; rejected: number }
  | { kind: 'import-failed'; folder: string; reason: string }
  | { kind: 'stopped' };

/** One line per event: JSON with --json, else words. AE titles, counts and folders only, never patient data. */
function reporter(io: Io, json: boolean): (report: Report) => void {
  if (json) return (report) => io.out(`${JSON.stringify(report)}\n`);
  return (report) => io.out(`${words(report)}\n`);
}

function words(report: Report): string {
  switch (report.kind) {
    case 'listening':
      return `Listening as ${report.aeTitle} on ${report.address}:${report.port}.`;
    case 'association-accepted':
      return `${report.callingAeTitle} (${report.host}) connected${report.refusedSopClasses.length ? `; refused ${new Set(report.refusedSopClasses).size} SOP class(es)` : ''}.`;
    case 'association-rejected':
      return `Refused ${report.callingAeTitle || 'a caller'} (${report.host}): ${report.reason}.`;
    case 'echo':
      return `Echo from ${report.callingAeTitle}.`;
    case 'instance-refused':
      return `Refused an instance from ${report.callingAeTitle} (status ${report.status.toString(16).toUpperCase()}H): ${report.reason}.`;
    case 'association-released':
      return `${report.batch.callingAeTitle} sent ${report.batch.instances} instance(s), ${(report.batch.bytes / 1e6).toFixed(1)} MB.`;
    case 'association-aborted':
      return `${report.batch.callingAeTitle}'s association ended early (${report.reason}): ${report.batch.instances} whole instance(s) held, not imported, in ${report.batch.folder}.`;
    case 'imported':
      return `Imported ${report.folder}: ${report.added} added, ${report.duplicates} already stored, ${report.rejected} rejected.`;
    case 'import-failed':
      return `The import of ${report.folder} failed: ${report.reason}`;
    case 'stopped':
      return 'Stopped.';
  }
}
