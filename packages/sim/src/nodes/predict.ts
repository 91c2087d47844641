// The quorum analyzer's liveness prediction for a fault state: which validators can still close ledgers.
// This is the analysis of packages/fbas whatIf (a node progresses iff it belongs to the greatest quorum
// of the correct, running nodes), applied per connected component of the network that is left. The
// layer rules (scripts/layers.mjs) do not let sim import fbas, so the greatest-quorum fixpoint is
// computed here from @qm/scp's slice predicate, the one the validators themselves run.
import { isQuorumSlice, type NodeId, type QuorumSet } from '@qm/scp';

/** The largest quorum inside `within` (empty when there is none): drop unsatisfied nodes to a fixpoint. */
export function greatestQuorum(qsets: ReadonlyMap<NodeId, QuorumSet>, within: Iterable<NodeId>): Set<NodeId> {
  const set = new Set(within);
  for (let changed = true; changed; ) {
    changed = false;
    for (const v of [...set]) {
      const q = qsets.get(v);
      if (!q || !isQuorumSlice(q, set)) {
        set.delete(v);
        changed = true;
      }
    }
  }
  return set;
}

export interface FaultState {
  /** Validators running and not paused. */
  readonly up: ReadonlySet<NodeId>;
  /** Whether a and b have a link (both up, not cut). */
  readonly linked: (a: NodeId, b: NodeId) => boolean;
}

/** For every up validator: can it close ledgers (true) or must it halt (false)? */
export function predictProgress(
  qsets: ReadonlyMap<NodeId, QuorumSet>,
  state: FaultState,
): Map<NodeId, boolean> {
  const out = new Map<NodeId, boolean>();
  const seen = new Set<NodeId>();
  const up = [...state.up];
  for (const start of up) {
    if (seen.has(start)) continue;
    // Flooding relays statements across any path of links: a connected component is what can talk.
    const component = new Set([start]);
    const todo = [start];
    while (todo.length > 0) {
      const a = todo.pop()!;
      for (const b of up) {
        if (!component.has(b) && state.linked(a, b)) {
          component.add(b);
          todo.push(b);
        }
      }
    }
    const live = greatestQuorum(qsets, component);
    for (const v of component) {
      seen.add(v);
      out.set(v, live.has(v));
    }
  }
  return out;
}
