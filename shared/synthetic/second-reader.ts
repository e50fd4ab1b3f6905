// The scripted second reader of the double-read demo: what they do
// differently from the truth, chosen from truth.json alone so that the same
// trial always gets the same script. Every other participant loses the first
// lesion that is new after baseline; one participant (the second, or the next
// with a brain lesion to borrow an image from) gains a false brain lesion,
// new at week 24. The participants the script touches are exactly
// those whose counts differ between the readers.
import type { SecondReaderScript, TrialTruth } from './truth';

/** Far enough from the lesion whose image it borrows to never pair with it (5 mm), small enough to stay in the head. */
const FALSE_LESION_OFFSET_MM = 25;
const FALSE_LESION_VISIT = 'W24';

export function secondReaderScript(truth: TrialTruth): SecondReaderScript {
  const missed = truth.participants.flatMap((participant, index) => {
    if (index % 2 !== 0) return [];
    const lesion = participant.lesions.find((item) => {
      const first = item.visits.find((visit) => visit.present);
      return first !== undefined && first.visit !== truth.visits[0]!.code && first.status.previous === 'new';
    });
    return lesion ? [{ subject: participant.subject, lesionId: lesion.id }] : [];
  });
  // The second participant gets the false lesion, or the next one with a brain image to put it on (a lesion's slice at week 24).
  const order = truth.participants.map((_, index) => (index + 1) % truth.participants.length);
  const borrowedOf = (index: number) => truth.participants[index]!.lesions.find((lesion) => lesion.region === 'brain' && lesion.visits.some((visit) => visit.visit === FALSE_LESION_VISIT && visit.location.inside));
  const host = order.find((index) => borrowedOf(index) !== undefined);
  const added =
    host === undefined
      ? []
      : [{ subject: truth.participants[host]!.subject, region: 'brain' as const, visit: FALSE_LESION_VISIT, onImageOfLesion: borrowedOf(host)!.id, offsetMm: FALSE_LESION_OFFSET_MM, longestDiameterMm: 5 }];
  return { missed, added };
}

/** The subjects whose two reads the script makes differ. */
export function subjectsTheScriptTouches(script: SecondReaderScript): string[] {
  return [...new Set([...script.missed, ...script.added].map((item) => item.subject))].sort();
}
