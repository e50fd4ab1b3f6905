// An optic lesion's stretch along the reader's trace of the nerve: checked
// by hand on straight and bent traces, and against the synthetic nerves,
// whose own fractions and chiasm flags are the truth.
import { describe, expect, it } from 'vitest';
import { CHIASM_REACH_MM, MAX_OFF_TRACE_MM, opticStretch, traceLength, traceProblem } from '../../shared/optic-extent';
import { nervePath, nervePoint } from '../../shared/synthetic/anatomy';
import { designParticipant, opticFacts } from '../../shared/synthetic/design';
import type { Vec3 } from '../../shared/vector';

/** A straight 40 mm nerve along y, and one bent at its middle. */
const straight: Vec3[] = [[0, 0, 0], [0, 40, 0]];
const bent: Vec3[] = [[0, 0, 0], [0, 20, 0], [20, 20, 0]];

describe('traceProblem', () => {
  it('wants two points at least, each clicked once', () => {
    expect(traceProblem([])).toMatch(/at least/);
    expect(traceProblem([[0, 0, 0]])).toMatch(/at least/);
    expect(traceProblem([[0, 0, 0], [0, 0.5, 0], [0, 30, 0]])).toMatch(/Points 1 and 2/);
    expect(traceProblem(bent)).toBeNull();
  });
});

describe('opticStretch', () => {
  it('gives the fraction of the length covered, in either order of the ends', () => {
    expect(traceLength(bent)).toBe(40);
    expect(opticStretch(straight, [0, 10, 0], [0, 30, 0])).toEqual({ fromGlobeMm: [10, 30], fractionOfNerve: 0.5, beyondHalfLength: false, involvesChiasm: false });
    expect(opticStretch(straight, [0, 30, 0], [0, 9, 0])).toMatchObject({ fromGlobeMm: [9, 30], beyondHalfLength: true });
    // Around the bend: 10 mm before it and 10 mm after it.
    expect(opticStretch(bent, [0, 10, 0], [10, 20, 0])).toMatchObject({ fromGlobeMm: [10, 30], fractionOfNerve: 0.5 });
  });

  it('projects ends off the nerve onto it, and refuses one clicked far from it', () => {
    expect(opticStretch(straight, [3, 10, -2], [-2, 20, 4])).toMatchObject({ fromGlobeMm: [10, 20], fractionOfNerve: 0.25 });
    expect(opticStretch(straight, [0, 10, 0], [MAX_OFF_TRACE_MM + 1, 20, 0])).toMatch(/11 mm from the traced nerve/);
    // Beyond the ends: the end itself.
    expect(opticStretch(straight, [0, -5, 0], [0, 50, 0])).toMatchObject({ fromGlobeMm: [0, 40], fractionOfNerve: 1, involvesChiasm: true });
  });

  it(`reaches the chiasm when the back end is within ${CHIASM_REACH_MM} mm of the trace's end`, () => {
    expect(opticStretch(straight, [0, 10, 0], [0, 40 - CHIASM_REACH_MM, 0])).toMatchObject({ involvesChiasm: true });
    expect(opticStretch(straight, [0, 10, 0], [0, 40 - CHIASM_REACH_MM - 0.1, 0])).toMatchObject({ involvesChiasm: false });
  });

  it('says what is wrong with a trace it is given', () => {
    expect(opticStretch([[0, 0, 0]], [0, 0, 0], [0, 1, 0])).toMatch(/at least/);
  });

  it("gives truth's fraction (to 0.01) and chiasm flag for every optic lesion of synthetic participants, traced at globe, apex and chiasm", () => {
    let checked = 0;
    for (let index = 0; index < 12; index += 1) {
      const participant = designParticipant('extents', index);
      for (const lesion of participant.lesions.filter((candidate) => candidate.region === 'optic_nerve')) {
        for (const visit of lesion.visits.filter((candidate) => candidate.present)) {
          if (visit.shape.kind !== 'optic') continue;
          const facts = opticFacts(participant.head, visit.shape);
          const stretch = opticStretch(nervePath(participant.head, visit.shape.side), nervePoint(participant.head, visit.shape.side, visit.shape.t0), nervePoint(participant.head, visit.shape.side, visit.shape.t1));
          if (typeof stretch === 'string') throw new Error(stretch);
          expect(Math.abs(stretch.fractionOfNerve - facts.fractionOfNerve)).toBeLessThan(0.01);
          expect({ beyondHalfLength: stretch.beyondHalfLength, involvesChiasm: stretch.involvesChiasm }).toEqual({ beyondHalfLength: facts.moreThanHalfLength, involvesChiasm: facts.involvesChiasm });
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(5);
  });
});
