// Port of stellar-core's "ballot protocol core3" scenarios (src/scp/test/SCPTests.cpp): 3 nodes with
// threshold 2, where one other node is both v-blocking and, with us, a quorum. A is on z, B on x.
import { describe, expect, it } from 'vitest';
import type { Pledges } from '../../src/index.js';
import { flat } from '../test-driver.js';
import { scenario } from './harness.js';
import { ballot, envelope, X, Z } from './parity-driver.js';

const QSET = flat(2, ['v0', 'v1', 'v2']);
const A = (n: number) => ballot(n, Z);
const B = (n: number) => ballot(n, X);

function setup() {
  const t = scenario('v0', QSET, ['v1', 'v2']);
  /**
   * v1 (and, unless minQuorum, v2) send the statement; v1 alone completes a quorum with us, so with
   * checks it makes us send exactly one statement (with a delayed quorum, only v2 does).
   */
  const recvQuorumChecksEx2 = (
    p: Pledges,
    withChecks: boolean,
    delayedQuorum: boolean,
    checkUpcoming: boolean,
    minQuorum: boolean,
  ) => {
    t.driver.bumpTimerOffset();
    const i = t.sent() + 1;
    t.recv('v1', p);
    if (withChecks && !delayedQuorum) expect(t.sent()).toBe(i);
    if (checkUpcoming) expect(t.driver.hasBallotTimerUpcoming()).toBe(true);
    if (!minQuorum) {
      t.recv('v2', p);
      if (withChecks) expect(t.sent()).toBe(i);
    }
  };
  const recvQuorumChecks = (p: Pledges, withChecks: boolean, delayedQuorum: boolean) =>
    recvQuorumChecksEx2(p, withChecks, delayedQuorum, false, false);
  expect(t.driver.hasBallotTimer()).toBe(false);
  return { ...t, recvQuorumChecksEx2, recvQuorumChecks };
}

describe('stellar-core SCPTests "ballot protocol core3"', () => {
  const preparedB1 = () => {
    const t = setup();
    expect(t.scp.bumpState(0, Z)).toBe(true);
    expect(t.sent()).toBe(1);
    expect(t.driver.hasBallotTimer()).toBe(false);
    t.driver.bumpTimerOffset();
    t.recvQuorumChecks(t.prepare(B(1)), true, true);
    expect(t.sent()).toBe(2);
    t.verifyPrepare(1, A(1), B(1));
    expect(t.driver.hasBallotTimerUpcoming()).toBe(true);
    return t;
  };
  const quorumPreparedB1 = () => {
    const t = preparedB1();
    t.driver.bumpTimerOffset();
    t.recvQuorumChecks(t.prepare(B(1), B(1)), false, false);
    // B1 is confirmed prepared, but b > B1: h is not set, nor c.
    expect(t.sent()).toBe(2);
    expect(t.driver.hasBallotTimerUpcoming()).toBe(false);
    return t;
  };

  it('prepared B1 (quorum votes B1) local aValue / quorum prepared B1', () => {
    quorumPreparedB1();
  });

  it('prepared B1 (quorum votes B1) local aValue / quorum prepared B1 / quorum bumps to A1', () => {
    const t = quorumPreparedB1();
    t.driver.bumpTimerOffset();
    t.recvQuorumChecksEx2(t.prepare(A(1), B(1)), false, false, false, true);
    expect(t.sent()).toBe(3);
    // Still no h: b > the confirmed-prepared B1.
    t.verifyPrepare(2, A(1), A(1), 0, 0, B(1));
    expect(t.driver.hasBallotTimerUpcoming()).toBe(false);
    t.driver.bumpTimerOffset();
    // The quorum commits A1.
    t.recvQuorumChecksEx2(t.prepare(A(2), A(1), 1, 1, B(1)), false, false, false, true);
    expect(t.sent()).toBe(4);
    t.verifyConfirm(3, 2, A(1), 1, 1);
    expect(t.driver.hasBallotTimerUpcoming()).toBe(false);
  });

  it('prepared A1 with timeout', () => {
    const t = setup();
    // Starts with the smallest value.
    expect(t.scp.bumpState(0, X)).toBe(true);
    expect(t.sent()).toBe(1);
    t.recvQuorumChecks(t.prepare(A(1), A(1), 0, 1), false, false);
    expect(t.sent()).toBe(2);
    t.verifyPrepare(1, A(1), A(1), 1, 1);
    // Bumped votes: p = B2, p' = A1; B2 confirmed prepared; the v-blocking set is ahead, so b = B2, and
    // then h = B2; c = 0.
    t.recvQuorumChecks(t.prepare(A(2), B(2), 0, 1, A(1)), true, true);
    expect(t.sent()).toBe(3);
    t.verifyPrepare(2, B(2), A(2), 0, 2, B(2));
  });

  it('node without self - quorum timeout', () => {
    const t = scenario('vNS', QSET, ['v1', 'v2']);
    t.recv('v1', t.prepare(A(2), B(2), 0, 1, A(1)));
    t.recv('v2', t.prepare(A(1), A(1), 1, 1));
    expect(t.sent()).toBe(1);
    t.verifyPrepare(0, A(1), A(1), 1, 1);
    t.scp.receiveEnvelope(envelope('v0', 0, t.prepare(A(2), B(2), 0, 1, A(1))));
    expect(t.sent()).toBe(2);
    t.verifyPrepare(1, B(2), A(2), 0, 2, B(2));
  });
});
