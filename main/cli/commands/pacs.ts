// `lesiontrack pacs find|retrieve`: query a PACS, and pull a study from it
// into the store. A retrieve is a C-MOVE to this workstation: the listener
// runs for the length of the command, accepting only the PACS, and imports
// what arrives as `lesiontrack import` would.
import { dirname, join } from 'node:path';
import { startDicomListener } from '../../network/listener';
import { findSeries, findStudies, moveStudy, type PacsNode, type StudySearch } from '../../network/pacs';
import { defineCommand, integerOption, oneOf, UsageError } from '../command';
import { aeTitle } from './listen';

/** "AE@HOST:PORT": the PACS as a PACS administrator writes it down. */
export function pacsNode(text: string, callingAeTitle: string): PacsNode {
  const match = /^([^@]+)@([0-9A-Fa-f.:]+):(\d{1,5})$/.exec(text);
  if (!match) throw new UsageError(`--node takes AE@IP:PORT (for example PACS@10.0.0.5:104), not "${text}".`);
  return { aeTitle: aeTitle('--node', match[1]!), host: match[2]!, port: integerOption('--node port', match[3]!, 1, 65535), callingAeTitle };
}

const date = (option: string, text: string | undefined): string | undefined => {
  if (text === undefined) return undefined;
  if (!/^\d{8}$/.test(text)) throw new UsageError(`${option} takes a date as YYYYMMDD, not "${text}".`);
  return text;
};

export const pacsCommand = defineCommand({
  name: 'pacs',
  summary: 'find studies on a PACS (C-FIND), or retrieve one into the store (C-MOVE to this workstation)',
  usage: 'find --node AE@IP:PORT [--patient-id ID] [--name NAME] [--from YYYYMMDD] [--to YYYYMMDD] [--modality MR] [--study UID] | retrieve --node AE@IP:PORT --study UID --listen-port N [--ae TITLE] [--db PATH] [--json]',
  options: {
    node: { type: 'string', valueName: 'AE@IP:PORT', description: 'the PACS to ask' },
    ae: { type: 'string', valueName: 'TITLE', description: 'this workstation\'s AE title, as the PACS knows it (default: LESIONTRACK)' },
    'patient-id': { type: 'string', valueName: 'ID', description: 'find: the patient ID (wildcards * and ? as the PACS allows)' },
    name: { type: 'string', valueName: 'NAME', description: 'find: the patient name (DICOM form, e.g. DOE^J*)' },
    from: { type: 'string', valueName: 'YYYYMMDD', description: 'find: studies on or after this date' },
    to: { type: 'string', valueName: 'YYYYMMDD', description: 'find: studies on or before this date' },
    modality: { type: 'string', valueName: 'MODALITY', description: 'find: studies with this modality (MR, CT...)' },
    study: { type: 'string', valueName: 'UID', description: 'find: list this study\'s series; retrieve: the study to retrieve' },
    'listen-port': { type: 'string', valueName: 'N', description: 'retrieve: the port the PACS sends to (as it knows this workstation)' },
    timeout: { type: 'string', valueName: 'SECONDS', description: 'how long the PACS may stay silent (default 30)' },
  },
  async run({ values, positionals, io, dbPath, withWorkstation }) {
    const action = oneOf('pacs action', positionals[0] ?? '', ['find', 'retrieve'] as const);
    if (positionals.length !== 1) throw new UsageError('pacs takes one action: find or retrieve.');
    if (values.node === undefined) throw new UsageError('pacs needs --node AE@IP:PORT.');
    const callingAeTitle = aeTitle('--ae', values.ae ?? 'LESIONTRACK');
    const node = pacsNode(values.node, callingAeTitle);
    const timeoutMs = 1000 * (values.timeout === undefined ? 30 : integerOption('--timeout', values.timeout, 1, 3600));
    const json = values.json ?? false;

    if (action === 'find') {
      if (values.study !== undefined) {
        const series = await findSeries(node, values.study, { timeoutMs });
        io.out(json ? `${JSON.stringify(series)}\n` : series.map((item) => `${item.seriesUid}  ${item.modality}  #${item.seriesNumber ?? '-'}  ${item.seriesDescription}  (${item.instances ?? '?'} instances)\n`).join(''));
        return 0;
      }
      const search: StudySearch = {
        ...(values['patient-id'] !== undefined ? { patientId: values['patient-id'] } : {}),
        ...(values.name !== undefined ? { patientName: values.name } : {}),
        ...(values.from !== undefined ? { studyDateFrom: date('--from', values.from) } : {}),
        ...(values.to !== undefined ? { studyDateTo: date('--to', values.to) } : {}),
        ...(values.modality !== undefined ? { modality: values.modality } : {}),
      };
      const studies = await findStudies(node, search, { timeoutMs });
      io.out(json ? `${JSON.stringify(studies)}\n` : studies.map((study) => `${study.studyUid}  ${study.patientId}  ${study.studyDate}  ${study.modalities.join('/')}  ${study.studyDescription}  (${study.instances ?? '?'} instances)\n`).join('') || 'No study matches.\n');
      return 0;
    }

    if (values.study === undefined) throw new UsageError('pacs retrieve needs --study UID.');
    if (values['listen-port'] === undefined) throw new UsageError('pacs retrieve needs --listen-port N: the port the PACS sends this workstation\'s images to.');
    const port = integerOption('--listen-port', values['listen-port'], 1, 65535);
    const studyUid = values.study;
    return withWorkstation(async ({ client }) => {
      const summaries: { added: number; duplicates: number; rejected: number }[] = [];
      const listener = await startDicomListener({
        // The PACS connects back from where we reach it.
        config: { aeTitle: callingAeTitle, port, address: node.host === '127.0.0.1' ? '127.0.0.1' : '0.0.0.0', allowed: [{ aeTitle: node.aeTitle, host: node.host }] },
        receivedRoot: join(dirname(dbPath), 'received'),
        importBatch: async (batch) => {
          const summary = await client.importFolder({ folder: batch.folder });
          summaries.push({ added: summary.instancesAdded, duplicates: summary.duplicatesSkipped, rejected: summary.rejected.length });
        },
        onEvent: () => {},
      });
      try {
        const moved = await moveStudy(node, studyUid, callingAeTitle, {
          timeoutMs,
          onProgress: (progress) => !json && io.err(`${progress.completed} sent, ${progress.remaining} to go\n`),
        });
        // The PACS's sub-associations are released before its final answer; their imports finish as the listener closes.
        await listener.close();
        const total = summaries.reduce((sum, item) => ({ added: sum.added + item.added, duplicates: sum.duplicates + item.duplicates, rejected: sum.rejected + item.rejected }), { added: 0, duplicates: 0, rejected: 0 });
        const result = { studyUid, sent: moved.completed, failed: moved.failed, ...total };
        io.out(json ? `${JSON.stringify(result)}\n` : `Retrieved ${studyUid}: ${moved.completed} sent, ${moved.failed} failed; ${total.added} added, ${total.duplicates} already stored, ${total.rejected} rejected.\n`);
        return moved.failed === 0 && total.rejected === 0 ? 0 : 1;
      } finally {
        await listener.close();
      }
    });
  },
});
