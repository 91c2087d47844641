/**
 * Bitsets over a small universe (the nodes that occur in a family of sets), for the set-family work
 * (hitting sets, pairwise intersections, minimal elements) where arrays of indices would be too slow.
 */
export class Universe {
  readonly elements: number[];
  readonly words: number;
  private readonly pos: Map<number, number>;

  constructor(sets: readonly (readonly number[])[]) {
    const all = new Set<number>();
    for (const s of sets) for (const x of s) all.add(x);
    this.elements = [...all].sort((a, b) => a - b);
    this.pos = new Map(this.elements.map((e, i) => [e, i]));
    this.words = Math.max(1, Math.ceil(this.elements.length / 32));
  }

  toBits(set: readonly number[]): Uint32Array {
    const b = new Uint32Array(this.words);
    for (const x of set) {
      const p = this.pos.get(x)!;
      b[p >>> 5]! |= 1 << (p & 31);
    }
    return b;
  }

  fromBits(b: Uint32Array): number[] {
    const out: number[] = [];
    for (let w = 0; w < b.length; w++) {
      let word = b[w]!;
      while (word !== 0) {
        const low = word & -word;
        out.push(this.elements[w * 32 + 31 - Math.clz32(low)]!);
        word ^= low;
      }
    }
    return out;
  }

  toBitsFromPositions(positions: readonly number[]): Uint32Array {
    const b = new Uint32Array(this.words);
    for (const p of positions) b[p >>> 5]! |= 1 << (p & 31);
    return b;
  }

  /** Local position of each element (0..size-1) in a set, for per-element bookkeeping. */
  positions(set: readonly number[]): number[] {
    return set.map((x) => this.pos.get(x)!);
  }

  get size(): number {
    return this.elements.length;
  }
}

export function popcount(b: Uint32Array): number {
  let c = 0;
  for (let w = 0; w < b.length; w++) {
    let x = b[w]!;
    x -= (x >>> 1) & 0x55555555;
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    c += (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }
  return c;
}

export function isSubset(a: Uint32Array, b: Uint32Array): boolean {
  for (let w = 0; w < a.length; w++) if ((a[w]! & ~b[w]!) !== 0) return false;
  return true;
}

/** Minimal elements of a family of bitsets (duplicates dropped). */
export function minimalBitsets(sets: Uint32Array[], check?: () => void): Uint32Array[] {
  const sorted = sets.map((s) => ({ s, c: popcount(s) })).sort((a, b) => a.c - b.c);
  const kept: Uint32Array[] = [];
  for (const { s } of sorted) {
    check?.();
    let dominated = false;
    for (const k of kept) {
      if (isSubset(k, s)) {
        dominated = true;
        break;
      }
    }
    if (!dominated) kept.push(s);
  }
  return kept;
}
