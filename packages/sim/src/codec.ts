import { createHash } from 'node:crypto';
import type { Ballot, Envelope, NodeId, Pledges, Statement } from '@qm/scp';

/**
 * What the wire decoder of a real node would enforce before SCP sees an envelope: the right fields with
 * the right types and bounded sizes. Semantic checks (sorted votes, ballot order, ...) are SCP's job, so
 * well-typed nonsense is passed on to it on purpose.
 */
export const WIRE_LIMITS = { maxValues: 64, maxValueBytes: 256, maxNodeIdChars: 128 } as const;

const isU32 = (x: unknown): x is number =>
  Number.isInteger(x) && (x as number) >= 0 && (x as number) <= 0xffffffff;
const isBytes = (x: unknown, max: number): x is Uint8Array => x instanceof Uint8Array && x.length <= max;
const isHash = (x: unknown): x is Uint8Array => x instanceof Uint8Array && x.length === 32;

function isBallot(x: unknown): x is Ballot {
  if (typeof x !== 'object' || x === null) return false;
  const b = x as Record<string, unknown>;
  return isU32(b.counter) && isBytes(b.value, WIRE_LIMITS.maxValueBytes);
}

const isOptionalBallot = (x: unknown): boolean => x === null || isBallot(x);

function isValueList(x: unknown): boolean {
  return (
    Array.isArray(x) &&
    x.length <= WIRE_LIMITS.maxValues &&
    x.every((v) => isBytes(v, WIRE_LIMITS.maxValueBytes))
  );
}

function isPledges(x: unknown): x is Pledges {
  if (typeof x !== 'object' || x === null) return false;
  const p = x as Record<string, unknown>;
  switch (p.type) {
    case 'nominate':
      return isHash(p.quorumSetHash) && isValueList(p.votes) && isValueList(p.accepted);
    case 'prepare':
      return (
        isHash(p.quorumSetHash) &&
        isBallot(p.ballot) &&
        isOptionalBallot(p.prepared) &&
        isOptionalBallot(p.preparedPrime) &&
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

/** True when `x` decodes as an Envelope (shape and sizes only). */
export function isWellFormedEnvelope(x: unknown): x is Envelope {
  if (typeof x !== 'object' || x === null) return false;
  const e = x as Record<string, unknown>;
  if (!isHash(e.signature)) return false;
  const st = e.statement as Record<string, unknown> | null;
  if (typeof st !== 'object' || st === null) return false;
  return (
    typeof st.nodeId === 'string' &&
    st.nodeId.length > 0 &&
    st.nodeId.length <= WIRE_LIMITS.maxNodeIdChars &&
    Number.isSafeInteger(st.slotIndex) &&
    (st.slotIndex as number) >= 0 &&
    isPledges(st.pledges)
  );
}

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
const ballotText = (b: Ballot | null): string => (b === null ? '-' : `${b.counter}:${hex(b.value)}`);

/** Deterministic text of a well-formed statement: what the MAC covers. */
export function encodeStatement(st: Statement): string {
  const p = st.pledges;
  const head = `${st.nodeId.length}:${st.nodeId}|${st.slotIndex}|${p.type}`;
  switch (p.type) {
    case 'nominate':
      return `${head}|${hex(p.quorumSetHash)}|${p.votes.map(hex).join(',')}|${p.accepted.map(hex).join(',')}`;
    case 'prepare':
      return `${head}|${hex(p.quorumSetHash)}|${ballotText(p.ballot)}|${ballotText(p.prepared)}|${ballotText(p.preparedPrime)}|${p.nC}|${p.nH}`;
    case 'confirm':
      return `${head}|${hex(p.quorumSetHash)}|${ballotText(p.ballot)}|${p.nPrepared}|${p.nCommit}|${p.nH}`;
    case 'externalize':
      return `${head}|${ballotText(p.commit)}|${p.nH}|${hex(p.commitQuorumSetHash)}`;
  }
}

/**
 * The simulator's signature: SHA-256(secret(node) || statement). A cheap stand-in for Ed25519 with the
 * property that matters here: nobody can produce another node's tag, while a node holding its own secret
 * can tag any statement, including contradictory ones (equivocation).
 */
export function macStatement(nodeSecret: string, st: Statement): Uint8Array {
  return createHash('sha256').update(nodeSecret).update('\0').update(encodeStatement(st)).digest();
}

/** Per-node secret; derived from the run seed so forged tags are not guessable from node ids alone. */
export function nodeSecret(runSeed: number, node: NodeId): string {
  return createHash('sha256').update(`qm-sim-key|${runSeed}|${node}`).digest('hex');
}

export function macEquals(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
