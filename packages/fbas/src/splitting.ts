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
      const seen = new Set<number>();
      for (let i = 0; i < words.length; i++) {
        budget.check();
        const wi = words[i]!;
        for (let j = i + 1; j < words.length; j++) seen.add((wi & words[j]!) >>> 0);
      }
      for (const w of seen) distinct.push(Uint32Array.of(w));
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
