import type { Fbas, QSet } from '../src/index.js';

/**
 * Brute-force oracle: every subset of a small network (at most 12 nodes), straight from the definitions in
 * docs/fbas.md, sharing no code with the library. Sets are bitmasks over node indices.
 */
export const ORACLE_NODES_MAX = 12;

function sat(q: QSet, set: number): boolean {
  let count = 0;
  for (const v of q.validators) if (set & (1 << v)) count++;
  for (const inner of q.inner) if (sat(inner, set)) count++;
  return count >= q.threshold;
}

export function bitsToList(b: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < 31; i++) if (b & (1 << i)) out.push(i);
  return out;
}

const subset = (a: number, b: number) => (a & ~b) === 0;

function minimal(sets: number[]): number[] {
  return sets.filter((s) => !sets.some((t) => t !== s && subset(t, s)));
}

export class Oracle {
  readonly n: number;
  readonly full: number;
  readonly quorums: number[];

  constructor(readonly fbas: Fbas) {
    this.n = fbas.nodes.length;
    if (this.n > ORACLE_NODES_MAX) throw new Error(`oracle is for at most ${ORACLE_NODES_MAX} nodes`);
    this.full = (1 << this.n) - 1;
    this.quorums = [];
    for (let s = 1; s <= this.full; s++) if (this.isQuorum(s)) this.quorums.push(s);
  }

  isQuorum(s: number): boolean {
    if (s === 0) return false;
    for (const v of bitsToList(s)) {
      const q = this.fbas.nodes[v]!.qset;
      if (q === null || !sat(q, s)) return false;
    }
    return true;
  }

  intersects(): boolean {
    return this.quorums.every((a) => this.quorums.every((b) => (a & b) !== 0));
  }

  minimalQuorums(): number[] {
    return minimal(this.quorums);
  }

  topTier(): number {
    return this.minimalQuorums().reduce((a, b) => a | b, 0);
  }

  /** B is blocking iff no quorum avoids it. */
  minimalBlockingSets(): number[] {
    const blocking: number[] = [];
    for (let b = 0; b <= this.full; b++) if (this.quorums.every((q) => (q & b) !== 0)) blocking.push(b);
    return minimal(blocking);
  }

  /** S is splitting iff some quorums Q1, Q2 have Q1 ∩ Q2 ⊆ S and each a member outside S. */
  isSplitting(s: number, quorums = this.quorums): boolean {
    for (const a of quorums) {
      if (subset(a, s)) continue;
      for (const b of quorums) if (!subset(b, s) && subset(a & b, s)) return true;
    }
    return false;
  }

  minimalSplittingSets(): number[] {
    const out: number[] = [];
    for (let s = 0; s <= this.full; s++) if (this.isSplitting(s)) out.push(s);
    return minimal(out);
  }

  /** Minimal sets of other nodes whose failure leaves `v` no quorum. */
  haltingSets(v: number): number[] {
    const mine = this.quorums.filter((q) => q & (1 << v));
    if (mine.length === 0) return [];
    const out: number[] = [];
    for (let f = 0; f <= this.full; f++) {
      if (f & (1 << v)) continue;
      if (mine.every((q) => (q & f) !== 0)) out.push(f);
    }
    return minimal(out);
  }

  /** Correct nodes in some quorum of correct nodes. */
  live(failed: number): number {
    return this.quorums.filter((q) => (q & failed) === 0).reduce((a, b) => a | b, 0);
  }

  intersectsWith(down: number, byzantine: number): boolean {
    const usable = this.quorums.filter((q) => (q & down) === 0);
    return !this.isSplitting(byzantine, usable);
  }
}

export function listsOf(masks: number[]): number[][] {
  return masks.map(bitsToList).sort(compareLists);
}

export function compareLists(a: number[], b: number[]): number {
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}
