// Pairing two readers' lesion marks: hand-worked cases where pairing the
// nearest marks first goes wrong, ties, the tolerance's edge and empty
// sides; then seeded clusters of marks against every possible pairing.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PAIRING_TOLERANCE_MM, type LesionMark, pairReaderMarks, type ReaderPairing } from '../../shared/reader-pairing';
import { Rng } from '../../shared/synthetic/random';

/** A mark on the x axis (mm), or anywhere with `y` and `z`. */
const mark = (id: string, x: number, y = 0, z = 0): LesionMark => ({ id, centre: [x, y, z] });

describe('pairReaderMarks', () => {
  it('pairs as many marks as it can, where pairing the nearest first would leave one out', () => {
    // Nearest first takes A–X (2.5 mm) and leaves B with nothing within 5 mm.
    const pairing = pairReaderMarks([mark('A', 0), mark('B', 6)], [mark('X', 2.5), mark('Y', -3)], 5);
    expect(pairing).toEqual({
      pairs: [
        { first: 'A', second: 'Y', distanceMm: 3 },
        { first: 'B', second: 'X', distanceMm: 3.5 },
      ],
      onlyFirst: [],
      onlySecond: [],
    });
  });

  it('among pairings with as many pairs, takes the least total distance, where the nearest first would not', () => {
    // Nearest first: B–X (0.9) then A–Y (3.5), 4.4 mm in all; A–X and B–Y make 2.6 mm.
    const pairing = pairReaderMarks([mark('A', 0), mark('B', 1.9)], [mark('X', 1), mark('Y', 3.5)], 5);
    expect(pairing.pairs.map(({ first, second }) => `${first}–${second}`)).toEqual(['A–X', 'B–Y']);
    expect(pairing.pairs[1]!.distanceMm).toBeCloseTo(1.6, 12);
  });

  it('breaks a tie by id: the earliest first mark takes the earliest second mark, whatever the order given', () => {
    // A square of side 2 mm: A–X with B–Y, or A–Y with B–X, 4 mm either way.
    const first = [mark('A', 0, 0), mark('B', 2, 2)];
    const second = [mark('X', 2, 0), mark('Y', 0, 2)];
    const expected: ReaderPairing = {
      pairs: [
        { first: 'A', second: 'X', distanceMm: 2 },
        { first: 'B', second: 'Y', distanceMm: 2 },
      ],
      onlyFirst: [],
      onlySecond: [],
    };
    expect(pairReaderMarks(first, second)).toEqual(expected);
    expect(pairReaderMarks([...first].reverse(), [...second].reverse())).toEqual(expected);
    // One second mark halfway between two first marks goes to the earlier id.
    expect(pairReaderMarks([mark('B', 3), mark('A', -3)], [mark('X', 0)])).toEqual({ pairs: [{ first: 'A', second: 'X', distanceMm: 3 }], onlyFirst: ['B'], onlySecond: [] });
  });

  it('pairs marks exactly the tolerance apart, and none farther', () => {
    const first = [mark('A', 0)];
    const fiveApart = [mark('X', 3, 4)];
    expect(DEFAULT_PAIRING_TOLERANCE_MM).toBe(5);
    expect(pairReaderMarks(first, fiveApart).pairs).toEqual([{ first: 'A', second: 'X', distanceMm: 5 }]);
    expect(pairReaderMarks(first, fiveApart, 4.999)).toEqual({ pairs: [], onlyFirst: ['A'], onlySecond: ['X'] });
    expect(pairReaderMarks(first, [mark('X', 0)], 0).pairs).toEqual([{ first: 'A', second: 'X', distanceMm: 0 }]);
  });

  it('leaves every mark unpaired when one side is empty, in id order', () => {
    const marks = [mark('C', 0), mark('A', 1), mark('B', 2)];
    expect(pairReaderMarks(marks, [])).toEqual({ pairs: [], onlyFirst: ['A', 'B', 'C'], onlySecond: [] });
    expect(pairReaderMarks([], marks)).toEqual({ pairs: [], onlyFirst: [], onlySecond: ['A', 'B', 'C'] });
    expect(pairReaderMarks([], [])).toEqual({ pairs: [], onlyFirst: [], onlySecond: [] });
  });

  it('refuses a repeated id on one side and a tolerance that is not a distance', () => {
    expect(() => pairReaderMarks([mark('A', 0), mark('A', 9)], [])).toThrow("the first reader's marks repeat the id A");
    expect(() => pairReaderMarks([mark('A', 0)], [mark('A', 1)], -1)).toThrow('the tolerance must be a distance of 0 mm or more, not -1');
  });

  it('finds the pairing every possible pairing would choose, on seeded clusters of marks', () => {
    const rng = new Rng('reader pairing');
    const differing: unknown[] = [];
    for (let round = 0; round < 300; round += 1) {
      // Up to 5 marks a reader in a 12 mm cube: most marks have two or three candidates.
      const marks = (prefix: string) => Array.from({ length: rng.int(0, 5) }, (_, index) => mark(`${prefix}${index}`, rng.range(0, 12), rng.range(0, 12), rng.range(0, 12)));
      const first = marks('F');
      const second = marks('S');
      const found = pairReaderMarks(first, second);
      const expected = bestByEnumeration(first, second, DEFAULT_PAIRING_TOLERANCE_MM);
      const pairsOf = (pairing: ReaderPairing) => pairing.pairs.map(({ first: a, second: b }) => `${a}–${b}`);
      if (pairsOf(found).join() !== expected.join()) differing.push({ first, second, found: pairsOf(found), expected });
    }
    expect(differing).toEqual([]);
  });
});

/**
 * The oracle: every one-to-one pairing within tolerance, in order (first
 * marks by id, each paired with a second mark by id, else unpaired), keeping
 * the first with the most pairs and then the least total distance.
 */
function bestByEnumeration(first: readonly LesionMark[], second: readonly LesionMark[], tolerance: number): string[] {
  const byId = (a: LesionMark, b: LesionMark) => (a.id < b.id ? -1 : 1);
  const firsts = [...first].sort(byId);
  const seconds = [...second].sort(byId);
  const apart = (a: LesionMark, b: LesionMark) => Math.hypot(a.centre[0] - b.centre[0], a.centre[1] - b.centre[1], a.centre[2] - b.centre[2]);
  let best = { pairs: [] as string[], total: 0 };
  const visit = (index: number, used: ReadonlySet<string>, pairs: string[], total: number) => {
    if (index === firsts.length) {
      if (pairs.length > best.pairs.length || (pairs.length === best.pairs.length && total < best.total - 1e-9)) best = { pairs, total };
      return;
    }
    const a = firsts[index]!;
    for (const b of seconds) {
      if (!used.has(b.id) && apart(a, b) <= tolerance) visit(index + 1, new Set([...used, b.id]), [...pairs, `${a.id}–${b.id}`], total + apart(a, b));
    }
    visit(index + 1, used, pairs, total);
  };
  visit(0, new Set(), [], 0);
  return best.pairs;
}
