// The hard difficulty of qualification sets: brain lesions just above the
// minimum size, enlarging just past both enlarging rules, more motion between
// visits; the truth still as designed, inside the images, and the standard
// trial's design left exactly as it was.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CHARTER_RULES } from '../../../shared/synthetic/charter';
import { ambiguity, designParticipant, type Difficulty } from '../../../shared/synthetic/design';
import { participantTruth, type ParticipantTruth } from '../../../shared/synthetic/truth';

const seedOf = (seed: string, difficulty: Difficulty) => (difficulty === 'standard' ? seed : `${seed}|${difficulty}`);
const truths = (difficulty: Difficulty): ParticipantTruth[] =>
  ['1', 'q'].flatMap((seed) => Array.from({ length: 12 }, (_, index) => participantTruth(seedOf(seed, difficulty), designParticipant(seedOf(seed, difficulty), index, difficulty))));

const largest = (values: readonly number[]) => Math.max(...values.map(Math.abs));

describe('the hard difficulty', () => {
  const hard = truths('hard');
  const standard = truths('standard');
  const brain = (set: ParticipantTruth[]) => set.flatMap((participant) => participant.lesions.filter((lesion) => lesion.region === 'brain'));

  it('makes brain lesions that neither grow nor shrink 3.3 to 5.1 mm across, where the standard trial has them up to 11 mm', () => {
    const unchanging = (set: ParticipantTruth[]) => brain(set).filter((lesion) => lesion.scenario === 'stable' || lesion.scenario === 'new');
    const sizes = unchanging(hard).flatMap((lesion) => lesion.visits.filter((visit) => visit.present).map((visit) => visit.longestDiameterMm));
    expect(sizes.length).toBeGreaterThan(20);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(DEFAULT_CHARTER_RULES.minLesionSizeMm + 0.3);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(5.1);
    expect(Math.max(...unchanging(standard).flatMap((lesion) => lesion.visits.map((visit) => visit.longestDiameterMm)))).toBeGreaterThan(8);
  });

  it('grows enlarging brain lesions by 55% to 70% and 3.3 mm or more: past both rules (50% and 3 mm), where the standard trial grows them 75% or more', () => {
    const growths = (set: ParticipantTruth[]) =>
      brain(set).flatMap((lesion) =>
        lesion.visits.flatMap((visit, index) => {
          const before = lesion.visits[index - 1];
          return visit.status.previous === 'enlarging' && before ? [{ ratio: visit.longestDiameterMm / before.longestDiameterMm, mm: visit.longestDiameterMm - before.longestDiameterMm }] : [];
        }),
      );
    const hardGrowths = growths(hard);
    expect(hardGrowths.length).toBeGreaterThan(5);
    for (const growth of hardGrowths) {
      expect(growth.ratio).toBeGreaterThanOrEqual(1.55);
      expect(growth.ratio).toBeLessThanOrEqual(1.7);
      expect(growth.mm).toBeGreaterThanOrEqual(3.3);
    }
    for (const growth of growths(standard)) expect(growth.ratio).toBeGreaterThanOrEqual(1.75);
  });

  it('moves the head up to 6 degrees and 8 mm and the body up to 2.5 degrees and 7 mm between visits, beyond the standard trial', () => {
    const followUps = (set: ParticipantTruth[]) => set.flatMap((participant) => participant.studies.slice(1));
    const hardStudies = followUps(hard);
    expect(largest(hardStudies.flatMap((study) => study.headMotion.rotationDeg))).toBeLessThanOrEqual(6);
    expect(largest(hardStudies.flatMap((study) => study.headMotion.translationMm))).toBeLessThanOrEqual(8);
    expect(largest(hardStudies.flatMap((study) => study.spineMotion.rotationDeg))).toBeLessThanOrEqual(2.5);
    expect(largest(hardStudies.flatMap((study) => study.spineMotion.translationMm))).toBeLessThanOrEqual(7);
    expect(largest(hardStudies.flatMap((study) => study.headMotion.rotationDeg))).toBeGreaterThan(largest(followUps(standard).flatMap((study) => study.headMotion.rotationDeg)));
    expect(largest(hardStudies.flatMap((study) => study.headMotion.translationMm))).toBeGreaterThan(4);
  });

  it('keeps every lesion inside the images it is read on, and its truth as designed', () => {
    for (const participant of hard) {
      for (const lesion of participant.lesions) {
        for (const visit of lesion.visits.filter((item) => item.present)) expect(visit.location.inside, `${lesion.id} at ${visit.visit}`).toBe(true);
        const sizes = lesion.visits.map((visit) => visit.longestDiameterMm);
        expect(ambiguity(sizes, { presentMm: 0.3, ratio: 0.05, mm: 0.3 }), `${lesion.id}: ${sizes.join(' ')}`).toBeNull();
      }
    }
  });

  it("designs other participants than the standard trial's from the same seed, and leaves the standard design as it was", () => {
    expect(designParticipant('1|hard', 1, 'hard').lesions).not.toEqual(designParticipant('1', 1).lesions);
    expect(designParticipant('1', 3, 'standard')).toEqual(designParticipant('1', 3));
  });
});
