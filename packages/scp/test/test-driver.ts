// A recording driver for unit tests (after stellar-core's TestSCP): emitted envelopes are kept in a list,
// timers sit on a manual clock, and leader priorities can be forced through computeHashNode.
import { createHash } from 'node:crypto';
import {
  type Driver,
  type Envelope,
  encodeQuorumSet,
  type Hash,
  type NodeId,
  type Pledges,
  type QuorumSet,
  SCP,
  type SlotIndex,
  type TimerId,
  ValidationLevel,
  type Value,
} from '../src/index.js';

export const sha256 = (parts: readonly Uint8Array[]): Hash => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
export const hashOfQuorumSet = (q: QuorumSet): Hash => sha256([encodeQuorumSet(q)]);
export const value = (s: string): Value => new TextEncoder().encode(s);
export const text = (v: Value): string => new TextDecoder().decode(v);

interface PendingTimer {
  timeoutMs: number;
  cb: () => void;
}

export class TestDriver implements Driver {
  readonly emitted: Envelope[] = [];
  readonly persisted: Envelope[] = [];
  readonly externalized = new Map<SlotIndex, Value>();
  readonly timers = new Map<string, PendingTimer>();
  readonly quorumSets = new Map<string, QuorumSet>();
  /** Values the application rejects; everything else is fully valid. */
  readonly invalid = new Set<string>();

  addQuorumSet(q: QuorumSet): Hash {
    const h = hashOfQuorumSet(q);
    this.quorumSets.set(Buffer.from(h).toString('hex'), q);
    return h;
  }

  signEnvelope(envelope: Envelope): void {
    envelope.signature = sha256([value(JSON.stringify(envelope.statement.nodeId))]);
  }
  emitEnvelope(envelope: Envelope): void {
    this.emitted.push(envelope);
  }
  persistEnvelope(envelope: Envelope): void {
    this.persisted.push(envelope);
  }
  getQSet(hash: Hash): QuorumSet | null {
    return this.quorumSets.get(Buffer.from(hash).toString('hex')) ?? null;
  }
  getHashOf(parts: readonly Uint8Array[]): Hash {
    return sha256(parts);
  }
  validateValue(_slot: SlotIndex, v: Value): ValidationLevel {
    return this.invalid.has(text(v)) ? ValidationLevel.Invalid : ValidationLevel.FullyValid;
  }
  extractValidValue(_slot: SlotIndex, v: Value): Value | null {
    return this.invalid.has(text(v)) ? null : v;
  }
  /** The composite is the largest candidate: simple, deterministic and easy to predict in tests. */
  combineCandidates(_slot: SlotIndex, candidates: readonly Value[]): Value | null {
    return candidates.length === 0 ? null : candidates[candidates.length - 1]!;
  }
  getValueString(v: Value): string {
    return text(v);
  }
  /** Unset: SCP's default leader hash. Set by forceLeaders. */
  computeHashNode?: Driver['computeHashNode'];

  /** Forces leader selection: every node passes the neighborhood filter and the highest priority leads. */
  forceLeaders(priorities: Record<NodeId, bigint>): void {
    this.computeHashNode = (_slot, _prev, isPriority, _round, node) =>
      isPriority ? (priorities[node] ?? 0n) : 0n;
  }
  setupTimer(slot: SlotIndex, timerId: TimerId, timeoutMs: number, cb: (() => void) | null): void {
    const key = `${slot}/${timerId}`;
    if (cb === null) this.timers.delete(key);
    else this.timers.set(key, { timeoutMs, cb });
  }
  stopTimer(slot: SlotIndex, timerId: TimerId): void {
    this.timers.delete(`${slot}/${timerId}`);
  }
  valueExternalized(slot: SlotIndex, v: Value): void {
    if (this.externalized.has(slot)) throw new Error(`slot ${slot} externalized twice`);
    this.externalized.set(slot, v);
  }

  /** Fires a pending timer (as if its timeout elapsed); returns its timeout. */
  fireTimer(slot: SlotIndex, timerId: TimerId): number {
    const key = `${slot}/${timerId}`;
    const t = this.timers.get(key);
    if (!t) throw new Error(`no timer ${key}`);
    this.timers.delete(key);
    t.cb();
    return t.timeoutMs;
  }
}

/** A node under test with the driver and quorum set, and helpers to forge peers' envelopes. */
export function makeNode(id: NodeId, qset: QuorumSet, isValidator = true) {
  const driver = new TestDriver();
  const qsetHash = driver.addQuorumSet(qset);
  const scp = new SCP(driver, id, isValidator, qset);
  const envelope = (nodeId: NodeId, slotIndex: SlotIndex, pledges: Pledges): Envelope => ({
    statement: { nodeId, slotIndex, pledges },
    signature: new Uint8Array(32),
  });
  return { driver, scp, qsetHash, envelope };
}

export const flat = (threshold: number, validators: NodeId[]): QuorumSet => ({
  threshold,
  validators,
  innerSets: [],
});
