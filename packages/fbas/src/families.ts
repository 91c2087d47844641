import { BitEngine } from './bit-engine.js';
import type { Budget } from './budget.js';
import { FbasError } from './errors.js';
import { implicitMinimalHittingSets } from './implicit-hitting-sets.js';
import { checkIntersection } from './intersection.js';
import {
  compareSets,
  minimalBlockingSetsOfQSet,
  minimalSplittingSetsOfQSet,
  namesEachNodeOnce,
  symmetricMinimalQuorums,
  symmetricQSet,
} from './minimal-quorums.js';

import type { Fbas } from './model.js';
import { type Mask, membersOf, QuorumEngine } from './quorums.js';
import { smallestSplittingSets } from './sat.js';
import { minimalSplittingSets } from './splitting.js';
import type { NetworkStructure } from './structure.js';
import { subNetwork } from './sub-network.js';

/** A family of node sets; `complete: false` means "every minimal set up to `completeUpTo` members". */
export interface IndexFamily {
  sets: number[][];
  complete: boolean;
  completeUpTo: number | null;
}

/**
 * Work caps (search nodes, not milliseconds, so that answers do not depend on the machine). A family that
 * does not fit is listed by size instead: every minimal set up to the largest size that fits.
 */
export const SEARCH_STEPS = {
  /** Listing all minimal quorums of a component (the real non-symmetric tiers need at most ~70,000). */
  minimalQuorums: 80_000,
  /** Listing the smallest minimal quorums, size by size, once the full list did not fit. */
  smallestMinimalQuorums: 30_000,
  /** Deciding whether one node is in some minimal quorum (top tier without the full list). */
  topTierNode: 20_000,
  /**
   * Listing all minimal blocking sets of a component (real tiers: at most ~15,000). Skipped when the
   * minimal quorums did not fit: there have been as many blocking sets then.
   */
  blockingSets: 40_000,
  /** Listing the smallest minimal blocking sets, size by size. */
  smallestBlockingSets: 15_000,
} as const;

/** Every minimal set of size <= completeUpTo, sorted; `complete` when that is all of them. */
interface BySize {
  sets: number[][];
  complete: boolean;
  completeUpTo: number | null;
}

/**
 * Runs `search(maxSize, maxSteps)` for the whole family first; when that is cut, size by size from 1 while
 * the steps last, keeping the last size whose search finished (and that found something, once any did).
 */
function fullOrSmallest(
  search: (maxSize: number, maxSteps: number) => { sets: number[][]; cut: boolean; steps: number },
  fullSteps: number,
  smallestSteps: number,
  maxSizeBound: number,
): BySize {
  const full = search(Number.POSITIVE_INFINITY, fullSteps);
  if (!full.cut) return { sets: full.sets.sort(compareSets), complete: true, completeUpTo: null };
  let left = smallestSteps;
  let best: BySize = { sets: [], complete: false, completeUpTo: 0 };
  for (let k = 1; k <= maxSizeBound && left > 0; k++) {
    const r = search(k, left);
    left -= r.steps;
    if (r.cut) break;
    best = { sets: r.sets.sort(compareSets), complete: false, completeUpTo: k };
  }
  return best;
}

function bitSearch(
  bits: BitEngine,
  run: () => Uint32Array[],
): { sets: number[][]; cut: boolean; steps: number } {
  const sets = run().map((q) => bits.toList(q));
  return { sets, cut: bits.cut, steps: bits.steps };
}

/** The quorum-containing component `members` as a bitset engine over its own sub-network. */
function componentBits(fbas: Fbas, members: Mask) {
  const sub = subNetwork(fbas, members);
  const engine = new QuorumEngine(sub.fbas);
  const n = engine.n - 1; // the last sub-network node is the "outside" placeholder
  const bits = new BitEngine(n, engine.qsets.slice(0, n));
  return { sub, engine, bits, all: bits.full() };
}

/**
 * Minimal quorums of every quorum-containing component, each searched on its own sub-network. When a
 * component has more than the search can list (SEARCH_STEPS), its smallest minimal quorums are listed
 * instead (`complete: false`, every minimal quorum up to `completeUpTo` members).
 */
export function allMinimalQuorums(
  fbas: Fbas,
  structure: NetworkStructure,
  budget: Budget,
): { sets: number[][]; symmetricShortcut: boolean; complete: boolean; completeUpTo: number | null } {
  let symmetricShortcut = false;
  const sets: number[][] = [];
  let complete = true;
  let completeUpTo = Number.POSITIVE_INFINITY;
  for (const scc of structure.quorumSccs) {
    const { sub, engine, bits, all } = componentBits(fbas, scc.greatestQuorum);
    const within = new Uint8Array(engine.n).fill(1);
    within[engine.n - 1] = 0;
    const sym = symmetricMinimalQuorums(engine, within, budget);
    if (sym !== undefined) symmetricShortcut = true;
    const found =
      sym !== undefined
        ? { sets: sym, complete: true, completeUpTo: null }
        : fullOrSmallest(
            (maxSize, maxSteps) =>
              bitSearch(bits, () => bits.minimalQuorums(all, budget, undefined, [], { maxSize, maxSteps })),
            SEARCH_STEPS.minimalQuorums,
            SEARCH_STEPS.smallestMinimalQuorums,
            bits.n,
          );
    if (!found.complete) {
      complete = false;
      completeUpTo = Math.min(completeUpTo, found.completeUpTo ?? 0);
    }
    for (const q of found.sets) sets.push(q.map((v) => sub.back[v]!));
  }
  return { sets, symmetricShortcut, complete, completeUpTo: complete ? null : completeUpTo };
}

/**
 * The top tier (union of the minimal quorums) without listing them: a node is in it iff some minimal
 * quorum contains it, which the search answers by stopping at the first one (nodes of minimal quorums
 * already found, `known`, need no search). Throws BUDGET_EXCEEDED when one node's search does not fit.
 */
export function topTierNodes(
  fbas: Fbas,
  structure: NetworkStructure,
  budget: Budget,
  known: number[][] = [],
): number[] {
  const inTier = new Set(known.flat());
  for (const scc of structure.quorumSccs) {
    const { sub, bits, all } = componentBits(fbas, scc.greatestQuorum);
    for (let v = 0; v < bits.n; v++) {
      if (inTier.has(sub.back[v]!)) continue;
      const r = bits.minimalQuorums(all, budget, undefined, [], {
        seed: v,
        limit: 1,
        maxSteps: SEARCH_STEPS.topTierNode,
      });
      if (bits.cut) {
        throw new FbasError('BUDGET_EXCEEDED', 'top tier: search cap reached', { budgetMs: budget.budgetMs });
      }
      for (const q of r) for (const x of bits.toList(q)) inTier.add(sub.back[x]!);
    }
  }
  return [...inTier].sort((a, b) => a - b);
}

/** Quorum-node sub-network: every search about failures only ever needs the nodes that can be in quorums. */
function quorumSub(fbas: Fbas, structure: NetworkStructure) {
  const sub = subNetwork(fbas, structure.quorumNodes);
  const engine = new QuorumEngine(sub.fbas);
  const all = new Uint8Array(engine.n).fill(1);
  all[engine.n - 1] = 0;
  return { sub, engine, all };
}

/**
 * Minimal blocking sets: minimal sets whose failure leaves no quorum at all. Quorum-containing components
 * are disjoint and every minimal quorum lies in one, so a minimal blocking set is one minimal blocking set
 * per component, combined; each component is solved on its own: from its quorum set when symmetric, by
 * MMCS over its minimal quorums when they are known and not too many, else by implicit hitting sets.
 */
export function blockingSets(
  fbas: Fbas,
  structure: NetworkStructure,
  budget: Budget,
  /** Kept for callers of the old signature: the search no longer needs the minimal quorums. */
  _minQuorums?: number[][],
  /** True when the minimal quorums were too many to list: then only the smallest blocking sets are. */
  smallestOnly = false,
): IndexFamily {
  if (structure.quorumSccs.length === 0) return { sets: [[]], complete: true, completeUpTo: null };
  const parts = structure.quorumSccs.map((scc) =>
    componentBlockingSets(fbas, scc.greatestQuorum, budget, smallestOnly),
  );
  let sets: number[][] = [[]];
  for (const part of parts) {
    const next: number[][] = [];
    for (const a of sets) {
      for (const b of part.sets) {
        budget.check();
        next.push([...a, ...b].sort((x, y) => x - y));
      }
    }
    sets = next;
  }
  const complete = parts.every((p) => p.complete);
  // Sizes add up, so "all sets up to size k" survives only as the sum of the smallest sizes.
  const completeUpTo = complete
    ? null
    : parts.length === 1
      ? parts[0]!.completeUpTo
      : parts.reduce((sum, p) => sum + (p.sets[0]?.length ?? 0), 0);
  return { sets, complete, completeUpTo };
}

function componentBlockingSets(
  fbas: Fbas,
  members: Mask,
  budget: Budget,
  smallestOnly: boolean,
): IndexFamily {
  const { sub, engine, bits, all } = componentBits(fbas, members);
  const back = (sets: number[][]) => sets.map((s) => s.map((v) => sub.back[v]!));
  const within = new Uint8Array(engine.n).fill(1);
  within[engine.n - 1] = 0;
  const q = symmetricQSet(engine, within);
  if (q !== undefined && namesEachNodeOnce(q)) {
    return { sets: back(minimalBlockingSetsOfQSet(q, budget)), complete: true, completeUpTo: null };
  }
  // Searched on the network itself: faster than MMCS over the minimal quorums on every real tier, and
  // it needs no list of minimal quorums.
  const r = fullOrSmallest(
    (maxSize, maxSteps) => bitSearch(bits, () => bits.minimalBlockingSets(all, budget, maxSteps, maxSize)),
    smallestOnly ? 0 : SEARCH_STEPS.blockingSets,
    SEARCH_STEPS.smallestBlockingSets,
    bits.n,
  );
  return { sets: back(r.sets), complete: r.complete, completeUpTo: r.completeUpTo };
}

/**
 * Halting sets of one node: minimal sets of other nodes whose failure leaves it no quorum of running
 * nodes. Implicit hitting sets of its node-minimal quorums (less itself).
 */
export function haltingSets(
  fbas: Fbas,
  structure: NetworkStructure,
  node: number,
  budget: Budget,
  smallestOnly = false,
): IndexFamily & { canProgress: boolean } {
  if (structure.quorumNodes[node] !== 1)
    return { sets: [], complete: true, completeUpTo: null, canProgress: false };
  const { sub, engine, all } = quorumSub(fbas, structure);
  const local = sub.back.indexOf(node);
  const survivor = (failed: number[]): number[] | null => {
    const avail = new Uint8Array(all);
    for (const f of failed) avail[f] = 0;
    const gq = engine.greatestQuorum(avail);
    if (gq[local] !== 1) return null;
    return membersOf(engine.shrinkToMinimal(gq, local)).filter((v) => v !== local);
  };
  const r = implicitMinimalHittingSets(survivor, budget, Number.POSITIVE_INFINITY, smallestOnly);
  return {
    sets: r.sets.map((s) => s.map((v) => sub.back[v]!)),
    complete: r.complete,
    completeUpTo: r.complete ? null : r.completeUpTo,
    canProgress: true,
  };
}

/**
 * Minimal splitting sets: from the minimal quorums when they are known (exact, all of them), otherwise the
 * smallest ones by SAT.
 */
export function splittingSets(
  fbas: Fbas,
  structure: NetworkStructure,
  minQuorums: number[][] | undefined,
  budget: Budget,
  limit = 1000,
  intersects?: boolean,
): IndexFamily {
  const { sub, engine, all } = quorumSub(fbas, structure);
  // Without intersection the empty set already splits, and it is the only minimal splitting set.
  if (!(intersects ?? checkIntersection(structure).intersects)) {
    return { sets: [[]], complete: true, completeUpTo: null };
  }
  if (structure.quorumSccs.length === 1 && (minQuorums === undefined || minQuorums.length >= 2)) {
    // Symmetric top tier: read the splitting sets off its quorum set instead of intersecting pairs.
    const top = subNetwork(fbas, structure.quorumSccs[0]!.greatestQuorum);
    const topEngine = new QuorumEngine(top.fbas);
    const members = new Uint8Array(topEngine.n).fill(1);
    members[topEngine.n - 1] = 0;
    const q = symmetricQSet(topEngine, members);
    const sets = q !== undefined && namesEachNodeOnce(q) ? minimalSplittingSetsOfQSet(q, budget) : undefined;
    if (sets !== undefined) {
      return { sets: sets.map((x) => x.map((v) => top.back[v]!)), complete: true, completeUpTo: null };
    }
  }
  if (minQuorums !== undefined) {
    const local = new Map(sub.back.map((v, i) => [v, i]));
    const mq = minQuorums.map((q) => q.map((v) => local.get(v)!));
    const sets = minimalSplittingSets(engine, mq, all, budget).map((s) => s.map((v) => sub.back[v]!));
    return { sets, complete: true, completeUpTo: null };
  }
  // Quorum intersection holds here, so no splitting set is empty: the search starts at size 1.
  const r = smallestSplittingSets(engine, all as Mask, limit, () => budget.checkNow(), 1);
  if (r === null) return { sets: [], complete: true, completeUpTo: null };
  return {
    sets: r.sets.map((s) => s.map((v) => sub.back[v]!)),
    complete: false,
    completeUpTo: r.exhaustive ? r.size : null,
  };
}
