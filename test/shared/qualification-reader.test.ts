// The qualification demo's scripted reader: misses spread over the
// participants in turn, false lesions at the last visit only, each clear of
// every truth lesion and of each other, and a refusal of more than the set holds.
import { describe, expect, it } from 'vitest';
import { qualificationReaderScript } from '../../shared/synthetic/qualification-reader';
import { protocolFor } from '../../shared/synthetic/series';
import { participantTruths, trialTruth } from '../../shared/synthetic/truth';
import { add, norm, scale, sub } from '../../shared/vector';

const truth = trialTruth('q', participantTruths('q', 'hard', 2));

describe('qualificationReaderScript', () => {
  it('overlooks lesions one participant at a time in turn: the first of each, then the second', () => {
    const script = qualificationReaderScript(truth, 3, 0);
    const [first, second] = truth.participants;
    expect(script.missedAtFirstSight).toEqual([
      { subject: first!.subject, lesionId: first!.lesions[0]!.id },
      { subject: second!.subject, lesionId: second!.lesions[0]!.id },
      { subject: first!.subject, lesionId: first!.lesions[1]!.id },
    ]);
    expect(script.missed).toEqual([]);
    expect(script.added).toEqual([]);
  });

  it('adds false brain lesions at the last visit, each more than 10 mm from every truth lesion and from each other', () => {
    const script = qualificationReaderScript(truth, 0, 4);
    expect(script.added).toHaveLength(4);
    const row = protocolFor('brain').slices[0]!.rowDirection;
    const centres = script.added.map((added) => {
      expect(added).toMatchObject({ region: 'brain', visit: 'W52', longestDiameterMm: 5 });
      const participant = truth.participants.find((item) => item.subject === added.subject)!;
      const host = participant.lesions.find((lesion) => lesion.id === added.onImageOfLesion)!.visits.find((visit) => visit.visit === 'W52')!;
      const centre = add(host.location.patientMm, scale(row, added.offsetMm));
      for (const lesion of participant.lesions.filter((item) => item.region === 'brain')) {
        const there = lesion.visits.find((visit) => visit.visit === 'W52' && visit.present);
        if (there) expect(norm(sub(there.location.patientMm, centre))).toBeGreaterThanOrEqual(10);
      }
      return { subject: added.subject, centre };
    });
    for (const a of centres) for (const b of centres) if (a !== b && a.subject === b.subject) expect(norm(sub(a.centre, b.centre))).toBeGreaterThanOrEqual(10);
  });

  it('refuses to miss more lesions than the set has, or to add more false ones than it has room for', () => {
    const lesions = truth.participants.reduce((sum, participant) => sum + participant.lesions.length, 0);
    expect(qualificationReaderScript(truth, lesions, 0).missedAtFirstSight).toHaveLength(lesions);
    expect(() => qualificationReaderScript(truth, lesions + 1, 0)).toThrow(`The set has ${lesions} lesions: the reader cannot miss ${lesions + 1}.`);
    expect(() => qualificationReaderScript(truth, 0, 1000)).toThrow(/^The set has room for \d+ false lesions away from its own: the reader cannot add 1000\.$/);
  });
});
