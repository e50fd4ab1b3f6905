// A real Orthanc (Debian's orthanc and orthanc-dicomweb) for the network
// tests: started on free loopback ports with a configuration of its own in a
// throwaway folder, loaded through its REST API, stopped when the test finishes.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, onTestFinished } from 'vitest';
import { tempFolder } from './fixtures';
import { freePort } from './free-port';
import { requireTool } from './tools';

export const ORTHANC_AE = 'ORTHANC';
const DICOMWEB_PLUGIN = '/usr/share/orthanc/plugins/libOrthancDicomWeb.so';

export interface Orthanc {
  dicomPort: number;
  httpUrl: string;
  /** Stores files through the REST API (POST /instances); answers the instance ids. */
  store(files: readonly string[]): Promise<string[]>;
}

/** Starts Orthanc; `modalities` are the DICOM nodes it may send to (AE title, host, port). */
export async function startOrthanc(modalities: Record<string, [string, string, number]> = {}, users: Record<string, string> = {}): Promise<Orthanc> {
  const binary = requireTool('Orthanc', 'orthanc');
  if (!existsSync(DICOMWEB_PLUGIN)) throw new Error(`Orthanc's DICOMweb plugin is missing (${DICOMWEB_PLUGIN}): install the Debian package orthanc-dicomweb (scripts/install-system-deps.sh does).`);
  const folder = tempFolder('lesiontrack-orthanc-');
  const [dicomPort, httpPort] = [await freePort(), await freePort()];
  const config = {
    Name: 'LesionTrack test PACS',
    StorageDirectory: join(folder, 'storage'),
    IndexDirectory: join(folder, 'storage'),
    DicomAet: ORTHANC_AE,
    DicomPort: dicomPort,
    HttpPort: httpPort,
    RemoteAccessAllowed: false,
    // With users, the REST API and DICOMweb ask for HTTP basic authentication.
    AuthenticationEnabled: Object.keys(users).length > 0,
    RegisteredUsers: users,
    DicomCheckCalledAet: true,
    DicomModalities: modalities,
    DicomAlwaysAllowFind: true,
    DicomAlwaysAllowMove: true,
    DicomAlwaysAllowGet: true,
    Plugins: [DICOMWEB_PLUGIN],
    DicomWeb: { Enable: true, Root: '/dicom-web/' },
  };
  const configFile = join(folder, 'orthanc.json');
  writeFileSync(configFile, JSON.stringify(config));
  const process: ChildProcess = spawn(binary, [configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  process.stderr!.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-20_000)));
  const exited = new Promise<void>((resolveExit) => process.once('exit', () => resolveExit()));
  const httpUrl = `http://127.0.0.1:${httpPort}`;
  await expect
    .poll(async () => {
      if (process.exitCode !== null) throw new Error(`Orthanc exited: ${log}`);
      return fetch(`${httpUrl}/system`, { headers: basic(users) }).then((response) => response.ok, () => false);
    })
    .toBe(true);
  const stop = async () => {
    process.kill('SIGTERM');
    await exited;
  };
  onTestFinished(stop);
  return {
    dicomPort,
    httpUrl,
    async store(files) {
      const ids: string[] = [];
      for (const file of files) {
        const response = await fetch(`${httpUrl}/instances`, { method: 'POST', body: readFileSync(file), headers: basic(users) });
        if (!response.ok) throw new Error(`Orthanc refused ${file}: ${response.status} ${await response.text()}`);
        ids.push(((await response.json()) as { ID: string }).ID);
      }
      return ids;
    },
  };
}

/** The first registered user's basic authentication header, for the helper's own REST calls. */
function basic(users: Record<string, string>): Record<string, string> {
  const [user] = Object.entries(users);
  return user ? { authorization: `Basic ${Buffer.from(`${user[0]}:${user[1]}`).toString('base64')}` } : {};
}
