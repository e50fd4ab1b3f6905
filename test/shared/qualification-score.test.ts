// Scoring a qualification read against truth: the oracle (a reader
// who marks exactly the truth; one who skips k lesions and adds m), pairing
// at the tolerance's edge and where nearest-first would go wrong, marks that
// cannot be placed, status calls, counts and the endpoint, the pass rule, and
// the exact Poisson interval against R's poisson.test.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CHARTER, type LesionStatus, type VisitSlot } from '../../shared/counting';
import {
  DEFAULT_QUALIFICATION_RULE,
  poissonExactInterval,
  type QualificationInput,
  ratePerScan,
  type ReaderLesion,
  type ReaderObservation,
  scoreQualification,
  type TruthLesion,
} from '../../shared/qualification-score';
import type { Region } from '../../shared/protocol';
import type { Vec3 } from '../../shared/vector';

const visits: VisitSlot[] = [
  { code: 'W0', order: 0, isBaseline: true, inEndpoint: false },
  { code: 'W12', order: 12, isBaseline: false, inEndpoint: true },
  { code: 'W24', order: 24, isBaseline: false, inEndpoint: true },
  { code: 'W52', order: 52, isBaseline: false, inEndpoint: true },
];
const regions: Region[] = ['brain', 'spinal_cord', 'optic_nerve'];

/** Sizes per visit (0: absent) of a truth lesion at a fixed place. */
function truthLesion(id: string, subject: string, region: Region, centre: Vec3, sizes: [number, number, number, number]): TruthLesion {
  return {
    id,
    subject,
    region,
    observations: visits.flatMap((visit, index) => (sizes[index]! > 0 ? [{ visitCode: visit.code, centre, longestDiameterMm: sizes[index]! }] : [])),
  };
}

type Call = [LesionStatus, boolean] | null;
/** A reader's lesion: per visit its mark's centre (null: not seen) and the status and count their read settled on. */
function readerLesion(id: string, subject: string, region: Region, marks: (Vec3 | null)[], calls: Call[]): ReaderLesion {
  return {
    id,
    subject,
    region,
    observations: visits.flatMap((visit, index): ReaderObservation[] => {
      const call = calls[index] ?? null;
      const centre = marks[index] ?? null;
      if (call === null) return [];
      return [{ visitCode: visit.code, seen: centre !== null, centre, status: call[0], counted: call[1], comparatorVisit: index === 0 ? null : visits[index - 1]!.code }];
    }),
  };
}

// Two participants. 001: B1 stable then enlarging at W24 (6 -> 12 mm); B2 new at W12; S1 in the cord, new at W52.
// 002: O1 on an optic nerve from baseline, resolved at W52; B1 new at W24.
const truth: TruthLesion[] = [
  truthLesion('001-B1', '001', 'brain', [10, 20, 30], [6, 6.2, 12, 12]),
  truthLesion('001-B2', '001', 'brain', [-30, 5, 40], [0, 7, 7, 7]),
  truthLesion('001-S1', '001', 'spinal_cord', [0, 40, -200], [0, 0, 0, 20]),
  truthLesion('002-O1', '002', 'optic_nerve', [15, -60, 0], [9, 9, 9, 0]),
  truthLesion('002-B1', '002', 'brain', [20, 0, 10], [0, 0, 5, 5]),
];
/** Truth lesions present at a visit: 4 + 3 + 1 + 3 + 2. */
const TRUTH_OBSERVATIONS = 13;
const SCANS = 2 * 4 * 3;

const stable: Call = ['stable', false];
const newCounted: Call = ['new', true];
const enlargingCounted: Call = ['enlarging', true];
const resolved: Call = ['resolved', false];
const at = (centre: Vec3, dx = 0): Vec3 => [centre[0] + dx, centre[1], centre[2]];

/** The reader who marks exactly the truth, with the statuses the rules give it (worked by hand). */
const exactReader: ReaderLesion[] = [
  readerLesion('r1', '001', 'brain', [[10, 20, 30], [10, 20, 30], [10, 20, 30], [10, 20, 30]], [stable, stable, enlargingCounted, stable]),
  readerLesion('r2', '001', 'brain', [null, [-30, 5, 40], [-30, 5, 40], [-30, 5, 40]], [null, newCounted, stable, stable]),
  readerLesion('r3', '001', 'spinal_cord', [null, null, null, [0, 40, -200]], [null, null, null, newCounted]),
  readerLesion('r4', '002', 'optic_nerve', [[15, -60, 0], [15, -60, 0], [15, -60, 0], null], [stable, stable, stable, resolved]),
  readerLesion('r5', '002', 'brain', [null, null, [20, 0, 10], [20, 0, 10]], [null, null, newCounted, stable]),
];

const input = (reader: ReaderLesion[], change: Partial<QualificationInput> = {}): QualificationInput => ({
  subjects: ['001', '002'],
  regions,
  visits,
  charter: DEFAULT_CHARTER,
  rule: DEFAULT_QUALIFICATION_RULE,
  truth,
  reader,
  ...change,
});

describe('scoreQualification', () => {
  it('scores a reader who marks exactly the truth at sensitivity 1, no false positives, every call and count right', () => {
    const score = scoreQualification(input(exactReader));
    expect(score.overall).toMatchObject({ truthLesions: TRUTH_OBSERVATIONS, found: TRUTH_OBSERVATIONS, falsePositives: 0, scans: SCANS });
    expect(score.overall.sensitivity).toMatchObject({ value: 1, n: TRUTH_OBSERVATIONS });
    expect(score.overall.falsePositivesPerScan.value).toBe(0);
    // Found at follow-ups: B1 x3, B2 x3, S1, O1 x2, 002-B1 x2.
    expect(score.overall.statusAccuracy).toMatchObject({ value: 1, n: 11 });
    // Per participant, follow-up visit and region: 2 x 3 x 3 cells.
    expect(score.overall.countExactMatch).toMatchObject({ value: 1, n: 18 });
    expect(score.overall.countMeanAbsoluteDifference).toEqual({ value: 0, n: 18 });
    expect(score.endpoints).toEqual([
      { subject: '001', truth: 3, reader: 3, difference: 0 },
      { subject: '002', truth: 1, reader: 1, difference: 0 },
    ]);
    expect(score.falseMarks).toEqual([]);
    expect(score.passed).toBe(true);
  });

  it('scores one who skips k chosen lesions and adds m false ones at exactly (n - k) / n and m per scan', () => {
    // Skips B2 of 001 (3 lesion-visits) and O1 of 002 (3); adds two false brain lesions, one mark each.
    const skipped = new Set(['r2', 'r4']);
    const falseOnes = [
      readerLesion('f1', '001', 'brain', [null, null, null, [60, 60, 60]], [null, null, null, newCounted]),
      readerLesion('f2', '002', 'brain', [null, [-60, 0, 0], null, null], [null, newCounted, null, null]),
    ];
    const score = scoreQualification(input([...exactReader.filter((lesion) => !skipped.has(lesion.id)), ...falseOnes]));
    const k = 6;
    const m = 2;
    expect(score.overall.sensitivity.value).toBe((TRUTH_OBSERVATIONS - k) / TRUTH_OBSERVATIONS);
    expect(score.overall.falsePositives).toBe(m);
    expect(score.overall.falsePositivesPerScan.value).toBe(m / SCANS);
    expect(score.falseMarks).toEqual([
      { subject: '001', region: 'brain', visitCode: 'W52', readerLesionId: 'f1' },
      { subject: '002', region: 'brain', visitCode: 'W12', readerLesionId: 'f2' },
    ]);
    expect(score.outcomes.filter((outcome) => outcome.readerLesionId === null).map((outcome) => `${outcome.truthLesionId}@${outcome.visitCode}`)).toEqual([
      '001-B2@W12',
      '001-B2@W24',
      '001-B2@W52',
      '002-O1@W0',
      '002-O1@W12',
      '002-O1@W24',
    ]);
    // Per region: the brain lost B2 (3 of 9) and gained both false marks; the optic nerves lost all 3; the cord is whole.
    expect(score.byRegion.brain).toMatchObject({ truthLesions: 9, found: 6, falsePositives: 2, scans: 8 });
    expect(score.byRegion.brain.falsePositivesPerScan.value).toBe(2 / 8);
    expect(score.byRegion.optic_nerve.sensitivity.value).toBe(0);
    expect(score.byRegion.spinal_cord.sensitivity.value).toBe(1);
    // Counts: 001 brain misses B2 at W12, gains f1 at W52; 002 brain gains f2 at W12.
    expect(score.endpoints).toEqual([
      { subject: '001', truth: 3, reader: 3, difference: 0 },
      { subject: '002', truth: 1, reader: 2, difference: 1 },
    ]);
    expect(score.overall.countExactMatch).toMatchObject({ value: 15 / 18, n: 18 });
    expect(score.overall.countMeanAbsoluteDifference).toEqual({ value: 3 / 18, n: 18 });
    // 13 - 6 = 7 found, below 0.8; 2 / 24 false positives per scan is within 0.5.
    expect(score.passed).toBe(false);
    expect(score.verdict).toEqual(['sensitivity 0.54 (7 of 13) is below the minimum 0.8', '0.08 false positives per scan (2 in 24) is within the maximum 0.5']);
  });

  it('pairs a mark exactly at the tolerance and not one a hair beyond it, which is then a miss and a false positive', () => {
    const reader = exactReader.map((lesion) => (lesion.id === 'r5' ? readerLesion('r5', '002', 'brain', [null, null, at([20, 0, 10], 5), at([20, 0, 10], 5.001)], [null, null, newCounted, stable]) : lesion));
    const score = scoreQualification(input(reader));
    expect(score.outcomes.find((outcome) => outcome.truthLesionId === '002-B1' && outcome.visitCode === 'W24')).toMatchObject({ readerLesionId: 'r5', distanceMm: 5 });
    expect(score.outcomes.find((outcome) => outcome.truthLesionId === '002-B1' && outcome.visitCode === 'W52')!.readerLesionId).toBeNull();
    expect(score.falseMarks).toEqual([{ subject: '002', region: 'brain', visitCode: 'W52', readerLesionId: 'r5' }]);
    expect(score.overall.found).toBe(TRUTH_OBSERVATIONS - 1);
    // A wider tolerance from the charter pairs both.
    expect(scoreQualification(input(reader, { rule: { ...DEFAULT_QUALIFICATION_RULE, pairingToleranceMm: 6 } })).overall.found).toBe(TRUTH_OBSERVATIONS);
  });

  it('pairs to find the most lesions where taking the nearest mark first would lose one', () => {
    // Two truth lesions 6 mm apart; the reader's marks at 2.5 mm (nearest to the first) and -3 mm.
    const pair = [truthLesion('T-A', '001', 'brain', [0, 0, 0], [5, 5, 5, 5]), truthLesion('T-B', '001', 'brain', [6, 0, 0], [5, 5, 5, 5])];
    const marks = [
      readerLesion('X', '001', 'brain', [[2.5, 0, 0], [2.5, 0, 0], [2.5, 0, 0], [2.5, 0, 0]], [stable, stable, stable, stable]),
      readerLesion('Y', '001', 'brain', [[-3, 0, 0], [-3, 0, 0], [-3, 0, 0], [-3, 0, 0]], [stable, stable, stable, stable]),
    ];
    const score = scoreQualification(input(marks, { subjects: ['001'], truth: pair }));
    expect(score.overall).toMatchObject({ truthLesions: 8, found: 8, falsePositives: 0 });
    expect(score.outcomes.filter((outcome) => outcome.visitCode === 'W0').map((outcome) => [outcome.truthLesionId, outcome.readerLesionId])).toEqual([
      ['T-A', 'Y'],
      ['T-B', 'X'],
    ]);
  });

  it('never pairs across participants, regions or visits', () => {
    // The same place, but in 002 rather than 001; in the cord rather than the brain; at W0 rather than W12.
    const reader = [
      readerLesion('a', '002', 'brain', [null, [-30, 5, 40], null, null], [null, newCounted, null, null]),
      readerLesion('b', '001', 'spinal_cord', [null, [-30, 5, 40], null, null], [null, newCounted, null, null]),
      readerLesion('c', '001', 'brain', [[-30, 5, 40], null, null, null], [stable, null, null, null]),
    ];
    const score = scoreQualification(input(reader));
    expect(score.overall.found).toBe(0);
    expect(score.falseMarks.map((mark) => mark.readerLesionId)).toEqual(['c', 'b', 'a']);
  });

  it('counts a lesion seen without a mark, which cannot be placed, as a false positive, and a resolved one as no mark at all', () => {
    const reader = exactReader.map((lesion) =>
      lesion.id === 'r3' ? { ...lesion, observations: lesion.observations.map((observation) => ({ ...observation, centre: null, seen: true })) } : lesion,
    );
    const score = scoreQualification(input(reader));
    expect(score.falseMarks).toEqual([{ subject: '001', region: 'spinal_cord', visitCode: 'W52', readerLesionId: 'r3' }]);
    expect(score.overall.found).toBe(TRUTH_OBSERVATIONS - 1);
    // r4's resolved W52 is not a mark: the exact reader has no false positive there.
    expect(scoreQualification(input(exactReader)).falseMarks).toEqual([]);
  });

  it("scores the new/enlarging call of found lesions and the counts by the reader's statuses, overrides included", () => {
    // The reader finds B1 at W24 but calls it stable; calls 002-B1 enlarging at W52 (it is stable); calls B2 new at W24 again, not counted.
    const reader = exactReader.map((lesion) => {
      if (lesion.id === 'r1') return readerLesion('r1', '001', 'brain', [[10, 20, 30], [10, 20, 30], [10, 20, 30], [10, 20, 30]], [stable, stable, stable, stable]);
      if (lesion.id === 'r5') return readerLesion('r5', '002', 'brain', [null, null, [20, 0, 10], [20, 0, 10]], [null, null, newCounted, enlargingCounted]);
      if (lesion.id === 'r2') return readerLesion('r2', '001', 'brain', [null, [-30, 5, 40], [-30, 5, 40], [-30, 5, 40]], [null, newCounted, ['new', false], stable]);
      return lesion;
    });
    const score = scoreQualification(input(reader));
    expect(score.overall.sensitivity.value).toBe(1);
    // Two wrong calls of 11: a new lesion not counted is "not counted", as truth's stable is.
    expect(score.overall.statusAccuracy).toMatchObject({ value: 9 / 11, n: 11 });
    expect(score.byRegion.brain.statusAccuracy).toMatchObject({ value: 6 / 8, n: 8 });
    expect(score.endpoints).toEqual([
      { subject: '001', truth: 3, reader: 2, difference: -1 },
      { subject: '002', truth: 1, reader: 2, difference: 1 },
    ]);
    expect(score.byRegion.brain.countExactMatch).toMatchObject({ value: 4 / 6, n: 6 });
    expect(score.byRegion.brain.countMeanAbsoluteDifference).toEqual({ value: 2 / 6, n: 6 });
    expect(score.byRegion.spinal_cord.countExactMatch.value).toBe(1);
  });

  it("derives truth's statuses under the charter in force: with baseline as comparator, B1's growth at W24 counts at W24 and W52", () => {
    const charter = { ...DEFAULT_CHARTER, comparator: 'baseline' as const };
    const score = scoreQualification(input(exactReader, { charter }));
    // Against baseline, B1 at W52 (6 -> 12 mm) is enlarging again, and B2 (and 002-B1) at every later visit is new again (absent at W0).
    expect(score.endpoints).toEqual([
      { subject: '001', truth: 6, reader: 3, difference: -3 },
      { subject: '002', truth: 2, reader: 1, difference: -1 },
    ]);
    // The reader called by the previous scan: B1 at W52, B2 at W24 and W52, 002-B1 at W52 are wrong.
    expect(score.overall.statusAccuracy.value).toBe(7 / 11);
  });

  it('passes only at the minimum sensitivity or above and the maximum false-positive rate or below', () => {
    // 11 of 13 found: 0.846 >= 0.8.
    const skipOne = exactReader.filter((lesion) => lesion.id !== 'r5');
    expect(scoreQualification(input(skipOne)).passed).toBe(true);
    expect(scoreQualification(input(skipOne, { rule: { ...DEFAULT_QUALIFICATION_RULE, minSensitivity: 0.85 } })).passed).toBe(false);
    // 12 false marks in 24 scans is exactly 0.5 per scan: within the maximum; 13 is above it.
    const falseMarks = (count: number) =>
      Array.from({ length: count }, (_, index) => readerLesion(`f${String(index).padStart(2, '0')}`, '001', 'brain', [null, null, null, [100 + 20 * index, 0, 0]], [null, null, null, newCounted]));
    expect(scoreQualification(input([...exactReader, ...falseMarks(12)])).passed).toBe(true);
    const over = scoreQualification(input([...exactReader, ...falseMarks(13)]));
    expect(over.passed).toBe(false);
    expect(over.verdict[1]).toBe('0.54 false positives per scan (13 in 24) is above the maximum 0.5');
  });

  it('cannot pass anyone on a set without lesions, and refuses lesions of a participant not in the set', () => {
    const empty = scoreQualification(input([], { truth: [] }));
    expect(empty.overall.sensitivity).toMatchObject({ value: null, n: 0 });
    expect(empty.passed).toBe(false);
    expect(empty.verdict[0]).toBe('sensitivity: the set has no lesions, so it cannot qualify anyone');
    expect(() => scoreQualification(input([readerLesion('z', '003', 'brain', [[0, 0, 0]], [stable])]))).toThrow('lesion z belongs to 003, who is not in the set');
  });

  it('gives the sensitivity a Wilson interval and the false-positive rate an exact Poisson one, each with its cases', () => {
    const score = scoreQualification(input(exactReader.filter((lesion) => lesion.id !== 'r5')));
    // Wilson for 11 of 13 (prop.test(11, 13, correct = FALSE)).
    expect(score.overall.sensitivity.low).toBeCloseTo(0.5776536898051745, 10);
    expect(score.overall.sensitivity.high).toBeCloseTo(0.9567418216419186, 10);
    // No false marks in 24 scans: 0 to 3.6889 / 24 (poisson.test(0, 24)).
    expect(score.overall.falsePositivesPerScan).toMatchObject({ value: 0, low: 0, n: 24 });
    expect(score.overall.falsePositivesPerScan.high).toBeCloseTo(-Math.log(0.025) / 24, 12);
  });
});

describe('the exact Poisson interval', () => {
  it("matches R's poisson.test", () => {
    // poisson.test(x)$conf.int: qchisq(0.025, 2x) / 2 and qchisq(0.975, 2x + 2) / 2 (values from SciPy's chi2.ppf).
    const r: [number, number, number][] = [
      [0, 0, 3.688879454113936],
      [1, 0.025317807984289876, 5.571643390938898],
      [2, 0.24220927854396496, 7.22468766772396],
      [5, 1.6234863901184207, 11.66833207932267],
      [10, 4.7953886961324335, 18.39035604201778],
      [50, 37.110963737461866, 65.91876666433681],
      [900, 842.1538884935079, 960.7729262556858],
    ];
    for (const [count, low, high] of r) {
      const [gotLow, gotHigh] = poissonExactInterval(count);
      expect(gotLow).toBeCloseTo(low, 8);
      expect(gotHigh).toBeCloseTo(high, 8);
    }
  });

  it('divides by the scans, and refuses what is not a count', () => {
    const rate = ratePerScan(5, 10);
    expect(rate.value).toBe(0.5);
    expect(rate.low).toBeCloseTo(0.16234863901184207, 10);
    expect(rate.high).toBeCloseTo(1.166833207932267, 10);
    expect(rate.n).toBe(10);
    expect(ratePerScan(0, 0)).toEqual({ value: null, low: null, high: null, n: 0, note: 'no scans' });
    expect(() => ratePerScan(-1, 3)).toThrow(RangeError);
    expect(() => ratePerScan(1.5, 3)).toThrow(RangeError);
    expect(() => ratePerScan(1, 2.5)).toThrow(RangeError);
  });
});
