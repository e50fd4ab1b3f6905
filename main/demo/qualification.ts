// The qualification demo: a set recorded in its own store
// (main/qualification/sets.ts) and imported as the demo trial is, read by a scripted reader through the services a reader
// uses (marked, linked, signed), then scored against truth.json by
// shared/qualification-score.ts with the charter and qualification rule in
// force, the reader's lesions and statuses as the store answers them.
import type { Client } from '../../shared/client';
import { scheduledSlot } from '../../shared/counting';
import { type QualificationScore, type ReaderLesion, scoreQualification, type TruthLesion } from '../../shared/qualification-score';
import { qualificationReaderScript } from '../../shared/synthetic/qualification-reader';
import type { TrialTruth } from '../../shared/synthetic/truth';
import { REGIONS } from '../../shared/protocol';
import { markTruth, signAll } from './read-demo';

/** The scripted reader overlooks `miss` truth lesions where they first appear and adds `extra` false ones, then signs every read. */
export async function readQualificationSet(client: Client, truth: TrialTruth, miss: number, extra: number): Promise<number> {
  await markTruth(client, truth, { script: qualificationReaderScript(truth, miss, extra) });
  return signAll(client, truth);
}

/** The demo reader's read of the set, scored against truth. */
export async function scoreQualificationRead(client: Client, truth: TrialTruth): Promise<QualificationScore> {
  const [setup, charter, rule] = await Promise.all([client.trialSetup({}), client.charter({}), client.qualificationRule({})]);
  const reader: ReaderLesion[] = [];
  for (const participant of setup.participants.filter((item) => truth.participants.some((known) => known.subject === item.subjectCode))) {
    for (const lesion of await client.listLesions({ participantId: participant.id })) {
      reader.push({
        id: String(lesion.id),
        subject: participant.subjectCode,
        region: lesion.region,
        observations: lesion.observations.map((observation) => ({
          visitCode: observation.visitCode,
          seen: observation.finding.kind === 'measured',
          centre: observation.marks?.centre ?? null,
          status: observation.finalStatus,
          counted: observation.counted,
          comparatorVisit: observation.suggestion?.comparatorVisit ?? null,
        })),
      });
    }
  }
  const truthLesions: TruthLesion[] = truth.participants.flatMap((participant) =>
    participant.lesions.map((lesion) => ({
      id: lesion.id,
      subject: participant.subject,
      region: lesion.region,
      observations: lesion.visits.filter((visit) => visit.present).map((visit) => ({ visitCode: visit.visit, centre: visit.location.patientMm, longestDiameterMm: visit.longestDiameterMm })),
    })),
  );
  return scoreQualification({
    subjects: truth.participants.map((participant) => participant.subject),
    regions: REGIONS,
    visits: setup.schedule.visits.map(scheduledSlot),
    charter,
    rule,
    truth: truthLesions,
    reader,
  });
}
