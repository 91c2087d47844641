/**
 * Limits the protocol enforces (DESIGN.md principle 4). Nesting and size follow stellar-core's
 * QuorumSetUtils (MAXIMUM_QUORUM_NESTING_LEVEL = 4, at most 1000 nodes); the transition bound follows
 * BallotProtocol's MAX_ADVANCE_SLOT_RECURSION.
 */
export const LIMITS = {
  /** Deepest inner set, counting the top-level set as depth 0. */
  maxQuorumSetDepth: 4,
  maxQuorumSetNodes: 1000,
  /** State transitions one received message may cause before SCP gives up (a protocol bug). */
  maxTransitionsPerMessage: 50,
} as const;

/** A broken protocol invariant. It stops the caller instead of letting a wrong statement out. */
export class ScpInvariantError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'ScpInvariantError';
    this.code = code;
  }
}

/** Throws when `condition` is false: invariants stay checked in production (DESIGN.md principle 5). */
export function invariant(condition: unknown, code: string, message: string): asserts condition {
  if (!condition) throw new ScpInvariantError(code, message);
}
