// The second reader's script of the double-read demo, on the synthetic trial's
// own truth (no DICOM written): what it misses and adds, and that it is the
// same for the same trial.
import { describe, expect, it } from 'vitest';
import { designParticipant } from '../../shared/synthetic/design';
import { secondReaderScript, subjectsTheScriptTouches } from '../../shared/synthetic/second-reader';
import { type TrialTruth, participantTruth, trialTruth } from '../../shared/synthetic/truth';

const truthOf = (seed: string, subjects: number): TrialTruth =>
  trialTruth(
    seed,
    Array.from({ length: subjects }, (_, index) => participantTruth(seed, designParticipant(seed, index))),
  );

describe("the second reader's script", () => {
  const truth = truthOf('second-reader', 6);
  const script = secondReaderScript(truth);

  it('misses, in every other participant, the first lesion that is new after baseline', () => {
    for (const missed of script.missed) {
      const index = truth.participants.findIndex((participant) => participant.subject === missed.subject);
      expect(index % 2).toBe(0);
      const lesions = truth.participants[index]!.lesions;
      const newAfterBaseline = lesions.filter((lesion) => {
        const first = lesion.visits.find((visit) => visit.present);
        return first !== undefined && first.visit !== 'W0' && first.status.previous === 'new';
      });
      expect(missed.lesionId).toBe(newAfterBaseline[0]!.id);
    }
    // A participant it skips has no such lesion, or is an odd one.
    for (const [index, participant] of truth.participants.entries()) {
      if (script.missed.some((missed) => missed.subject === participant.subject) || index % 2 === 1) continue;
      expect(participant.lesions.every((lesion) => lesion.visits.find((visit) => visit.present)?.visit === 'W0' || lesion.visits.find((visit) => visit.present)?.status.previous !== 'new')).toBe(true);
    }
  });

  it('adds one false brain lesion at week 24, on the image of a brain lesion of the participant it goes to', () => {
    expect(script.added).toHaveLength(1);
    const [added] = script.added;
    const host = truth.participants.find((participant) => participant.subject === added!.subject)!;
    const borrowed = host.lesions.find((lesion) => lesion.id === added!.onImageOfLesion)!;
    expect(borrowed.region).toBe('brain');
    expect(borrowed.visits.find((visit) => visit.visit === 'W24')!.location.inside).toBe(true);
    expect(added).toMatchObject({ region: 'brain', visit: 'W24', offsetMm: 25, longestDiameterMm: 5 });
  });

  it('is the same for the same trial, and names the participants it touches once each, in order', () => {
    expect(secondReaderScript(truthOf('second-reader', 6))).toEqual(script);
    const touched = subjectsTheScriptTouches(script);
    expect(touched).toEqual([...new Set([...script.missed, ...script.added].map((item) => item.subject))].sort());
  });

  it('adds nothing where no participant has a brain lesion to borrow an image from', () => {
    const brainless = { ...truth, participants: truth.participants.map((participant) => ({ ...participant, lesions: participant.lesions.filter((lesion) => lesion.region !== 'brain') })) };
    expect(secondReaderScript(brainless).added).toEqual([]);
  });
});
