// truth.json's landmarks, in each study's patient coordinates after the
// visit's motion, are what a scripted reader clicks: a ruler from the
// vertebral bodies and the cord lesions' ends give truth's levels, and a
// trace through the nerve's points with the optic lesions' ends gives
// truth's fractions and chiasm flags, at every visit of several participants.
import { describe, expect, it } from 'vitest';
import { cordExtent, cordRuler, type RulerAnchor } from '../../../shared/cord-levels';
import { opticStretch } from '../../../shared/optic-extent';
import { designParticipant } from '../../../shared/synthetic/design';
import { participantTruth } from '../../../shared/synthetic/truth';

describe('truth landmarks', () => {
  const participants = Array.from({ length: 8 }, (_, index) => participantTruth('landmarks', designParticipant('landmarks', index)));

  it('give truth\'s cord levels, segments and LETM flags through the vertebral ruler', () => {
    let checked = 0;
    for (const participant of participants) {
      for (const lesion of participant.lesions.filter((item) => item.region === 'spinal_cord')) {
        for (const visit of lesion.visits.filter((item) => item.present)) {
          const study = participant.studies.find((item) => item.visit === visit.visit)!;
          const ruler = cordRuler(study.landmarks.vertebralBodies.map((body) => ({ level: body.level, point: body.patientMm }) as RulerAnchor));
          const extent = cordExtent(ruler, visit.endsMm![0], visit.endsMm![1]);
          expect(extent, `${participant.subject} ${lesion.label} ${visit.visit}`).toMatchObject({
            upper: visit.cord!.upperLevel,
            lower: visit.cord!.lowerLevel,
            segments: visit.cord!.segments,
            longitudinallyExtensive: visit.cord!.longitudinallyExtensive,
          });
          if (typeof extent !== 'string') expect(Math.abs(extent.lengthMm - visit.longestDiameterMm)).toBeLessThan(0.01 * visit.longestDiameterMm + 0.1);
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('give truth\'s optic fractions and chiasm flags through the nerve trace', () => {
    let checked = 0;
    for (const participant of participants) {
      for (const lesion of participant.lesions.filter((item) => item.region === 'optic_nerve')) {
        for (const visit of lesion.visits.filter((item) => item.present)) {
          const study = participant.studies.find((item) => item.visit === visit.visit)!;
          const nerve = study.landmarks.opticNerves[visit.optic!.side];
          const stretch = opticStretch([nerve.globe, nerve.apex, nerve.chiasm], visit.endsMm![0], visit.endsMm![1]);
          if (typeof stretch === 'string') throw new Error(stretch);
          expect(Math.abs(stretch.fractionOfNerve - visit.optic!.fractionOfNerve)).toBeLessThan(0.005);
          expect([stretch.beyondHalfLength, stretch.involvesChiasm]).toEqual([visit.optic!.moreThanHalfLength, visit.optic!.involvesChiasm]);
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(10);
  });
});
