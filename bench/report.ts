// The one line format of `npm run bench`: {case, metric, unit, value, peer, peer_value, ratio}.
export interface Result {
  case: string;
  metric: string;
  unit: string;
  value: number;
  peer?: string;
  peer_value?: number;
  ratio?: number;
}

export function emit(result: Result): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

export function round(value: number, digits = 1): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
