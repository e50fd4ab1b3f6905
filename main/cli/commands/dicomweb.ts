// `lesiontrack dicomweb find|retrieve`: search a DICOMweb archive, and pull a
// study into the store: each series by WADO-RS into a folder of its own under
// received/ beside the store, then the folder importer. Credentials are read
// from a file only the user may read, never from the command line (other
// users see a command line) or the store.
import { readFileSync, statSync } from 'node:fs';
import { type DicomWebAuth, type DicomWebServer, retrieveSeries, searchSeries, searchStudies } from '../../network/dicomweb';
import { newReceivedFolder, receivedRootOf } from '../../network/listener';
import { defineCommand, oneOf, UsageError } from '../command';
import { addImport, type Archive, FIND_OPTIONS, find, NOTHING_RETRIEVED, participantStudies, timeoutMsOf } from './study-search';

/** A secret from a file: refused when others may read it (on systems with permission bits), trimmed of its line end. */
export function secretFrom(option: string, path: string): string {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch {
    throw new UsageError(`${option}: ${path} cannot be read.`);
  }
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) throw new UsageError(`${option}: ${path} may be read by other users; make it readable by you alone (chmod 600).`);
  const secret = readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  if (!secret) throw new UsageError(`${option}: ${path} is empty.`);
  return secret;
}

function authFrom(values: { user?: string | undefined; 'password-file'?: string | undefined; 'token-file'?: string | undefined }): DicomWebAuth {
  if (values['token-file'] !== undefined) {
    if (values.user !== undefined || values['password-file'] !== undefined) throw new UsageError('Give either --token-file or --user with --password-file, not both.');
    return { kind: 'bearer', token: secretFrom('--token-file', values['token-file']) };
  }
  if ((values.user === undefined) !== (values['password-file'] === undefined)) throw new UsageError('--user and --password-file go together.');
  return values.user === undefined ? { kind: 'none' } : { kind: 'basic', user: values.user, password: secretFrom('--password-file', values['password-file']!) };
}

export const dicomwebCommand = defineCommand({
  name: 'dicomweb',
  summary: 'find studies on a DICOMweb archive (QIDO-RS), or retrieve one into the store (WADO-RS)',
  usage: 'find --url URL [--patient-id ID] [--name NAME] [--from YYYYMMDD] [--to YYYYMMDD] [--modality MR] [--study UID | --participant CODE] | retrieve --url URL (--study UID | --participant CODE) [--db PATH]; [--user NAME --password-file F | --token-file F] [--json]',
  options: {
    url: { type: 'string', valueName: 'URL', description: 'the archive\'s DICOMweb root, e.g. http://pacs:8042/dicom-web' },
    user: { type: 'string', valueName: 'NAME', description: 'basic authentication: the user (with --password-file)' },
    'password-file': { type: 'string', valueName: 'FILE', description: 'basic authentication: a file holding the password, readable by you alone' },
    'token-file': { type: 'string', valueName: 'FILE', description: 'bearer authentication: a file holding the token, readable by you alone' },
    ...FIND_OPTIONS,
  },
  async run({ values, positionals, io, dbPath, withWorkstation }) {
    const action = oneOf('dicomweb action', positionals[0] ?? '', ['find', 'retrieve'] as const);
    if (positionals.length !== 1) throw new UsageError('dicomweb takes one action: find or retrieve.');
    if (values.url === undefined) throw new UsageError('dicomweb needs --url, the archive\'s DICOMweb root.');
    const server: DicomWebServer = { baseUrl: values.url, auth: authFrom(values) };
    const timeoutMs = timeoutMsOf(values);
    const json = values.json ?? false;

    const archive: Archive = { studies: (search) => searchStudies(server, search, { timeoutMs }), series: (studyUid) => searchSeries(server, studyUid, { timeoutMs }) };

    if (action === 'find') return find(archive, values, io, json, withWorkstation);

    if (values.study === undefined && values.participant === undefined) throw new UsageError('dicomweb retrieve needs --study UID or --participant CODE.');
    const { study, participant } = values;
    return withWorkstation(async ({ client }) => {
      const studyUids = study !== undefined ? [study] : (await participantStudies(client, participant!, archive.studies)).missing.map((item) => item.studyUid);
      let total = NOTHING_RETRIEVED;
      let received = 0;
      let folders = 0;
      for (const studyUid of studyUids) {
        for (const item of await searchSeries(server, studyUid, { timeoutMs })) {
          folders += 1;
          const folder = newReceivedFolder(receivedRootOf(dbPath), 'dicomweb');
          received += await retrieveSeries(server, studyUid, item.seriesUid, folder, { timeoutMs, onInstance: (written) => !json && written % 50 === 0 && io.err(`${item.seriesDescription || item.seriesUid}: ${written} instances\n`) });
          total = addImport(total, await client.importFolder({ folder }));
        }
      }
      io.out(json ? `${JSON.stringify({ studies: studyUids, series: folders, received, ...total })}\n` : `Retrieved ${studyUids.length} study(ies), ${folders} series, ${received} instances; ${total.added} added, ${total.duplicates} already stored, ${total.rejected} rejected.\n`);
      return total.rejected === 0 ? 0 : 1;
    });
  },
});
