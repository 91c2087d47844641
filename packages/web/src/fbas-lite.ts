// A small federated Byzantine agreement toolkit for the browser: quorum checks, v-blocking, halting and
// quorum intersection for what-if questions on small networks. The full analysis (packages/fbas, any
// size) runs on the node and arrives through /v1/network; this file answers "what if these fail?" at
// once, by brute force, and says 'unknown' past its size limit instead of freezing the page.

export type NodeId = string;

export interface QuorumSet {
  readonly threshold: number;
  readonly validators: readonly NodeId[];
  readonly innerSets: readonly QuorumSet[];
}

export type QuorumMap = ReadonlyMap<NodeId, QuorumSet>;

/** Largest network the exhaustive searches accept (2^n subsets). */
export const MAX_EXHAUSTIVE_NODES = 14;

/** Does `available` contain a slice of `q` (threshold met by validators and satisfied inner sets)? */
export function isSliceSatisfied(q: QuorumSet, available: ReadonlySet<NodeId>): boolean {
  if (q.threshold <= 0) return true;
  let met = 0;
  for (const v of q.validators) if (available.has(v) && ++met >= q.threshold) return true;
  for (const inner of q.innerSets)
    if (isSliceSatisfied(inner, available) && ++met >= q.threshold) return true;
  return false;
}

/** Does `nodes` intersect every slice of `q` (so that, if they all refuse, `q`'s owner is blocked)? */
export function isVBlocking(q: QuorumSet, nodes: ReadonlySet<NodeId>): boolean {
  if (q.threshold <= 0) return false;
  const total = q.validators.length + q.innerSets.length;
  let blocked = 0;
  for (const v of q.validators) if (nodes.has(v)) blocked++;
  for (const inner of q.innerSets) if (isVBlocking(inner, nodes)) blocked++;
  return total - blocked < q.threshold;
}

/** Every node a quorum set mentions, at any depth. */
export function nodesOf(q: QuorumSet, out = new Set<NodeId>()): Set<NodeId> {
  for (const v of q.validators) out.add(v);
  for (const inner of q.innerSets) nodesOf(inner, out);
  return out;
}

/**
 * The largest quorum inside `candidates`: repeatedly drop nodes whose slices are not satisfied.
 * `wildcards` (Byzantine nodes) stay in regardless: they can claim whatever suits an attack.
 * Nodes without a known quorum set drop out (nobody can check their slices).
 */
export function quorumWithin(
  qsets: QuorumMap,
  candidates: Iterable<NodeId>,
  wildcards: ReadonlySet<NodeId> = new Set(),
): Set<NodeId> {
  let members = new Set(candidates);
  for (const w of wildcards) members.add(w);
  for (;;) {
    const kept = new Set<NodeId>();
    for (const n of members) {
      if (wildcards.has(n)) {
        kept.add(n);
        continue;
      }
      const q = qsets.get(n);
      if (q && isSliceSatisfied(q, members)) kept.add(n);
    }
    if (kept.size === members.size) return kept;
    members = kept;
  }
}

/** Would `local` be unable to close ledgers with `unavailable` gone (crashed or refusing)? */
export function wouldHalt(qsets: QuorumMap, local: NodeId, unavailable: ReadonlySet<NodeId>): boolean {
  const up = [...qsets.keys()].filter((n) => !unavailable.has(n));
  return !quorumWithin(qsets, up).has(local);
}

/** Nodes (of the map) that can still close ledgers with `unavailable` gone. */
export function liveNodes(qsets: QuorumMap, unavailable: ReadonlySet<NodeId>): Set<NodeId> {
  return quorumWithin(
    qsets,
    [...qsets.keys()].filter((n) => !unavailable.has(n)),
  );
}

function* subsets<T>(items: readonly T[]): Generator<T[]> {
  const n = items.length;
  for (let mask = 1; mask < 2 ** n; mask++) {
    const s: T[] = [];
    for (let i = 0; i < n; i++) if (mask & (1 << i)) s.push(items[i]!);
    yield s;
  }
}

function* subsetsOfSize<T>(items: readonly T[], k: number, start = 0): Generator<T[]> {
  if (k === 0) {
    yield [];
    return;
  }
  for (let i = start; i <= items.length - k; i++) {
    for (const rest of subsetsOfSize(items, k - 1, i + 1)) yield [items[i]!, ...rest];
  }
}

export interface IntersectionVerdict {
  readonly intersects: boolean | 'unknown';
  /** Two quorums whose only common members (if any) are Byzantine, when intersection fails. */
  readonly split: readonly [NodeId[], NodeId[]] | null;
}

/**
 * Do all quorums intersect in an honest node, given that `byzantine` nodes may lie? With no Byzantine
 * nodes this is plain quorum intersection. Exhaustive over the honest nodes; 'unknown' past the limit.
 */
export function checkIntersection(
  qsets: QuorumMap,
  byzantine: ReadonlySet<NodeId> = new Set(),
  maxNodes = MAX_EXHAUSTIVE_NODES,
): IntersectionVerdict {
  const honest = [...qsets.keys()].filter((n) => !byzantine.has(n)).sort();
  if (honest.length > maxNodes) return { intersects: 'unknown', split: null };
  const wild = new Set([...byzantine].filter((n) => qsets.has(n)));
  const honestPart = (s: Set<NodeId>) => [...s].filter((n) => !wild.has(n)).sort();
  for (const s of subsets(honest)) {
    const q = honestPart(quorumWithin(qsets, s, wild));
    if (q.length !== s.length) continue; // s is not itself a quorum; its largest quorum comes up on its own
    const inQ = new Set(q);
    const other = honestPart(
      quorumWithin(
        qsets,
        honest.filter((n) => !inQ.has(n)),
        wild,
      ),
    );
    if (other.length > 0) return { intersects: false, split: [q, other] };
  }
  return { intersects: true, split: null };
}

/** Every minimal quorum (no proper subset is a quorum), or null past the size limit. */
export function minimalQuorums(qsets: QuorumMap, maxNodes = MAX_EXHAUSTIVE_NODES): NodeId[][] | null {
  const nodes = [...qsets.keys()].sort();
  if (nodes.length > maxNodes) return null;
  const found: Set<NodeId>[] = [];
  for (let k = 1; k <= nodes.length; k++) {
    for (const s of subsetsOfSize(nodes, k)) {
      if (found.some((f) => [...f].every((n) => s.includes(n)))) continue;
      if (quorumWithin(qsets, s).size === s.length) found.push(new Set(s));
    }
  }
  return found.map((f) => [...f].sort());
}

/** The top tier: the union of the minimal quorums. */
export function topTier(qsets: QuorumMap, maxNodes = MAX_EXHAUSTIVE_NODES): NodeId[] | null {
  const mqs = minimalQuorums(qsets, maxNodes);
  return mqs === null ? null : [...new Set(mqs.flat())].sort();
}

/**
 * The smallest sets of nodes whose failure leaves no quorum anywhere (the whole network halts), or
 * null past the size limit.
 */
export function smallestBlockingSets(qsets: QuorumMap, maxNodes = MAX_EXHAUSTIVE_NODES): NodeId[][] | null {
  const nodes = [...qsets.keys()].sort();
  if (nodes.length > maxNodes) return null;
  for (let k = 0; k <= nodes.length; k++) {
    const found: NodeId[][] = [];
    for (const s of subsetsOfSize(nodes, k)) {
      if (liveNodes(qsets, new Set(s)).size === 0) found.push(s);
    }
    if (found.length > 0) return found;
  }
  return [];
}

/** Smallest sets of `local`'s quorum-set members that are v-blocking for it (they alone can stall it). */
export function smallestVBlockingSets(q: QuorumSet, local?: NodeId): NodeId[][] {
  const members = [...nodesOf(q)].filter((n) => n !== local).sort();
  for (let k = 1; k <= members.length && k <= 8; k++) {
    const found: NodeId[][] = [];
    for (const s of subsetsOfSize(members, k)) if (isVBlocking(q, new Set(s))) found.push(s);
    if (found.length > 0) return found;
  }
  return [];
}

export interface WhatIfResult {
  /** Would `local` stop closing ledgers? */
  readonly localHalts: boolean;
  /** Nodes that could still close ledgers. */
  readonly live: NodeId[];
  /** Nodes that would halt (neither down nor Byzantine, but without a quorum). */
  readonly halted: NodeId[];
  readonly intersection: IntersectionVerdict;
}

/**
 * What happens when `down` nodes crash and `byzantine` nodes lie: liveness counts both as unavailable
 * (a Byzantine node may simply refuse), safety treats Byzantine nodes as able to vote both ways.
 */
export function whatIf(
  qsets: QuorumMap,
  local: NodeId | null,
  down: ReadonlySet<NodeId>,
  byzantine: ReadonlySet<NodeId>,
  maxNodes = MAX_EXHAUSTIVE_NODES,
): WhatIfResult {
  const unavailable = new Set([...down, ...byzantine]);
  const live = liveNodes(qsets, unavailable);
  const halted = [...qsets.keys()].filter((n) => !unavailable.has(n) && !live.has(n)).sort();
  return {
    localHalts: local === null ? live.size === 0 : !live.has(local),
    live: [...live].sort(),
    halted,
    // Crashed nodes are honest: they cannot help split the network, so safety is judged on the whole map.
    intersection: checkIntersection(qsets, byzantine, maxNodes),
  };
}
