// The worklist's reads on a real store: state, reader, last change and count
// as marks, signatures and an unlock happen.
import { describe, expect, it } from 'vitest';
import type { Region } from '../../../shared/contract';
import { READER_SECRET as SECRET, trialStore } from '../../helpers/trial-store';

const measured = (longestDiameterMm: number) => ({ kind: 'measured' as const, longestDiameterMm });

describe('the worklist of reads', () => {
  it('shows each read’s state, who changed it last and when, and its new-or-enlarging count', async () => {
    const { ws, client, participantId } = await trialStore();
    const cell = async (visitCode: string, region: Region) => (await client.worklist({})).rows[0]!.cells.find((item) => item.visitCode === visitCode && item.region === region)!;
    const read = (visitCode: string, region: Region) => ({ participantId, visitCode, region });

    // Images, nothing recorded: not started, no one, a zero count (the region was scanned).
    expect(await cell('W12', 'brain')).toMatchObject({ status: 'present', readStatus: 'not_started', readState: 'not_started', reader: null, changedAt: null, newOrEnlarging: 0 });

    // A new lesion at W12 while W0 is unsigned: in progress, waiting for the comparator.
    const { lesion } = await client.createLesion({ participantId, region: 'brain', observation: { visitCode: 'W12', finding: measured(5) } });
    const markedAt = lesion.observations[0]!.recordedAt;
    expect(await cell('W12', 'brain')).toMatchObject({
      readStatus: 'in_progress',
      readState: 'in_progress',
      reader: 'Dr Reader',
      changedAt: markedAt,
      newOrEnlarging: 1,
      problems: ['Sign the W0 read first: the statuses of this read are measured against it.'],
    });

    // W0 signed with nothing in it: signed by Dr Reader; W12 now has nothing before its signature.
    const baseline = await client.signRead({ ...read('W0', 'brain'), secret: SECRET });
    expect(await cell('W0', 'brain')).toMatchObject({ readStatus: 'signed', readState: 'signed', reader: 'Dr Reader', changedAt: baseline.signedAt, newOrEnlarging: 0, problems: [] });
    expect(await cell('W12', 'brain')).toMatchObject({ readState: 'awaiting_signature', reader: 'Dr Reader', changedAt: markedAt, problems: [] });

    // A spinal cord lesion known at W0 and not assessed at W12: the reader has a decision to make.
    await client.createLesion({ participantId, region: 'spinal_cord', observation: { visitCode: 'W0', finding: measured(6), levels: { upper: 'C2', lower: 'C3' }, extentReason: 'typed for this test' } });
    await client.signRead({ ...read('W0', 'spinal_cord'), secret: SECRET });
    await client.createLesion({ participantId, region: 'spinal_cord', observation: { visitCode: 'W12', finding: measured(4), levels: { upper: 'C5', lower: 'C5' }, extentReason: 'typed for this test' } });
    expect(await cell('W12', 'spinal_cord')).toMatchObject({
      readState: 'needs_decision',
      newOrEnlarging: 1,
      problems: ['S1 (last seen at W0) has no finding at W12: measure it, or mark it resolved or not evaluable.'],
    });

    // Signed, then unlocked: the unlock is the last change, and the read waits for its signature again.
    const signed = await client.signRead({ ...read('W12', 'brain'), secret: SECRET });
    expect(await cell('W12', 'brain')).toMatchObject({ readState: 'signed', changedAt: signed.signedAt, newOrEnlarging: 1, problems: [] });
    const unlocked = await client.unlockRead({ ...read('W12', 'brain'), secret: SECRET, reason: 'remeasure' });
    expect(await cell('W12', 'brain')).toMatchObject({ readStatus: 'unlocked', readState: 'awaiting_signature', reader: 'Dr Reader', changedAt: unlocked.supersededAt });

    // Another reader's signature after the unlock makes them the reader of record; the read is amended, which counts as signed.
    const other = await client.createReader({ name: 'Dr Second', role: 'reader', secret: SECRET });
    await client.chooseReader({ readerId: other.id, secret: SECRET });
    const amended = await client.signRead({ ...read('W12', 'brain'), secret: SECRET });
    expect(await cell('W12', 'brain')).toMatchObject({ readStatus: 'amended', readState: 'signed', reader: 'Dr Second', changedAt: amended.signedAt });
    ws.close();
  });
});
