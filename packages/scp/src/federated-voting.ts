// Federated voting over the latest statement of each node (draft-mazieres-dinrg-scp-05 section 3.1):
// a statement is accepted when a v-blocking set accepted it or a quorum voted for or accepted it, and
// ratified (confirmed) when a quorum accepted it.
import { isQuorumSlice, isVBlocking } from './quorum-set.js';
import type { NodeId, QuorumSet, Statement } from './types.js';

export type StatementFilter = (st: Statement) => boolean;

/** What federated voting needs to know about the slot: statements by node and how to read senders' slices. */
export interface VotingContext {
  readonly localQuorumSet: QuorumSet;
  /** The quorum set a statement's sender declared, or null when unknown. */
  quorumSetOf(st: Statement): QuorumSet | null;
}

/**
 * True when the nodes whose latest statement passes `filter` contain a quorum that includes a slice of
 * the local node. Computed as a fixpoint: drop every node whose own slice is not within the remaining
 * set until nothing changes (stellar-core's LocalNode::isQuorum).
 */
export function isQuorum(
  ctx: VotingContext,
  latest: ReadonlyMap<NodeId, { statement: Statement }>,
  filter: StatementFilter,
): boolean {
  let members = new Set<NodeId>();
  for (const [node, env] of latest) if (filter(env.statement)) members.add(node);
  for (;;) {
    const kept = new Set<NodeId>();
    for (const node of members) {
      const qset = ctx.quorumSetOf(latest.get(node)!.statement);
      if (qset !== null && isQuorumSlice(qset, members)) kept.add(node);
    }
    if (kept.size === members.size) break;
    members = kept;
  }
  return isQuorumSlice(ctx.localQuorumSet, members);
}

/** True when the nodes whose latest statement passes `filter` form a v-blocking set for the local node. */
export function isVBlockingAmong(
  qset: QuorumSet,
  latest: ReadonlyMap<NodeId, { statement: Statement }>,
  filter: StatementFilter,
): boolean {
  return isVBlocking(qset, (node) => {
    const env = latest.get(node);
    return env !== undefined && filter(env.statement);
  });
}

/** Federated accept: a v-blocking set accepted, or a quorum voted or accepted. */
export function federatedAccept(
  ctx: VotingContext,
  latest: ReadonlyMap<NodeId, { statement: Statement }>,
  voted: StatementFilter,
  accepted: StatementFilter,
): boolean {
  if (isVBlockingAmong(ctx.localQuorumSet, latest, accepted)) return true;
  return isQuorum(ctx, latest, (st) => accepted(st) || voted(st));
}

/** Federated ratify: a quorum accepted (the statement is confirmed). */
export function federatedRatify(
  ctx: VotingContext,
  latest: ReadonlyMap<NodeId, { statement: Statement }>,
  accepted: StatementFilter,
): boolean {
  return isQuorum(ctx, latest, accepted);
}
