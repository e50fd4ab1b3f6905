// The scripted reader of the qualification demo (`lesiontrack demo
// --qualification --read --miss K --extra M`), chosen from truth.json alone:
// K truth lesions overlooked where they first appear (each one lesion at one
// visit, so the score's sensitivity is exactly (n - K) / n), and M false
// brain lesions, each marked at the last visit only (one false mark each, so
// M false positives), every one far from any truth lesion there.
import { protocolFor } from './series';
import type { SecondReaderScript, TrialTruth } from './truth';
import { add, norm, scale, sub, type Vec3 } from '../vector';

/** Far enough from the lesion whose image it borrows to pair with nothing, near enough to stay in the head. */
const FALSE_LESION_OFFSETS_MM = [25, -25];
const FALSE_LESION_DIAMETER_MM = 5;
/** A false lesion keeps twice the default pairing distance (5 mm) from every truth lesion and every other false one. */
const CLEARANCE_MM = 10;

export function qualificationReaderScript(truth: TrialTruth, miss: number, extra: number): SecondReaderScript {
  return { missed: [], missedAtFirstSight: overlooked(truth, miss), added: falseLesions(truth, extra) };
}

/** Lesions taken one participant at a time in turn (the first lesion of each, then the second...), so the misses spread over the set. */
function overlooked(truth: TrialTruth, miss: number): { subject: string; lesionId: string }[] {
  const rounds = Math.max(0, ...truth.participants.map((participant) => participant.lesions.length));
  const inTurn = Array.from({ length: rounds }, (_, round) => truth.participants.flatMap((participant) => (participant.lesions[round] ? [{ subject: participant.subject, lesionId: participant.lesions[round].id }] : []))).flat();
  if (miss > inTurn.length) throw new RangeError(`The set has ${inTurn.length} lesions: the reader cannot miss ${miss}.`);
  return inTurn.slice(0, miss);
}

function falseLesions(truth: TrialTruth, extra: number): SecondReaderScript['added'] {
  const visit = truth.visits.at(-1)!.code;
  const row = protocolFor('brain').slices[0]!.rowDirection;
  const added: SecondReaderScript['added'] = [];
  const placed = new Map<string, Vec3[]>();
  // Candidates in turn over participants, as the misses are.
  const candidates = truth.participants.map((participant) =>
    participant.lesions.flatMap((lesion) => {
      const there = lesion.region === 'brain' ? lesion.visits.find((item) => item.visit === visit && item.present && item.location.inside) : undefined;
      return there ? FALSE_LESION_OFFSETS_MM.map((offsetMm) => ({ subject: participant.subject, lesion, offsetMm, centre: add(there.location.patientMm, scale(row, offsetMm)) })) : [];
    }),
  );
  const rounds = Math.max(0, ...candidates.map((list) => list.length));
  for (let round = 0; round < rounds && added.length < extra; round += 1) {
    for (const list of candidates) {
      const candidate = list[round];
      if (!candidate || added.length >= extra) continue;
      const truthHere = truth.participants.find((participant) => participant.subject === candidate.subject)!.lesions.flatMap((lesion) =>
        lesion.region === 'brain' ? lesion.visits.filter((item) => item.visit === visit && item.present).map((item) => item.location.patientMm) : [],
      );
      const others = placed.get(candidate.subject) ?? [];
      if ([...truthHere, ...others].some((point) => norm(sub(point, candidate.centre)) < CLEARANCE_MM)) continue;
      placed.set(candidate.subject, [...others, candidate.centre]);
      added.push({ subject: candidate.subject, region: 'brain', visit, onImageOfLesion: candidate.lesion.id, offsetMm: candidate.offsetMm, longestDiameterMm: FALSE_LESION_DIAMETER_MM });
    }
  }
  if (added.length < extra) throw new RangeError(`The set has room for ${added.length} false lesions away from its own: the reader cannot add ${extra}.`);
  return added;
}
