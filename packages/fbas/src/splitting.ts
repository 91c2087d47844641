import { minimalBitsets, Universe } from './bits.js';
import type { Budget } from './budget.js';
import { compareSets, minimalQuorums } from './minimal-quorums.js';
import { type Mask, membersOf, type QuorumEngine } from './quorums.js';

/**
 * Minimal splitting sets. A set S is splitting when, were its members Byzantine, two correct nodes could
 * be led to different values: there are quorums Q1, Q2 with Q1 ∩ Q2 ⊆ S and each with a member outside S.
 *
 * With two or more minimal quorums, the minimal splitting sets are the minimal pairwise intersections of
 * distinct minimal quorums (any witness pair contains minimal quorums M1 ⊆ Q1, M2 ⊆ Q2; if M1 = M2 then S
 * contains a whole minimal quorum and so the intersection of it with any other). With exactly one minimal
 * quorum, witnesses are pairs of node-minimal quorums (minimal among those containing a node a, resp. b,
 * with a ∉ Q2 and b ∉ Q1), which this falls back to. An empty splitting set means no intersection.
 */
export function minimalSplittingSets(
  engine: QuorumEngine,
  minQuorums: readonly number[][],
  quorumNodes: Mask,
  budget: Budget,
): number[][] {
  if (minQuorums.length === 0) return [];
  if (minQuorums.length >= 2) return minimalPairwiseIntersections(minQuorums, budget);
  const perNode = membersOf(quorumNodes).map((a) => ({
    a,
    qs: minimalQuorums(engine, quorumNodes, budget, a),
  }));
  const candidates: number[][] = [];
  for (const x of perNode) {
    for (const y of perNode) {
      if (y.a <= x.a) continue;
      for (const qa of x.qs) {
        if (qa.includes(y.a)) continue;
        for (const qb of y.qs) {
          budget.check();
          if (qb.includes(x.a)) continue;
          candidates.push(qa.filter((v) => qb.includes(v)));
        }
      }
    }
  }
  const u = new Universe(candidates);
  return minimalBitsets(
    candidates.map((c) => u.toBits(c)),
    () => budget.check(),
  )
    .map((b) => u.fromBits(b))
    .sort(compareSets);
}

function minimalPairwiseIntersections(sets: readonly number[][], budget: Budget): number[][] {
  const u = new Universe(sets);
  const bits = sets.map((s) => u.toBits(s));
  const distinct: Uint32Array[] = [];
  if (u.words === 1) {
    // Fast path (universe of at most 32 nodes, as in every real top tier so far): plain numbers, and for
    // at most 24 nodes a byte per possible intersection instead of a hash set.
    const words = Uint32Array.from(bits.map((b) => b[0]!));
    if (u.size <= 24) {
      const seenBits = new Uint8Array(1 << u.size);
      for (let i = 0; i < words.length; i++) {
        budget.check();
        const wi = words[i]!;
        for (let j = i + 1; j < words.length; j++) seenBits[wi & words[j]!] = 1;
      }
      // Minimal elements straight on the table: bit 2 marks masks with a family member strictly inside.
      for (let w = 0; w < seenBits.length; w++) {
        if ((w & 0xffff) === 0) budget.checkNow();
        for (let rest = w; rest !== 0; rest &= rest - 1) {
          if (seenBits[w ^ (rest & -rest)] !== 0) {
            seenBits[w]! |= 2;
            break;
          }
        }
      }
      const out: number[][] = [];
      for (let w = 0; w < seenBits.length; w++)
        if (seenBits[w] === 1) out.push(u.fromBits(Uint32Array.of(w)));
      return out.sort(compareSets);
    } else {
      // 25-32 nodes (2019-05-15 during the halt: 27 nodes, 2,864 minimal quorums, 148,079 distinct
      // intersections of 4.1 million pairs): distinct intersections, then minimal elements, on numbers.
      return minimalWords(distinctIntersections(words, u.size, budget), budget)
        .map((w) => u.fromBits(Uint32Array.of(w)))
        .sort(compareSets);
    }
  } else {
    const seen = new Map<string, Uint32Array>();
    for (let i = 0; i < bits.length; i++) {
      budget.check();
      for (let j = i + 1; j < bits.length; j++) {
        const x = bits[i]!.map((w, k) => w & bits[j]![k]!);
        seen.set(x.join(','), x);
      }
    }
    distinct.push(...seen.values());
  }
  return minimalBitsets(distinct, () => budget.check())
    .map((b) => u.fromBits(b))
    .sort(compareSets);
}

/**
 * The distinct pairwise intersections of `words` (sets over `size` <= 32 nodes): up to 28 nodes a bit per
 * possible intersection (at most 32 MB), beyond that a hash set.
 */
export function distinctIntersections(words: Uint32Array, size: number, budget: Budget): Uint32Array {
  if (size <= 28) {
    const seen = new Int32Array(Math.max(1, 2 ** size / 32));
    for (let i = 0; i < words.length; i++) {
      budget.check();
      const wi = words[i]!;
      for (let j = i + 1; j < words.length; j++) {
        const x = wi & words[j]!;
        seen[x >>> 5]! |= 1 << (x & 31);
      }
    }
    const out: number[] = [];
    for (let w = 0; w < seen.length; w++) {
      let word = seen[w]!;
      while (word !== 0) {
        const low = word & -word;
        word ^= low;
        out.push(w * 32 + 31 - Math.clz32(low));
      }
    }
    return Uint32Array.from(out);
  }
  const seen = new NumberSet();
  for (let i = 0; i < words.length; i++) {
    budget.check();
    const wi = words[i]!;
    for (let j = i + 1; j < words.length; j++) seen.add((wi & words[j]!) >>> 0);
  }
  return seen.values();
}

/** A set of 32-bit numbers: open addressing over a Uint32Array (0 marks a free slot, kept aside). */
export class NumberSet {
  private table = new Uint32Array(1 << 12);
  private count = 0;
  private hasZero = false;

  add(x: number): void {
    if (x === 0) {
      this.hasZero = true;
      return;
    }
    const mask = this.table.length - 1;
    let i = Math.imul(x, 0x9e3779b1) >>> 0;
    for (;;) {
      i &= mask;
      const y = this.table[i]!;
      if (y === x) return;
      if (y === 0) break;
      i++;
    }
    this.table[i] = x;
    if (++this.count * 2 > this.table.length) this.grow();
  }

  private grow(): void {
    const old = this.table;
    this.table = new Uint32Array(old.length * 2);
    this.count = 0;
    for (const x of old) if (x !== 0) this.add(x);
  }

  values(): Uint32Array {
    const out = new Uint32Array(this.count + (this.hasZero ? 1 : 0));
    let k = 0;
    if (this.hasZero) out[k++] = 0;
    for (const x of this.table) if (x !== 0) out[k++] = x;
    return out;
  }
}

/** Minimal elements (under inclusion) of distinct 32-bit sets: by size, each kept unless one kept is inside. */
export function minimalWords(sets: Uint32Array, budget: Budget): number[] {
  const bySize: number[][] = Array.from({ length: 33 }, () => []);
  for (const w of sets) bySize[popcount32(w)]!.push(w);
  const kept = new Uint32Array(sets.length);
  let n = 0;
  for (const bucket of bySize) {
    const before = n; // sets of the same size cannot contain one another
    for (const w of bucket) {
      budget.check();
      let dominated = false;
      for (let k = 0; k < before; k++) {
        if ((kept[k]! & ~w) === 0) {
          dominated = true;
          break;
        }
      }
      if (!dominated) kept[n++] = w;
    }
  }
  return Array.from(kept.subarray(0, n));
}

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
