// The ballot protocol (draft-mazieres-dinrg-scp-05 section 3.5; stellar-core BallotProtocol): PREPARE,
// CONFIRM and EXTERNALIZE. Method names follow the paper's steps (attempt accept prepared, attempt
// confirm prepared, attempt accept commit, attempt confirm commit, attempt bump) so the code reads beside
// the specification and beside stellar-core.
import {
  areBallotsCompatible,
  areBallotsLessAndCompatible,
  areBallotsLessAndIncompatible,
  compareBallots,
  INFINITE_COUNTER,
  makeBallot,
  valuesEqual,
} from './ballots.js';
import { invariant, LIMITS } from './errors.js';
import { federatedAccept, federatedRatify, isQuorum, isVBlockingAmong } from './federated-voting.js';
import { findClosestVBlocking, forAllNodes } from './quorum-set.js';
import type { Slot } from './slot.js';
import {
  type BallotPledges,
  ballotStatementValues,
  statementBallotCounter,
  statementsEqual,
  workingBallot,
} from './statements.js';
import {
  type Ballot,
  type BallotPhase,
  type Envelope,
  EnvelopeState,
  type NodeId,
  type Pledges,
  type Statement,
  TimerId,
  ValidationLevel,
  type Value,
} from './types.js';

/** A commit interval [low, high] of ballot counters. */
type Interval = readonly [number, number];

const pledgesOf = (st: Statement): BallotPledges => st.pledges as BallotPledges;
const PHASE_RANK = { prepare: 0, confirm: 1, externalize: 2 } as const;

/** The total order on one node's ballot statements (only a newer statement replaces an older one). */
export function isNewerBallotStatement(prev: BallotPledges, next: BallotPledges): boolean {
  if (prev.type !== next.type) return PHASE_RANK[prev.type] < PHASE_RANK[next.type];
  if (next.type === 'externalize') return false;
  if (next.type === 'confirm') {
    const old = prev as Extract<BallotPledges, { type: 'confirm' }>;
    const c = compareBallots(old.ballot, next.ballot);
    if (c !== 0) return c < 0;
    if (old.nPrepared !== next.nPrepared) return old.nPrepared < next.nPrepared;
    return old.nH < next.nH;
  }
  // PREPARE statements are ordered lexicographically by (b, p, p', h).
  const old = prev as Extract<BallotPledges, { type: 'prepare' }>;
  for (const [a, b] of [
    [old.ballot, next.ballot],
    [old.prepared, next.prepared],
    [old.preparedPrime, next.preparedPrime],
  ] as const) {
    const c = compareBallots(a, b);
    if (c !== 0) return c < 0;
  }
  return old.nH < next.nH;
}

export class BallotProtocol {
  /** b: the ballot we are working on (null before the protocol starts). */
  private current: Ballot | null = null;
  /** p and p': the two highest accepted-prepared ballots, p' incompatible with p. */
  private prepared: Ballot | null = null;
  private preparedPrime: Ballot | null = null;
  /** h: the highest confirmed-prepared ballot (in CONFIRM: the highest accepted commit). */
  private high: Ballot | null = null;
  /** c: the lowest ballot we vote (or accepted, or confirmed) to commit. */
  private commit: Ballot | null = null;
  private phase: BallotPhase = 'prepare';
  /** Once a value is confirmed prepared or accepted committed, new ballots must carry it. */
  private valueOverride: Value | null = null;
  private heardFromQuorum = false;
  /** Each node's newest ballot statement. */
  readonly latest = new Map<NodeId, Envelope>();
  private lastEnvelope: Envelope | null = null;
  private lastEmitted: Envelope | null = null;
  /** Depth of nested advanceSlot calls; bounds the transitions one message may cause. */
  private messageLevel = 0;

  constructor(private readonly slot: Slot) {}

  // --- receiving -----------------------------------------------------------------------------------

  processEnvelope(envelope: Envelope, self: boolean): EnvelopeState {
    const st = envelope.statement;
    const pledges = pledgesOf(st);
    if (!this.isStatementSane(st, self)) return this.rejectOwn(self, 'insane');
    const prev = this.latest.get(st.nodeId);
    if (prev && !isNewerBallotStatement(pledgesOf(prev.statement), pledges)) return EnvelopeState.Invalid;
    const validity = this.validateValues(pledges);
    if (validity === ValidationLevel.Invalid) return this.rejectOwn(self, 'invalid value');

    if (this.phase !== 'externalize') {
      if (validity === ValidationLevel.MaybeValid) this.slot.setNotFullyValidated();
      this.latest.set(st.nodeId, envelope);
      this.advanceSlot(st);
      return EnvelopeState.Valid;
    }
    // Once externalized, only statements about the committed value are recorded.
    if (valuesEqual(this.commit!.value, workingBallot(pledges).value)) {
      this.latest.set(st.nodeId, envelope);
      return EnvelopeState.Valid;
    }
    return this.rejectOwn(self, 'contradicts the externalized value');
  }

  private rejectOwn(self: boolean, why: string): EnvelopeState {
    invariant(!self, 'SCP_BAD_SELF_STATEMENT', `our own ballot statement was rejected: ${why}`);
    return EnvelopeState.Invalid;
  }

  /** Per-type sanity (stellar-core's isStatementSane); our own PREPARE may have b = 0. */
  private isStatementSane(st: Statement, self: boolean): boolean {
    if (this.slot.quorumSetOf(st) === null) return false;
    const p = pledgesOf(st);
    switch (p.type) {
      case 'prepare':
        return (
          (self || p.ballot.counter > 0) &&
          (p.prepared === null ||
            p.preparedPrime === null ||
            areBallotsLessAndIncompatible(p.preparedPrime, p.prepared)) &&
          (p.nH === 0 || (p.prepared !== null && p.nH <= p.prepared.counter)) &&
          (p.nC === 0 || (p.nH !== 0 && p.ballot.counter >= p.nH && p.nH >= p.nC))
        );
      case 'confirm':
        return p.ballot.counter > 0 && p.nH <= p.ballot.counter && p.nCommit <= p.nH;
      case 'externalize':
        return p.commit.counter > 0 && p.nH >= p.commit.counter;
    }
  }

  private validateValues(p: BallotPledges): ValidationLevel {
    const values = ballotStatementValues(p);
    if (values.length === 0) return ValidationLevel.Invalid;
    let level: ValidationLevel = ValidationLevel.FullyValid;
    for (const v of values) {
      const r = this.slot.driver.validateValue(this.slot.slotIndex, v, false);
      if (r === ValidationLevel.Invalid) return r;
      if (r === ValidationLevel.MaybeValid) level = r;
    }
    return level;
  }

  /**
   * Runs every step the statement `hint` may enable. Steps emit statements of our own, which come back
   * here recursively; the recursion is bounded, and our newest statement is sent once, at the top.
   */
  private advanceSlot(hint: Statement): void {
    this.messageLevel++;
    invariant(
      this.messageLevel < LIMITS.maxTransitionsPerMessage,
      'SCP_TOO_MANY_TRANSITIONS',
      `more than ${LIMITS.maxTransitionsPerMessage} state transitions for one message`,
    );
    let didWork = false;
    didWork = this.attemptAcceptPrepared(hint) || didWork;
    didWork = this.attemptConfirmPrepared(hint) || didWork;
    didWork = this.attemptAcceptCommit(hint) || didWork;
    didWork = this.attemptConfirmCommit(hint) || didWork;
    // Bump only once everything else is done, at the outermost level.
    if (this.messageLevel === 1) {
      let bumped: boolean;
      do {
        bumped = this.attemptBump();
        didWork = bumped || didWork;
      } while (bumped);
      this.checkHeardFromQuorum();
    }
    this.messageLevel--;
    if (didWork) this.sendLatestEnvelope();
  }

  // --- step: accept prepared (section 3.5.2) -----------------------------------------------------------

  private attemptAcceptPrepared(hint: Statement): boolean {
    if (this.phase !== 'prepare' && this.phase !== 'confirm') return false;
    const candidates = this.prepareCandidates(pledgesOf(hint));
    for (let i = candidates.length - 1; i >= 0; i--) {
      const ballot = candidates[i]!;
      if (this.phase === 'confirm') {
        // In CONFIRM only a ballot that raises p helps. stellar-core asserts (debug builds only) that
        // such a ballot is compatible with c; when the network has forked (no quorum intersection) p
        // and c can differ, and a peer's statements must never crash us: skip the candidate instead.
        if (!areBallotsLessAndCompatible(this.prepared!, ballot)) continue;
        if (!areBallotsCompatible(this.commit!, ballot)) continue;
      }
      // Ballots at or below p' can raise neither p nor p'; ballots below and compatible with p are covered.
      if (this.preparedPrime && compareBallots(ballot, this.preparedPrime) <= 0) continue;
      if (this.prepared && areBallotsLessAndCompatible(ballot, this.prepared)) continue;
      const accepted = federatedAccept(
        this.slot,
        this.latest,
        (st) => votesToPrepare(ballot, pledgesOf(st)),
        (st) => hasPreparedBallot(ballot, pledgesOf(st)),
      );
      if (accepted) return this.setAcceptPrepared(ballot);
    }
    return false;
  }

  private setAcceptPrepared(ballot: Ballot): boolean {
    let didWork = this.setPrepared(ballot);
    // A commit vote for h must be withdrawn when a higher incompatible ballot is accepted prepared.
    if (this.commit && this.high) {
      const h = this.high;
      if (
        (this.prepared && areBallotsLessAndIncompatible(h, this.prepared)) ||
        (this.preparedPrime && areBallotsLessAndIncompatible(h, this.preparedPrime))
      ) {
        invariant(this.phase === 'prepare', 'SCP_CLEAR_COMMIT_IN_CONFIRM', 'cannot drop c after CONFIRM');
        this.commit = null;
        didWork = true;
      }
    }
    if (didWork) {
      this.slot.driver.acceptedBallotPrepared?.(this.slot.slotIndex, ballot);
      this.emitCurrentStateStatement();
    }
    return didWork;
  }

  /** Keeps p and p' the two highest accepted-prepared ballots that are incompatible with each other. */
  private setPrepared(ballot: Ballot): boolean {
    if (this.prepared === null) {
      this.prepared = ballot;
      return true;
    }
    const c = compareBallots(this.prepared, ballot);
    if (c < 0) {
      if (!areBallotsCompatible(this.prepared, ballot)) this.preparedPrime = this.prepared;
      this.prepared = ballot;
      return true;
    }
    if (c > 0) {
      if (
        this.preparedPrime === null ||
        (compareBallots(this.preparedPrime, ballot) < 0 && !areBallotsCompatible(this.prepared, ballot))
      ) {
        this.preparedPrime = ballot;
        return true;
      }
    }
    return false;
  }

  // --- step: confirm prepared ------------------------------------------------------------------------

  private attemptConfirmPrepared(hint: Statement): boolean {
    if (this.phase !== 'prepare' || this.prepared === null) return false;
    const candidates = this.prepareCandidates(pledgesOf(hint));
    let i = candidates.length - 1;
    let newH: Ballot | null = null;
    for (; i >= 0; i--) {
      const ballot = candidates[i]!;
      // Only a ballot above h can raise it.
      if (this.high && compareBallots(this.high, ballot) >= 0) break;
      if (federatedRatify(this.slot, this.latest, (st) => hasPreparedBallot(ballot, pledgesOf(st)))) {
        newH = ballot;
        break;
      }
    }
    if (newH === null) return false;

    // Step 3 of the paper: the lowest ballot c to vote commit, scanning down from h while still ratified.
    let newC: Ballot | null = null;
    const b = this.current ?? makeBallot(0, new Uint8Array());
    if (
      this.commit === null &&
      (this.prepared === null || !areBallotsLessAndIncompatible(newH, this.prepared)) &&
      (this.preparedPrime === null || !areBallotsLessAndIncompatible(newH, this.preparedPrime))
    ) {
      for (; i >= 0; i--) {
        const ballot = candidates[i]!;
        if (compareBallots(ballot, b) < 0) break;
        if (!areBallotsLessAndCompatible(ballot, newH)) continue;
        if (federatedRatify(this.slot, this.latest, (st) => hasPreparedBallot(ballot, pledgesOf(st))))
          newC = ballot;
        else break;
      }
    }
    return this.setConfirmPrepared(newC, newH);
  }

  private setConfirmPrepared(newC: Ballot | null, newH: Ballot): boolean {
    let didWork = false;
    this.valueOverride = newH.value;
    // c and h only move on a ballot compatible with h.
    if (this.current === null || areBallotsCompatible(this.current, newH)) {
      if (this.high === null || compareBallots(newH, this.high) > 0) {
        didWork = true;
        this.high = newH;
      }
      if (newC !== null && newC.counter !== 0) {
        invariant(this.commit === null, 'SCP_COMMIT_ALREADY_SET', 'c set twice while confirming prepared');
        this.commit = newC;
        didWork = true;
      }
      if (didWork) this.slot.driver.confirmedBallotPrepared?.(this.slot.slotIndex, newH);
    }
    // Step 8: move b up to h when it is below it.
    didWork = this.updateCurrentIfNeeded(newH) || didWork;
    if (didWork) this.emitCurrentStateStatement();
    return didWork;
  }

  // --- step: accept commit ---------------------------------------------------------------------------

  private attemptAcceptCommit(hint: Statement): boolean {
    if (this.phase !== 'prepare' && this.phase !== 'confirm') return false;
    const p = pledgesOf(hint);
    // Only the value of the hint matters; its counter is informative.
    let ballot: Ballot;
    if (p.type === 'prepare') {
      if (p.nC === 0) return false;
      ballot = makeBallot(p.nH, p.ballot.value);
    } else if (p.type === 'confirm') {
      ballot = makeBallot(p.nH, p.ballot.value);
    } else {
      ballot = makeBallot(p.nH, p.commit.value);
    }
    if (this.phase === 'confirm' && !areBallotsCompatible(ballot, this.high!)) return false;

    const accepted = (interval: Interval) =>
      federatedAccept(
        this.slot,
        this.latest,
        (st) => votesToCommit(ballot, interval, pledgesOf(st)),
        (st) => acceptedCommit(ballot, interval, pledgesOf(st)),
      );
    const boundaries = this.commitBoundaries(ballot);
    if (boundaries.length === 0) return false;
    const interval = findExtendedInterval(boundaries, accepted);
    if (interval === null) return false;
    if (this.phase === 'confirm' && interval[1] <= this.high!.counter) return false;
    return this.setAcceptCommit(makeBallot(interval[0], ballot.value), makeBallot(interval[1], ballot.value));
  }

  private setAcceptCommit(c: Ballot, h: Ballot): boolean {
    let didWork = false;
    this.valueOverride = h.value;
    if (
      this.high === null ||
      this.commit === null ||
      compareBallots(this.high, h) !== 0 ||
      compareBallots(this.commit, c) !== 0
    ) {
      this.commit = c;
      this.high = h;
      didWork = true;
    }
    if (this.phase === 'prepare') {
      this.phase = 'confirm';
      if (this.current && !areBallotsLessAndCompatible(h, this.current)) this.bumpToBallot(h, false);
      this.preparedPrime = null;
      didWork = true;
    }
    if (didWork) {
      this.updateCurrentIfNeeded(this.high!);
      this.slot.driver.acceptedCommit?.(this.slot.slotIndex, h);
      this.emitCurrentStateStatement();
    }
    return didWork;
  }

  // --- step: confirm commit (externalize) ----------------------------------------------------------------

  private attemptConfirmCommit(hint: Statement): boolean {
    if (this.phase !== 'confirm' || this.high === null || this.commit === null) return false;
    const p = pledgesOf(hint);
    if (p.type === 'prepare') return false;
    const ballot = p.type === 'confirm' ? makeBallot(p.nH, p.ballot.value) : makeBallot(p.nH, p.commit.value);
    if (!areBallotsCompatible(ballot, this.commit)) return false;
    const boundaries = this.commitBoundaries(ballot);
    const interval = findExtendedInterval(boundaries, (iv) =>
      federatedRatify(this.slot, this.latest, (st) => acceptedCommit(ballot, iv, pledgesOf(st))),
    );
    if (interval === null) return false;
    return this.setConfirmCommit(
      makeBallot(interval[0], ballot.value),
      makeBallot(interval[1], ballot.value),
    );
  }

  private setConfirmCommit(c: Ballot, h: Ballot): boolean {
    this.commit = c;
    this.high = h;
    this.updateCurrentIfNeeded(h);
    this.phase = 'externalize';
    this.emitCurrentStateStatement();
    this.slot.stopNomination();
    this.slot.driver.valueExternalized?.(this.slot.slotIndex, c.value);
    return true;
  }

  // --- step: bump to a v-blocking set's counter ------------------------------------------------------------

  /**
   * When a v-blocking set is at higher counters, move to the lowest counter n such that the nodes above n
   * are no longer v-blocking (draft section 3.5.3, the "v-blocking timeout" rule).
   */
  private attemptBump(): boolean {
    if (this.phase !== 'prepare' && this.phase !== 'confirm') return false;
    const local = this.slot.localQuorumSet;
    const ours = this.current?.counter ?? 0;
    const above = (n: number) => (st: Statement) => statementBallotCounter(pledgesOf(st)) > n;
    if (!isVBlockingAmong(local, this.latest, above(ours))) return false;
    const counters = new Set<number>();
    for (const env of this.latest.values()) {
      const n = statementBallotCounter(pledgesOf(env.statement));
      if (n > ours) counters.add(n);
    }
    for (const n of [...counters].sort((a, b) => a - b)) {
      if (!isVBlockingAmong(local, this.latest, above(n))) return this.abandonBallot(n);
    }
    invariant(false, 'SCP_BUMP_UNREACHABLE', 'a v-blocking set above every counter');
  }

  /** Leaves the current ballot for counter n (or the next counter when n = 0). */
  abandonBallot(n: number): boolean {
    const v = this.slot.latestCompositeCandidate ?? this.current?.value ?? null;
    if (v === null) return false;
    return n === 0 ? this.bumpState(v, true) : this.bumpStateTo(v, n);
  }

  /** Starts the ballot protocol on `value`, or (with `force`) moves to the next counter. */
  bumpState(value: Value, force: boolean): boolean {
    if (!force && this.current !== null) return false;
    return this.bumpStateTo(value, this.current ? this.current.counter + 1 : 1);
  }

  private bumpStateTo(value: Value, n: number): boolean {
    if (this.phase !== 'prepare' && this.phase !== 'confirm') return false;
    // Once a value is confirmed prepared or accepted committed, every later ballot carries it.
    const updated = this.updateCurrentValue(makeBallot(n, this.valueOverride ?? value));
    if (updated) {
      this.emitCurrentStateStatement();
      this.checkHeardFromQuorum();
    }
    return updated;
  }

  private updateCurrentValue(ballot: Ballot): boolean {
    if (this.phase !== 'prepare' && this.phase !== 'confirm') return false;
    if (this.current === null) {
      this.bumpToBallot(ballot, true);
    } else {
      if (this.commit && !areBallotsCompatible(this.commit, ballot)) return false;
      // Never move down: statements at higher counters may already be out.
      if (compareBallots(this.current, ballot) >= 0) return false;
      this.bumpToBallot(ballot, true);
    }
    this.checkInvariants();
    return true;
  }

  private updateCurrentIfNeeded(h: Ballot): boolean {
    if (this.current !== null && compareBallots(this.current, h) >= 0) return false;
    this.bumpToBallot(h, true);
    return true;
  }

  private bumpToBallot(ballot: Ballot, check: boolean): void {
    invariant(
      this.phase !== 'externalize',
      'SCP_BUMP_AFTER_EXTERNALIZE',
      'cannot change ballot after EXTERNALIZE',
    );
    if (check) {
      invariant(
        this.current === null || compareBallots(ballot, this.current) >= 0,
        'SCP_BALLOT_DECREASE',
        'ballot must not decrease',
      );
    }
    const counterChanged = this.current === null || this.current.counter !== ballot.counter;
    if (this.current === null) this.slot.driver.startedBallotProtocol?.(this.slot.slotIndex, ballot);
    this.current = ballot;
    // h and c must stay compatible with b.
    if (this.high && !areBallotsCompatible(ballot, this.high)) {
      this.high = null;
      this.commit = null;
    }
    if (counterChanged) this.heardFromQuorum = false;
  }

  // --- timers ------------------------------------------------------------------------------------------

  /** Arms the ballot timer once a quorum is at our counter or beyond; disarms it otherwise. */
  private checkHeardFromQuorum(): void {
    if (this.current === null) return;
    const counter = this.current.counter;
    const atOurCounter = (st: Statement) => {
      const p = pledgesOf(st);
      return p.type !== 'prepare' || counter <= p.ballot.counter;
    };
    const { driver, slotIndex } = this.slot;
    if (isQuorum(this.slot, this.latest, atOurCounter)) {
      const wasHeard = this.heardFromQuorum;
      this.heardFromQuorum = true;
      if (!wasHeard) {
        driver.ballotDidHearFromQuorum?.(slotIndex, this.current);
        if (this.phase !== 'externalize') {
          const timeout = this.slot.hashing.timeoutMs(counter, false);
          driver.setupTimer(slotIndex, TimerId.Ballot, timeout, () => this.ballotTimerExpired());
        }
      }
      if (this.phase === 'externalize') driver.stopTimer(slotIndex, TimerId.Ballot);
    } else {
      this.heardFromQuorum = false;
      driver.stopTimer(slotIndex, TimerId.Ballot);
    }
  }

  private ballotTimerExpired(): void {
    this.abandonBallot(0);
  }

  // --- emitting ----------------------------------------------------------------------------------------

  private createPledges(): Pledges {
    this.checkInvariants();
    const quorumSetHash = this.slot.localQuorumSetHash;
    switch (this.phase) {
      case 'prepare':
        return {
          type: 'prepare',
          quorumSetHash,
          ballot: this.current ?? makeBallot(0, new Uint8Array()),
          prepared: this.prepared,
          preparedPrime: this.preparedPrime,
          nC: this.commit?.counter ?? 0,
          nH: this.high?.counter ?? 0,
        };
      case 'confirm':
        return {
          type: 'confirm',
          quorumSetHash,
          ballot: this.current!,
          nPrepared: this.prepared!.counter,
          nCommit: this.commit!.counter,
          nH: this.high!.counter,
        };
      case 'externalize':
        return {
          type: 'externalize',
          commit: this.commit!,
          nH: this.high!.counter,
          commitQuorumSetHash: quorumSetHash,
        };
    }
  }

  /**
   * Records our current state as a statement of our own (processed like anyone's) and queues it for
   * sending. It is persisted first, so that a restarted node never contradicts it.
   */
  private emitCurrentStateStatement(): void {
    const envelope = this.slot.createEnvelope(this.createPledges());
    const canEmit = this.current !== null;
    // The same statement can come out again (h moved within one counter); it is not news.
    const ours = this.latest.get(this.slot.localNodeId);
    if (ours && statementsEqual(ours.statement, envelope.statement)) return;
    if (canEmit) this.slot.driver.persistEnvelope?.(envelope);
    const state = this.slot.processEnvelope(envelope, true);
    invariant(
      state === EnvelopeState.Valid,
      'SCP_BAD_SELF_STATEMENT',
      'our own ballot statement was rejected',
    );
    if (
      canEmit &&
      (this.lastEnvelope === null ||
        isNewerBallotStatement(pledgesOf(this.lastEnvelope.statement), pledgesOf(envelope.statement)))
    ) {
      this.lastEnvelope = envelope;
      this.sendLatestEnvelope();
    }
  }

  /** Sends our newest statement, once per change, and only from the outermost call. */
  private sendLatestEnvelope(): void {
    if (this.messageLevel !== 0 || this.lastEnvelope === null || !this.slot.isFullyValidated) return;
    if (this.lastEmitted === this.lastEnvelope) return;
    this.lastEmitted = this.lastEnvelope;
    this.slot.driver.emitEnvelope(this.lastEnvelope);
  }

  private checkInvariants(): void {
    const fail = (what: string) => invariant(false, 'SCP_BALLOT_INVARIANT', what);
    if (this.phase !== 'prepare') {
      if (!this.current || !this.prepared || !this.commit || !this.high)
        fail(`${this.phase} without b, p, c and h`);
    }
    if (this.current && this.current.counter === 0) fail('b has counter 0');
    if (
      this.prepared &&
      this.preparedPrime &&
      !areBallotsLessAndIncompatible(this.preparedPrime, this.prepared)
    ) {
      fail("p' is not below and incompatible with p");
    }
    if (this.high) {
      if (!this.current || !areBallotsLessAndCompatible(this.high, this.current))
        fail('h is not below b and compatible');
    }
    if (this.commit) {
      if (!this.current || !this.high) fail('c without b and h');
      else if (!areBallotsLessAndCompatible(this.commit, this.high)) fail('c is not below h and compatible');
    }
  }

  // --- candidates and boundaries -------------------------------------------------------------------------

  /**
   * Ballots that may have been prepared, for the values the hint mentions, collected from every node's
   * latest statement; ascending.
   */
  private prepareCandidates(hint: BallotPledges): Ballot[] {
    const hints: Ballot[] = [];
    switch (hint.type) {
      case 'prepare':
        hints.push(hint.ballot);
        if (hint.prepared) hints.push(hint.prepared);
        if (hint.preparedPrime) hints.push(hint.preparedPrime);
        break;
      case 'confirm':
        hints.push(
          makeBallot(hint.nPrepared, hint.ballot.value),
          makeBallot(INFINITE_COUNTER, hint.ballot.value),
        );
        break;
      case 'externalize':
        hints.push(makeBallot(INFINITE_COUNTER, hint.commit.value));
        break;
    }
    const found = new BallotSet();
    for (const top of hints) {
      for (const env of this.latest.values()) {
        const p = pledgesOf(env.statement);
        if (p.type === 'prepare') {
          for (const b of [p.ballot, p.prepared, p.preparedPrime]) {
            if (b && areBallotsLessAndCompatible(b, top)) found.add(b);
          }
        } else if (p.type === 'confirm') {
          if (areBallotsCompatible(top, p.ballot)) {
            found.add(top);
            if (p.nPrepared < top.counter) found.add(makeBallot(p.nPrepared, top.value));
          }
        } else if (areBallotsCompatible(top, p.commit)) {
          found.add(top);
        }
      }
    }
    return found.sorted();
  }

  /** Counters that can bound a commit interval for `ballot`'s value, ascending. */
  private commitBoundaries(ballot: Ballot): number[] {
    const out = new Set<number>();
    for (const env of this.latest.values()) {
      const p = pledgesOf(env.statement);
      if (p.type === 'prepare') {
        if (areBallotsCompatible(ballot, p.ballot) && p.nC !== 0) {
          out.add(p.nC);
          out.add(p.nH);
        }
      } else if (p.type === 'confirm') {
        if (areBallotsCompatible(ballot, p.ballot)) {
          out.add(p.nCommit);
          out.add(p.nH);
        }
      } else if (areBallotsCompatible(ballot, p.commit)) {
        out.add(p.commit.counter);
        out.add(p.nH);
        out.add(INFINITE_COUNTER);
      }
    }
    return [...out].sort((a, b) => a - b);
  }

  // --- restore and status ------------------------------------------------------------------------------

  /** Restores our ballot state from a statement we persisted before a restart. */
  setStateFromEnvelope(envelope: Envelope): void {
    invariant(
      this.current === null,
      'SCP_RESTORE_AFTER_START',
      'cannot restore once the ballot protocol started',
    );
    const p = pledgesOf(envelope.statement);
    this.latest.set(envelope.statement.nodeId, envelope);
    this.lastEnvelope = envelope;
    this.lastEmitted = envelope;
    switch (p.type) {
      case 'prepare': {
        this.bumpToBallot(p.ballot, true);
        this.prepared = p.prepared;
        this.preparedPrime = p.preparedPrime;
        if (p.nH) {
          this.high = makeBallot(p.nH, p.ballot.value);
          // As before the restart: a confirmed-prepared value binds the ballots that follow.
          this.valueOverride = p.ballot.value;
        }
        if (p.nC) this.commit = makeBallot(p.nC, p.ballot.value);
        this.phase = 'prepare';
        break;
      }
      case 'confirm': {
        const v = p.ballot.value;
        this.bumpToBallot(p.ballot, true);
        this.prepared = makeBallot(p.nPrepared, v);
        this.high = makeBallot(p.nH, v);
        this.commit = makeBallot(p.nCommit, v);
        this.valueOverride = v;
        this.phase = 'confirm';
        break;
      }
      case 'externalize': {
        const v = p.commit.value;
        this.bumpToBallot(makeBallot(INFINITE_COUNTER, v), true);
        this.prepared = makeBallot(INFINITE_COUNTER, v);
        this.high = makeBallot(p.nH, v);
        this.commit = p.commit;
        this.phase = 'externalize';
        break;
      }
    }
    this.checkInvariants();
  }

  get isExternalized(): boolean {
    return this.phase === 'externalize';
  }

  get externalizedValue(): Value | null {
    return this.phase === 'externalize' ? this.commit!.value : null;
  }

  get lastEmittedEnvelope(): Envelope | null {
    return this.lastEnvelope;
  }

  /** Newest ballot statement of every node (ours only when the slot is fully validated). */
  currentState(): Envelope[] {
    return [...this.latest.values()].filter(
      (e) => e.statement.nodeId !== this.slot.localNodeId || this.slot.isFullyValidated,
    );
  }

  /** The statements that externalized the slot: everyone's that agree with the commit. */
  externalizingState(): Envelope[] {
    if (this.phase !== 'externalize') return [];
    return [...this.latest.values()].filter((e) =>
      e.statement.nodeId === this.slot.localNodeId
        ? this.slot.isFullyValidated
        : areBallotsCompatible(workingBallot(pledgesOf(e.statement)), this.commit!),
    );
  }

  /**
   * Quorum health as seen from `node`'s latest ballot statement (stellar-core's getJsonQuorumInfo): which
   * members of its quorum set agree, are delayed (agree but not yet at CONFIRM/EXTERNALIZE), disagree,
   * or are missing, and how many more agreeing nodes may fail before it is stuck (failAt).
   */
  quorumInfo(node: NodeId) {
    const env = this.latest.get(node);
    const p = env ? pledgesOf(env.statement) : null;
    const ballot = p ? workingBallot(p) : null;
    const qset =
      p === null
        ? node === this.slot.localNodeId
          ? this.slot.localQuorumSet
          : null
        : p.type === 'externalize'
          ? this.slot.quorumSetByHash(p.commitQuorumSetHash)
          : this.slot.quorumSetByHash(p.quorumSetHash);
    const phase = p?.type ?? 'unknown';
    const info = {
      node,
      phase,
      ballot: ballot ? { counter: ballot.counter, value: this.slot.valueString(ballot.value) } : null,
      agree: [] as NodeId[],
      delayed: [] as NodeId[],
      disagree: [] as NodeId[],
      missing: [] as NodeId[],
      failAt: 0,
      failWith: [] as NodeId[],
    };
    if (qset === null) return info;
    const agrees = (n: NodeId): boolean => {
      const e = this.latest.get(n);
      return (
        ballot !== null &&
        e !== undefined &&
        areBallotsCompatible(workingBallot(pledgesOf(e.statement)), ballot)
      );
    };
    forAllNodes(qset, (n) => {
      const e = this.latest.get(n);
      if (!e) info.missing.push(n);
      else if (!agrees(n)) info.disagree.push(n);
      else {
        info.agree.push(n);
        const q = pledgesOf(e.statement);
        if (!(q.type === 'externalize' || (q.type === 'confirm' && q.ballot.counter === INFINITE_COUNTER))) {
          info.delayed.push(n);
        }
      }
    });
    info.failWith = findClosestVBlocking(qset, agrees, node);
    info.failAt = info.failWith.length;
    return info;
  }

  info() {
    const show = (b: Ballot | null) =>
      b ? { counter: b.counter, value: this.slot.valueString(b.value) } : null;
    return {
      phase: this.phase,
      ballot: show(this.current),
      prepared: show(this.prepared),
      preparedPrime: show(this.preparedPrime),
      high: show(this.high),
      commit: show(this.commit),
      heardFromQuorum: this.heardFromQuorum,
    };
  }
}

// --- predicates over statements (who voted or accepted what) ------------------------------------------------

/** The statement votes to prepare `ballot` (or implies it). */
function votesToPrepare(ballot: Ballot, p: BallotPledges): boolean {
  switch (p.type) {
    case 'prepare':
      return areBallotsLessAndCompatible(ballot, p.ballot);
    case 'confirm':
      return areBallotsCompatible(ballot, p.ballot);
    case 'externalize':
      return areBallotsCompatible(ballot, p.commit);
  }
}

/** The statement accepted `ballot` as prepared. */
function hasPreparedBallot(ballot: Ballot, p: BallotPledges): boolean {
  switch (p.type) {
    case 'prepare':
      return (
        (p.prepared !== null && areBallotsLessAndCompatible(ballot, p.prepared)) ||
        (p.preparedPrime !== null && areBallotsLessAndCompatible(ballot, p.preparedPrime))
      );
    case 'confirm':
      return areBallotsLessAndCompatible(ballot, makeBallot(p.nPrepared, p.ballot.value));
    case 'externalize':
      return areBallotsCompatible(ballot, p.commit);
  }
}

/** The statement votes to commit every ballot of `ballot`'s value with a counter in `interval`. */
function votesToCommit(ballot: Ballot, [low, high]: Interval, p: BallotPledges): boolean {
  switch (p.type) {
    case 'prepare':
      return areBallotsCompatible(ballot, p.ballot) && p.nC !== 0 && p.nC <= low && high <= p.nH;
    case 'confirm':
      return areBallotsCompatible(ballot, p.ballot) && p.nCommit <= low;
    case 'externalize':
      return areBallotsCompatible(ballot, p.commit) && p.commit.counter <= low;
  }
}

/** The statement accepted commit for every ballot of `ballot`'s value in `interval`. */
function acceptedCommit(ballot: Ballot, [low, high]: Interval, p: BallotPledges): boolean {
  switch (p.type) {
    case 'prepare':
      return false;
    case 'confirm':
      return areBallotsCompatible(ballot, p.ballot) && p.nCommit <= low && high <= p.nH;
    case 'externalize':
      return areBallotsCompatible(ballot, p.commit) && p.commit.counter <= low;
  }
}

/**
 * The widest interval [low, high] over the boundaries satisfying `pred`: the highest boundary that works
 * alone, extended downward while `pred` still holds. Null when none works.
 */
function findExtendedInterval(
  boundaries: readonly number[],
  pred: (iv: Interval) => boolean,
): Interval | null {
  let found: Interval | null = null;
  for (let i = boundaries.length - 1; i >= 0; i--) {
    const b = boundaries[i]!;
    let candidate: Interval;
    if (found === null) candidate = [b, b];
    else if (b > found[1]) continue;
    else candidate = [b, found[1]];
    if (pred(candidate)) found = candidate;
    else if (found !== null) break;
  }
  return found;
}

/** A set of ballots kept in ascending order. */
class BallotSet {
  private readonly items: Ballot[] = [];
  add(b: Ballot): void {
    if (!this.items.some((x) => compareBallots(x, b) === 0)) this.items.push(b);
  }
  sorted(): Ballot[] {
    return this.items.sort(compareBallots);
  }
}
