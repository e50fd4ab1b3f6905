import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createClient, ApiRequestError } from '../../../shared/client';
import { requestNames } from '../../../shared/contract';
import { openWorkstation } from '../../../main/workstation';
import { geSeries, tempFolder } from '../../helpers/fixtures';

/** A refusal in words: sentences about fields, never a schema path (a.b.1) or zod's own text. */
export const WORDED_REFUSAL = /^(?!.*(\w\.\d|\w\.\w+:|expected|received|Invalid (input|option|string)|Too (small|big)|Unrecognized key)).*[.)]$/s;

function workstation(host = {}) {
  const folder = tempFolder();
  return openWorkstation({ dbPath: join(folder, 'store.sqlite'), actor: 'tester', rendererDir: folder, host });
}

describe('dispatch', () => {
  it('refuses unknown requests and prototype names', async () => {
    const ws = workstation();
    for (const name of ['nope', '__proto__', 'constructor', 'toString', 42, null]) {
      const envelope = await ws.dispatch(name, {});
      expect(envelope).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    }
    ws.close();
  });

  it('refuses missing, mistyped, extra and oversized fields of every request without running it', async () => {
    const ws = workstation();
    const bad: Record<string, unknown[]> = {
      importFolder: [undefined, null, {}, { folder: 7 }, { folder: '' }, { folder: 'x'.repeat(5000) }, { folder: '/tmp', extra: 1 }, []],
      seriesImages: [{}, { seriesId: '1' }, { seriesId: 0 }, { seriesId: 1.5 }, { seriesId: -3 }, { seriesId: 2 ** 60 }],
      listSeries: [null, { a: 1 }, 'text'],
      chooseFolder: [42, { folder: '/' }],
      workspace: [{ demo: true }],
      openDemoTrial: [{ subjects: 100 }, 'yes'],
      leaveDemoTrial: [[]],
      alignment: [{ currentSeriesId: 1 }, { currentSeriesId: 1, comparatorSeriesId: 'b' }],
      saveAlignment: [{ currentSeriesId: 1, comparatorSeriesId: 2, transform: { rotationDeg: [0, 0], translationMm: [0, 0, 0], centreMm: [0, 0, 0] } }, { currentSeriesId: 1, comparatorSeriesId: 2, transform: { rotationDeg: [0, 0, 0], translationMm: [0, 0, 1e6], centreMm: [0, 0, 0] } }],
      autoAlign: [{ currentSeriesId: 1, comparatorSeriesId: 2, extra: true }],
      exportFiles: [
        { format: 'pdf', reads: 'signed' },
        { format: 'odm' },
        { format: 'odm', signedOnly: true },
        { format: 'redcap', reads: 'final' },
        { format: 'redcap', reads: 'signed', redcapMapping: { fields: { brain_new: 'Brain New' } } },
        { format: 'redcap', reads: 'signed', redcapMapping: { events: { W12: 'w12' }, extra: {} } },
      ],
      seriesReferences: [{}, { seriesId: 'one' }, { seriesId: 0 }],
      auditTrail: [{ from: '2026-1-1' }, { limit: 0 }, { participantId: 'one' }, { actor: 'x'.repeat(201) }],
      trialSetup: [{ x: 1 }],
      saveParticipant: [{}, { subjectCode: '001' }, { subjectCode: '', baselineDate: '2024-01-01' }, { subjectCode: '001', baselineDate: '2024-1-1' }, { subjectCode: 'x'.repeat(33), baselineDate: '2024-01-01' }, { subjectCode: '001; DROP TABLE', baselineDate: '2024-01-01' }],
      linkPatient: [{ patientRef: 1 }, { patientRef: 1, participantId: 'p' }],
      saveProtocol: [{}, { schedule: { visits: [], toleranceDays: 14 }, rules: { regions: [], sequences: [], ignorePattern: '' } }],
      listAssignments: [[1]],
      assignStudy: [{ studyId: 1 }, { studyId: 1, visitCode: 'w12 ' }, { studyId: 1, visitCode: 'W12', reason: 'r'.repeat(501) }],
      assignSeries: [{ seriesId: 1, region: 'liver', sequence: 'T2' }, { seriesId: 1, region: 'brain' }],
      worklist: [null],
      startImport: [{}, { folder: 3 }],
      importStatus: [{ jobId: 'not-a-uuid' }, {}],
      cancelImport: [{ jobId: 42 }],
      listLesions: [{}, { participantId: 'x' }],
      createLesion: [{ participantId: 1, region: 'brain' }, { participantId: 1, region: 'brain', observation: { visitCode: 'W12', finding: { kind: 'measured' } } }, { participantId: 1, region: 'brain', observation: { visitCode: 'W12', finding: { kind: 'measured', longestDiameterMm: -1 } } }, { participantId: 1, region: 'brain', observation: { visitCode: 'W12', finding: { kind: 'grew' } } }],
      recordObservation: [{ lesionId: 1, visitCode: 'W12', finding: { kind: 'measured', longestDiameterMm: 1e9 } }, { lesionId: 1, visitCode: 'W12', finding: { kind: 'resolved' }, levels: { upper: 'C0', lower: 'C2' } }, { lesionId: 1, visitCode: 'W12', finding: { kind: 'resolved' }, marks: { centre: [1, 2] } }],
      overrideStatus: [{ lesionId: 1, visitCode: 'W12', status: 'new' }, { lesionId: 1, visitCode: 'W12', status: 'bigger', reason: 'x' }],
      counts: [{ participantId: 0 }],
      charter: [{ id: 'x' }],
      listReaders: [{ all: true }],
      createReader: [{ name: 'A', role: 'reader', secret: 'short' }, { name: '', role: 'reader', secret: 'long enough' }, { name: 'A', role: 'boss', secret: 'long enough' }],
      chooseReader: [{ readerId: 1 }, { readerId: 1, secret: 'x'.repeat(300) }],
      signRead: [{ participantId: 1, visitCode: 'W12', region: 'brain' }, { participantId: 1, visitCode: 'W12', region: 'liver', secret: 's' }],
      unlockRead: [{ participantId: 1, visitCode: 'W12', region: 'brain', secret: 's' }, { participantId: 1, visitCode: 'W12', region: 'brain', secret: 's', reason: '   ' }],
      signatures: [{ participantId: 1 }],
      readReadiness: [{ participantId: 1, visitCode: 'W12' }, { participantId: 1, visitCode: 'W12', region: 'brain', secret: 's' }],
      sessionSettings: [{ idleMinutes: 5 }],
      saveSessionSettings: [{ settings: { idleMinutes: 5 } }, { settings: { idleMinutes: 0 }, reason: 'r' }, { settings: { idleMinutes: 2.5 }, reason: 'r' }, { settings: { idleMinutes: 500 }, reason: 'r' }],
      saveCharter: [{ charter: { id: 'x' } }, { charter: { id: 'x', comparator: 'first', minimumSizeMm: 3, enlargingRelative: 0.5, enlargingAbsoluteMm: 3, enlargingRule: 'both' } }],
    };
    expect(Object.keys(bad).sort()).toEqual([...requestNames].sort());
    for (const [name, payloads] of Object.entries(bad)) {
      for (const payload of payloads) {
        const envelope = await ws.dispatch(name, payload);
        expect(envelope.ok, `${name} ${JSON.stringify(payload)}`).toBe(false);
        if (!envelope.ok) expect(envelope.error.message, `${name} ${JSON.stringify(payload)}`).toMatch(WORDED_REFUSAL);
      }
    }
    expect(ws.db.prepare('SELECT count(*) FROM imports').pluck().get()).toBe(0);
    ws.close();
  });

  it('answers with readable errors for a folder that is not there, not absolute, or a file', async () => {
    const ws = workstation();
    const client = createClient((name, payload) => ws.dispatch(name, payload));
    await expect(client.importFolder({ folder: '/no/such/folder' })).rejects.toMatchObject({ code: 'not_found', message: 'Folder not found: /no/such/folder' });
    await expect(client.importFolder({ folder: 'relative/path' })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(client.importFolder({ folder: join(geSeries, 'brain_001.dcm') })).rejects.toMatchObject({ code: 'invalid_request', message: /^Not a folder/ });
    await expect(client.seriesImages({ seriesId: 999 })).rejects.toBeInstanceOf(ApiRequestError);
    ws.close();
  });

  it('runs a valid request through the typed client', async () => {
    const ws = workstation();
    const client = createClient((name, payload) => ws.dispatch(name, payload));
    const summary = await client.importFolder({ folder: geSeries });
    expect(summary.instancesAdded).toBe(20);
    const [series] = await client.listSeries({});
    const { images } = await client.seriesImages({ seriesId: series!.id });
    expect(images).toHaveLength(20);
    expect(await client.chooseFolder({})).toEqual({ supported: false, folder: null });
    ws.close();
  });

  it('uses the host folder dialog where there is one', async () => {
    const ws = workstation({ chooseFolder: async () => '/media/cdrom' });
    expect(await ws.dispatch('chooseFolder', {})).toEqual({ ok: true, value: { supported: true, folder: '/media/cdrom' } });
    ws.close();
  });

  it('hides internal errors behind a plain message and logs only their kind', async () => {
    const lines: string[] = [];
    const folder = tempFolder();
    const ws = openWorkstation({ dbPath: join(folder, 'store.sqlite'), actor: 'tester', rendererDir: folder, log: (line) => lines.push(line) });
    ws.db.close(); // every query now fails
    const envelope = await ws.dispatch('listSeries', {});
    expect(envelope).toEqual({ ok: false, error: { code: 'failed', message: 'listSeries failed: internal error.' } });
    expect(lines).toEqual(['listSeries failed: TypeError']);
  });
});
