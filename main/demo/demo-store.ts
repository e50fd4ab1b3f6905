// The demo trial: synthetic DICOM generated once into the data folder and
// imported into a store of its own, so that demo participants never mix
// with a real trial's data. Set up through the contract, like a reader would
// (participants, import, patient links), so the audit trail tells the story.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Client } from '../../shared/client';
import { type TrialTruth, TRUTH_VERSION } from '../../shared/synthetic/truth';
import { DEFAULT_SEED, generateTrial, TRUTH_FILE } from './generate';

/** Enough participants to show a worklist, few enough to generate in seconds. */
export const DEMO_SUBJECTS = 6;

export interface DemoPaths {
  trialFolder: string;
  dbPath: string;
}

/** The demo lives beside the store in use, in a folder of its own. */
export function demoPaths(dbPath: string): DemoPaths {
  const folder = join(dirname(dbPath), 'demo-trial');
  return { trialFolder: join(folder, 'dicom'), dbPath: join(folder, 'demo.sqlite') };
}

const readTruth = (truthPath: string) => JSON.parse(readFileSync(truthPath, 'utf8')) as TrialTruth;

/**
 * Generates the demo DICOM unless a complete one of this version is there (truth.json is written last).
 * An older version is written again: the same seed gives the same files for the series it had, and the new ones.
 */
export async function ensureDemoFiles(paths: DemoPaths, workerFile: string | undefined): Promise<TrialTruth> {
  const truthPath = join(paths.trialFolder, TRUTH_FILE);
  if (!existsSync(truthPath) || readTruth(truthPath).version !== TRUTH_VERSION) await generateTrial({ out: paths.trialFolder, subjects: DEMO_SUBJECTS, seed: DEFAULT_SEED, workerFile });
  return readTruth(truthPath);
}

/** YYYYMMDD (DICOM DA) as YYYY-MM-DD. */
function isoDate(dicomDate: string): string {
  return `${dicomDate.slice(0, 4)}-${dicomDate.slice(4, 6)}-${dicomDate.slice(6, 8)}`;
}

/** Participants with their week-0 dates, the import, and the PatientID mapping; repeatable. */
export async function organiseDemoStore(client: Client, truth: TrialTruth, trialFolder: string): Promise<void> {
  const before = await client.trialSetup({});
  for (const participant of truth.participants) {
    if (before.participants.some((existing) => existing.subjectCode === participant.subject)) continue;
    const baseline = participant.studies.find((study) => study.week === 0) ?? participant.studies[0]!;
    await client.saveParticipant({ subjectCode: participant.subject, baselineDate: isoDate(baseline.studyDate) });
  }
  await client.importFolder({ folder: trialFolder });
  const after = await client.trialSetup({});
  for (const patient of after.patients) {
    const subject = truth.participants.find((participant) => participant.patientId === patient.patientId)?.subject;
    const participantId = after.participants.find((participant) => participant.subjectCode === subject)?.id;
    if (participantId !== undefined && patient.participantId !== participantId) await client.linkPatient({ patientRef: patient.id, participantId });
  }
}
