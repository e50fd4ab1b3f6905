// Values rounded to a fixed number of decimals for storage and truth files:
// enough to keep what a millimetre or a degree needs, short to read.

/** The value rounded to `decimals` places, halves upwards as Math.round does. */
export function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** Each coordinate rounded to `decimals` places. */
export function roundPoint(point: readonly number[], decimals: number): [number, number, number] {
  return [roundTo(point[0]!, decimals), roundTo(point[1]!, decimals), roundTo(point[2]!, decimals)];
}
