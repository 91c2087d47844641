import { popcount, Universe } from './bits.js';
import type { Budget } from './budget.js';
import { compareSets } from './minimal-quorums.js';

/**
 * All minimal hitting sets (minimal transversals) of a family of node sets, by MMCS (Murakami and Uno,
 * "Efficient algorithms for dualizing large-scale hypergraphs", 2014): branch on the elements of an
 * uncovered set, keep every chosen element critical (the only hitter of some set), and never reconsider an
 * element before its siblings are done. Each minimal hitting set is produced exactly once.
 *
 * A set whose failure hits every minimal quorum leaves no quorum: minimal blocking sets are the minimal
 * hitting sets of the minimal quorums (fbas_analyzer's definition).
 */
const SCAN_MAX = 64;

export function minimalHittingSets(
  family: readonly number[][],
  budget: Budget,
  maxSize: number = Number.POSITIVE_INFINITY,
): number[][] {
  if (family.length === 0) return [];
  if (family.some((s) => s.length === 0)) return []; // an empty set cannot be hit
  const u = new Universe(family);
  const sets = family.map((s) => u.toBits(s));
  const m = sets.length;
  const k = u.size;
  const setsOf: number[][] = Array.from({ length: k }, () => []);
  family.forEach((s, j) => {
    for (const p of u.positions(s)) setsOf[p]!.push(j);
  });
  const hitCount = new Int32Array(m);
  const hitterSum = new Int32Array(m); // with hitCount 1, this is the sole hitter
  const critCount = new Int32Array(k);
  let uncovered = m;
  const chosen: number[] = [];
  const out: number[][] = [];
  const cand = new Uint32Array(u.words).fill(0xffffffff);

  const add = (e: number): void => {
    for (const j of setsOf[e]!) {
      if (hitCount[j] === 0) {
        critCount[e]!++;
        uncovered--;
      } else if (hitCount[j] === 1) critCount[hitterSum[j]!]!--;
      hitCount[j]!++;
      hitterSum[j]! += e;
    }
    chosen.push(e);
  };
  const remove = (e: number): void => {
    chosen.pop();
    for (const j of setsOf[e]!) {
      hitCount[j]!--;
      hitterSum[j]! -= e;
      if (hitCount[j] === 0) {
        critCount[e]!--;
        uncovered++;
      } else if (hitCount[j] === 1) critCount[hitterSum[j]!]!++;
    }
  };

  const scratch = new Uint32Array(u.words);
  const rec = (): void => {
    budget.check();
    if (uncovered === 0) {
      out.push(u.fromBits(u.toBitsFromPositions(chosen)).sort((a, b) => a - b));
      return;
    }
    // The uncovered set with the fewest candidates keeps the branching narrow; looking at the first
    // SCAN_MAX uncovered sets only keeps the choice cheap on families of thousands of sets.
    let best = -1;
    let bestCount = Number.POSITIVE_INFINITY;
    let scanned = 0;
    for (let j = 0; j < m && bestCount > 0 && scanned < SCAN_MAX; j++) {
      if (hitCount[j] !== 0) continue;
      scanned++;
      const s = sets[j]!;
      for (let w = 0; w < scratch.length; w++) scratch[w] = s[w]! & cand[w]!;
      const c = popcount(scratch);
      if (c < bestCount) {
        bestCount = c;
        best = j;
      }
    }
    if (bestCount === 0 || chosen.length >= maxSize) return;
    const s = sets[best]!;
    const branch: number[] = [];
    for (let p = 0; p < k; p++) if ((s[p >>> 5]! & cand[p >>> 5]! & (1 << (p & 31))) !== 0) branch.push(p);
    for (const e of branch) cand[e >>> 5]! &= ~(1 << (e & 31));
    for (const e of branch) {
      add(e);
      if (chosen.every((x) => critCount[x]! > 0)) rec();
      remove(e);
      cand[e >>> 5]! |= 1 << (e & 31);
    }
  };
  rec();
  return out.sort(compareSets);
}
