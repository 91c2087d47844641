import { BitEngine } from './bit-engine.js';
import type { Budget } from './budget.js';
import { type QSet, qsetMembers } from './model.js';
import { type Mask, membersOf, type QuorumEngine } from './quorums.js';

/**
 * Minimal quorums by branch and bound, in the manner of Lachowski's fbas_analyzer ("Complexity of Minimal
 * Quorums in Federated Byzantine Agreement Systems", 2019): grow a selection one node at a time, branching
 * on "in" / "out"; prune a branch when the greatest quorum of what is still available no longer contains
 * the selection; stop growing as soon as the selection is a quorum (any superset would not be minimal).
 * The next node to decide is taken from the quorum set of a selected node that is not yet satisfied, which
 * keeps the selection connected and the tree small. A selection that contains a quorum without being one
 * is pruned (no minimal quorum lies above it). The search runs on bitsets (bit-engine.ts).
 *
 * With `containing`, it finds the quorums minimal among those containing that node (the node's own
 * minimal quorums, used by halting analysis and splitting sets).
 */
export function minimalQuorums(
  engine: QuorumEngine,
  within: Mask,
  budget: Budget,
  containing?: number,
): number[][] {
  const bits = BitEngine.of(engine);
  const inside = bits.fromList(membersOf(within));
  return bits
    .minimalQuorums(inside, budget, containing)
    .map((q) => bits.toList(q))
    .sort(compareSets);
}

export function compareSets(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

export function canonicalQSet(q: QSet): string {
  const vs = [...q.validators].sort((a, b) => a - b).join(',');
  const inner = q.inner.map(canonicalQSet).sort().join(';');
  return `${q.threshold}[${vs}|${inner}]`;
}

/**
 * Symmetric shortcut: when every node of a component has the same quorum set q and q names only nodes of
 * the component, the quorums inside it are exactly the sets that satisfy q, so the minimal quorums are the
 * minimal satisfying sets of q, built by combining children instead of searching. Returns undefined when
 * the component is not symmetric.
 */
export function symmetricMinimalQuorums(
  engine: QuorumEngine,
  members: Mask,
  budget: Budget,
): number[][] | undefined {
  const q = symmetricQSet(engine, members);
  if (q === undefined) return undefined;
  const sets = minimalSatisfyingSets(q, budget).map((s) => [...new Set(s)].sort((a, b) => a - b));
  // With every node named once, combining children cannot produce a set that contains another.
  return (namesEachNodeOnce(q) ? sets : minimalElements(sets, budget)).sort(compareSets);
}

/** The common quorum set of a symmetric component, or undefined when it is not symmetric. */
export function symmetricQSet(engine: QuorumEngine, members: Mask): QSet | undefined {
  const list = membersOf(members);
  const first = list.length === 0 ? null : engine.qsets[list[0]!];
  if (!first) return undefined;
  const key = canonicalQSet(first);
  for (const v of list) {
    const q = engine.qsets[v];
    if (!q || canonicalQSet(q) !== key) return undefined;
  }
  for (const v of engine.trusts[list[0]!]!) if (members[v] !== 1) return undefined;
  return first;
}

export function namesEachNodeOnce(q: QSet): boolean {
  const all = qsetMembers(q);
  return new Set(all).size === all.length;
}

/**
 * Minimal blocking sets of a symmetric component whose quorum set names each node once: q fails on the
 * complement iff more than (entries - threshold) of its entries fail, each by one of its own minimal
 * blocking sets; with distinct nodes every such combination is minimal.
 */
export function minimalBlockingSetsOfQSet(q: QSet, budget: Budget): number[][] {
  const children: number[][][] = [
    ...q.validators.map((v) => [[v]]),
    ...q.inner.map((i) => minimalBlockingSetsOfQSet(i, budget)),
  ];
  const need = children.length - q.threshold + 1;
  const out: number[][] = [];
  const choose = (from: number, left: number, acc: number[]): void => {
    budget.check();
    if (left === 0) {
      out.push(acc);
      return;
    }
    for (let c = from; c <= children.length - left; c++) {
      for (const s of children[c]!) choose(c + 1, left - 1, acc.concat(s));
    }
  };
  choose(0, need, []);
  return out;
}

function minimalSatisfyingSets(q: QSet, budget: Budget): number[][] {
  const children: number[][][] = [
    ...q.validators.map((v) => [[v]]),
    ...q.inner.map((i) => minimalSatisfyingSets(i, budget)),
  ];
  const out: number[][] = [];
  const choose = (from: number, left: number, acc: number[]): void => {
    budget.check();
    if (left === 0) {
      out.push(acc);
      return;
    }
    for (let c = from; c <= children.length - left; c++) {
      for (const s of children[c]!) choose(c + 1, left - 1, acc.concat(s));
    }
  };
  choose(0, q.threshold, []);
  if (namesEachNodeOnce(q)) return out;
  // Repeated nodes (merged networks name a group many times): normalise level by level, or the products
  // of the levels above explode.
  const unique = new Map<string, number[]>();
  for (const s of out) {
    const norm = [...new Set(s)].sort((a, b) => a - b);
    unique.set(norm.join(','), norm);
  }
  return minimalElements([...unique.values()], budget);
}

/** Keeps the sets that contain no other set of the family (and drops duplicates). */
export function minimalElements(sets: number[][], budget?: Budget): number[][] {
  const sorted = [...sets].sort(compareSets);
  const kept: { set: number[]; mask: Set<number> }[] = [];
  for (const s of sorted) {
    budget?.check();
    const contains = kept.some((k) => k.set.length <= s.length && k.set.every((x) => s.includes(x)));
    if (!contains) kept.push({ set: s, mask: new Set(s) });
  }
  return kept.map((k) => k.set);
}

/**
 * Minimal splitting sets of a symmetric component whose quorum set q names each node once and whose top
 * threshold is below its number of entries. Two satisfying sets A, B of a threshold-t node with k entries
 * must share at least b = max(0, 2t - k) entries, each of which is then satisfied on both sides with its
 * overlap inside the splitting set; the other entries go to one side each and carry the correct members
 * both sides need (t - b >= 1 because t < k). So the family is: choose b entries, combine their own
 * "both sides" sets; a leaf's is itself; b = 0 gives the empty set (no intersection).
 */
export function minimalSplittingSetsOfQSet(q: QSet, budget: Budget): number[][] | undefined {
  if (q.threshold >= q.validators.length + q.inner.length) return undefined;
  const sets = bothSides(q, budget).map((s) => [...s].sort((a, b) => a - b));
  return minimalElements(sets, budget).sort(compareSets);
}

function bothSides(q: QSet, budget: Budget): number[][] {
  const children: number[][][] = [
    ...q.validators.map((v) => [[v]]),
    ...q.inner.map((i) => bothSides(i, budget)),
  ];
  const need = Math.max(0, 2 * q.threshold - children.length);
  const out: number[][] = [];
  const choose = (from: number, left: number, acc: number[]): void => {
    budget.check();
    if (left === 0) {
      out.push(acc);
      return;
    }
    for (let c = from; c <= children.length - left; c++) {
      for (const s of children[c]!) choose(c + 1, left - 1, acc.concat(s));
    }
  };
  choose(0, need, []);
  return out;
}
