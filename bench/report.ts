// The one line format of `npm run bench`: {case, metric, unit, value, peer,
// peer_value, ratio, note}, and the three kinds of line: a figure beside a
// peer doing the same work, a peer that could not run (no value, a note
// saying why), and a scaling line (the same work beside a smaller run of it).
export interface Result {
  case: string;
  metric: string;
  unit: string;
  value: number;
  peer?: string;
  /** null when the peer could not run. */
  peer_value?: number | null;
  ratio?: number | null;
  /** Why the peer has no value. */
  note?: string;
}

export type Figure = Pick<Result, 'case' | 'metric' | 'unit' | 'value'>;

export function emit(result: Result): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** The middle value (the upper one of an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export function round(value: number, digits = 1): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** Our figure beside a peer doing the same work on the same threads and rounds; ratio is ours over the peer. */
export function compare(figure: Figure, peer: string, peerValue: number): void {
  emit({ ...figure, value: round(figure.value), peer, peer_value: round(peerValue), ratio: round(figure.value / peerValue, 3) });
}

/** A peer that could not run still gets its line, with no value and the reason. */
export function peerNotRun(figure: Figure, peer: string, note: string): void {
  emit({ ...figure, value: round(figure.value), peer, peer_value: null, ratio: null, note });
}

/**
 * How a figure grows with the size of the work: the metric starts with
 * "scaling", the peer is "smaller run: ..." and the ratio is larger run over
 * smaller run (for a throughput, 1 means it scales linearly), not ours over a peer.
 */
export function scaling(figure: Figure, smallerRun: string, smallerValue: number): void {
  emit({ ...figure, metric: `scaling, ${figure.metric}`, value: round(figure.value), peer: `smaller run: ${smallerRun}`, peer_value: round(smallerValue), ratio: round(figure.value / smallerValue, 3) });
}
