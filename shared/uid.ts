// DICOM UIDs of the form "2.25.<n>" (PS3.5 B.2): n is a UUID read as one
// integer, below 2^128. dcmjs's own uid() often goes above 2^128, which is
// invalid, so every UID LesionTrack writes comes from here.

const TWO_128 = 1n << 128n;

/** A "2.25." UID from 128 bits, marked as a UUID (version 8, "custom"; RFC 9562 variant). */
export function uidFromBits(bits: bigint): string {
  let value = bits & (TWO_128 - 1n);
  value = (value & ~(0xfn << 76n)) | (0x8n << 76n);
  value = (value & ~(0x3n << 62n)) | (0x2n << 62n);
  return `2.25.${value.toString()}`;
}

/** The first 16 bytes of a digest (or any byte string) as 128 bits. */
export function bitsFromBytes(bytes: Uint8Array): bigint {
  if (bytes.length < 16) throw new RangeError('a UID needs at least 16 bytes');
  let value = 0n;
  for (let i = 0; i < 16; i += 1) value = (value << 8n) | BigInt(bytes[i]!);
  return value;
}
