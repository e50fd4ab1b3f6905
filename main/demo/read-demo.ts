// A reader's pass over a synthetic trial, through the same services as the
// app: every lesion of truth.json marked where it is, linked across visits,
// resolved when it goes, the suggestions accepted, and every read signed by
// a demo reader. It gives the exports something real to export, and tests
// a ground truth to compare the counts with.
import type { Client } from '../../shared/client';
import type { Region } from '../../shared/protocol';
import type { LesionTruth, TrialTruth } from '../../shared/synthetic/truth';

export const DEMO_READER = { name: 'Demo reader', role: 'reader' as const, secret: 'demo-reader-secret' };

function observationOf(lesion: LesionTruth, visit: LesionTruth['visits'][number]) {
  return {
    visitCode: visit.visit,
    finding: { kind: 'measured' as const, longestDiameterMm: visit.longestDiameterMm },
    marks: { centre: [...visit.location.patientMm] as [number, number, number] },
    ...(lesion.region === 'spinal_cord' && visit.cord ? { levels: { upper: visit.cord.upperLevel, lower: visit.cord.lowerLevel } } : {}),
    ...(lesion.region === 'optic_nerve' && visit.optic ? { opticExtent: { beyondHalfLength: visit.optic.moreThanHalfLength, involvesChiasm: visit.optic.involvesChiasm } } : {}),
  };
}

/** Marks and links every lesion of every participant as truth.json places it. */
export async function markTruth(client: Client, truth: TrialTruth): Promise<void> {
  const setup = await client.trialSetup({});
  for (const participant of truth.participants) {
    const participantId = setup.participants.find((item) => item.subjectCode === participant.subject)?.id;
    if (participantId === undefined) throw new Error(`Participant ${participant.subject} is not set up.`);
    for (const lesion of participant.lesions) {
      let lesionId: number | null = null;
      for (const visit of lesion.visits) {
        if (visit.present) {
          const observation = observationOf(lesion, visit);
          if (lesionId === null) {
            const side = lesion.region === 'optic_nerve' ? visit.optic?.side : undefined;
            lesionId = (await client.createLesion({ participantId, region: lesion.region as Region, ...(side ? { side } : {}), observation })).id;
          } else {
            await client.recordObservation({ lesionId, ...observation });
          }
        } else if (lesionId !== null) {
          await client.recordObservation({ lesionId, visitCode: visit.visit, finding: { kind: 'resolved' } });
        }
      }
    }
  }
}

/** Signs every participant x visit x region read with the demo reader. */
export async function signAll(client: Client, truth: TrialTruth): Promise<number> {
  const readers = await client.listReaders({});
  const reader = readers.readers.find((item) => item.name === DEMO_READER.name) ?? (await client.createReader(DEMO_READER));
  await client.chooseReader({ readerId: reader.id, secret: DEMO_READER.secret });
  const setup = await client.trialSetup({});
  let signed = 0;
  for (const participant of setup.participants) {
    if (!truth.participants.some((item) => item.subject === participant.subjectCode)) continue;
    for (const visit of truth.visits) {
      for (const region of truth.regions) {
        await client.signRead({ participantId: participant.id, visitCode: visit.code, region: region as Region, secret: DEMO_READER.secret });
        signed += 1;
      }
    }
  }
  return signed;
}
