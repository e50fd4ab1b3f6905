// Seeded randomness for the synthetic trial: a string hash, a small fast
// generator, and DICOM UIDs derived from names. Everything here is a pure
// function of its inputs, so a seed always gives the same trial, byte for byte.
import { uidFromBits } from '../uid';

/** 128 bits of a string (cyrb128, public domain), as four unsigned 32-bit words. */
export function hash128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i += 1) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/**
 * sfc32, a small fast generator with 128 bits of state. Seeded from a key
 * (any string), so independent streams come from independent names
 * ("seed|participant 3|design") and changing one never shifts another.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(key: string) {
    [this.a, this.b, this.c, this.d] = hash128(key);
    for (let i = 0; i < 12; i += 1) this.next();
  }

  /** An unsigned 32-bit integer. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next() / 4294967296;
  }

  /** Uniform in [low, high). */
  range(low: number, high: number): number {
    return low + (high - low) * this.float();
  }

  /** An integer in [low, high], both included. */
  int(low: number, high: number): number {
    return low + Math.floor(this.float() * (high - low + 1));
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  /** -1 or +1. */
  sign(): number {
    return this.next() & 1 ? 1 : -1;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.float() * items.length)]!;
  }

  /** A standard normal deviate (Box-Muller). */
  normal(): number {
    const u = 1 - this.float();
    const v = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i -= 1) {
      const j = Math.floor(this.float() * (i + 1));
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy;
  }
}

/**
 * A DICOM UID "2.25.<n>" with n a 128-bit integer derived from a name. The
 * same name always gives the same UID; names include the seed, so two demo
 * trials never collide.
 */
export function uidFromName(name: string): string {
  const rng = new Rng(`uid|${name}`);
  let value = 0n;
  for (let i = 0; i < 4; i += 1) value = (value << 32n) | BigInt(rng.next());
  return uidFromBits(value);
}

let gaussianTable: Float32Array | null = null;

/**
 * 4,096 standard normal deviates from a fixed stream (16 KB: stays in the
 * CPU's first-level cache). Image noise indexes it with a seeded generator,
 * one 32-bit draw giving two deviates: much faster than Box-Muller per pixel,
 * and still deterministic.
 */
export function gaussianNoiseTable(): Float32Array {
  if (gaussianTable === null) {
    const rng = new Rng('lesiontrack synthetic noise table');
    const table = new Float32Array(4096);
    for (let i = 0; i < table.length; i += 1) table[i] = rng.normal();
    gaussianTable = table;
  }
  return gaussianTable;
}
