/**
 * A Bloom filter over entity keys: whether an entity may ever have been stored, in a fixed amount of memory.
 * `mayHave` never answers false for a key that was added; it answers true for a key that was not with a small
 * probability (about 0.01% at 2.5 million keys, 4% at 10 million, with the default 8 MiB).
 */
const HASHES = 5;

/** A 32-bit hash of `text` (FNV-1a) finished with murmur3's mixer, from `seed`. */
function hash(text: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class KeyFilter {
  readonly #bits: Uint32Array;
  readonly #mask: number;

  /** A filter of 2^`log2Bits` bits (default 2^26: 8 MiB). */
  constructor(log2Bits = 26) {
    if (!Number.isInteger(log2Bits) || log2Bits < 5 || log2Bits > 31) {
      throw new RangeError(`log2Bits must be an integer from 5 to 31, got ${log2Bits}`);
    }
    this.#bits = new Uint32Array(2 ** (log2Bits - 5));
    this.#mask = 2 ** log2Bits - 1;
  }

  add(key: string): void {
    this.#probe(key, (word, bit) => {
      this.#bits[word] |= bit;
      return true;
    });
  }

  mayHave(key: string): boolean {
    return this.#probe(key, (word, bit) => (this.#bits[word] & bit) !== 0);
  }

  /** Visits the key's bits (double hashing) while `visit` answers true; whether it always did. */
  #probe(key: string, visit: (word: number, bit: number) => boolean): boolean {
    const h1 = hash(key, 0x811c9dc5);
    const h2 = hash(key, 0x9747b28c) | 1;
    for (let i = 0; i < HASHES; i += 1) {
      const position = ((h1 + Math.imul(i, h2)) >>> 0) & this.#mask;
      if (!visit(position >>> 5, 1 << (position & 31))) return false;
    }
    return true;
  }
}
