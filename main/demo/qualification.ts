// The qualification demo: a set recorded in its own store
// (main/qualification/sets.ts) and imported as the demo trial is, read by a
// scripted reader through the services a reader uses (marked, linked,
// signed), then scored by main (the qualificationScore request) for a demo
// data manager, against the truth main designs again from the set's seed.
import type { Client } from '../../shared/client';
import type { QualificationScore } from '../../shared/qualification-score';
import { qualificationReaderScript } from '../../shared/synthetic/qualification-reader';
import type { TrialTruth } from '../../shared/synthetic/truth';
import { chooseDemoReader, markTruth, signAll } from './read-demo';

/** The data manager who asks for the score: the score shows the truth, so the reader does not get it. */
export const DEMO_DATA_MANAGER = { name: 'Demo data manager', role: 'data_manager' as const, secret: 'demo-data-manager-secret' };

/** The scripted reader overlooks `miss` truth lesions where they first appear and adds `extra` false ones, then signs every read. */
export async function readQualificationSet(client: Client, truth: TrialTruth, miss: number, extra: number): Promise<number> {
  await markTruth(client, truth, { script: qualificationReaderScript(truth, miss, extra) });
  return signAll(client, truth);
}

/** The set's read scored by main, asked as the demo data manager. */
export async function scoreQualificationRead(client: Client): Promise<QualificationScore> {
  await chooseDemoReader(client, DEMO_DATA_MANAGER);
  return client.qualificationScore({});
}
