// The data SCP exchanges, after stellar-core's XDR (Stellar-SCP.x) and draft-mazieres-dinrg-scp-05 section 3.
// The protocol never interprets a value: values are opaque bytes compared bytewise.

/** A node's identity, opaque to SCP (the node layer uses its human-readable public-key id). */
export type NodeId = string;
/** An opaque consensus value. Ordering is bytewise (see compareValues). */
export type Value = Uint8Array;
/** A 32-byte digest produced by Driver.getHashOf. */
export type Hash = Uint8Array;
/** Slot index (the ledger sequence number in Quartermaster). Always a safe non-negative integer. */
export type SlotIndex = number;

/** `{threshold, validators, innerSets}`: satisfied when `threshold` of its members (nodes or inner sets) are. */
export interface QuorumSet {
  readonly threshold: number;
  readonly validators: readonly NodeId[];
  readonly innerSets: readonly QuorumSet[];
}

/** A ballot `<counter, value>`; ordered by counter, then value. */
export interface Ballot {
  readonly counter: number;
  readonly value: Value;
}

export interface NominateStatement {
  readonly type: 'nominate';
  readonly quorumSetHash: Hash;
  /** Values voted to nominate; sorted, no duplicates. */
  readonly votes: readonly Value[];
  /** Values accepted as nominated; sorted, no duplicates. */
  readonly accepted: readonly Value[];
}

export interface PrepareStatement {
  readonly type: 'prepare';
  readonly quorumSetHash: Hash;
  readonly ballot: Ballot;
  readonly prepared: Ballot | null;
  readonly preparedPrime: Ballot | null;
  /** Lowest counter of the commit range voted (0 = none). */
  readonly nC: number;
  /** Highest counter confirmed prepared (0 = none). */
  readonly nH: number;
}

export interface ConfirmStatement {
  readonly type: 'confirm';
  readonly quorumSetHash: Hash;
  readonly ballot: Ballot;
  readonly nPrepared: number;
  readonly nCommit: number;
  readonly nH: number;
}

export interface ExternalizeStatement {
  readonly type: 'externalize';
  readonly commit: Ballot;
  readonly nH: number;
  /** Hash of the sender's quorum set at the time it externalized. */
  readonly commitQuorumSetHash: Hash;
}

export type Pledges = NominateStatement | PrepareStatement | ConfirmStatement | ExternalizeStatement;
export type StatementType = Pledges['type'];

export interface Statement {
  readonly nodeId: NodeId;
  readonly slotIndex: SlotIndex;
  readonly pledges: Pledges;
}

/** A statement and its sender's signature. SCP never checks signatures; the node does before delivery. */
export interface Envelope {
  readonly statement: Statement;
  signature: Uint8Array;
}

/** How acceptable a value is to the application (stellar-core's SCPDriver::ValidationLevel). */
export const ValidationLevel = {
  Invalid: 0,
  /** Cannot be fully checked now (e.g. the node is out of sync); may vote, must not nominate it. */
  MaybeValid: 1,
  FullyValid: 2,
} as const;
export type ValidationLevel = (typeof ValidationLevel)[keyof typeof ValidationLevel];

/** Timer ids used with Driver.setupTimer. */
export const TimerId = { Nomination: 0, Ballot: 1 } as const;
export type TimerId = (typeof TimerId)[keyof typeof TimerId];

/** Result of receiveEnvelope (stellar-core's SCP::EnvelopeState). */
export const EnvelopeState = { Invalid: 0, Valid: 1 } as const;
export type EnvelopeState = (typeof EnvelopeState)[keyof typeof EnvelopeState];

/** Ballot protocol phase (stellar-core's SCPPhase). */
export type BallotPhase = 'prepare' | 'confirm' | 'externalize';
