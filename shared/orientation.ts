// The letters at the edges of an image (R/L, A/P, S/I): which way the
// patient lies on screen, from the image's row and column directions.

const LETTERS: readonly [string, string][] = [
  ['L', 'R'],
  ['P', 'A'],
  ['S', 'I'],
];

/** The patient direction a vector points to, strongest axis first (e.g. "LP" for an oblique). */
export function directionLetters(vector: readonly number[]): string {
  return [0, 1, 2]
    .filter((axis) => Math.abs(vector[axis]!) > 0.25)
    .sort((a, b) => Math.abs(vector[b]!) - Math.abs(vector[a]!))
    .map((axis) => LETTERS[axis]![vector[axis]! > 0 ? 0 : 1])
    .join('');
}

/** Labels for the right and bottom edges (where row and column indices grow) and the opposite edges. */
export function edgeLabels(orientation: readonly number[]): { left: string; right: string; top: string; bottom: string } {
  const row = orientation.slice(0, 3);
  const column = orientation.slice(3, 6);
  return {
    right: directionLetters(row),
    left: directionLetters(row.map((value) => -value)),
    bottom: directionLetters(column),
    top: directionLetters(column.map((value) => -value)),
  };
}
