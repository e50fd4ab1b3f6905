// Byte-level mutations of valid DICOM files for fuzzing the indexer: seeded,
// so a failure can be replayed from its seed and index.
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Mutation = 'flip' | 'random-run' | 'truncate' | 'huge-length' | 'duplicate' | 'zero-run' | 'undefined-length';

const MUTATIONS: readonly Mutation[] = ['flip', 'random-run', 'truncate', 'huge-length', 'duplicate', 'zero-run', 'undefined-length'];

/** A mutated copy of the bytes, aimed mostly at the header, where the parser works. */
export function mutate(original: Uint8Array, random: () => number): { bytes: Uint8Array; mutation: Mutation } {
  const mutation = MUTATIONS[Math.floor(random() * MUTATIONS.length)]!;
  const headerEnd = Math.min(original.length, 4096);
  const at = Math.floor(random() * headerEnd);
  const bytes = new Uint8Array(original);
  switch (mutation) {
    case 'flip':
      for (let count = 1 + Math.floor(random() * 8); count > 0; count -= 1) {
        const index = Math.floor(random() * headerEnd);
        bytes[index] = bytes[index]! ^ (1 << Math.floor(random() * 8));
      }
      return { bytes, mutation };
    case 'random-run':
      for (let index = at; index < Math.min(bytes.length, at + 1 + Math.floor(random() * 64)); index += 1) bytes[index] = Math.floor(random() * 256);
      return { bytes, mutation };
    case 'zero-run':
      bytes.fill(0, at, Math.min(bytes.length, at + 1 + Math.floor(random() * 256)));
      return { bytes, mutation };
    case 'truncate':
      return { bytes: original.slice(0, Math.floor(random() * original.length)), mutation };
    case 'huge-length': {
      // Four bytes that, read as a length, claim up to 4 GB.
      const view = new DataView(bytes.buffer);
      if (at + 4 <= bytes.length) view.setUint32(at, 0xfffffff0 - Math.floor(random() * 1024), true);
      return { bytes, mutation };
    }
    case 'undefined-length': {
      const view = new DataView(bytes.buffer);
      if (at + 4 <= bytes.length) view.setUint32(at, 0xffffffff, true);
      return { bytes, mutation };
    }
    case 'duplicate': {
      const length = Math.floor(random() * 512);
      const copy = original.slice(at, at + length);
      const out = new Uint8Array(original.length + copy.length);
      out.set(original.slice(0, at), 0);
      out.set(copy, at);
      out.set(original.slice(at), at + copy.length);
      return { bytes: out, mutation };
    }
  }
}
