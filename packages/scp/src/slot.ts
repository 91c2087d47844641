// One consensus instance (a slot): its nomination and ballot protocols and what both need from the
// local node and the driver.
import { BallotProtocol } from './ballot-protocol.js';
import type { Driver } from './driver.js';
import type { VotingContext } from './federated-voting.js';
import type { LeaderHashing } from './leader-hashing.js';
import { NominationProtocol } from './nomination.js';
import { checkQuorumSetSanity, singletonQuorumSet } from './quorum-set.js';
import type {
  Envelope,
  EnvelopeState,
  Hash,
  NodeId,
  Pledges,
  QuorumSet,
  SlotIndex,
  Statement,
  Value,
} from './types.js';

/** What a slot reads from its SCP instance: the local node's identity and configuration. */
export interface LocalNode {
  readonly nodeId: NodeId;
  readonly isValidator: boolean;
  readonly quorumSet: QuorumSet;
  readonly quorumSetHash: Hash;
}

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

export class Slot implements VotingContext {
  readonly nomination: NominationProtocol;
  readonly ballot: BallotProtocol;
  /** False once any value was only "maybe valid": such a node must not send its statements. */
  private fullyValidated: boolean;

  constructor(
    readonly slotIndex: SlotIndex,
    readonly driver: Driver,
    readonly hashing: LeaderHashing,
    private readonly local: () => LocalNode,
  ) {
    this.fullyValidated = local().isValidator;
    this.nomination = new NominationProtocol(this);
    this.ballot = new BallotProtocol(this);
  }

  get localNodeId(): NodeId {
    return this.local().nodeId;
  }
  get localQuorumSet(): QuorumSet {
    return this.local().quorumSet;
  }
  get localQuorumSetHash(): Hash {
    return this.local().quorumSetHash;
  }
  get isFullyValidated(): boolean {
    return this.fullyValidated;
  }
  setNotFullyValidated(): void {
    this.fullyValidated = false;
  }

  /** The sane quorum set with this hash, or null (unknown to the driver, or failing the sanity check). */
  quorumSetByHash(hash: Hash): QuorumSet | null {
    const local = this.local();
    if (hex(hash) === hex(local.quorumSetHash)) return local.quorumSet;
    const qset = this.driver.getQSet(hash);
    return qset !== null && checkQuorumSetSanity(qset).ok ? qset : null;
  }

  /** The slice a statement's sender declared; an EXTERNALIZE sender counts as a quorum by itself. */
  quorumSetOf(st: Statement): QuorumSet | null {
    const p = st.pledges;
    if (p.type === 'externalize') return singletonQuorumSet(st.nodeId);
    return this.quorumSetByHash(p.quorumSetHash);
  }

  createEnvelope(pledges: Pledges): Envelope {
    const envelope: Envelope = {
      statement: { nodeId: this.localNodeId, slotIndex: this.slotIndex, pledges },
      signature: new Uint8Array(),
    };
    this.driver.signEnvelope(envelope);
    return envelope;
  }

  processEnvelope(envelope: Envelope, self: boolean): EnvelopeState {
    return envelope.statement.pledges.type === 'nominate'
      ? this.nomination.processEnvelope(envelope)
      : this.ballot.processEnvelope(envelope, self);
  }

  nominate(value: Value, previousValue: Value, timedOut: boolean): boolean {
    return this.nomination.nominate(value, previousValue, timedOut);
  }

  stopNomination(): void {
    this.nomination.stopNomination();
  }

  bumpState(value: Value, force: boolean): boolean {
    return this.ballot.bumpState(value, force);
  }

  get latestCompositeCandidate(): Value | null {
    return this.nomination.latestCompositeCandidate;
  }

  valueString(v: Value): string {
    return this.driver.getValueString ? this.driver.getValueString(v) : hex(v);
  }

  /** Every node we have heard from in this slot, in nomination or ballot. */
  heardFrom(): Set<NodeId> {
    return new Set([...this.nomination.latest.keys(), ...this.ballot.latest.keys()]);
  }
}
