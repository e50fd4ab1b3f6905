// The vertebral ruler: levels placed between the reader's anchors in
// proportion to reference segment heights, extrapolated beyond them, and a
// lesion's extent from its two ends; checked by hand on straight rulers and
// against the synthetic spine, whose own levels are the truth.
import { describe, expect, it } from 'vitest';
import { cordExtent, cordRuler, levelOfPoint, REFERENCE_SEGMENT_MM, type RulerAnchor, rulerProblem, rulerTicks } from '../../shared/cord-levels';
import { VERTEBRAL_LEVELS, type VertebralLevel } from '../../shared/protocol';
import { cordArcLength, cordPoint, LEVELS, levelAt, spineModel, vertebralBodyCentre } from '../../shared/synthetic/anatomy';
import { designParticipant } from '../../shared/synthetic/design';
import { applyMotion, type RigidMotion, type Vec3 } from '../../shared/vector';

const top = (level: VertebralLevel) => VERTEBRAL_LEVELS.slice(0, VERTEBRAL_LEVELS.indexOf(level)).reduce((sum, above) => sum + REFERENCE_SEGMENT_MM[above]!, 0);
const centre = (level: VertebralLevel) => top(level) + REFERENCE_SEGMENT_MM[level]! / 2;
/** A straight vertical ruler at 1 mm per reference mm: a level's reference position is minus its z. */
const straight = (...levels: VertebralLevel[]): RulerAnchor[] => levels.map((level) => ({ level, point: [0, 0, -centre(level)] }));

describe('REFERENCE_SEGMENT_MM', () => {
  it('has a height for every level the contract knows, growing from the neck to the thoracolumbar junction', () => {
    expect(Object.keys(REFERENCE_SEGMENT_MM)).toEqual([...VERTEBRAL_LEVELS]);
    expect(REFERENCE_SEGMENT_MM.C3).toBeLessThan(REFERENCE_SEGMENT_MM.T6!);
    expect(REFERENCE_SEGMENT_MM.T6).toBeLessThan(REFERENCE_SEGMENT_MM.L1!);
  });
});

describe('rulerProblem', () => {
  it('asks for two anchors at least', () => {
    expect(rulerProblem([])).toMatch(/at least two/);
    expect(rulerProblem(straight('C2'))).toMatch(/at least two/);
    expect(rulerProblem(straight('C2', 'T1'))).toBeNull();
  });

  it('refuses a level labelled twice, anchors on top of each other, and labels out of order', () => {
    expect(rulerProblem([...straight('C2', 'T1'), { level: 'C2', point: [0, 0, 100] }])).toMatch(/C2 is labelled twice/);
    expect(rulerProblem([{ level: 'C2', point: [0, 0, 0] }, { level: 'C3', point: [0, 3, -3] }])).toMatch(/C2 and C3 are 4\.2 mm apart/);
    expect(rulerProblem([{ level: 'C2', point: [0, 0, -100] }, { level: 'T1', point: [0, 0, 0] }])).toMatch(/T1 is not below C2/);
  });

  it('takes anchors in any click order', () => {
    const anchors = straight('T4', 'C2', 'C7');
    expect(rulerProblem(anchors)).toBeNull();
    expect(cordRuler(anchors).anchors.map((anchor) => anchor.level)).toEqual(['C2', 'C7', 'T4']);
    expect(() => cordRuler(straight('C2'))).toThrow(/at least two/);
  });
});

describe('levelOfPoint', () => {
  it('on a ruler at reference scale, places every boundary where the table does', () => {
    const ruler = cordRuler(straight('C2', 'T1'));
    for (const level of VERTEBRAL_LEVELS) {
      expect(levelOfPoint(ruler, [0, 0, -(top(level) + 0.01)])).toBe(level);
      expect(levelOfPoint(ruler, [0, 0, -(top(level) + REFERENCE_SEGMENT_MM[level]! - 0.01)])).toBe(level);
      expect(levelOfPoint(ruler, [0, 0, -centre(level)])).toBe(level);
    }
    expect(levelOfPoint(ruler, [0, 0, 0.5])).toBeNull();
    expect(levelOfPoint(ruler, [0, 0, -(top('L1') + REFERENCE_SEGMENT_MM.L1! + 0.5)])).toBeNull();
  });

  it('scales between anchors, each pair by its own scale, and beyond the outer anchors by the nearest pair', () => {
    // C2 to C7 shrunk to half, C7 to T4 stretched to double.
    const c2 = 0;
    const c7 = c2 - (centre('C7') - centre('C2')) / 2;
    const t4 = c7 - (centre('T4') - centre('C7')) * 2;
    const ruler = cordRuler([{ level: 'C2', point: [0, 0, c2] }, { level: 'C7', point: [0, 0, c7] }, { level: 'T4', point: [0, 0, t4] }]);
    const zOf = (reference: number) => (reference <= centre('C7') ? c2 - (reference - centre('C2')) / 2 : c7 - (reference - centre('C7')) * 2);
    for (const level of VERTEBRAL_LEVELS) {
      const inside = zOf(top(level) + REFERENCE_SEGMENT_MM[level]! * 0.02);
      const end = zOf(top(level) + REFERENCE_SEGMENT_MM[level]! * 0.98);
      expect([levelOfPoint(ruler, [0, 0, inside]), levelOfPoint(ruler, [0, 0, end])]).toEqual([level, level]);
    }
    // Above C2 at C2-C7's scale: the top of C1 lies centre(C2)/2 mm above C2's centre.
    expect(levelOfPoint(ruler, [0, 0, c2 + centre('C2') / 2 - 0.2])).toBe('C1');
    expect(levelOfPoint(ruler, [0, 0, c2 + centre('C2') / 2 + 0.2])).toBeNull();
  });

  it('maps a point off the ruler by its perpendicular projection, on a bent ruler too', () => {
    const ruler = cordRuler(straight('C2', 'T1'));
    expect(levelOfPoint(ruler, [30, -15, -centre('C5')])).toBe('C5');
    // A ruler bent at C7: a point behind the bend's lower limb belongs to the level its projection falls in.
    const bent = cordRuler([{ level: 'C2', point: [0, 0, 0] }, { level: 'C7', point: [0, 0, -(centre('C7') - centre('C2'))] }, { level: 'T6', point: [0, 40, -(centre('C7') - centre('C2')) - Math.sqrt((centre('T6') - centre('C7')) ** 2 - 1600)] }]);
    const ticks = rulerTicks(bent);
    const t3 = ticks.find((tick) => tick.level === 'T3')!.centre;
    expect(levelOfPoint(bent, [t3[0], t3[1] + 12 * 0.93, t3[2] + 12 * 0.37])).toBe('T3');
  });
});

describe('rulerTicks', () => {
  it('puts each tick on the ruler: the anchors at their own levels\' centres, every level in order', () => {
    const anchors = straight('C3', 'T2');
    const ticks = rulerTicks(cordRuler(anchors));
    expect(ticks.map((tick) => tick.level)).toEqual([...VERTEBRAL_LEVELS]);
    expect(ticks.find((tick) => tick.level === 'C3')!.centre[2]).toBeCloseTo(-centre('C3'), 9);
    expect(ticks.find((tick) => tick.level === 'T2')!.centre[2]).toBeCloseTo(-centre('T2'), 9);
    expect(ticks[0]!.top[2]).toBeCloseTo(0, 9);
    for (let i = 1; i < ticks.length; i += 1) expect(ticks[i]!.top[2]).toBeLessThan(ticks[i - 1]!.top[2]);
  });
});

describe('cordExtent', () => {
  const ruler = cordRuler(straight('C2', 'T1'));
  it('gives the levels of the ends in either order, the segments spanned, LETM from three segments, and the length along the ruler', () => {
    const upper: Vec3 = [0, 0, -centre('C3')];
    const lower: Vec3 = [0, 0, -centre('C5')];
    expect(cordExtent(ruler, upper, lower)).toEqual({ upper: 'C3', lower: 'C5', segments: 3, longitudinallyExtensive: true, lengthMm: centre('C5') - centre('C3') });
    // Off the ruler by the same offset at both ends: the straight distance between them.
    expect(cordExtent(ruler, [0, 20, -centre('C3')], [0, 20, -centre('C5')])).toMatchObject({ lengthMm: centre('C5') - centre('C3') });
    expect(cordExtent(ruler, lower, upper)).toEqual(cordExtent(ruler, upper, lower));
    expect(cordExtent(ruler, upper, [0, 0, -centre('C4')])).toMatchObject({ segments: 2, longitudinallyExtensive: false });
    expect(cordExtent(ruler, upper, upper)).toMatchObject({ upper: 'C3', lower: 'C3', segments: 1, lengthMm: 0 });
  });

  it('says so when an end lies beyond the levels it knows', () => {
    expect(cordExtent(ruler, [0, 0, 5], [0, 0, -centre('C3')])).toMatch(/beyond the levels/);
  });
});

describe('against the synthetic spine', () => {
  /** A motion of the body as a scan may have it: a few degrees and millimetres. */
  const motions: RigidMotion[] = [
    { rotationDeg: [0, 0, 0], translationMm: [0, 0, 0], centreMm: [0, 0, 0] },
    { rotationDeg: [4, -3, 2], translationMm: [3, -5, 8], centreMm: [0, 0, -200] },
  ];
  const scales = [0.95, 1, 1.05];

  for (const lengthScale of scales) {
    for (const motion of motions) {
      const model = spineModel({ lengthScale });
      const body = (level: VertebralLevel): Vec3 => applyMotion(motion, vertebralBodyCentre(model, LEVELS.indexOf(level as (typeof LEVELS)[number])));
      const cord = (u: number): Vec3 => applyMotion(motion, cordPoint(model, u));
      /** The cord's points from C1 to T12, 1 mm apart, each with its true level, except within `margin` mm of a boundary. */
      const cordSamples = (margin: number) => {
        const samples: { u: number; level: string }[] = [];
        for (let u = model.boundaries[0]! - 0.5; u > model.boundaries[LEVELS.length]!; u -= 1) {
          const nearest = Math.min(...Array.from(model.boundaries, (boundary) => Math.abs(boundary - u)));
          if (nearest >= margin) samples.push({ u, level: levelAt(model, u)! });
        }
        return samples;
      };

      // Where a level changes, a reader's click is uncertain by a millimetre or two; the margins below are what the ruler adds to that.
      // With every body anchored the error is largest (1.7 mm) at C1-C2, where the atlas' thin arch and C2's deep body tilt the
      // polyline against the cord; above the top anchor (the upper half of C1) the levels are extrapolated, and are tested by hand above.
      it(`with every body anchored, gives the true level of every cord point below C1's centre more than 2 mm from a boundary (scale ${lengthScale}, ${motion.rotationDeg.join('/')} deg)`, () => {
        const ruler = cordRuler(LEVELS.map((level) => ({ level, point: body(level) })));
        const below = cordSamples(2).filter((sample) => sample.u < vertebralBodyCentre(model, 0)[2]);
        expect(below.length).toBeGreaterThan(300);
        expect(below.filter((sample) => levelOfPoint(ruler, cord(sample.u)) !== sample.level)).toEqual([]);
      });

      // With C2 and T1 only, the reference table's proportions stand in for this spine's: the synthetic C2 is 18% taller than
      // C3-C6, the table's 11%, so the C2-C3 boundary lands up to 4.6 mm off.
      it(`with C2 and T1 only, gives the true level of every cord point between them more than 5 mm from a boundary (scale ${lengthScale})`, () => {
        const ruler = cordRuler([{ level: 'C2', point: body('C2') }, { level: 'T1', point: body('T1') }]);
        const between = cordSamples(5).filter((sample) => LEVELS.indexOf(sample.level as (typeof LEVELS)[number]) >= 1 && LEVELS.indexOf(sample.level as (typeof LEVELS)[number]) <= 7);
        expect(between.length).toBeGreaterThan(40);
        expect(between.filter((sample) => levelOfPoint(ruler, cord(sample.u)) !== sample.level)).toEqual([]);
      });

      it(`measures a lesion's length along the cord to within 1% (scale ${lengthScale})`, () => {
        const ruler = cordRuler(LEVELS.map((level) => ({ level, point: body(level) })));
        for (const [level, span] of [[2, 3], [7, 2], [9, 4], [14, 3]] as const) {
          const uTop = model.boundaries[level]! - 3;
          const uBottom = model.boundaries[level + span]! + 3;
          const extent = cordExtent(ruler, cord(uTop), cord(uBottom));
          if (typeof extent === 'string') throw new Error(extent);
          expect(extent).toMatchObject({ upper: LEVELS[level], lower: LEVELS[level + span - 1], segments: span, longitudinallyExtensive: span >= 3 });
          expect(Math.abs(extent.lengthMm / cordArcLength(model, uBottom, uTop) - 1)).toBeLessThan(0.01);
        }
      });
    }
  }

  it('gives truth\'s levels for the cord lesions of synthetic participants, from their ends and every body', () => {
    let checked = 0;
    for (let index = 0; index < 6; index += 1) {
      const participant = designParticipant('extents', index);
      const model = spineModel(participant.spine);
      const ruler = cordRuler(LEVELS.map((level, i) => ({ level, point: vertebralBodyCentre(model, i) })));
      for (const lesion of participant.lesions.filter((candidate) => candidate.region === 'spinal_cord')) {
        for (const visit of lesion.visits.filter((candidate) => candidate.present)) {
          if (visit.shape.kind !== 'cord') continue;
          const extent = cordExtent(ruler, cordPoint(model, visit.shape.uTop), cordPoint(model, visit.shape.uBottom));
          expect(extent).toMatchObject({ upper: levelAt(model, visit.shape.uTop), lower: levelAt(model, visit.shape.uBottom) });
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(5);
  });
});
