// `lesiontrack pacs find|retrieve`: query a PACS, and pull a study from it
// into the store. A retrieve is a C-MOVE to this workstation: the listener
// runs for the length of the command, accepting only the PACS, and imports
// what arrives as `lesiontrack import` would.
import { receivedRootOf, startDicomListener } from '../../network/listener';
import { findSeries, findStudies, moveStudy, type PacsNode } from '../../network/pacs';
import { defineCommand, integerOption, oneOf, UsageError } from '../command';
import { aeTitle } from './listen';
import { addImport, type Archive, FIND_OPTIONS, find, NOTHING_RETRIEVED, participantStudies, timeoutMsOf } from './study-search';

/** "AE@HOST:PORT": the PACS as a PACS administrator writes it down. */
export function pacsNode(text: string, callingAeTitle: string): PacsNode {
  const match = /^([^@]+)@([0-9A-Fa-f.:]+):(\d{1,5})$/.exec(text);
  if (!match) throw new UsageError(`--node takes AE@IP:PORT (for example PACS@10.0.0.5:104), not "${text}".`);
  return { aeTitle: aeTitle('--node', match[1]!), host: match[2]!, port: integerOption('--node port', match[3]!, 1, 65535), callingAeTitle };
}

export const pacsCommand = defineCommand({
  name: 'pacs',
  summary: 'find studies on a PACS (C-FIND), or retrieve one into the store (C-MOVE to this workstation)',
  usage: 'find --node AE@IP:PORT [--patient-id ID] [--name NAME] [--from YYYYMMDD] [--to YYYYMMDD] [--modality MR] [--study UID | --participant CODE] | retrieve --node AE@IP:PORT (--study UID | --participant CODE) --listen-port N [--ae TITLE] [--db PATH] [--json]',
  options: {
    node: { type: 'string', valueName: 'AE@IP:PORT', description: 'the PACS to ask' },
    ae: { type: 'string', valueName: 'TITLE', description: 'this workstation\'s AE title, as the PACS knows it (default: LESIONTRACK)' },
    ...FIND_OPTIONS,
    'listen-port': { type: 'string', valueName: 'N', description: 'retrieve: the port the PACS sends to (as it knows this workstation)' },
  },
  async run({ values, positionals, io, dbPath, withWorkstation }) {
    const action = oneOf('pacs action', positionals[0] ?? '', ['find', 'retrieve'] as const);
    if (positionals.length !== 1) throw new UsageError('pacs takes one action: find or retrieve.');
    if (values.node === undefined) throw new UsageError('pacs needs --node AE@IP:PORT.');
    const callingAeTitle = aeTitle('--ae', values.ae ?? 'LESIONTRACK');
    const node = pacsNode(values.node, callingAeTitle);
    const timeoutMs = timeoutMsOf(values);
    const json = values.json ?? false;

    const archive: Archive = { studies: (search) => findStudies(node, search, { timeoutMs }), series: (studyUid) => findSeries(node, studyUid, { timeoutMs }) };

    if (action === 'find') return find(archive, values, io, json, withWorkstation);

    if (values.study === undefined && values.participant === undefined) throw new UsageError('pacs retrieve needs --study UID or --participant CODE.');
    if (values['listen-port'] === undefined) throw new UsageError('pacs retrieve needs --listen-port N: the port the PACS sends this workstation\'s images to.');
    const port = integerOption('--listen-port', values['listen-port'], 1, 65535);
    const { study, participant } = values;
    return withWorkstation(async ({ client }) => {
      const studyUids = study !== undefined ? [study] : (await participantStudies(client, participant!, archive.studies)).missing.map((item) => item.studyUid);
      let total = NOTHING_RETRIEVED;
      const listener = await startDicomListener({
        // The PACS connects back from where we reach it.
        config: { aeTitle: callingAeTitle, port, address: node.host === '127.0.0.1' ? '127.0.0.1' : '0.0.0.0', allowed: [{ aeTitle: node.aeTitle, host: node.host }] },
        receivedRoot: receivedRootOf(dbPath),
        importBatch: async (batch) => {
          total = addImport(total, await client.importFolder({ folder: batch.folder }));
        },
        onEvent: () => {},
      });
      let sent = 0;
      let failed = 0;
      try {
        for (const studyUid of studyUids) {
          const moved = await moveStudy(node, studyUid, callingAeTitle, { timeoutMs, onProgress: (progress) => !json && io.err(`${studyUid}: ${progress.completed} sent, ${progress.remaining} to go\n`) });
          sent += moved.completed;
          failed += moved.failed;
        }
      } finally {
        // The PACS's sub-associations are released before its final answers; their imports finish as the listener closes.
        await listener.close();
      }
      const result = { studies: studyUids, sent, failed, ...total };
      io.out(json ? `${JSON.stringify(result)}\n` : `Retrieved ${studyUids.length} study(ies): ${sent} instances sent, ${failed} failed; ${total.added} added, ${total.duplicates} already stored, ${total.rejected} rejected.\n`);
      return failed === 0 && total.rejected === 0 ? 0 : 1;
    });
  },
});
