import type { Budget } from './budget.js';
import { minimalHittingSets } from './hitting-sets.js';
import { implicitMinimalHittingSets } from './implicit-hitting-sets.js';
import { checkIntersection } from './intersection.js';
import {
  minimalBlockingSetsOfQSet,
  minimalQuorums,
  minimalSplittingSetsOfQSet,
  namesEachNodeOnce,
  symmetricMinimalQuorums,
  symmetricQSet,
} from './minimal-quorums.js';

/** Above this many minimal quorums, MMCS over the written-out family is slower than implicit hitting sets. */
const MMCS_FAMILY_MAX = 5000;

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

/** Minimal quorums of every quorum-containing component, each searched on its own sub-network. */
export function allMinimalQuorums(
  fbas: Fbas,
  structure: NetworkStructure,
  budget: Budget,
): { sets: number[][]; symmetricShortcut: boolean } {
  let symmetricShortcut = false;
  const sets: number[][] = [];
  for (const scc of structure.quorumSccs) {
    const sub = subNetwork(fbas, scc.greatestQuorum);
    const engine = new QuorumEngine(sub.fbas);
    const within = new Uint8Array(engine.n).fill(1);
    within[engine.n - 1] = 0;
    const sym = symmetricMinimalQuorums(engine, within, budget);
    if (sym !== undefined) symmetricShortcut = true;
    for (const q of sym ?? minimalQuorums(engine, within, budget)) sets.push(q.map((v) => sub.back[v]!));
  }
  return { sets, symmetricShortcut };
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
  minQuorums?: number[][],
): IndexFamily {
  if (structure.quorumSccs.length === 0) return { sets: [[]], complete: true, completeUpTo: null };
  const parts = structure.quorumSccs.map((scc) =>
    componentBlockingSets(fbas, scc.greatestQuorum, budget, minQuorums),
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
  const completeUpTo = complete ? null : parts.reduce((sum, p) => sum + (p.sets[0]?.length ?? 0), 0);
  return { sets, complete, completeUpTo };
}

function componentBlockingSets(
  fbas: Fbas,
  members: Mask,
  budget: Budget,
  minQuorums: number[][] | undefined,
): IndexFamily {
  const top = subNetwork(fbas, members);
  const engine = new QuorumEngine(top.fbas);
  const all = new Uint8Array(engine.n).fill(1);
  all[engine.n - 1] = 0;
  const back = (sets: number[][]) => sets.map((s) => s.map((v) => top.back[v]!));
  const q = symmetricQSet(engine, all);
  if (q !== undefined && namesEachNodeOnce(q)) {
    return { sets: back(minimalBlockingSetsOfQSet(q, budget)), complete: true, completeUpTo: null };
  }
  const mine = minQuorums?.filter((m) => members[m[0]!] === 1);
  if (mine !== undefined && mine.length <= MMCS_FAMILY_MAX) {
    return { sets: minimalHittingSets(mine, budget), complete: true, completeUpTo: null };
  }
  const survivor = (failed: number[]): number[] | null => {
    const avail = new Uint8Array(all);
    for (const f of failed) avail[f] = 0;
    const gq = engine.greatestQuorum(avail);
    if (!gq.includes(1)) return null;
    return membersOf(engine.shrinkToMinimal(gq));
  };
  const r = implicitMinimalHittingSets(survivor, budget);
  return { sets: back(r.sets), complete: r.complete, completeUpTo: r.complete ? null : r.completeUpTo };
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
  const r = smallestSplittingSets(engine, all as Mask, limit, () => budget.checkNow());
  if (r === null) return { sets: [], complete: true, completeUpTo: null };
  return {
    sets: r.sets.map((s) => s.map((v) => sub.back[v]!)),
    complete: false,
    completeUpTo: r.exhaustive ? r.size : null,
  };
}
