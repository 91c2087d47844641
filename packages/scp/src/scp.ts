// The public face of the library (named after stellar-core's SCP class): slots by index, envelopes in,
// statements out through the driver.
import type { Driver } from './driver.js';
import { invariant } from './errors.js';
import { type LeaderHashing, leaderHashingFor } from './leader-hashing.js';
import { checkQuorumSetSanity, encodeQuorumSet, forAllNodes } from './quorum-set.js';
import { type LocalNode, Slot } from './slot.js';
import { isWellFormedEnvelope } from './statements.js';
import {
  type Envelope,
  EnvelopeState,
  type NodeId,
  type QuorumSet,
  type SlotIndex,
  type Value,
} from './types.js';

export class SCP {
  private readonly slots = new Map<SlotIndex, Slot>();
  private local: LocalNode;
  private readonly hashing: LeaderHashing;

  constructor(
    private readonly driver: Driver,
    nodeId: NodeId,
    isValidator: boolean,
    quorumSet: QuorumSet,
  ) {
    this.hashing = leaderHashingFor(driver);
    this.local = this.makeLocal(nodeId, isValidator, quorumSet);
  }

  private makeLocal(nodeId: NodeId, isValidator: boolean, quorumSet: QuorumSet): LocalNode {
    const sanity = checkQuorumSetSanity(quorumSet);
    if (!sanity.ok) throw new RangeError(`invalid local quorum set: ${sanity.reason}`);
    const quorumSetHash = this.driver.getHashOf([encodeQuorumSet(quorumSet)]);
    return { nodeId, isValidator, quorumSet, quorumSetHash };
  }

  get localNodeId(): NodeId {
    return this.local.nodeId;
  }
  get localQuorumSet(): QuorumSet {
    return this.local.quorumSet;
  }
  get isValidator(): boolean {
    return this.local.isValidator;
  }

  /** Replaces the local quorum set; statements from now on carry its hash. */
  updateLocalQuorumSet(quorumSet: QuorumSet): void {
    this.local = this.makeLocal(this.local.nodeId, this.local.isValidator, quorumSet);
  }

  /**
   * Processes an envelope whose signature the caller has verified. Returns Valid when it was well-formed,
   * sane, newer than what we had from its sender and its values not invalid; Invalid otherwise (it is
   * then ignored). Malformed input never throws.
   */
  receiveEnvelope(envelope: Envelope): EnvelopeState {
    if (!isWellFormedEnvelope(envelope)) return EnvelopeState.Invalid;
    const st = envelope.statement;
    if (st.nodeId === this.local.nodeId) return EnvelopeState.Invalid;
    return this.slot(st.slotIndex, true)!.processEnvelope(envelope, false);
  }

  /** Proposes `value` for `slot` (whose predecessor externalized `prevValue`); true when our votes changed. */
  nominate(slot: SlotIndex, value: Value, prevValue: Value): boolean {
    invariant(this.local.isValidator, 'SCP_NOT_VALIDATOR', 'a watcher cannot nominate');
    return this.slot(slot, true)!.nominate(value, prevValue, false);
  }

  stopNomination(slot: SlotIndex): void {
    this.slot(slot, false)?.stopNomination();
  }

  /** Restores one of our own statements persisted before a restart (call before anything else on the slot). */
  setStateFromEnvelope(slot: SlotIndex, envelope: Envelope): void {
    invariant(isWellFormedEnvelope(envelope), 'SCP_RESTORE_MALFORMED', 'restored envelope is malformed');
    invariant(
      envelope.statement.nodeId === this.local.nodeId && envelope.statement.slotIndex === slot,
      'SCP_RESTORE_FOREIGN',
      'restored envelope is not ours for this slot',
    );
    const s = this.slot(slot, true)!;
    if (envelope.statement.pledges.type === 'nominate') s.nomination.setStateFromEnvelope(envelope);
    else s.ballot.setStateFromEnvelope(envelope);
  }

  /** Our newest nomination and ballot statements for the slot (what a restarted peer needs from us). */
  getLatestMessagesSend(slot: SlotIndex): Envelope[] {
    const s = this.slot(slot, false);
    if (!s?.isFullyValidated) return [];
    return [s.nomination.lastEmitted, s.ballot.lastEmittedEnvelope].filter((e): e is Envelope => e !== null);
  }

  /** The newest statements of every node for the slot: nominations, then ballots. */
  getCurrentState(slot: SlotIndex): Envelope[] {
    const s = this.slot(slot, false);
    return s ? [...s.nomination.currentState(), ...s.ballot.currentState()] : [];
  }

  /** The statements that prove the slot externalized (empty until it has). */
  getExternalizingState(slot: SlotIndex): Envelope[] {
    return this.slot(slot, false)?.ballot.externalizingState() ?? [];
  }

  /** Members of our quorum set we have heard nothing from in this slot, sorted. */
  getMissingNodes(slot: SlotIndex): NodeId[] {
    const heard = this.slot(slot, false)?.heardFrom() ?? new Set<NodeId>();
    const missing = new Set<NodeId>();
    forAllNodes(this.local.quorumSet, (n) => {
      if (n !== this.local.nodeId && !heard.has(n)) missing.add(n);
    });
    return [...missing].sort();
  }

  /** Quorum health of `node` (default: us) in the slot: agree, delayed, disagree, missing, failAt. */
  getJsonQuorumInfo(slot: SlotIndex, node: NodeId = this.local.nodeId) {
    const s = this.slot(slot, false);
    return s ? s.ballot.quorumInfo(node) : null;
  }

  /** State of the slot's protocols, for status pages and logs. */
  getJsonInfo(slot: SlotIndex) {
    const s = this.slot(slot, false);
    if (!s) return null;
    return {
      slot,
      fullyValidated: s.isFullyValidated,
      nomination: s.nomination.info(),
      ballot: s.ballot.info(),
    };
  }

  isSlotExternalized(slot: SlotIndex): boolean {
    return this.slot(slot, false)?.ballot.isExternalized ?? false;
  }

  getExternalizedValue(slot: SlotIndex): Value | null {
    return this.slot(slot, false)?.ballot.externalizedValue ?? null;
  }

  /** Forgets every slot below `below`, except `keep`. */
  purgeSlots(below: SlotIndex, keep?: SlotIndex): void {
    for (const index of [...this.slots.keys()]) if (index < below && index !== keep) this.slots.delete(index);
  }

  /** The slots SCP holds, ascending. */
  getKnownSlots(): SlotIndex[] {
    return [...this.slots.keys()].sort((a, b) => a - b);
  }

  // --- test hooks (stellar-core's TestSCP) ------------------------------------------------------------------

  /** Starts the ballot protocol on `value` (or, with force, moves to the next counter). */
  bumpState(slot: SlotIndex, value: Value, force = true): boolean {
    return this.slot(slot, true)!.bumpState(value, force);
  }

  getNominationLeaders(slot: SlotIndex): Set<NodeId> {
    return new Set(this.slot(slot, false)?.nomination.leaders ?? []);
  }

  getLatestCompositeCandidate(slot: SlotIndex): Value | null {
    return this.slot(slot, false)?.latestCompositeCandidate ?? null;
  }

  private slot(index: SlotIndex, create: boolean): Slot | undefined {
    let s = this.slots.get(index);
    if (!s && create) {
      s = new Slot(index, this.driver, this.hashing, () => this.local);
      this.slots.set(index, s);
    }
    return s;
  }
}
