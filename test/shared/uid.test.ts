import { describe, expect, it } from 'vitest';
import { bitsFromBytes, uidFromBits } from '../../shared/uid';

const TWO_128 = 1n << 128n;
const integerOf = (uid: string) => BigInt(uid.slice('2.25.'.length));

describe('2.25 UIDs', () => {
  it('are UUIDs (version 8, RFC 9562 variant) read as one integer below 2^128', () => {
    for (const bits of [0n, 1n, TWO_128 - 1n, 0x0123456789abcdef0123456789abcdefn]) {
      const uid = uidFromBits(bits);
      expect(uid).toMatch(/^2\.25\.(0|[1-9][0-9]*)$/);
      expect(uid.length).toBeLessThanOrEqual(64);
      const value = integerOf(uid);
      expect(value).toBeLessThan(TWO_128);
      expect((value >> 76n) & 0xfn).toBe(8n);
      expect((value >> 62n) & 0x3n).toBe(2n);
    }
  });

  it('ignore bits above 128 and keep every other bit', () => {
    const bits = 0x0123456789abcdef0123456789abcdefn;
    expect(uidFromBits(bits | (5n << 130n))).toBe(uidFromBits(bits));
    expect(uidFromBits(bits)).not.toBe(uidFromBits(bits ^ 1n));
  });

  it('take the first 16 bytes of a digest, big-endian', () => {
    const bytes = Uint8Array.from({ length: 32 }, (_, index) => index);
    expect(bitsFromBytes(bytes)).toBe(0x000102030405060708090a0b0c0d0e0fn);
    expect(() => bitsFromBytes(new Uint8Array(15))).toThrow(/at least 16 bytes/);
  });
});
