import { createHash } from 'node:crypto';
import {
  type Ballot,
  type Envelope,
  isWellFormedEnvelope as isShapedEnvelope,
  type NodeId,
  type Statement,
} from '@qm/scp';

/**
 * What the wire decoder of a real node would enforce before SCP sees an envelope: the right fields with
 * the right types and bounded sizes. Semantic checks (sorted votes, ballot order, ...) are SCP's job, so
 * well-typed nonsense is passed on to it on purpose.
 */
export const WIRE_LIMITS = { maxValues: 64, maxValueBytes: 256, maxNodeIdChars: 128, hashBytes: 32 } as const;

/** True when `x` decodes as an Envelope (shape and sizes only; hashes and the MAC are SHA-256 sized). */
export function isWellFormedEnvelope(x: unknown): x is Envelope {
  const signature = (x as { signature?: unknown } | null)?.signature;
  return signature instanceof Uint8Array && signature.length === 32 && isShapedEnvelope(x, WIRE_LIMITS);
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
