// The adjudication rule on hand-made tracks: which participants it sends to
// the adjudicator, the reads it names, and the final counts where it does not.
import { describe, expect, it } from 'vitest';
import { type TrackCell, calledCount, countedLesions, decideAdjudication } from '../../shared/adjudication';
import { lesionView, observationView } from '../helpers/lesion-views';

/** A read whose counted lesions are all new. */
const cell = (visitCode: string, counted: TrackCell['counted'], region: TrackCell['region'] = 'brain'): TrackCell => ({ visitCode, region, new: counted.length, enlarging: 0, newOrEnlarging: counted.length, counted });
const at = (label: string, x: number): TrackCell['counted'][number] => ({ label, centre: [x, 0, 0] });

describe('the adjudication rule', () => {
  it('sends nothing when both readers count the same lesions at every read, and their count is final', () => {
    const reader1 = [cell('W0', []), cell('W12', [at('B1', 10)])];
    const reader2 = [cell('W0', []), cell('W12', [at('B1', 12)])];
    expect(decideAdjudication(reader1, reader2, { rule: 'any_unmatched' }, 5)).toEqual({
      needed: false,
      disagreements: [],
      agreedCounts: [
        { visitCode: 'W0', region: 'brain', new: 0, enlarging: 0, newOrEnlarging: 0 },
        { visitCode: 'W12', region: 'brain', new: 1, enlarging: 0, newOrEnlarging: 1 },
      ],
    });
  });

  it('sends a participant whose counts differ at any read under the default rule, naming that read', () => {
    const reader1 = [cell('W12', [at('B1', 10)]), cell('W24', [])];
    const reader2 = [cell('W12', [at('B1', 10)]), cell('W24', [at('B2', 40)])];
    const decision = decideAdjudication(reader1, reader2, { rule: 'count_differs' }, 5);
    expect(decision.needed).toBe(true);
    // The reads they agree on keep their agreed count; the adjudicator decides W24.
    expect(decision.agreedCounts.map((item) => item.newOrEnlarging)).toEqual([1, 0]);
    expect(decision.disagreements).toEqual([{ visitCode: 'W24', region: 'brain', reader1: 0, reader2: 1, pairing: { pairs: [], onlyFirst: [], onlySecond: ['B2'] }, why: 'the counts differ' }]);
  });

  it('lets equal counts of different lesions through the count rule, but not through any_unmatched', () => {
    // Each reader counts one lesion at W12, 30 mm apart: the same count, not the same lesion.
    const reader1 = [cell('W12', [at('B1', 10)])];
    const reader2 = [cell('W12', [at('B1', 40)])];
    const byCount = decideAdjudication(reader1, reader2, { rule: 'count_differs' }, 5);
    expect(byCount.needed).toBe(false);
    expect(byCount.agreedCounts).toEqual([{ visitCode: 'W12', region: 'brain', new: 1, enlarging: 0, newOrEnlarging: 1 }]);
    expect(byCount.disagreements.map((item) => item.why)).toEqual(['within the rule']);
    const byLesion = decideAdjudication(reader1, reader2, { rule: 'any_unmatched' }, 5);
    expect(byLesion.needed).toBe(true);
    expect(byLesion.disagreements[0]).toMatchObject({ why: 'a counted lesion of one reader has no partner in the other read', pairing: { onlyFirst: ['B1'], onlySecond: ['B1'] } });
  });

  it('sends only differences of the threshold or more, and otherwise takes the lower count', () => {
    const reader1 = [cell('W12', [at('B1', 10), at('B2', 30)]), cell('W24', [], 'spinal_cord')];
    const reader2 = [cell('W12', [at('B1', 10)]), cell('W24', [], 'spinal_cord')];
    expect(decideAdjudication(reader1, reader2, { rule: 'difference_at_least', threshold: 2 }, 5)).toMatchObject({
      needed: false,
      agreedCounts: [
        { visitCode: 'W12', region: 'brain', new: 1, enlarging: 0, newOrEnlarging: 1 },
        { visitCode: 'W24', region: 'spinal_cord', new: 0, enlarging: 0, newOrEnlarging: 0 },
      ],
    });
    expect(decideAdjudication(reader1, reader2, { rule: 'difference_at_least', threshold: 1 }, 5).needed).toBe(true);
  });

  it('takes as new only what both readers call new, when they agree on the count', () => {
    const reader1 = [{ ...cell('W12', [at('B1', 10)]), new: 0, enlarging: 1 }];
    const reader2 = [cell('W12', [at('B1', 11)])];
    expect(decideAdjudication(reader1, reader2, { rule: 'any_unmatched' }, 5).agreedCounts).toEqual([{ visitCode: 'W12', region: 'brain', new: 0, enlarging: 1, newOrEnlarging: 1 }]);
  });

  it('never pairs a counted lesion without a mark, and counts a read only one reader has as zero for the other', () => {
    const reader1 = [cell('W12', [{ label: 'B1', centre: null }])];
    const reader2 = [cell('W12', [{ label: 'B1', centre: null }]), cell('W52', [at('B2', 0)], 'optic_nerve')];
    const decision = decideAdjudication(reader1, reader2, { rule: 'any_unmatched' }, 5);
    expect(decision.disagreements).toEqual([
      { visitCode: 'W12', region: 'brain', reader1: 1, reader2: 1, pairing: { pairs: [], onlyFirst: ['B1'], onlySecond: ['B1'] }, why: 'a counted lesion of one reader has no partner in the other read' },
      { visitCode: 'W52', region: 'optic_nerve', reader1: 0, reader2: 1, pairing: { pairs: [], onlyFirst: [], onlySecond: ['B2'] }, why: 'the counts differ' },
    ]);
  });
});

describe("an adjudicator's call", () => {
  const read = { visitCode: 'W24', region: 'brain' as const };
  const reader1 = [cell('W12', [at('B1', 10)]), { ...cell('W24', [at('B2', 40), at('B3', 60)]), new: 1, enlarging: 1 }];
  const reader2 = [cell('W12', [at('B1', 10)])];

  it("makes one reader's count of the read final, as they signed it", () => {
    expect(calledCount({ choice: 'reader1' }, read, reader1, reader2)).toEqual({ ...read, new: 1, enlarging: 1, newOrEnlarging: 2 });
    // Reader 2 has no W24 cell at all: their count there is zero.
    expect(calledCount({ choice: 'reader2' }, read, reader1, reader2)).toEqual({ ...read, new: 0, enlarging: 0, newOrEnlarging: 0 });
  });

  it("makes the adjudicator's own count final, whatever the readers said", () => {
    expect(calledCount({ choice: 'adjudicator', new: 0, enlarging: 3 }, read, reader1, reader2)).toEqual({ ...read, new: 0, enlarging: 3, newOrEnlarging: 3 });
  });
});

describe('the counted lesions of a read', () => {
  it("are the region's lesions counted at the visit, with their marked centre where there is one", () => {
    const marks = (x: number) => ({ centre: [x, 0, 0] as [number, number, number] });
    const lesions = [
      lesionView(1, { observations: [observationView('W0'), observationView('W12', { counted: true, marks: marks(10) })] }),
      lesionView(2, { observations: [observationView('W12', { counted: false, marks: marks(20) })] }),
      lesionView(3, { observations: [observationView('W12', { counted: true })] }),
      lesionView(4, { label: 'S1', region: 'spinal_cord', observations: [observationView('W12', { counted: true, marks: marks(30) })] }),
    ];
    expect(countedLesions(lesions, { visitCode: 'W12', region: 'brain' })).toEqual([
      { label: 'B1', centre: [10, 0, 0] },
      { label: 'B3', centre: null },
    ]);
    expect(countedLesions(lesions, { visitCode: 'W0', region: 'brain' })).toEqual([]);
  });
});
