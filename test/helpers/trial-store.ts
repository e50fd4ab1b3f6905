// A store with real images to read: one synthetic participant (brain, spinal
// cord and optic nerves at W0, W12, W24 and W52) generated once per test file,
// imported and organised through the contract as the demo trial is, and a
// reader profile chosen. For tests of reads, where signing needs images.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { organiseDemoStore } from '../../main/demo/demo-store';
import { TRUTH_FILE } from '../../main/demo/generate';
import { openWorkstation, type Workstation, type WorkstationOptions } from '../../main/workstation';
import { type Client, createClient } from '../../shared/client';
import type { TrialTruth } from '../../shared/synthetic/truth';
import { REGIONS } from '../../shared/protocol';
import { tempFolder } from './fixtures';
import { provideTrial } from './trial-cache';

export const READER_SECRET = 'correct horse battery';

let generated: Promise<{ folder: string; truth: TrialTruth }> | null = null;
let scratch: string | null = null;

/** The synthetic participant's files, written on first use and kept for the rest of the file's tests. */
function syntheticTrial() {
  generated ??= (async () => {
    scratch = mkdtempSync(join(tmpdir(), 'lesiontrack-trial-'));
    const folder = join(scratch, 'dicom');
    await provideTrial(folder, 1, 'signed-reads');
    return { folder, truth: JSON.parse(readFileSync(join(folder, TRUTH_FILE), 'utf8')) as TrialTruth };
  })();
  return generated;
}
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  generated = null;
  scratch = null;
});

export interface TrialStore {
  ws: Workstation;
  client: Client;
  dbPath: string;
  participantId: number;
  readerId: number;
  truth: TrialTruth;
  /** The generated DICOM files (truth.json's folders are relative to it). */
  trialFolder: string;
}

/** Imports and organises the synthetic participant into the store the client reaches. */
export async function organiseSyntheticParticipant(client: Client): Promise<{ folder: string; truth: TrialTruth }> {
  const trial = await syntheticTrial();
  await organiseDemoStore(client, trial.truth, trial.folder);
  return trial;
}

/** A new store holding the synthetic participant, with "Dr Reader" chosen. */
export async function trialStore(options: Partial<WorkstationOptions> = {}): Promise<TrialStore> {
  const dbPath = options.dbPath ?? join(tempFolder(), 'store.sqlite');
  const ws = openWorkstation({ actor: 'local:test', rendererDir: tempFolder(), ...options, dbPath });
  const client = createClient((name, payload) => ws.dispatch(name, payload));
  const { folder, truth } = await organiseSyntheticParticipant(client);
  const reader = await client.createReader({ name: 'Dr Reader', role: 'reader', secret: READER_SECRET });
  await client.chooseReader({ readerId: reader.id, secret: READER_SECRET });
  const participantId = (await client.trialSetup({})).participants[0]!.id;
  return { ws, client, dbPath, participantId, readerId: reader.id, truth, trialFolder: folder };
}

const VISITS = ['W0', 'W12', 'W24', 'W52'];
const measured = (longestDiameterMm: number) => ({ kind: 'measured' as const, longestDiameterMm });

/** Signs every read of the chosen reader's track not signed yet, in visit order, after measuring each lesion they have at every later visit. */
export async function signWholeTrack(client: Client, participantId: number) {
  for (const visitCode of VISITS) {
    for (const lesion of await client.listLesions({ participantId })) {
      if (!lesion.observations.some((observation) => observation.visitCode === visitCode) && lesion.observations.some((observation) => VISITS.indexOf(observation.visitCode) < VISITS.indexOf(visitCode))) {
        await client.recordObservation({ lesionId: lesion.id, visitCode, finding: measured(lesion.observations[0]!.finding.kind === 'measured' ? lesion.observations[0]!.finding.longestDiameterMm : 5) });
      }
    }
    for (const region of REGIONS) {
      const signed = (await client.signatures({ participantId, visitCode, region })).some((signature) => signature.supersededAt === null);
      if (!signed) await client.signRead({ participantId, visitCode, region, secret: READER_SECRET });
    }
  }
}
