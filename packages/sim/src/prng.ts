import { SimError } from './errors.js';

/**
 * The simulator's only source of randomness: xoshiro128** 1.0 (Blackman and Vigna, "Scrambled linear
 * pseudorandom number generators", 2018; reference code at prng.di.unimi.it), seeded through
 * SplitMix32 so that neighbouring seeds give unrelated streams. Each concern (delays, drops, faults,
 * values, ...) takes its own sub-stream via `fork(label)`, so adding draws to one concern leaves every
 * other concern's choices unchanged.
 */
export class Prng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** The 32-bit seed this stream was built from (after label mixing), for diagnostics. */
  readonly seed: number;

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new SimError('BAD_SEED', 'seed must be a non-negative safe integer', { seed });
    }
    // Fold the high bits in, so seeds beyond 2^32 still give distinct streams.
    const folded = (seed >>> 0) ^ Math.imul(Math.floor(seed / 2 ** 32) >>> 0, 0x9e3779b9);
    this.seed = folded >>> 0;
    const mix = splitMix32(this.seed);
    this.s0 = mix();
    this.s1 = mix();
    this.s2 = mix();
    this.s3 = mix();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // all-zero state is a fixed point
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A float in [0, 1) with 32 bits of randomness. */
  nextFloat(): number {
    return this.nextU32() / 2 ** 32;
  }

  /** An integer in [min, max] (both inclusive), without modulo bias. */
  int(min: number, max: number): number {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max < min || max - min >= 2 ** 32) {
      throw new SimError('BAD_RANGE', 'int() needs safe integers with min <= max < min + 2^32', { min, max });
    }
    const span = max - min + 1;
    if (span === 2 ** 32) return min + this.nextU32();
    // Rejection sampling: discard the top partial block of the 32-bit range.
    const limit = 2 ** 32 - (2 ** 32 % span);
    for (;;) {
      const x = this.nextU32();
      if (x < limit) return min + (x % span);
    }
  }

  /** True with probability p (p <= 0 never, p >= 1 always, and no draw is consumed in those cases). */
  chance(p: number): boolean {
    if (p <= 0) return false;
    if (p >= 1) return true;
    return this.nextFloat() < p;
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new SimError('BAD_RANGE', 'pick() from an empty array');
    return items[this.int(0, items.length - 1)]!;
  }

  /** A new array with the items in a uniformly random order (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }

  /** `k` distinct items, in random order. */
  sample<T>(items: readonly T[], k: number): T[] {
    if (k < 0 || k > items.length) throw new SimError('BAD_RANGE', 'sample size out of range', { k });
    return this.shuffle(items).slice(0, k);
  }

  /**
   * An independent sub-stream named by `label`. Depends only on this stream's seed and the label, not on
   * how many numbers were drawn here, so forks are stable when other code changes its draws.
   */
  fork(label: string): Prng {
    return new Prng(fnv1a32(`${this.seed}/${label}`));
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** SplitMix32 (a 32-bit variant of Steele, Lea and Flood's SplitMix, as used to seed xoshiro128). */
function splitMix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** FNV-1a, 32-bit: a stable hash of a label, used only to derive sub-stream seeds. */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
