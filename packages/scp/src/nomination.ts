// The nomination protocol (draft-mazieres-dinrg-scp-05 section 3.4; stellar-core NominationProtocol):
// nodes vote for values of the round's leaders, accept and confirm (ratify) nominations through
// federated voting, and combine confirmed candidates into the composite value the ballot protocol uses.
import { isStrictlySorted, sortedIncludes, ValueSet } from './ballots.js';
import { invariant } from './errors.js';
import { federatedAccept, federatedRatify } from './federated-voting.js';
import { forAllNodes, normalizeQuorumSet } from './quorum-set.js';
import type { Slot } from './slot.js';
import {
  type Envelope,
  EnvelopeState,
  type NodeId,
  type NominateStatement,
  type Statement,
  TimerId,
  ValidationLevel,
  type Value,
} from './types.js';

const nominationOf = (st: Statement): NominateStatement => st.pledges as NominateStatement;

/** True when `next` (already checked sorted) extends `prev`: both lists only grow, and at least one grows. */
function isNewerNomination(prev: NominateStatement, next: NominateStatement): boolean {
  const covers = (small: readonly Value[], big: readonly Value[]): boolean =>
    small.every((v) => sortedIncludes(big, v));
  if (!covers(prev.votes, next.votes) || !covers(prev.accepted, next.accepted)) return false;
  return next.votes.length > prev.votes.length || next.accepted.length > prev.accepted.length;
}

export class NominationProtocol {
  private roundNumber = 0;
  private readonly votes = new ValueSet();
  private readonly accepted = new ValueSet();
  private readonly candidates = new ValueSet();
  /** Each node's newest nomination statement. */
  readonly latest = new Map<NodeId, Envelope>();
  private readonly roundLeaders = new Set<NodeId>();
  private started = false;
  private compositeCandidate: Value | null = null;
  private previousValue: Value = new Uint8Array();
  private lastEnvelope: Envelope | null = null;

  constructor(private readonly slot: Slot) {}

  /**
   * Starts (or, on timeout, continues with) a nomination round for `value`. Returns whether our votes
   * changed. Once a candidate is confirmed no new rounds start: the ballot protocol takes over.
   */
  nominate(value: Value, previousValue: Value, timedOut: boolean): boolean {
    if (timedOut && !this.started) return false;
    if (this.candidates.size > 0) return false;
    const starting = !this.started;
    this.started = true;
    this.previousValue = previousValue;
    this.roundNumber++;
    this.updateRoundLeaders();

    const { driver, slotIndex } = this.slot;
    let updated = false;
    let nominating: Value | null = null;
    // Echo the best value of every leader we have heard from.
    for (const leader of this.roundLeaders) {
      const env = this.latest.get(leader);
      if (!env) continue;
      const echoed = this.newValueFromNomination(nominationOf(env.statement));
      if (echoed !== null && this.votes.add(echoed)) {
        updated = true;
        nominating = echoed;
      }
    }
    // Then, as a leader, our own value, but only while we vote for nothing yet (stellar-core
    // NominationProtocol::nominate): later rounds, and a restarted node, keep the votes they have.
    if (this.roundLeaders.has(this.slot.localNodeId) && this.votes.size === 0) {
      if (this.votes.add(value)) updated = true;
      nominating = value;
    }
    if (nominating !== null) driver.nominatingValue?.(slotIndex, nominating);

    const timeout = this.slot.hashing.timeoutMs(this.roundNumber, true);
    driver.setupTimer(slotIndex, TimerId.Nomination, timeout, () => {
      this.slot.nominate(value, previousValue, true);
    });
    // Statements that arrived before we started were only recorded. Weigh them now: otherwise a node that
    // starts late (after a restart, or behind its peers) waits for news that never comes, since its peers
    // have nothing newer to say. (A deviation from stellar-core, which relies on periodic rebroadcasts.)
    let newCandidates = false;
    if (starting) {
      const recorded = [...this.latest.values()].flatMap((e) => nominationOf(e.statement).votes);
      const r = this.promote(recorded);
      updated = r.modified || updated;
      newCandidates = r.newCandidates;
    }
    this.publish(updated, newCandidates);
    return updated;
  }

  stopNomination(): void {
    this.started = false;
    this.slot.driver.stopTimer(this.slot.slotIndex, TimerId.Nomination);
  }

  processEnvelope(envelope: Envelope): EnvelopeState {
    const st = envelope.statement;
    const nom = nominationOf(st);
    if (!this.isSane(nom)) return EnvelopeState.Invalid;
    const prev = this.latest.get(st.nodeId);
    if (prev && !isNewerNomination(nominationOf(prev.statement), nom)) return EnvelopeState.Invalid;
    this.latest.set(st.nodeId, envelope);
    if (!this.started) return EnvelopeState.Valid;

    const { driver, slotIndex } = this.slot;
    const { newCandidates, modified: promoted } = this.promote(nom.votes);
    let modified = promoted;

    // While still looking for candidates, echo the round leaders.
    if (this.candidates.size === 0 && this.roundLeaders.has(st.nodeId)) {
      const echoed = this.newValueFromNomination(nom);
      if (echoed !== null) {
        this.votes.add(echoed);
        modified = true;
        driver.nominatingValue?.(slotIndex, echoed);
      }
    }

    this.publish(modified, newCandidates);
    return EnvelopeState.Valid;
  }

  /**
   * Federated voting on nominations: votes among `votes` that a v-blocking set accepted, or a quorum voted
   * for or accepted, become accepted; accepted values a quorum accepted become candidates.
   */
  private promote(votes: readonly Value[]): { modified: boolean; newCandidates: boolean } {
    const { driver, slotIndex } = this.slot;
    let modified = false;
    let newCandidates = false;
    for (const v of votes) {
      if (this.accepted.has(v)) continue;
      const voted = (s: Statement) => sortedIncludes(nominationOf(s).votes, v);
      const acceptedBy = (s: Statement) => sortedIncludes(nominationOf(s).accepted, v);
      if (!federatedAccept(this.slot, this.latest, voted, acceptedBy)) continue;
      if (driver.validateValue(slotIndex, v, true) === ValidationLevel.FullyValid) {
        this.accepted.add(v);
        this.votes.add(v);
        modified = true;
      } else {
        // The value got far without us; vote for a valid variation of it if the application has one.
        const variation = driver.extractValidValue(slotIndex, v);
        if (variation !== null && this.votes.add(variation)) modified = true;
      }
    }
    for (const a of this.accepted) {
      if (this.candidates.has(a)) continue;
      if (federatedRatify(this.slot, this.latest, (s) => sortedIncludes(nominationOf(s).accepted, a))) {
        this.candidates.add(a);
        newCandidates = true;
        // With a candidate there is no need for further rounds (white paper, section 6.1).
        driver.stopTimer(slotIndex, TimerId.Nomination);
      }
    }
    return { modified, newCandidates };
  }

  /** Sends our changed nomination, and hands a new composite candidate to the ballot protocol. */
  private publish(modified: boolean, newCandidates: boolean): void {
    const { driver, slotIndex } = this.slot;
    if (modified) this.emitNomination();
    if (!newCandidates) return;
    const composite = driver.combineCandidates(slotIndex, this.candidates.toArray());
    if (composite === null) return;
    this.compositeCandidate = composite;
    driver.updatedCandidateValue?.(slotIndex, composite);
    this.slot.bumpState(composite, false);
  }

  /** Restores our own nomination state from a statement we persisted before a restart. */
  setStateFromEnvelope(envelope: Envelope): void {
    invariant(
      !this.started,
      'SCP_RESTORE_AFTER_START',
      'cannot restore nomination state once nomination started',
    );
    const nom = nominationOf(envelope.statement);
    this.latest.set(envelope.statement.nodeId, envelope);
    for (const a of nom.accepted) this.accepted.add(a);
    for (const v of nom.votes) this.votes.add(v);
    this.lastEnvelope = envelope;
  }

  /** Newest nomination of every node (ours only when the slot is fully validated). */
  currentState(): Envelope[] {
    return [...this.latest.values()].filter(
      (e) => e.statement.nodeId !== this.slot.localNodeId || this.slot.isFullyValidated,
    );
  }

  get lastEmitted(): Envelope | null {
    return this.lastEnvelope;
  }

  get leaders(): ReadonlySet<NodeId> {
    return this.roundLeaders;
  }

  get latestCompositeCandidate(): Value | null {
    return this.compositeCandidate;
  }

  info() {
    const show = (v: Value) => this.slot.valueString(v);
    return {
      started: this.started,
      round: this.roundNumber,
      leaders: [...this.roundLeaders].sort(),
      votes: this.votes.toArray().map(show),
      accepted: this.accepted.toArray().map(show),
      candidates: this.candidates.toArray().map(show),
    };
  }

  private isSane(nom: NominateStatement): boolean {
    return (
      nom.votes.length + nom.accepted.length > 0 &&
      isStrictlySorted(nom.votes) &&
      isStrictlySorted(nom.accepted)
    );
  }

  /**
   * Adds this round's leaders: the nodes (ourselves included, the local node removed from the set as in
   * stellar-core) with the highest priority among those whose neighborhood hash falls under their weight.
   * Leaders accumulate across rounds.
   */
  private updateRoundLeaders(): void {
    const local = this.slot.localNodeId;
    const qset = normalizeQuorumSet(this.slot.localQuorumSet, local);
    let top = this.priorityOf(local, qset, true);
    // Even the local node leads only with a priority: a driver may give it weight 0 (stellar-core
    // NominationProtocol::updateRoundLeaders drops every candidate when the top priority is 0).
    let leaders = new Set<NodeId>(top > 0n ? [local] : []);
    forAllNodes(qset, (node) => {
      const p = this.priorityOf(node, qset, false);
      if (p > top) {
        top = p;
        leaders = new Set();
      }
      if (p === top && p > 0n) leaders.add(node);
    });
    for (const l of leaders) this.roundLeaders.add(l);
  }

  private priorityOf(node: NodeId, qset: ReturnType<typeof normalizeQuorumSet>, isLocal: boolean): bigint {
    const { hashing, slotIndex } = this.slot;
    const w = hashing.weight(node, qset, isLocal);
    const prev = this.previousValue;
    if (w > 0n && hashing.hashNode(slotIndex, prev, false, this.roundNumber, node) <= w) {
      return hashing.hashNode(slotIndex, prev, true, this.roundNumber, node);
    }
    return 0n;
  }

  /**
   * The not-yet-voted valid value of a leader's statement with the highest value hash, or null. The
   * leader's accepted values come first: its votes are looked at only when none of its accepted values
   * is valid for us, voted or not (stellar-core NominationProtocol::getNewValueFromNomination).
   */
  private newValueFromNomination(nom: NominateStatement): Value | null {
    const { driver, slotIndex, hashing } = this.slot;
    let best: Value | null = null;
    let bestHash = 0n;
    let foundValid = false;
    const consider = (values: readonly Value[]) => {
      for (const v of values) {
        const candidate =
          driver.validateValue(slotIndex, v, true) === ValidationLevel.FullyValid
            ? v
            : driver.extractValidValue(slotIndex, v);
        if (candidate === null) continue;
        foundValid = true;
        if (this.votes.has(candidate)) continue;
        const h = hashing.hashValue(slotIndex, this.previousValue, this.roundNumber, candidate);
        if (best === null || h >= bestHash) {
          best = candidate;
          bestHash = h;
        }
      }
    };
    consider(nom.accepted);
    if (!foundValid) consider(nom.votes);
    return best;
  }

  private emitNomination(): void {
    const envelope = this.slot.createEnvelope({
      type: 'nominate',
      quorumSetHash: this.slot.localQuorumSetHash,
      votes: this.votes.toArray(),
      accepted: this.accepted.toArray(),
    });
    this.slot.driver.persistEnvelope?.(envelope);
    const state = this.slot.processEnvelope(envelope, true);
    invariant(state === EnvelopeState.Valid, 'SCP_BAD_SELF_NOMINATION', 'our own nomination was rejected');
    if (
      this.lastEnvelope === null ||
      isNewerNomination(nominationOf(this.lastEnvelope.statement), nominationOf(envelope.statement))
    ) {
      this.lastEnvelope = envelope;
      if (this.slot.isFullyValidated) this.slot.driver.emitEnvelope(envelope);
    }
  }
}
