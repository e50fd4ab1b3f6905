import { describe, expect, it } from 'vitest';
import {
  type CharterSettings,
  type FinalStatus,
  type Finding,
  type LesionHistory,
  type VisitSlot,
  DEFAULT_CHARTER,
  comparatorVisit,
  countByVisitAndRegion,
  endpointTotal,
  suggestStatus,
} from '../../shared/counting';

const visits: VisitSlot[] = [
  { code: 'W0', order: 0, isBaseline: true, inEndpoint: false },
  { code: 'W12', order: 12, isBaseline: false, inEndpoint: true },
  { code: 'W24', order: 24, isBaseline: false, inEndpoint: true },
  { code: 'W52', order: 52, isBaseline: false, inEndpoint: true },
];
const unscheduled: VisitSlot = { code: 'UNS-20240601', order: 30, isBaseline: false, inEndpoint: false };
const at = (code: string) => visits.find((visit) => visit.code === code)!;
const mm = (longestDiameterMm: number): Finding => ({ kind: 'measured', longestDiameterMm });

function lesion(findings: Record<string, Finding>, extra: Partial<LesionHistory> = {}): LesionHistory {
  return { id: extra.id ?? 'B1', region: 'brain', findings: new Map(Object.entries(findings)), ...extra };
}

function statusAt(history: LesionHistory, code: string, charter: CharterSettings = DEFAULT_CHARTER, all?: Map<string, LesionHistory>) {
  const visit = [...visits, unscheduled].find((candidate) => candidate.code === code)!;
  return suggestStatus(history, visit, visits, charter, all ?? new Map([[history.id, history]]));
}

/** Final statuses of a set of lesions at every visit, taking the suggestions as they are. */
function finals(lesions: LesionHistory[], charter: CharterSettings = DEFAULT_CHARTER): FinalStatus[] {
  const all = new Map(lesions.map((item) => [item.id, item]));
  return lesions.flatMap((item) =>
    visits.flatMap((visit) => {
      const suggestion = suggestStatus(item, visit, visits, charter, all);
      return suggestion ? [{ lesionId: item.id, region: item.region, visitCode: visit.code, status: suggestion.status, counted: suggestion.counted, comparatorVisit: suggestion.comparatorVisit }] : [];
    }),
  );
}

describe('comparatorVisit', () => {
  it('is the previous read visit by default and baseline on request; baseline has none', () => {
    expect(comparatorVisit(at('W24'), visits, 'previous')?.code).toBe('W12');
    expect(comparatorVisit(at('W24'), visits, 'baseline')?.code).toBe('W0');
    expect(comparatorVisit(at('W0'), visits, 'previous')).toBeNull();
  });

  it('skips a visit that was not read', () => {
    const withoutW12 = visits.filter((visit) => visit.code !== 'W12');
    expect(comparatorVisit(at('W24'), withoutW12, 'previous')?.code).toBe('W0');
  });
});

describe('suggestStatus', () => {
  it('calls a lesion absent at the comparator new, and a lesion present at baseline the reference', () => {
    expect(statusAt(lesion({ W12: mm(5) }), 'W12')).toMatchObject({ status: 'new', counted: true, comparatorVisit: 'W0' });
    expect(statusAt(lesion({ W0: mm(5) }), 'W0')).toMatchObject({ status: 'stable', counted: false, comparatorVisit: null });
  });

  it('counts one lesion once per interval: new at week 12, enlarging at week 24, stable at week 52', () => {
    const history = lesion({ W12: mm(4), W24: mm(8), W52: mm(8.5) });
    expect(statusAt(history, 'W12')!.status).toBe('new');
    expect(statusAt(history, 'W24')).toMatchObject({ status: 'enlarging', counted: true, comparatorVisit: 'W12' });
    expect(statusAt(history, 'W52')).toMatchObject({ status: 'stable', counted: false });
  });

  it('never calls a lesion both new and enlarging: compared with baseline it is new at 12 and enlarging later only by size', () => {
    const history = lesion({ W12: mm(4), W24: mm(8) });
    const baseline = { ...DEFAULT_CHARTER, comparator: 'baseline' as const };
    expect(statusAt(history, 'W12', baseline)!.status).toBe('new');
    // Against baseline the lesion is absent there, so it is "new" again at week 24: the charter setting says so.
    expect(statusAt(history, 'W24', baseline)).toMatchObject({ status: 'new', comparatorVisit: 'W0' });
  });

  it('applies the enlarging thresholds at their edges (50% and 3 mm, both required by default)', () => {
    // 6 mm -> 9 mm: exactly +50% and +3 mm.
    expect(statusAt(lesion({ W0: mm(6), W12: mm(9) }), 'W12')!.status).toBe('enlarging');
    expect(statusAt(lesion({ W0: mm(6), W12: mm(8.99) }), 'W12')!.status).toBe('stable');
    // 4 mm -> 6.5 mm: +62% but only +2.5 mm.
    expect(statusAt(lesion({ W0: mm(4), W12: mm(6.5) }), 'W12')!.status).toBe('stable');
    // 10 mm -> 14 mm: +4 mm but only +40%.
    expect(statusAt(lesion({ W0: mm(10), W12: mm(14) }), 'W12')!.status).toBe('stable');
  });

  it('accepts either threshold when the charter says so', () => {
    const either = { ...DEFAULT_CHARTER, enlargingRule: 'either' as const };
    expect(statusAt(lesion({ W0: mm(4), W12: mm(6.5) }), 'W12', either)!.status).toBe('enlarging');
    expect(statusAt(lesion({ W0: mm(10), W12: mm(14) }), 'W12', either)!.status).toBe('enlarging');
    expect(statusAt(lesion({ W0: mm(10), W12: mm(12) }), 'W12', either)!.status).toBe('stable');
  });

  it('calls a clear decrease shrinking and a small one stable', () => {
    expect(statusAt(lesion({ W0: mm(12), W12: mm(6) }), 'W12')!.status).toBe('shrinking');
    expect(statusAt(lesion({ W0: mm(12), W12: mm(10) }), 'W12')!.status).toBe('stable');
  });

  it('counts a lesion that resolved and reappeared as new again, against the visit where it was gone', () => {
    const history = lesion({ W0: mm(5), W12: { kind: 'resolved' }, W24: mm(5) });
    expect(statusAt(history, 'W12')).toMatchObject({ status: 'resolved', counted: false });
    expect(statusAt(history, 'W24')).toMatchObject({ status: 'new', counted: true, comparatorVisit: 'W12' });
  });

  it('does not count a new lesion below the minimum size, and says why', () => {
    expect(statusAt(lesion({ W12: mm(2.5) }), 'W12')).toMatchObject({ status: 'new', counted: false, why: 'absent at W0, but 2.5 mm is below the 3 mm minimum' });
    expect(statusAt(lesion({ W12: mm(3) }), 'W12')).toMatchObject({ status: 'new', counted: true });
  });

  it('cannot compare with a visit where the lesion was not evaluable', () => {
    expect(statusAt(lesion({ W0: { kind: 'not_evaluable' }, W12: mm(9) }), 'W12')).toMatchObject({ status: 'not_evaluable', counted: false });
    expect(statusAt(lesion({ W12: { kind: 'not_evaluable' } }), 'W12')!.status).toBe('not_evaluable');
  });

  it('has no suggestion where the lesion has no finding', () => {
    expect(statusAt(lesion({ W0: mm(5) }), 'W12')).toBeNull();
  });

  it('compares a merged lesion with the largest of its parts, and does not count the absorbed one', () => {
    const a = lesion({ W0: mm(6), W12: mm(7) }, { id: 'B1', mergedFrom: [{ lesionId: 'B2', atVisit: 'W12' }] });
    const b = lesion({ W0: mm(4), W12: { kind: 'merged', into: 'B1' } }, { id: 'B2' });
    const all = new Map([['B1', a], ['B2', b]]);
    expect(statusAt(a, 'W12', DEFAULT_CHARTER, all)!.status).toBe('stable');
    expect(statusAt(b, 'W12', DEFAULT_CHARTER, all)).toMatchObject({ status: 'merged', counted: false });
  });

  it('lets a merge change no status before it: earlier visits compare the lesion with its own size', () => {
    // B2 (3 mm) and B1 (8 mm) at W0; B1 merges into B2 at W24. At W12, B2 at 6 mm grew by 100% and 3 mm from its own 3 mm.
    const b2 = lesion({ W0: mm(3), W12: mm(6), W24: mm(9) }, { id: 'B2', mergedFrom: [{ lesionId: 'B1', atVisit: 'W24' }] });
    const b1 = lesion({ W0: mm(8), W12: mm(8), W24: { kind: 'merged', into: 'B2' } }, { id: 'B1' });
    const all = new Map([['B1', b1], ['B2', b2]]);
    expect(statusAt(b2, 'W12', DEFAULT_CHARTER, all)).toMatchObject({ status: 'enlarging', counted: true, why: '3 mm → 6 mm at W0 → W12' });
    // At W24 the merged lesion is compared with the larger of its parts at W12: 8 mm to 9 mm is stable.
    expect(statusAt(b2, 'W24', DEFAULT_CHARTER, all)).toMatchObject({ status: 'stable', why: "8 mm → 9 mm: within the charter's margin" });
  });

  it('compares a lesion split from another with its parent, so a split is not a new lesion', () => {
    const parent = lesion({ W0: mm(10), W12: mm(6) }, { id: 'B1' });
    const child = lesion({ W12: mm(5) }, { id: 'B3', splitFrom: { lesionId: 'B1', atVisit: 'W12' } });
    const all = new Map([['B1', parent], ['B3', child]]);
    expect(statusAt(child, 'W12', DEFAULT_CHARTER, all)).toMatchObject({ status: 'shrinking', counted: false });
  });

  it('compares an unscheduled visit with the last read visit before it', () => {
    expect(statusAt(lesion({ W24: mm(4), 'UNS-20240601': mm(8) }), 'UNS-20240601')).toMatchObject({ status: 'enlarging', comparatorVisit: 'W24' });
  });
});

describe('counts and the endpoint', () => {
  it('derives counts per visit and region and sums the endpoint over weeks 12, 24 and 52', () => {
    const lesions = [
      lesion({ W0: mm(5), W12: mm(5), W24: mm(5), W52: mm(5) }, { id: 'B1' }), // stable
      lesion({ W12: mm(4), W24: mm(8), W52: mm(8) }, { id: 'B2' }), // new 12, enlarging 24
      lesion({ W52: mm(6) }, { id: 'B3' }), // new 52
      lesion({ W24: mm(9) }, { id: 'S1', region: 'spinal_cord' }), // new 24
      lesion({ W0: mm(6), W12: mm(3) }, { id: 'O1', region: 'optic_nerve' }), // shrinking
    ];
    const counts = countByVisitAndRegion(finals(lesions));
    const cell = (visitCode: string, region: string) => counts.find((count) => count.visitCode === visitCode && count.region === region);
    expect(cell('W12', 'brain')).toEqual({ visitCode: 'W12', region: 'brain', new: 1, enlarging: 0, newOrEnlarging: 1, comparatorVisit: 'W0' });
    expect(cell('W24', 'brain')).toMatchObject({ new: 0, enlarging: 1, newOrEnlarging: 1, comparatorVisit: 'W12' });
    expect(cell('W52', 'brain')).toMatchObject({ new: 1, enlarging: 0 });
    expect(cell('W24', 'spinal_cord')).toMatchObject({ new: 1 });
    expect(cell('W12', 'optic_nerve')).toMatchObject({ new: 0, enlarging: 0 });
    expect(cell('W0', 'brain')).toMatchObject({ new: 0, enlarging: 0 });
    expect(endpointTotal(counts, visits)).toBe(4);
  });

  it('lists an unscheduled visit but leaves it out of the endpoint', () => {
    const statuses: FinalStatus[] = [{ lesionId: 'B1', region: 'brain', visitCode: 'UNS-20240601', status: 'new', counted: true, comparatorVisit: 'W24' }];
    const counts = countByVisitAndRegion(statuses);
    expect(counts).toEqual([{ visitCode: 'UNS-20240601', region: 'brain', new: 1, enlarging: 0, newOrEnlarging: 1, comparatorVisit: 'W24' }]);
    expect(endpointTotal(counts, [...visits, unscheduled])).toBe(0);
  });

  it('counts a reader override as final: a suggested stable lesion judged enlarging counts', () => {
    const statuses: FinalStatus[] = [{ lesionId: 'B1', region: 'brain', visitCode: 'W12', status: 'enlarging', counted: true, comparatorVisit: 'W0' }];
    expect(endpointTotal(countByVisitAndRegion(statuses), visits)).toBe(1);
  });
});
