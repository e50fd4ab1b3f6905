// A reader's pass over a synthetic trial, through the same services as the
// app: every lesion of truth.json marked where it is, linked across visits,
// recorded as resolved at the visit it goes (and not after: there is nothing
// left to see), the suggestions accepted, and every read signed by
// a demo reader. It gives the exports something real to export, and tests
// a ground truth to compare the counts with.
import type { Client } from '../../shared/client';
import type { ReaderRole, SeriesImage } from '../../shared/contract';
import type { Region } from '../../shared/protocol';
import { imageAxes } from '../../shared/slice-sync';
import type { LesionTruth, SecondReaderScript, TrialTruth } from '../../shared/synthetic/truth';
import { add, scale, type Vec3 } from '../../shared/vector';

interface DemoProfile {
  name: string;
  role: ReaderRole;
  secret: string;
}

export const DEMO_READER: DemoProfile = { name: 'Demo reader', role: 'reader', secret: 'demo-reader-secret' };
/** The double-read demo's other reader and its adjudicator. */
export const DEMO_SECOND_READER: DemoProfile = { name: 'Demo reader 2', role: 'reader', secret: 'demo-reader-2-secret' };
export const DEMO_ADJUDICATOR: DemoProfile = { name: 'Demo adjudicator', role: 'adjudicator', secret: 'demo-adjudicator-secret' };

type LesionVisit = LesionTruth['visits'][number];

/** Why the demo reader's cord levels are typed, as every typed level needs a reason. */
export const DEMO_LEVELS_REASON = 'demo reader: levels from the synthetic truth';

/** The image a lesion is on, found by the UIDs truth.json names, with its geometry. */
type ImageFinder = (location: LesionVisit['location']) => Promise<{ seriesId: number; instanceId: number; image: SeriesImage }>;

function imageFinder(client: Client): ImageFinder {
  const series = new Map<string, Promise<Map<string, { seriesId: number; instanceId: number; image: SeriesImage }>>>();
  let catalogue: Promise<Map<string, number>> | null = null;
  const load = async (seriesUid: string) => {
    catalogue ??= client.listSeries({}).then((all) => new Map(all.map((item) => [item.seriesUid, item.id])));
    const seriesId = (await catalogue).get(seriesUid);
    if (seriesId === undefined) throw new Error(`Series ${seriesUid} of truth.json is not in the store.`);
    const [references, images] = await Promise.all([client.seriesReferences({ seriesId }), client.seriesImages({ seriesId })]);
    const byInstance = new Map(images.images.map((image) => [image.instanceId, image]));
    return new Map(references.instances.map((instance) => [instance.sopInstanceUid, { seriesId, instanceId: instance.instanceId, image: byInstance.get(instance.instanceId)! }]));
  };
  return async (location) => {
    if (!series.has(location.seriesInstanceUid)) series.set(location.seriesInstanceUid, load(location.seriesInstanceUid));
    const found = (await series.get(location.seriesInstanceUid)!).get(location.sopInstanceUid);
    if (!found) throw new Error(`Instance ${location.sopInstanceUid} of truth.json is not in the store.`);
    return found;
  };
}

/** As a reader marks it: on the image it is on, a drag across its longest diameter (head to foot in the cord, else along the rows). */
async function observationOf(lesion: LesionTruth, visit: LesionVisit, findImage: ImageFinder) {
  const { seriesId, instanceId, image } = await findImage(visit.location);
  const centre = [...visit.location.patientMm] as [number, number, number];
  const axes = image.orientation ? imageAxes(image.orientation) : null;
  const along: Vec3 = (lesion.region === 'spinal_cord' ? axes?.column : axes?.row) ?? [1, 0, 0];
  const half = scale(along, visit.longestDiameterMm / 2);
  return {
    visitCode: visit.visit,
    finding: { kind: 'measured' as const, longestDiameterMm: visit.longestDiameterMm },
    image: { seriesId, instanceId, frame: 1 },
    marks: { centre, diameter: [[...add(centre, scale(half, -1))], [...add(centre, half)]] as [[number, number, number], [number, number, number]] },
    // The demo reader types the levels truth.json gives (a reader would click the lesion's ends): an override, with its reason.
    ...(lesion.region === 'spinal_cord' && visit.cord ? { levels: { upper: visit.cord.upperLevel, lower: visit.cord.lowerLevel }, extentReason: DEMO_LEVELS_REASON } : {}),
    ...(lesion.region === 'optic_nerve' && visit.optic ? { opticExtent: { beyondHalfLength: visit.optic.moreThanHalfLength, involvesChiasm: visit.optic.involvesChiasm } } : {}),
  };
}

/** A demo profile (the demo reader unless named), made on first use, chosen as a reader is at the start of a session. */
export async function chooseDemoReader(client: Client, profile: DemoProfile = DEMO_READER): Promise<void> {
  const readers = await client.listReaders({});
  const reader = readers.readers.find((item) => item.name === profile.name) ?? (await client.createReader(profile));
  await client.chooseReader({ readerId: reader.id, secret: profile.secret });
}

/** Marks and links every lesion of every participant as truth.json places it, as a demo reader; the script's second reader misses and adds what it says. */
export async function markTruth(client: Client, truth: TrialTruth, { profile = DEMO_READER, script }: { profile?: DemoProfile; script?: SecondReaderScript } = {}): Promise<void> {
  await chooseDemoReader(client, profile);
  const setup = await client.trialSetup({});
  const findImage = imageFinder(client);
  for (const participant of truth.participants) {
    const participantId = setup.participants.find((item) => item.subjectCode === participant.subject)?.id;
    if (participantId === undefined) throw new Error(`Participant ${participant.subject} is not set up.`);
    const ofParticipant = (items: { subject: string; lesionId: string }[] | undefined) => new Set(items?.filter((item) => item.subject === participant.subject).map((item) => item.lesionId));
    const missed = ofParticipant(script?.missed);
    const missedAtFirstSight = ofParticipant(script?.missedAtFirstSight);
    for (const lesion of participant.lesions.filter((item) => !missed.has(item.id))) {
      const firstSight = lesion.visits.find((visit) => visit.present)?.visit;
      let lesionId: number | null = null;
      let seenAtPreviousVisit = false;
      for (const visit of lesion.visits) {
        const overlooked = missedAtFirstSight.has(lesion.id) && visit.visit === firstSight;
        if (visit.present && !overlooked) {
          const observation = await observationOf(lesion, visit, findImage);
          if (lesionId === null) {
            const side = lesion.region === 'optic_nerve' ? visit.optic?.side : undefined;
            lesionId = (await client.createLesion({ participantId, region: lesion.region as Region, ...(side ? { side } : {}), observation })).lesion.id;
          } else {
            await client.recordObservation({ lesionId, ...observation });
          }
        } else if (seenAtPreviousVisit && lesionId !== null) {
          await client.recordObservation({ lesionId, visitCode: visit.visit, finding: { kind: 'resolved' } });
        }
        seenAtPreviousVisit = visit.present;
      }
    }
    for (const added of script?.added.filter((item) => item.subject === participant.subject) ?? []) await markFalseLesion(client, participantId, participant.lesions, added, findImage);
  }
}

/** A lesion that is not there: marked new on the image of a truth lesion, beside it, and seen the same at every later visit. */
async function markFalseLesion(client: Client, participantId: number, lesions: readonly LesionTruth[], added: SecondReaderScript['added'][number], findImage: ImageFinder): Promise<void> {
  const borrowed = lesions.find((lesion) => lesion.id === added.onImageOfLesion)?.visits.find((visit) => visit.visit === added.visit);
  if (!borrowed) throw new Error(`The script puts a false lesion on the image of ${added.onImageOfLesion} at ${added.visit}, which truth.json does not have.`);
  const { seriesId, instanceId, image } = await findImage(borrowed.location);
  const row = image.orientation ? imageAxes(image.orientation).row : ([1, 0, 0] as Vec3);
  const centre = add(borrowed.location.patientMm, scale(row, added.offsetMm));
  const half = scale(row, added.longestDiameterMm / 2);
  const finding = { kind: 'measured' as const, longestDiameterMm: added.longestDiameterMm };
  const created = await client.createLesion({
    participantId,
    region: added.region,
    observation: { visitCode: added.visit, finding, image: { seriesId, instanceId, frame: 1 }, marks: { centre: [...centre], diameter: [[...add(centre, scale(half, -1))], [...add(centre, half)]] } },
  });
  const schedule = (await client.trialSetup({})).schedule.visits.map((visit) => visit.code);
  for (const visitCode of schedule.slice(schedule.indexOf(added.visit) + 1)) await client.recordObservation({ lesionId: created.lesion.id, visitCode, finding });
}

/** Signs every participant x visit x region read as a demo reader. */
export async function signAll(client: Client, truth: TrialTruth, profile: DemoProfile = DEMO_READER): Promise<number> {
  await chooseDemoReader(client, profile);
  const setup = await client.trialSetup({});
  let signed = 0;
  for (const participant of setup.participants) {
    if (!truth.participants.some((item) => item.subject === participant.subjectCode)) continue;
    for (const visit of truth.visits) {
      for (const region of truth.regions) {
        await client.signRead({ participantId: participant.id, visitCode: visit.code, region: region as Region, secret: profile.secret });
        signed += 1;
      }
    }
  }
  return signed;
}

/** What the double-read demo did: reads signed per reader, and the participants adjudicated with the calls made. */
export interface DoubleReadDemo {
  signed: number;
  adjudicated: string[];
  calls: number;
}

/**
 * The double-read demo: the trial set to two independent readers (any difference in counts goes to the
 * adjudicator), the demo reader marking the truth, the second reader following the script, both signing
 * everything, and a scripted adjudicator siding with the first reader on every read they differ on, so that the
 * final counts are the truth's.
 */
export async function readTwice(client: Client, truth: TrialTruth, script: SecondReaderScript): Promise<DoubleReadDemo> {
  const signed = await readIndependently(client, truth, script);
  return { signed, ...(await adjudicateForReader1(client)) };
}

/** The design set to double reads, then both readers' whole reads, signed; the reads signed per reader. */
export async function readIndependently(client: Client, truth: TrialTruth, script: SecondReaderScript): Promise<number> {
  // The design is chosen before anyone reads: a new store has nobody chosen yet.
  // Not blinded: the scripted readers find their images by the UIDs truth.json names, which a blinded reader is not given.
  await client.saveReadingDesign({ design: { design: 'double', adjudication: { rule: 'count_differs' }, blinded: false }, reason: 'the double-read demo: two independent readers and an adjudicator' });
  await markTruth(client, truth);
  const signed = await signAll(client, truth);
  await markTruth(client, truth, { profile: DEMO_SECOND_READER, script });
  await signAll(client, truth, DEMO_SECOND_READER);
  return signed;
}

/** The scripted adjudicator: reader 1's count on every read the readers differ on, for every participant waiting. */
async function adjudicateForReader1(client: Client): Promise<Omit<DoubleReadDemo, 'signed'>> {
  await chooseDemoReader(client, DEMO_ADJUDICATOR);
  const adjudicated: string[] = [];
  let calls = 0;
  for (const participant of await client.adjudication({})) {
    if (participant.state !== 'needs_adjudication') continue;
    adjudicated.push(participant.subjectCode);
    for (const read of participant.disagreements ?? []) {
      await client.adjudicate({
        participantId: participant.participantId,
        visitCode: read.visitCode,
        region: read.region,
        call: { choice: 'reader1' },
        reason: "the scripted adjudicator: reader 1's count is what the images show",
        secret: DEMO_ADJUDICATOR.secret,
      });
      calls += 1;
    }
  }
  return { adjudicated, calls };
}
