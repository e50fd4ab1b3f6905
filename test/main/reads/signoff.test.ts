import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../../shared/client';
import { hashSecret, secretMatches } from '../../../main/readers/readers';
import { verifyAudit } from '../../../main/store/audit';
import { openWorkstation } from '../../../main/workstation';
import { tempFolder } from '../../helpers/fixtures';
import { READER_SECRET as SECRET, trialStore } from '../../helpers/trial-store';

async function setup() {
  const file = join(tempFolder(), 'store.sqlite');
  const ws = openWorkstation({ dbPath: file, actor: 'local:test', rendererDir: tempFolder() });
  const client = createClient((name, payload) => ws.dispatch(name, payload));
  const participant = await client.saveParticipant({ subjectCode: '001', baselineDate: '2024-01-01' });
  const reader = await client.createReader({ name: 'Dr Reader', role: 'reader', secret: SECRET });
  return { ws, client, participant, reader, file };
}

const measured = (longestDiameterMm: number) => ({ kind: 'measured' as const, longestDiameterMm });

describe('reader secrets', () => {
  it('are stored only as salted scrypt hashes', () => {
    const first = hashSecret(SECRET);
    const second = hashSecret(SECRET);
    expect(first).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain(SECRET);
    expect(secretMatches(SECRET, first)).toBe(true);
    expect(secretMatches('wrong horse battery', first)).toBe(false);
    expect(secretMatches(SECRET, 'md5$abc')).toBe(false);
  });

  it('must be given to choose a profile; a wrong one is refused and audited', async () => {
    const { ws, client, reader, file } = await setup();
    await expect(client.chooseReader({ readerId: reader.id, secret: 'not the secret' })).rejects.toMatchObject({ code: 'forbidden', message: 'That secret is not right for this reader.' });
    expect((await client.listReaders({})).current).toBeNull();
    expect(await client.chooseReader({ readerId: reader.id, secret: SECRET })).toEqual(reader);
    expect((await client.listReaders({})).current).toEqual(reader);
    const raw = new Database(file, { readonly: true });
    expect(raw.prepare('SELECT secret_hash FROM readers').pluck().get()).not.toContain(SECRET);
    expect(raw.prepare("SELECT actor || ' ' || action FROM audit WHERE entity = 'reader' ORDER BY seq").pluck().all()).toEqual([
      'local:test reader.create',
      'local:test reader.secret_refused',
      `reader:${reader.id}:Dr Reader reader.choose`,
    ]);
    raw.close();
    ws.close();
  });
});

describe('sign-off', () => {
  it('signs a read with the reader’s secret, locks it, and keeps the signed version after an unlock', async () => {
    const { ws, client, participantId } = await trialStore();
    const baseline = { participantId, visitCode: 'W0', region: 'brain' as const };
    await client.signRead({ ...baseline, secret: SECRET });
    const { lesion: lesion } = await client.createLesion({ participantId, region: 'brain', observation: { visitCode: 'W12', finding: measured(5) } });
    const key = { participantId, visitCode: 'W12', region: 'brain' as const };
    await expect(client.signRead({ ...key, secret: 'wrong secret!' })).rejects.toMatchObject({ code: 'forbidden', message: 'That secret is not right for this reader.' });
    const signature = await client.signRead({ ...key, secret: SECRET });
    expect(signature).toMatchObject({ reader: 'Dr Reader', meaning: 'I confirm this read', charterId: 'default-2026-1', supersededAt: null, contentSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(signature.content).toMatchObject({ version: 4, track: 'single', subjectCode: '001', visitCode: 'W12', region: 'brain', comparatorVisit: 'W0', comparator: [], counts: { new: 1, newOrEnlarging: 1 }, lesions: [{ lesion: 'B1', finalStatus: 'new' }] });
    // The brain read's series: its axial 2D FLAIR and its sagittal 3D FLAIR.
    expect((signature.content as { series: number[] }).series).toHaveLength(2);

    // Locked through every request that could change it.
    await expect(client.recordObservation({ lesionId: lesion.id, visitCode: 'W12', finding: measured(9) })).rejects.toMatchObject({ code: 'conflict', message: /is signed \(by Dr Reader\)\. Unlock it, with a reason/ });
    await expect(client.overrideStatus({ lesionId: lesion.id, visitCode: 'W12', status: 'stable', reason: 'x' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(client.createLesion({ participantId, region: 'brain', observation: { visitCode: 'W12', finding: measured(4) } })).rejects.toMatchObject({ code: 'conflict' });
    // Other reads stay open.
    await client.createLesion({ participantId, region: 'spinal_cord', observation: { visitCode: 'W12', finding: measured(4), levels: { upper: 'C2', lower: 'C3' }, extentReason: 'typed for this test' } });

    const cell = async () => (await client.worklist({})).rows[0]!.cells.find((item) => item.visitCode === 'W12' && item.region === 'brain')!.readStatus;
    expect(await cell()).toBe('signed');
    await expect(client.unlockRead({ ...key, secret: SECRET, reason: '' })).rejects.toMatchObject({ code: 'invalid_request' });
    await client.unlockRead({ ...key, secret: SECRET, reason: 'remeasure after adjudication' });
    expect(await cell()).toBe('unlocked');
    await client.recordObservation({ lesionId: lesion.id, visitCode: 'W12', finding: measured(6), reason: 'remeasured' });
    const amended = await client.signRead({ ...key, secret: SECRET });
    expect(amended.contentSha256).not.toBe(signature.contentSha256);
    expect(await cell()).toBe('amended');
    const history = await client.signatures(key);
    expect(history.map((item) => [item.id, item.supersededReason])).toEqual([
      [signature.id, 'remeasure after adjudication'],
      [amended.id, null],
    ]);
    expect(history[0]!.content).toEqual(signature.content);
    expect(verifyAudit(ws.db).ok).toBe(true);
    ws.close();
  });

  it('needs a chosen reader, and not a data manager', async () => {
    const { ws, client, participant } = await setup();
    const key = { participantId: participant.id, visitCode: 'W12', region: 'brain' as const };
    await expect(client.signRead({ ...key, secret: SECRET })).rejects.toMatchObject({ code: 'conflict', message: 'Choose your reader profile first.' });
    const manager = await client.createReader({ name: 'Data Manager', role: 'data_manager', secret: SECRET });
    await client.chooseReader({ readerId: manager.id, secret: SECRET });
    await expect(client.signRead({ ...key, secret: SECRET })).rejects.toMatchObject({ code: 'forbidden', message: 'Reads are signed by readers and adjudicators.' });
    ws.close();
  });

  it('signs a read with no lesions: "nothing new" is a result too', async () => {
    const { ws, client, participantId } = await trialStore();
    for (const visitCode of ['W0', 'W12']) await client.signRead({ participantId, visitCode, region: 'optic_nerve', secret: SECRET });
    const signature = await client.signRead({ participantId, visitCode: 'W24', region: 'optic_nerve', secret: SECRET });
    expect(signature.content).toMatchObject({ lesions: [], comparator: [], counts: { new: 0, enlarging: 0, newOrEnlarging: 0, comparatorVisit: 'W12' } });
    ws.close();
  });

  it('refuses a read with no images: there is nothing to sign', async () => {
    const { ws, client, participant, reader } = await setup();
    await client.chooseReader({ readerId: reader.id, secret: SECRET });
    const key = { participantId: participant.id, visitCode: 'W24', region: 'optic_nerve' as const };
    await expect(client.signRead({ ...key, secret: SECRET })).rejects.toMatchObject({ code: 'conflict', message: 'The 001 W24 optic nerve read cannot be signed yet: There are no optic nerve images of 001 at W24: there is nothing to sign.' });
    expect(await client.readReadiness(key)).toMatchObject({ ready: false, problems: [{ kind: 'no_images', lesionId: null }] });
    ws.close();
  });
});
