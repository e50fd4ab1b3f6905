// The ground truth as the oracle: a synthetic trial read through the
// services (every lesion marked and linked as truth.json places it, the
// suggestions accepted) gives exactly the counts truth.json expects, and
// every lesion's status at every visit, counted or not, for both comparator
// settings; every read can then be signed.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organiseDemoStore } from '../../../main/demo/demo-store';
import { generateTrial } from '../../../main/demo/generate';
import { markTruth, signAll } from '../../../main/demo/read-demo';
import { type Workstation, openWorkstation } from '../../../main/workstation';
import { type Client, createClient } from '../../../shared/client';
import type { CountsReport } from '../../../shared/contract';
import type { TrialTruth } from '../../../shared/synthetic/truth';
import { projectRoot } from '../../helpers/fixtures';
import { appStatuses, truthStatuses } from '../../helpers/truth-statuses';

let folder: string;
let workstation: Workstation;
let client: Client;
let truth: TrialTruth;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'lesiontrack-oracle-'));
  await generateTrial({ out: join(folder, 'trial'), subjects: 3, seed: 'oracle', workerFile: join(projectRoot, 'dist', 'main', 'demo-worker.js') });
  truth = JSON.parse(readFileSync(join(folder, 'trial', 'truth.json'), 'utf8')) as TrialTruth;
  workstation = openWorkstation({ dbPath: join(folder, 'store.sqlite'), actor: 'oracle', rendererDir: folder });
  client = createClient((name, payload) => workstation.dispatch(name, payload));
  await organiseDemoStore(client, truth, join(folder, 'trial'));
  await markTruth(client, truth);
});

afterAll(() => {
  workstation?.close();
  rmSync(folder, { recursive: true, force: true });
});

async function compare(report: CountsReport, comparator: 'previous' | 'baseline') {
  const setup = await client.trialSetup({});
  for (const participant of truth.participants) {
    const participantId = setup.participants.find((item) => item.subjectCode === participant.subject)!.id;
    const lesions = await client.listLesions({ participantId });
    expect(appStatuses(lesions, truth.visits.map((visit) => visit.code)), `${participant.subject} statuses (${comparator})`).toEqual(truthStatuses(participant, comparator));
    const counted = report.participants.find((item) => item.subjectCode === participant.subject)!;
    for (const row of participant.counts[comparator]) {
      const cell = counted.cells.find((item) => item.visitCode === row.visit && item.region === row.region)!;
      expect([cell.new, cell.enlarging, cell.newOrEnlarging], `${participant.subject} ${row.visit} ${row.region} (${comparator})`).toEqual([row.new, row.enlarging, row.newOrEnlarging]);
      expect(cell.comparatorVisit).toBe(row.comparatorVisit);
    }
    expect(counted.endpointTotal, `${participant.subject} endpoint (${comparator})`).toBe(participant.endpoint[comparator]);
  }
  expect(report.trialTotal).toBe(truth.totals.endpoint[comparator]);
}

describe('reading the synthetic trial by its truth', () => {
  it('gives the expected counts and statuses with the previous scan as comparator', async () => {
    await compare(await client.counts({}), 'previous');
  });

  it('gives the expected counts and statuses with the baseline as comparator, once the charter says so', async () => {
    const charter = await client.charter({});
    await client.saveCharter({ charter: { ...charter, id: 'oracle-baseline', comparator: 'baseline' }, reason: 'the alternative setting' });
    await compare(await client.counts({}), 'baseline');
    await client.saveCharter({ charter, reason: 'back to the default' });
    await compare(await client.counts({}), 'previous');
  });

  it('signs every read with the demo reader, and a signed read refuses changes', async () => {
    expect(await signAll(client, truth)).toBe(truth.participants.length * truth.visits.length * truth.regions.length);
    const lesion = (await client.listLesions({ participantId: (await client.trialSetup({})).participants[0]!.id }))[0]!;
    const change = await workstation.dispatch('recordObservation', { lesionId: lesion.id, visitCode: 'W12', finding: { kind: 'not_evaluable' } });
    expect(change).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('leaves an audit trail an auditor can filter by participant, reader and date', async () => {
    const setup = await client.trialSetup({});
    const first = setup.participants[0]!;
    const all = await client.auditTrail({ limit: 5000 });
    expect(all.chain).toEqual({ ok: true, entries: all.entries.length, firstBrokenSeq: null, problem: null });
    const mine = await client.auditTrail({ participantId: first.id, limit: 5000 });
    expect(mine.entries.length).toBeGreaterThan(0);
    const lesionIds = new Set((await client.listLesions({ participantId: first.id })).map((lesion) => String(lesion.id)));
    for (const entry of mine.entries) {
      const belongs =
        (entry.entity === 'participant' && entry.entityId === String(first.id)) ||
        (entry.entity === 'read' && entry.entityId!.startsWith(`${first.id}/`)) ||
        (entry.entity === 'lesion' && lesionIds.has(entry.entityId!)) ||
        (entry.entity === 'observation' && lesionIds.has(entry.entityId!.split('@')[0]!));
      expect(belongs, JSON.stringify(entry).slice(0, 200)).toBe(true);
    }
    expect(mine.entries.some((entry) => entry.action === 'read.sign')).toBe(true);
    const reader = all.actors.find((actor) => actor.includes('Demo reader'))!;
    const signedBy = await client.auditTrail({ actor: reader, limit: 5000 });
    expect(signedBy.entries.length).toBeGreaterThan(0);
    expect(signedBy.entries.every((entry) => entry.actor === reader)).toBe(true);
    // The dates the entries were written on, not the clock now: a run across midnight spans two days.
    const days = all.entries.map((entry) => entry.at.slice(0, 10)).sort();
    expect((await client.auditTrail({ from: days[0], to: days.at(-1), limit: 5000 })).entries).toHaveLength(all.entries.length);
    expect((await client.auditTrail({ to: '2020-01-01' })).entries).toHaveLength(0);
    // Newest first.
    expect(all.entries[0]!.seq).toBeGreaterThan(all.entries.at(-1)!.seq);
  });
});
