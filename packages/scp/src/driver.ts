import type {
  Ballot,
  Envelope,
  Hash,
  NodeId,
  QuorumSet,
  SlotIndex,
  TimerId,
  ValidationLevel,
  Value,
} from './types.js';

/**
 * Every effect SCP has on the world goes through this interface (after stellar-core's SCPDriver).
 * SCP itself has no I/O, clock or randomness; the node and the simulator each implement a Driver.
 */
export interface Driver {
  // --- envelopes -----------------------------------------------------------------------------
  /** Fills in envelope.signature. Called before the envelope is recorded or emitted. */
  signEnvelope(envelope: Envelope): void;
  /** Broadcasts an envelope of ours. Called after it has been recorded as our latest. */
  emitEnvelope(envelope: Envelope): void;
  /**
   * Called before a new statement of ours takes effect, so the node can persist it first and never
   * contradict it after a restart. Optional; the simulator uses it to model what survives a crash.
   */
  persistEnvelope?(envelope: Envelope): void;

  // --- quorum sets and hashing ---------------------------------------------------------------
  /** The quorum set with this hash, or null when unknown (the envelope then cannot be processed yet). */
  getQSet(hash: Hash): QuorumSet | null;
  /** Collision-resistant hash of the concatenation of parts (SHA-256 in Quartermaster). */
  getHashOf(parts: readonly Uint8Array[]): Hash;

  // --- values --------------------------------------------------------------------------------
  validateValue(slot: SlotIndex, value: Value, nomination: boolean): ValidationLevel;
  /** A fully valid value derived from a maybe-valid one, or null. */
  extractValidValue(slot: SlotIndex, value: Value): Value | null;
  /** Deterministic combination of confirmed-nominated candidates into the composite value. */
  combineCandidates(slot: SlotIndex, candidates: readonly Value[]): Value | null;
  /** Human-readable value for logs and status JSON. */
  getValueString?(value: Value): string;

  // --- leader selection (overridable; defaults in defaultDriver.ts follow stellar-core) ------------
  /** 64-bit hash for neighborhood (isPriority=false) and priority (isPriority=true) of a node in a round. */
  computeHashNode?(slot: SlotIndex, prev: Value, isPriority: boolean, round: number, nodeId: NodeId): bigint;
  /** 64-bit hash ranking a value among a leader's votes in a round. */
  computeValueHash?(slot: SlotIndex, prev: Value, round: number, value: Value): bigint;
  /** A node's weight in [0, 2^64-1] within qset; the local node has weight 2^64-1. */
  getNodeWeight?(nodeId: NodeId, qset: QuorumSet, isLocalNode: boolean): bigint;

  // --- timers --------------------------------------------------------------------------------
  /** Arms (or with cb === null cancels) the slot's timer; a new setup replaces the old one. */
  setupTimer(slot: SlotIndex, timerId: TimerId, timeoutMs: number, cb: (() => void) | null): void;
  stopTimer(slot: SlotIndex, timerId: TimerId): void;
  /** Timeout for a nomination or ballot round; grows with the round (linear, as in stellar-core). */
  computeTimeout?(round: number, isNomination: boolean): number;

  // --- events (all optional) -------------------------------------------------------------------
  valueExternalized?(slot: SlotIndex, value: Value): void;
  nominatingValue?(slot: SlotIndex, value: Value): void;
  updatedCandidateValue?(slot: SlotIndex, value: Value): void;
  startedBallotProtocol?(slot: SlotIndex, ballot: Ballot): void;
  acceptedBallotPrepared?(slot: SlotIndex, ballot: Ballot): void;
  confirmedBallotPrepared?(slot: SlotIndex, ballot: Ballot): void;
  acceptedCommit?(slot: SlotIndex, ballot: Ballot): void;
  ballotDidHearFromQuorum?(slot: SlotIndex, ballot: Ballot): void;
}
