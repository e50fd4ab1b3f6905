// DICOMweb against Orthanc's plugin on loopback: QIDO-RS finds the study and
// its series, WADO-RS writes the series' files, which import exactly as a
// folder import of the originals with the same pixels; wrong credentials, a
// URL that is not one, a dead and a silent server each end with words.
import { chmodSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Client } from '../../../shared/client';
import { dicomWebRoot, type DicomWebServer, retrieveSeries, searchSeries, searchStudies } from '../../../main/network/dicomweb';
import { geSeries, tempFolder } from '../../helpers/fixtures';
import { freePort } from '../../helpers/free-port';
import { cli, openStore, pixelHashes, silentNode } from '../../helpers/network';
import { startOrthanc } from '../../helpers/orthanc';

const GE_FILES = readdirSync(geSeries).map((name) => join(geSeries, name));
const USERS = { reader: 'a long passphrase' };

async function archive(): Promise<DicomWebServer> {
  const orthanc = await startOrthanc({}, USERS);
  await orthanc.store(GE_FILES);
  return { baseUrl: `${orthanc.httpUrl}/dicom-web`, auth: { kind: 'basic', user: 'reader', password: USERS.reader } };
}

describe('DICOMweb against Orthanc', () => {
  it('finds the study and its series, and retrieves the series as a folder import of the originals, pixels byte for byte', async () => {
    const server = await archive();
    const [study, ...others] = await searchStudies(server, { modality: 'MR' });
    expect(others).toEqual([]);
    expect(study).toMatchObject({ modalities: ['MR'], instances: 20 });
    expect(await searchStudies(server, { patientId: `${study!.patientId}-other` })).toEqual([]);
    const [series] = await searchSeries(server, study!.studyUid);
    expect(series).toMatchObject({ modality: 'MR', seriesNumber: 2, seriesDescription: 'FSE PD AXIAL OBL', instances: 20 });

    const folder = tempFolder();
    const progress: number[] = [];
    expect(await retrieveSeries(server, study!.studyUid, series!.seriesUid, folder, { onInstance: (written) => progress.push(written) })).toBe(20);
    expect(progress).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
    const retrieved = readdirSync(folder).map((name) => join(folder, name));
    expect(pixelHashes(retrieved)).toEqual(pixelHashes(GE_FILES));

    const [viaWeb, viaFolder] = [openStore().client, openStore().client];
    await viaWeb.importFolder({ folder });
    await viaFolder.importFolder({ folder: geSeries });
    const index = async (store: Client) => (await store.listSeries({})).map(({ id: _id, ...summary }) => summary);
    expect(await index(viaWeb)).toEqual(await index(viaFolder));
  });

  it('says so when the credentials are refused, never repeating them', async () => {
    const server = await archive();
    const wrong = { ...server, auth: { kind: 'basic' as const, user: 'reader', password: 'not it' } };
    const refusal = searchStudies(wrong, {});
    await expect(refusal).rejects.toThrow(`The DICOMweb server ${dicomWebRoot(server.baseUrl).href} refused the credentials (HTTP 401).`);
    await expect(refusal).rejects.not.toThrow(/not it/);
    await expect(searchStudies({ ...server, auth: { kind: 'none' } }, {})).rejects.toThrow(/refused the credentials \(HTTP 401\)/);
  });

  it('refuses a base URL that is not http(s) or carries credentials, and ends with words on a dead or silent server', async () => {
    expect(() => dicomWebRoot('ftp://archive/dicom-web')).toThrow('A DICOMweb server is reached over http or https, not ftp:');
    expect(() => dicomWebRoot('http://reader:secret@127.0.0.1/dicom-web')).toThrow('Give the credentials apart from the URL (a password file or token file), not inside it.');
    const nobody = await freePort();
    await expect(searchStudies({ baseUrl: `http://127.0.0.1:${nobody}/dicom-web`, auth: { kind: 'none' } }, {})).rejects.toThrow(`The DICOMweb server http://127.0.0.1:${nobody}/dicom-web/ could not be reached (ECONNREFUSED).`);

    const { port } = await silentNode();
    await expect(searchStudies({ baseUrl: `http://127.0.0.1:${port}/dicom-web`, auth: { kind: 'none' } }, {}, { timeoutMs: 1500 })).rejects.toThrow(`The DICOMweb server http://127.0.0.1:${port}/dicom-web/ did not answer within 2 s.`);
  });
});

describe('lesiontrack dicomweb', () => {
  it('finds and retrieves a study with the password from a file only the user may read, and refuses a file others may read', async () => {
    const server = await archive();
    const passwordFile = join(tempFolder(), 'dicomweb-password');
    writeFileSync(passwordFile, `${USERS.reader}\n`, { mode: 0o644 });
    const credentials = ['--url', server.baseUrl, '--user', 'reader', '--password-file', passwordFile];
    expect(await cli(['dicomweb', 'find', ...credentials])).toMatchObject({ code: 2, err: expect.stringContaining(`--password-file: ${passwordFile} may be read by other users; make it readable by you alone (chmod 600).`) });
    chmodSync(passwordFile, 0o600);
    const found = await cli(['dicomweb', 'find', ...credentials, '--modality', 'MR', '--json']);
    expect(found.code, found.err).toBe(0);
    const [study] = JSON.parse(found.out);
    expect(study).toMatchObject({ instances: 20 });
    const db = join(tempFolder(), 'station.sqlite');
    const retrieved = await cli(['dicomweb', 'retrieve', ...credentials, '--study', study.studyUid, '--db', db, '--json']);
    expect(retrieved.code, retrieved.err).toBe(0);
    expect(JSON.parse(retrieved.out)).toEqual({ studies: [study.studyUid], series: 1, received: 20, added: 20, duplicates: 0, rejected: 0 });
    expect(JSON.parse((await cli(['series', '--db', db, '--json'])).out)).toEqual([expect.objectContaining({ description: 'FSE PD AXIAL OBL', instances: 20 })]);
  });
});
