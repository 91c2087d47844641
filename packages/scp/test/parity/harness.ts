// The message-driving helpers of the ported ballot scenarios: deliver one statement from a v-blocking
// pair or from a quorum of peers, and check our exact statements (the peer's verifyPrepare / verifyConfirm
// / verifyExternalize compare every field, quorum set hash and sender included).
import { expect } from 'vitest';
import type { Ballot, NodeId, Pledges, QuorumSet, SlotIndex } from '../../src/index.js';
import { flat } from '../test-driver.js';
import { envelope, makeParityNode } from './parity-driver.js';

export const CORE5 = ['v0', 'v1', 'v2', 'v3', 'v4'];
/** 5 nodes, threshold 4: a quorum is 4 nodes (us and 3 others), a v-blocking set is 2 nodes. */
export const CORE5_QSET: QuorumSet = flat(4, CORE5);

/** A node under test at slot 0 (the peer's scenarios all use slot 0) with the peer's delivery helpers. */
export function scenario(self: NodeId, qset: QuorumSet, peers: NodeId[], isValidator = true) {
  const node = makeParityNode(self, qset, isValidator);
  const { driver, scp } = node;
  const slot: SlotIndex = 0;
  const sent = () => driver.emitted.length;
  const recv = (from: NodeId, p: Pledges) => scp.receiveEnvelope(envelope(from, slot, p));

  /** Two peers (v-blocking in core5) send the statement; with checks, neither makes us send anything. */
  const recvVBlockingChecks = (p: Pledges, withChecks: boolean) => {
    driver.bumpTimerOffset();
    let i = sent();
    recv(peers[0]!, p);
    if (withChecks) expect(sent()).toBe(i);
    i++;
    recv(peers[1]!, p);
    if (withChecks) expect(sent()).toBe(i);
  };
  const recvVBlocking = (p: Pledges) => recvVBlockingChecks(p, true);

  /**
   * Four peers send the statement: the third completes a quorum with us and makes us send exactly one
   * statement (with a delayed quorum, only the fourth completes it); the extra one changes nothing.
   */
  const recvQuorumChecksEx = (
    p: Pledges,
    withChecks: boolean,
    delayedQuorum: boolean,
    checkUpcoming: boolean,
  ) => {
    driver.bumpTimerOffset();
    recv(peers[0]!, p);
    recv(peers[1]!, p);
    const i = sent() + 1;
    recv(peers[2]!, p);
    if (withChecks && !delayedQuorum) expect(sent()).toBe(i);
    if (checkUpcoming && !delayedQuorum) expect(driver.hasBallotTimerUpcoming()).toBe(true);
    recv(peers[3]!, p);
    if (withChecks && delayedQuorum) expect(sent()).toBe(i);
    if (checkUpcoming && delayedQuorum) expect(driver.hasBallotTimerUpcoming()).toBe(true);
  };
  const recvQuorumChecks = (p: Pledges, withChecks: boolean, delayedQuorum: boolean) =>
    recvQuorumChecksEx(p, withChecks, delayedQuorum, false);
  const recvQuorumEx = (p: Pledges, checkUpcoming: boolean) =>
    recvQuorumChecksEx(p, true, false, checkUpcoming);
  const recvQuorum = (p: Pledges) => recvQuorumEx(p, false);

  /** The statement we sent at position i is exactly `p`, signed by us for slot 0. */
  const verify = (i: number, p: Pledges) =>
    expect(driver.emitted[i]?.statement).toEqual({ nodeId: self, slotIndex: slot, pledges: p });
  const verifyPrepare = (
    i: number,
    b: Ballot,
    prepared: Ballot | null = null,
    nC = 0,
    nH = 0,
    preparedPrime: Ballot | null = null,
  ) => verify(i, node.prepare(b, prepared, nC, nH, preparedPrime));
  const verifyConfirm = (i: number, nPrepared: number, b: Ballot, nCommit: number, nH: number) =>
    verify(i, node.confirm(nPrepared, b, nCommit, nH));
  const verifyExternalize = (i: number, commit: Ballot, nH: number) =>
    verify(i, node.externalize(commit, nH));
  const verifyNominate = (i: number, votes: Uint8Array[], accepted: Uint8Array[] = []) =>
    verify(i, node.nominate(votes, accepted));

  return {
    ...node,
    slot,
    sent,
    recv,
    recvVBlockingChecks,
    recvVBlocking,
    recvQuorumChecksEx,
    recvQuorumChecks,
    recvQuorumEx,
    recvQuorum,
    verify,
    verifyPrepare,
    verifyConfirm,
    verifyExternalize,
    verifyNominate,
  };
}

export type Scenario = ReturnType<typeof scenario>;
