// Which lesion marks of two readers are the same lesion: the marks of one
// visit and region, paired one to one by position, for the lesion-wise
// agreement of a double read (lesionF1 in shared/agreement.ts).
import { norm, sub, type Vec3 } from './vector';

/**
 * 5 mm between the two marks' centres. A mark is where the reader clicked
 * (patient coordinates, mm). Two readers of one lesion can mark it a slice
 * apart (3 to 4 mm on the trial's axial FLAIR) and a millimetre or two apart
 * in plane, on lesions counted from 3 mm across: 5 mm takes in both, while a
 * larger tolerance would start pairing a lesion with its neighbour.
 */
export const DEFAULT_PAIRING_TOLERANCE_MM = 5;

export interface LesionMark {
  id: string;
  centre: Vec3;
}

export interface MarkPair {
  first: string;
  second: string;
  distanceMm: number;
}

export interface ReaderPairing {
  /** In the order of the first reader's mark ids. */
  pairs: MarkPair[];
  /** Ids in order. */
  onlyFirst: string[];
  onlySecond: string[];
}

/** Totals that differ by less than this (mm) are the same total: only rounding tells them apart. */
const SAME_TOTAL_MM = 1e-9;

/**
 * Pairs the first reader's marks with the second's: the one-to-one pairing,
 * among marks within `toleranceMm` of each other, with the most pairs, and
 * among those the least total distance. Ties go by id (code-unit order):
 * each first mark in turn takes the earliest second mark that still allows
 * a best pairing, or stays unpaired, so the answer does not depend on the
 * order of the input.
 */
export function pairReaderMarks(first: readonly LesionMark[], second: readonly LesionMark[], toleranceMm: number = DEFAULT_PAIRING_TOLERANCE_MM): ReaderPairing {
  if (!(toleranceMm >= 0 && Number.isFinite(toleranceMm))) throw new RangeError(`the tolerance must be a distance of 0 mm or more, not ${toleranceMm}`);
  const firsts = sortedById(first, 'first');
  const seconds = sortedById(second, 'second');
  const distances = firsts.map((a) => seconds.map((b) => norm(sub(a.centre, b.centre))));
  const distance = (row: number, column: number) => distances[row]![column]!;
  const within = (row: number, column: number) => distance(row, column) <= toleranceMm;
  // One cost orders pairings by number of pairs, then total distance: a pair
  // within tolerance earns more than any pairing's total distance can be.
  const pairReward = toleranceMm * Math.min(firsts.length, seconds.length) + 1;
  const cost = (row: number, column: number) => (within(row, column) ? distance(row, column) - pairReward : 0);

  let rows = firsts.map((_, index) => index);
  let columns = seconds.map((_, index) => index);
  const best = leastAssignmentCost(rows, columns, cost);
  let settledCost = 0;
  const chosen: [number, number][] = [];
  for (const row of firsts.keys()) {
    rows = rows.filter((other) => other !== row);
    const column = columns.find(
      (candidate) =>
        within(row, candidate) &&
        settledCost + cost(row, candidate) + leastAssignmentCost(rows, columns.filter((other) => other !== candidate), cost) <= best + SAME_TOTAL_MM,
    );
    if (column === undefined) continue;
    chosen.push([row, column]);
    settledCost += cost(row, column);
    columns = columns.filter((other) => other !== column);
  }
  const pairedRows = new Set(chosen.map(([row]) => row));
  const pairedColumns = new Set(chosen.map(([, column]) => column));
  return {
    pairs: chosen.map(([row, column]) => ({ first: firsts[row]!.id, second: seconds[column]!.id, distanceMm: distance(row, column) })),
    onlyFirst: firsts.filter((_, row) => !pairedRows.has(row)).map((mark) => mark.id),
    onlySecond: seconds.filter((_, column) => !pairedColumns.has(column)).map((mark) => mark.id),
  };
}

function sortedById(marks: readonly LesionMark[], reader: string): LesionMark[] {
  const sorted = [...marks].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const repeated = sorted.find((mark, index) => index > 0 && sorted[index - 1]!.id === mark.id);
  if (repeated) throw new RangeError(`the ${reader} reader's marks repeat the id ${repeated.id}`);
  return sorted;
}

/**
 * The least total `cost` of a one-to-one assignment of `rows` to `columns`,
 * where a row or column left without a partner costs nothing: the
 * Hungarian method (Kuhn–Munkres with potentials, O(n³)) on the square
 * matrix padded with zeros.
 */
function leastAssignmentCost(rows: readonly number[], columns: readonly number[], cost: (row: number, column: number) => number): number {
  const size = Math.max(rows.length, columns.length);
  // 1-based below; row and column 0 are the algorithm's sentinels.
  const entry = (row: number, column: number) => (row <= rows.length && column <= columns.length ? cost(rows[row - 1]!, columns[column - 1]!) : 0);
  const rowPotential = new Array<number>(size + 1).fill(0);
  const columnPotential = new Array<number>(size + 1).fill(0);
  /** The row assigned to each column (0: none yet). */
  const rowOf = new Array<number>(size + 1).fill(0);
  const previousColumn = new Array<number>(size + 1).fill(0);
  for (let row = 1; row <= size; row += 1) {
    // Grow a shortest augmenting path from `row`, in reduced costs, to a free column.
    rowOf[0] = row;
    let column = 0;
    const slack = new Array<number>(size + 1).fill(Infinity);
    const visited = new Array<boolean>(size + 1).fill(false);
    do {
      visited[column] = true;
      const pathRow = rowOf[column]!;
      let delta = Infinity;
      let nextColumn = 0;
      for (let candidate = 1; candidate <= size; candidate += 1) {
        if (visited[candidate]) continue;
        const reduced = entry(pathRow, candidate) - rowPotential[pathRow]! - columnPotential[candidate]!;
        if (reduced < slack[candidate]!) {
          slack[candidate] = reduced;
          previousColumn[candidate] = column;
        }
        if (slack[candidate]! < delta) {
          delta = slack[candidate]!;
          nextColumn = candidate;
        }
      }
      for (let candidate = 0; candidate <= size; candidate += 1) {
        if (visited[candidate]) {
          rowPotential[rowOf[candidate]!]! += delta;
          columnPotential[candidate]! -= delta;
        } else {
          slack[candidate]! -= delta;
        }
      }
      column = nextColumn;
    } while (rowOf[column] !== 0);
    // Flip the path: each column on it takes the row of the column before it.
    while (column !== 0) {
      const before = previousColumn[column]!;
      rowOf[column] = rowOf[before]!;
      column = before;
    }
  }
  let total = 0;
  for (let column = 1; column <= size; column += 1) total += entry(rowOf[column]!, column);
  return total;
}
