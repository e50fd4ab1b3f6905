// A reader's pass over a synthetic trial, through the same services as the
// app: every lesion of truth.json marked where it is, linked across visits,
// recorded as resolved at the visit it goes (and not after: there is nothing
// left to see), the suggestions accepted, and every read signed by
// a demo reader. It gives the exports something real to export, and tests
// a ground truth to compare the counts with.
import type { Client } from '../../shared/client';
import type { SeriesImage } from '../../shared/contract';
import type { Region } from '../../shared/protocol';
import { imageAxes } from '../../shared/slice-sync';
import type { LesionTruth, TrialTruth } from '../../shared/synthetic/truth';
import { add, scale, type Vec3 } from '../../shared/vector';

export const DEMO_READER = { name: 'Demo reader', role: 'reader' as const, secret: 'demo-reader-secret' };

type LesionVisit = LesionTruth['visits'][number];

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
    ...(lesion.region === 'spinal_cord' && visit.cord ? { levels: { upper: visit.cord.upperLevel, lower: visit.cord.lowerLevel } } : {}),
    ...(lesion.region === 'optic_nerve' && visit.optic ? { opticExtent: { beyondHalfLength: visit.optic.moreThanHalfLength, involvesChiasm: visit.optic.involvesChiasm } } : {}),
  };
}

/** The demo reader, made on first use, chosen as a reader is at the start of a session. */
export async function chooseDemoReader(client: Client): Promise<void> {
  const readers = await client.listReaders({});
  const reader = readers.readers.find((item) => item.name === DEMO_READER.name) ?? (await client.createReader(DEMO_READER));
  await client.chooseReader({ readerId: reader.id, secret: DEMO_READER.secret });
}

/** Marks and links every lesion of every participant as truth.json places it, as the demo reader. */
export async function markTruth(client: Client, truth: TrialTruth): Promise<void> {
  await chooseDemoReader(client);
  const setup = await client.trialSetup({});
  const findImage = imageFinder(client);
  for (const participant of truth.participants) {
    const participantId = setup.participants.find((item) => item.subjectCode === participant.subject)?.id;
    if (participantId === undefined) throw new Error(`Participant ${participant.subject} is not set up.`);
    for (const lesion of participant.lesions) {
      let lesionId: number | null = null;
      let seenAtPreviousVisit = false;
      for (const visit of lesion.visits) {
        if (visit.present) {
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
  }
}

/** Signs every participant x visit x region read with the demo reader. */
export async function signAll(client: Client, truth: TrialTruth): Promise<number> {
  await chooseDemoReader(client);
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
