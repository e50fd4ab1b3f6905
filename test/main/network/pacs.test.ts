// Query/retrieve against a real PACS: Orthanc on loopback, loaded with the
// GE series, searched by patient ID, date and modality (C-FIND), and a study
// moved (C-MOVE) to this workstation's listener, which imports it exactly as
// a folder import of the same files; a node that never answers, or that does
// not know us, ends with a message that says so.
import { execFile } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Client } from '../../../shared/client';
import { startDicomListener } from '../../../main/network/listener';
import { findSeries, findStudies, moveStudy, type PacsNode } from '../../../main/network/pacs';
import { geSeries, tempFolder } from '../../helpers/fixtures';
import { freePort } from '../../helpers/free-port';
import { cli, openStore, silentNode } from '../../helpers/network';
import { ORTHANC_AE, type Orthanc, startOrthanc } from '../../helpers/orthanc';
import { uidTemplate, withNewUids } from '../../helpers/uid-rewrite';

const run = promisify(execFile);
const WORKSTATION_AE = 'LESIONTRACK';
const GE_FILES = readdirSync(geSeries).map((name) => join(geSeries, name));

/** Orthanc with the GE series, knowing this workstation's listener as a destination; and the listener, importing into a store. */
async function pacsAndStation() {
  const { client } = openStore();
  const listenerPort = await freePort();
  const imported: number[] = [];
  const listener = await startDicomListener({
    config: { aeTitle: WORKSTATION_AE, port: listenerPort, address: '127.0.0.1', allowed: [{ aeTitle: ORTHANC_AE, host: '127.0.0.1' }] },
    receivedRoot: tempFolder(),
    importBatch: async (batch) => {
      imported.push((await client.importFolder({ folder: batch.folder })).instancesAdded);
    },
    onEvent: () => {},
  });
  onTestFinished(() => listener.close());
  const orthanc: Orthanc = await startOrthanc({ workstation: [WORKSTATION_AE, '127.0.0.1', listenerPort] });
  await orthanc.store(GE_FILES);
  const node: PacsNode = { aeTitle: ORTHANC_AE, host: '127.0.0.1', port: orthanc.dicomPort, callingAeTitle: WORKSTATION_AE };
  return { client, node, imported };
}

describe('query/retrieve against Orthanc', () => {
  it('finds the study by patient ID, date range and modality, and lists its series', async () => {
    const { node } = await pacsAndStation();
    const [study, ...others] = await findStudies(node, {});
    expect(others).toEqual([]);
    expect(study).toMatchObject({ modalities: ['MR'], instances: 20 });
    expect(await findStudies(node, { patientId: study!.patientId, studyDateFrom: study!.studyDate, studyDateTo: study!.studyDate, modality: 'MR' })).toEqual([study]);
    expect(await findStudies(node, { patientId: `${study!.patientId}-other` })).toEqual([]);
    expect(await findStudies(node, { modality: 'CT' })).toEqual([]);
    expect(await findSeries(node, study!.studyUid)).toEqual([{ seriesUid: expect.stringMatching(/^[0-9.]+$/), modality: 'MR', seriesNumber: 2, seriesDescription: 'FSE PD AXIAL OBL', instances: 20 }]);
  });

  it('moves a study to the listener, which imports it as a folder import of the same files', async () => {
    const { client, node, imported } = await pacsAndStation();
    const [study] = await findStudies(node, {});
    const progress: number[] = [];
    const done = await moveStudy(node, study!.studyUid, WORKSTATION_AE, { onProgress: (step) => progress.push(step.completed) });
    expect(done).toMatchObject({ completed: 20, failed: 0 });
    await expect.poll(() => imported).toEqual([20]);
    const folderImport = openStore().client;
    const copy = tempFolder();
    await run('cp', [...GE_FILES, copy]);
    await folderImport.importFolder({ folder: copy });
    const index = async (store: Client) => (await store.listSeries({})).map(({ id: _id, ...series }) => series);
    expect(await index(client)).toEqual(await index(folderImport));
  });

  it('says the PACS does not know the destination, and sends nothing', async () => {
    const { node, imported } = await pacsAndStation();
    const [study] = await findStudies(node, {});
    await expect(moveStudy(node, study!.studyUid, 'NOBODY')).rejects.toThrow(
      `The PACS ORTHANC at 127.0.0.1:${node.port}: the retrieve failed with status C000H; 0 instance(s) were sent. Check that it knows the destination AE title "NOBODY" with this workstation's address and port.`,
    );
    expect(imported).toEqual([]);
  });

  it('ends with a clear message when a node never answers, or nothing listens', async () => {
    // A node that accepts the connection and then says nothing.
    const { port, hungUp } = await silentNode();
    const node: PacsNode = { aeTitle: 'SILENT', host: '127.0.0.1', port, callingAeTitle: WORKSTATION_AE };
    await expect(findStudies(node, {}, { timeoutMs: 1500 })).rejects.toThrow(`The PACS SILENT at 127.0.0.1:${port} did not answer within 2 s.`);
    // The workstation hung up: the node sees its connection closed.
    await expect.poll(() => hungUp()).toBe(1);
    const nobody = await freePort();
    await expect(findStudies({ ...node, port: nobody }, {}, { timeoutMs: 1500 })).rejects.toThrow(new RegExp(`^The PACS SILENT at 127\\.0\\.0\\.1:${nobody} could not be reached: .*ECONNREFUSED`));
  });
});

describe('lesiontrack pacs', () => {
  it('finds the study and its series, and retrieves it into the store as a folder import would', async () => {
    const listenPort = await freePort();
    const orthanc = await startOrthanc({ workstation: ['TRIALSTATION', '127.0.0.1', listenPort] });
    await orthanc.store(GE_FILES);
    const node = `${ORTHANC_AE}@127.0.0.1:${orthanc.dicomPort}`;
    const found = await cli(['pacs', 'find', '--node', node, '--ae', 'TRIALSTATION', '--modality', 'MR', '--json']);
    expect(found.code, found.err).toBe(0);
    const [study] = JSON.parse(found.out);
    expect(study).toMatchObject({ modalities: ['MR'], instances: 20 });
    const series = await cli(['pacs', 'find', '--node', node, '--ae', 'TRIALSTATION', '--study', study.studyUid, '--json']);
    expect(JSON.parse(series.out)).toEqual([expect.objectContaining({ seriesDescription: 'FSE PD AXIAL OBL', instances: 20 })]);

    const db = join(tempFolder(), 'station.sqlite');
    const retrieved = await cli(['pacs', 'retrieve', '--node', node, '--ae', 'TRIALSTATION', '--study', study.studyUid, '--listen-port', String(listenPort), '--db', db, '--json']);
    expect(retrieved.code, retrieved.err).toBe(0);
    expect(JSON.parse(retrieved.out)).toEqual({ studies: [study.studyUid], sent: 20, failed: 0, added: 20, duplicates: 0, rejected: 0 });
    const stored = JSON.parse((await cli(['series', '--db', db, '--json'])).out);
    expect(stored).toEqual([expect.objectContaining({ description: 'FSE PD AXIAL OBL', instances: 20 })]);
  });

  it('fetches a participant\'s visits not in the store yet, found by the patient ID the trial links to it', async () => {
    // The baseline is in the store, linked to participant P01; the PACS also has a later visit of the same patient.
    const later = tempFolder();
    for (const [index, file] of GE_FILES.slice(1, 4).entries()) writeFileSync(join(later, `later-${index}.dcm`), withNewUids(uidTemplate(file), 9_000 + index, 900, 4321));
    const { client, dbPath } = openStore();
    await client.importFolder({ folder: geSeries });
    const participant = await client.saveParticipant({ subjectCode: 'P01', baselineDate: '2026-01-01' });
    const [patient] = (await client.trialSetup({})).patients;
    await client.linkPatient({ patientRef: patient!.id, participantId: participant.id });

    const listenPort = await freePort();
    const orthanc = await startOrthanc({ workstation: ['TRIALSTATION', '127.0.0.1', listenPort] });
    await orthanc.store([...GE_FILES, ...readdirSync(later).map((name) => join(later, name))]);
    const node = ['--node', `${ORTHANC_AE}@127.0.0.1:${orthanc.dicomPort}`, '--ae', 'TRIALSTATION', '--db', dbPath];
    const before = JSON.parse((await cli(['pacs', 'find', ...node, '--participant', 'P01', '--json'])).out);
    expect(before.stored.map((study: { instances: number }) => study.instances)).toEqual([20]);
    expect(before.missing.map((study: { instances: number }) => study.instances)).toEqual([3]);

    const fetched = await cli(['pacs', 'retrieve', ...node, '--participant', 'P01', '--listen-port', String(listenPort), '--json']);
    expect(fetched.code, fetched.err).toBe(0);
    expect(JSON.parse(fetched.out)).toEqual({ studies: [before.missing[0].studyUid], sent: 3, failed: 0, added: 3, duplicates: 0, rejected: 0 });
    expect(JSON.parse((await cli(['pacs', 'find', ...node, '--participant', 'P01', '--json'])).out).missing).toEqual([]);
    expect(await cli(['pacs', 'find', ...node, '--participant', 'P99'])).toMatchObject({ code: 1, err: 'lesiontrack: No participant P99 in this trial.\n' });
  });

  it('says what is wrong with a node written otherwise, and fails with words when the PACS cannot be reached', async () => {
    expect(await cli(['pacs', 'find', '--node', 'PACS@pacs.local:104'])).toMatchObject({ code: 2, err: expect.stringContaining('--node takes AE@IP:PORT (for example PACS@10.0.0.5:104), not "PACS@pacs.local:104".') });
    const nobody = await freePort();
    const refused = await cli(['pacs', 'find', '--node', `PACS@127.0.0.1:${nobody}`, '--timeout', '2']);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(new RegExp(`^lesiontrack: The PACS PACS at 127\\.0\\.0\\.1:${nobody} could not be reached: `));
  });
});
