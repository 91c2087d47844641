// Why is this node stuck, who is missing, and whose return would restore progress (DESIGN.md principle 1)?
// Pure: it reads the node's view (quorum sets, who was heard from and when, SCP's quorum info) and
// explains it, in JSON and in plain words.
import { forAllNodes, isQuorumSlice, type NodeId, type QuorumSet } from '@qm/scp';

export type MemberStatus = 'agree' | 'delayed' | 'disagree' | 'missing';

export interface MemberHealth {
  readonly node: NodeId;
  readonly status: MemberStatus;
  /** Milliseconds since anything arrived from it; null when never heard. */
  readonly lastHeardAgoMs: number | null;
  /** Silent for longer than the "possibly dead" threshold. */
  readonly possiblyDead: boolean;
}

/** An inner set (or the top set) that the nodes currently available cannot satisfy. */
export interface UnsatisfiedSlice {
  /** Where it sits: "top" or "top/2" (second inner set) and so on. */
  readonly path: string;
  readonly threshold: number;
  /** Entries of the set satisfied now. */
  readonly satisfied: number;
  /** Its validators that are unavailable. */
  readonly unavailable: NodeId[];
}

export interface HaltDiagnosis {
  readonly stuck: boolean;
  readonly stuckForMs: number;
  readonly members: MemberHealth[];
  /** How many more member failures would stop this node (SCP's fail_at), and one such failing set. */
  readonly failAt: number;
  readonly failWith: NodeId[];
  readonly unsatisfied: UnsatisfiedSlice[];
  /** Smallest sets of unavailable nodes whose return would give this node a quorum again. */
  readonly restoreSets: NodeId[][];
  /** The search for restore sets stopped at its budget; larger sets may exist. */
  readonly restoreSearchTruncated: boolean;
  readonly summary: string;
}

export interface DiagnosisInput {
  readonly localNode: NodeId;
  /** Every known node's quorum set (the transitive quorum map), including ours. */
  readonly quorumSets: ReadonlyMap<NodeId, QuorumSet>;
  /** Per member of our quorum set, its SCP status in the current slot. */
  readonly statusOf: (node: NodeId) => MemberStatus;
  readonly lastHeardAgoMs: (node: NodeId) => number | null;
  readonly failAt: number;
  readonly failWith: readonly NodeId[];
  /** Milliseconds since the last ledger closed. */
  readonly sinceLastCloseMs: number;
  /** A node is stuck when no ledger closed for this long. */
  readonly stuckAfterMs: number;
  readonly possiblyDeadAfterMs: number;
  /** Cap on candidate sets examined while looking for restore sets. */
  readonly searchBudget?: number;
}

/**
 * The largest set of nodes among `available` in which every node's slice is satisfied (the fixpoint of
 * SCP's quorum check); a quorum for `local` exists among them when `local` survives.
 */
export function quorumWithin(
  quorumSets: ReadonlyMap<NodeId, QuorumSet>,
  available: ReadonlySet<NodeId>,
): Set<NodeId> {
  let members = new Set(available);
  for (;;) {
    const kept = new Set<NodeId>();
    for (const n of members) {
      const q = quorumSets.get(n);
      if (q && isQuorumSlice(q, members)) kept.add(n);
    }
    if (kept.size === members.size) return kept;
    members = kept;
  }
}

function* combinations<T>(items: readonly T[], k: number, start = 0): Generator<T[]> {
  if (k === 0) {
    yield [];
    return;
  }
  for (let i = start; i <= items.length - k; i++) {
    for (const rest of combinations(items, k - 1, i + 1)) yield [items[i]!, ...rest];
  }
}

/**
 * Smallest sets of `down` nodes whose return gives `local` a quorum (all of the minimum size, sorted),
 * by increasing size; stops after `budget` candidate sets.
 */
export function findRestoreSets(
  local: NodeId,
  quorumSets: ReadonlyMap<NodeId, QuorumSet>,
  up: ReadonlySet<NodeId>,
  down: readonly NodeId[],
  budget = 20_000,
): { sets: NodeId[][]; truncated: boolean } {
  let examined = 0;
  const sorted = [...down].sort();
  for (let k = 0; k <= sorted.length; k++) {
    const found: NodeId[][] = [];
    for (const extra of combinations(sorted, k)) {
      if (++examined > budget) return { sets: found, truncated: true };
      if (quorumWithin(quorumSets, new Set([...up, ...extra])).has(local)) found.push(extra);
    }
    if (found.length > 0) return { sets: found, truncated: false };
  }
  return { sets: [], truncated: false };
}

/** Inner sets that the available nodes cannot satisfy, outermost first. */
function unsatisfiedSlices(
  qset: QuorumSet,
  available: ReadonlySet<NodeId>,
  path = 'top',
): UnsatisfiedSlice[] {
  const out: UnsatisfiedSlice[] = [];
  let satisfied = qset.validators.filter((v) => available.has(v)).length;
  for (const inner of qset.innerSets) if (isQuorumSlice(inner, available)) satisfied++;
  if (satisfied < qset.threshold) {
    out.push({
      path,
      threshold: qset.threshold,
      satisfied,
      unavailable: qset.validators.filter((v) => !available.has(v)),
    });
  }
  qset.innerSets.forEach((inner, i) => {
    out.push(...unsatisfiedSlices(inner, available, `${path}/${i + 1}`));
  });
  return out;
}

export function diagnoseHalt(input: DiagnosisInput): HaltDiagnosis {
  const local = input.quorumSets.get(input.localNode);
  if (!local) throw new RangeError(`no quorum set known for the local node ${input.localNode}`);
  const memberIds = new Set<NodeId>();
  forAllNodes(local, (n) => {
    if (n !== input.localNode) memberIds.add(n);
  });
  const members: MemberHealth[] = [...memberIds].sort().map((node) => {
    const ago = input.lastHeardAgoMs(node);
    return {
      node,
      status: input.statusOf(node),
      lastHeardAgoMs: ago,
      possiblyDead: ago === null || ago > input.possiblyDeadAfterMs,
    };
  });
  const stuck = input.sinceLastCloseMs > input.stuckAfterMs;
  // Available: ourselves and every member not missing. Other nodes of the map count as available when
  // heard from recently (they may be in our members' slices).
  const available = new Set<NodeId>([input.localNode]);
  for (const n of input.quorumSets.keys()) {
    if (n === input.localNode) continue;
    const status = memberIds.has(n) ? input.statusOf(n) : null;
    const ago = input.lastHeardAgoMs(n);
    const heard = ago !== null && ago <= input.possiblyDeadAfterMs;
    if (status === null ? heard : status !== 'missing') available.add(n);
  }
  const down = [...input.quorumSets.keys()].filter((n) => !available.has(n));
  const unsatisfied = unsatisfiedSlices(local, available);
  const { sets: restoreSets, truncated } = stuck
    ? findRestoreSets(input.localNode, input.quorumSets, available, down, input.searchBudget)
    : { sets: [], truncated: false };
  return {
    stuck,
    stuckForMs: stuck ? input.sinceLastCloseMs : 0,
    members,
    failAt: input.failAt,
    failWith: [...input.failWith],
    unsatisfied,
    restoreSets,
    restoreSearchTruncated: truncated,
    summary: summarize(stuck, input.sinceLastCloseMs, members, restoreSets, unsatisfied, input.failAt),
  };
}

function summarize(
  stuck: boolean,
  sinceMs: number,
  members: readonly MemberHealth[],
  restoreSets: readonly NodeId[][],
  unsatisfied: readonly UnsatisfiedSlice[],
  failAt: number,
): string {
  const missing = members.filter((m) => m.status === 'missing').map((m) => m.node);
  if (!stuck) {
    const tail = missing.length > 0 ? `; missing: ${missing.join(', ')}` : '';
    return `closing ledgers; halts if ${failAt} more member(s) of its quorum set fail${tail}`;
  }
  const parts = [`stuck for ${(sinceMs / 1000).toFixed(1)} s: no quorum is available`];
  if (missing.length > 0) parts.push(`missing: ${missing.join(', ')}`);
  const top = unsatisfied[0];
  if (top) parts.push(`slice ${top.path} has ${top.satisfied} of the ${top.threshold} it needs`);
  if (restoreSets.length > 0) {
    const options = restoreSets.slice(0, 3).map((s) => (s.length === 0 ? 'nothing' : s.join(' + ')));
    parts.push(`progress resumes when any of these return: ${options.join(' | ')}`);
  } else {
    parts.push('no set of known nodes would restore a quorum (check the quorum configuration)');
  }
  return parts.join('; ');
}
