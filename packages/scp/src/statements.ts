// Helpers over statements: shape checks for untrusted input, equality, and the views of a statement the
// ballot protocol needs (its working ballot, its counter, the values it mentions).
import { INFINITE_COUNTER, makeBallot, valuesEqual } from './ballots.js';
import type { Ballot, Envelope, Hash, Pledges, Statement, Value } from './types.js';

/** Bounds on what one statement may carry; a wire decoder may pass stricter ones. */
export interface StatementLimits {
  readonly maxValues: number;
  readonly maxValueBytes: number;
  readonly maxNodeIdChars: number;
  /** Exact length of quorum-set hashes, when the hash function is fixed (otherwise 1 to 64 bytes). */
  readonly hashBytes?: number;
}

export const STATEMENT_LIMITS: StatementLimits = {
  maxValues: 1024,
  maxValueBytes: 1 << 20,
  maxNodeIdChars: 256,
};

const isU32 = (x: unknown): x is number =>
  Number.isInteger(x) && (x as number) >= 0 && (x as number) <= 0xffffffff;

function isPledges(p: Record<string, unknown>, limits: StatementLimits): boolean {
  const isBytes = (x: unknown): x is Uint8Array =>
    x instanceof Uint8Array && x.length <= limits.maxValueBytes;
  const isHash = (x: unknown): x is Hash =>
    x instanceof Uint8Array &&
    (limits.hashBytes === undefined ? x.length > 0 && x.length <= 64 : x.length === limits.hashBytes);
  const isBallot = (x: unknown): x is Ballot =>
    typeof x === 'object' && x !== null && isU32((x as Ballot).counter) && isBytes((x as Ballot).value);
  const isValues = (x: unknown): boolean =>
    Array.isArray(x) && x.length <= limits.maxValues && x.every(isBytes);
  switch (p.type) {
    case 'nominate':
      return isHash(p.quorumSetHash) && isValues(p.votes) && isValues(p.accepted);
    case 'prepare':
      return (
        isHash(p.quorumSetHash) &&
        isBallot(p.ballot) &&
        (p.prepared === null || isBallot(p.prepared)) &&
        (p.preparedPrime === null || isBallot(p.preparedPrime)) &&
        isU32(p.nC) &&
        isU32(p.nH)
      );
    case 'confirm':
      return (
        isHash(p.quorumSetHash) && isBallot(p.ballot) && isU32(p.nPrepared) && isU32(p.nCommit) && isU32(p.nH)
      );
    case 'externalize':
      return isBallot(p.commit) && isU32(p.nH) && isHash(p.commitQuorumSetHash);
    default:
      return false;
  }
}

/**
 * True when `x` has the shape of an envelope: the fields of its statement type with the right types and
 * bounded sizes. Protocol rules (sorted votes, ballot ordering) are checked later, per statement type.
 */
export function isWellFormedEnvelope(x: unknown, limits: StatementLimits = STATEMENT_LIMITS): x is Envelope {
  if (typeof x !== 'object' || x === null) return false;
  const st = (x as { statement?: unknown }).statement as Record<string, unknown> | undefined;
  if (typeof st !== 'object' || st === null) return false;
  if (typeof st.nodeId !== 'string' || st.nodeId.length === 0) return false;
  if (st.nodeId.length > limits.maxNodeIdChars) return false;
  if (!Number.isSafeInteger(st.slotIndex) || (st.slotIndex as number) < 0) return false;
  const pledges = st.pledges;
  return (
    typeof pledges === 'object' && pledges !== null && isPledges(pledges as Record<string, unknown>, limits)
  );
}

const bytesEqual = (a: Uint8Array, b: Uint8Array): boolean => valuesEqual(a, b);
const ballotsEqual = (a: Ballot | null, b: Ballot | null): boolean =>
  a === null || b === null ? a === b : a.counter === b.counter && bytesEqual(a.value, b.value);
const listsEqual = (a: readonly Value[], b: readonly Value[]): boolean =>
  a.length === b.length && a.every((v, i) => bytesEqual(v, b[i]!));

/** Structural equality of two statements' pledges. */
export function pledgesEqual(a: Pledges, b: Pledges): boolean {
  switch (a.type) {
    case 'nominate':
      return (
        b.type === 'nominate' &&
        bytesEqual(a.quorumSetHash, b.quorumSetHash) &&
        listsEqual(a.votes, b.votes) &&
        listsEqual(a.accepted, b.accepted)
      );
    case 'prepare':
      return (
        b.type === 'prepare' &&
        bytesEqual(a.quorumSetHash, b.quorumSetHash) &&
        ballotsEqual(a.ballot, b.ballot) &&
        ballotsEqual(a.prepared, b.prepared) &&
        ballotsEqual(a.preparedPrime, b.preparedPrime) &&
        a.nC === b.nC &&
        a.nH === b.nH
      );
    case 'confirm':
      return (
        b.type === 'confirm' &&
        bytesEqual(a.quorumSetHash, b.quorumSetHash) &&
        ballotsEqual(a.ballot, b.ballot) &&
        a.nPrepared === b.nPrepared &&
        a.nCommit === b.nCommit &&
        a.nH === b.nH
      );
    case 'externalize':
      return (
        b.type === 'externalize' &&
        ballotsEqual(a.commit, b.commit) &&
        a.nH === b.nH &&
        bytesEqual(a.commitQuorumSetHash, b.commitQuorumSetHash)
      );
  }
}

export const statementsEqual = (a: Statement, b: Statement): boolean =>
  a.nodeId === b.nodeId && a.slotIndex === b.slotIndex && pledgesEqual(a.pledges, b.pledges);

type BallotPledges = Exclude<Pledges, { type: 'nominate' }>;

/** The ballot a statement works on: b for PREPARE, (c, x) for CONFIRM, the commit for EXTERNALIZE. */
export function workingBallot(p: BallotPledges): Ballot {
  switch (p.type) {
    case 'prepare':
      return p.ballot;
    case 'confirm':
      return makeBallot(p.nCommit, p.ballot.value);
    case 'externalize':
      return p.commit;
  }
}

/** The counter a statement's sender is at; EXTERNALIZE counts as infinite. */
export function statementBallotCounter(p: BallotPledges): number {
  return p.type === 'externalize' ? INFINITE_COUNTER : p.ballot.counter;
}

/** The values a ballot statement mentions (what the driver must validate). */
export function ballotStatementValues(p: BallotPledges): Value[] {
  switch (p.type) {
    case 'prepare': {
      // A counter of 0 is the local node's "no ballot yet"; it carries no value.
      const out = p.ballot.counter === 0 ? [] : [p.ballot.value];
      if (p.prepared) out.push(p.prepared.value);
      if (p.preparedPrime) out.push(p.preparedPrime.value);
      return out;
    }
    case 'confirm':
      return [p.ballot.value];
    case 'externalize':
      return [p.commit.value];
  }
}

export type { BallotPledges };
