// Hooks for the scenarios ported from stellar-core's SCP tests (src/scp/test/SCPTests.cpp), on top of the
// recording TestDriver: a timer clock that can jump past every timeout (so a test can tell a timer armed
// by the last message from one armed earlier), leader priority and value hash lookups, the ballots the
// node "heard from a quorum" on, and a candidate combiner that checks the candidates it is given.
import { expect } from 'vitest';
import {
  type Ballot,
  compareValues,
  type Driver,
  type Envelope,
  type NodeId,
  type Pledges,
  type QuorumSet,
  SCP,
  type SlotIndex,
  TimerId,
  type Value,
} from '../../src/index.js';
import { TestDriver, value } from '../test-driver.js';

/** Values ordered x < y < z < zz bytewise (as the peer's tests require); k is unrelated to them. */
export const X = value('x');
export const Y = value('y');
export const Z = value('z');
export const ZZ = value('zz');
export const K = value('k');
export const PREV = value('prev');

/** The counter CONFIRM and EXTERNALIZE statements stand for (stellar-core's UINT32_MAX). */
export const INF = 0xffffffff;

/** Jump of the clock between messages: more than the longest timeout (30 minutes). */
const CLOCK_JUMP_MS = 5 * 60 * 60 * 1000;

export class ParityDriver extends TestDriver {
  /** Current time on the manual clock; timers remember when they would fire. */
  private now = 0;
  private readonly deadlines = new Map<string, number>();
  /** Ballots passed to ballotDidHearFromQuorum, per slot. */
  readonly heardFromQuorum = new Map<SlotIndex, Ballot[]>();
  /** Priority of each node as a round leader; the default mimics the peer's: self 1000, others 1. */
  priorityLookup: (node: NodeId) => bigint;
  /** Hash ranking a leader's values (the peer's default: every value hashes to 0). */
  valueHash: (v: Value) => bigint = () => 0n;
  /** When set, combineCandidates insists on exactly these candidates and returns `compositeValue`. */
  expectedCandidates: Value[] | null = null;
  /** Unset: SCP's default node weights. */
  getNodeWeight?: Driver['getNodeWeight'];
  compositeValue: Value | null = null;

  constructor(readonly self: NodeId) {
    super();
    this.priorityLookup = (n) => (n === self ? 1000n : 1n);
    this.computeHashNode = (_slot, _prev, isPriority, _round, node) =>
      isPriority ? this.priorityLookup(node) : 0n;
  }

  computeValueHash(_slot: SlotIndex, _prev: Value, _round: number, v: Value): bigint {
    return this.valueHash(v);
  }

  override combineCandidates(slot: SlotIndex, candidates: readonly Value[]): Value | null {
    if (this.expectedCandidates === null) return super.combineCandidates(slot, candidates);
    const want = [...this.expectedCandidates].sort(compareValues);
    expect(candidates.map((v) => [...v])).toEqual(want.map((v) => [...v]));
    expect(this.compositeValue).not.toBeNull();
    return this.compositeValue;
  }

  override setupTimer(slot: SlotIndex, timerId: TimerId, timeoutMs: number, cb: (() => void) | null): void {
    super.setupTimer(slot, timerId, timeoutMs, cb);
    this.deadlines.set(`${slot}/${timerId}`, this.now + timeoutMs);
  }

  ballotDidHearFromQuorum(slot: SlotIndex, ballot: Ballot): void {
    const list = this.heardFromQuorum.get(slot) ?? [];
    list.push(ballot);
    this.heardFromQuorum.set(slot, list);
  }

  /** Moves the clock past every pending timeout. */
  bumpTimerOffset(): void {
    this.now += CLOCK_JUMP_MS;
  }

  /** A ballot timer is armed (whether or not its time has passed). */
  hasBallotTimer(slot: SlotIndex = 0): boolean {
    return this.timers.has(`${slot}/${TimerId.Ballot}`);
  }

  /** The ballot timer was armed since the clock last jumped: it has not fired yet. */
  hasBallotTimerUpcoming(slot: SlotIndex = 0): boolean {
    expect(this.hasBallotTimer(slot)).toBe(true);
    return this.now < (this.deadlines.get(`${slot}/${TimerId.Ballot}`) ?? 0);
  }

  hasNominationTimer(slot: SlotIndex = 0): boolean {
    return this.timers.has(`${slot}/${TimerId.Nomination}`);
  }
}

/** A node under test with a ParityDriver, and statement builders for it and its peers. */
export function makeParityNode(id: NodeId, qset: QuorumSet, isValidator = true) {
  const driver = new ParityDriver(id);
  const qsetHash = driver.addQuorumSet(qset);
  const scp = new SCP(driver, id, isValidator, qset);
  return { driver, scp, qsetHash, ...builders(qsetHash) };
}

export const ballot = (counter: number, v: Value): Ballot => ({ counter, value: v });

/** Statement builders over one quorum set hash (the peer's makePrepare, makeConfirm, ...). */
export function builders(qsetHash: Uint8Array) {
  const prepare = (
    b: Ballot,
    prepared: Ballot | null = null,
    nC = 0,
    nH = 0,
    preparedPrime: Ballot | null = null,
  ): Pledges => ({ type: 'prepare', quorumSetHash: qsetHash, ballot: b, prepared, preparedPrime, nC, nH });
  const confirm = (nPrepared: number, b: Ballot, nCommit: number, nH: number): Pledges => ({
    type: 'confirm',
    quorumSetHash: qsetHash,
    ballot: b,
    nPrepared,
    nCommit,
    nH,
  });
  const externalize = (commit: Ballot, nH: number): Pledges => ({
    type: 'externalize',
    commit,
    nH,
    commitQuorumSetHash: qsetHash,
  });
  const nominate = (votes: Value[], accepted: Value[] = []): Pledges => ({
    type: 'nominate',
    quorumSetHash: qsetHash,
    votes: [...votes].sort(compareValues),
    accepted: [...accepted].sort(compareValues),
  });
  return { prepare, confirm, externalize, nominate };
}

export const envelope = (nodeId: NodeId, slotIndex: SlotIndex, pledges: Pledges): Envelope => ({
  statement: { nodeId, slotIndex, pledges },
  signature: new Uint8Array(32),
});
