// Port of stellar-core's "ballot protocol core5" scenarios (src/scp/test/SCPTests.cpp): node v0 in a
// 5-node network with threshold 4, driven message by message; every statement v0 sends is checked field
// by field. Each nested section of the original becomes a chain of step functions replayed from the start,
// as Catch2 replays sections. The original runs every scenario under three timeout configurations; the
// timeouts only change timer durations, which these scenarios do not look at, so they run once here.
import { describe, expect, it } from 'vitest';
import { type Ballot, EnvelopeState, type Value } from '../../src/index.js';
import { CORE5, CORE5_QSET, type Scenario, scenario } from './harness.js';
import { ballot, envelope, INF, makeParityNode, X, Y, Z, ZZ } from './parity-driver.js';

const PEERS = CORE5.slice(1);
const setup = () => scenario('v0', CORE5_QSET, PEERS);

/** Ballots of the "start <1,a>" scenarios: A on our value, B on the other one, Mid and Big around them. */
function ballotsOf(a: Value, b: Value, mid: Value = Y, big: Value = ZZ) {
  const A = (n: number) => ballot(n, a);
  const B = (n: number) => ballot(n, b);
  return {
    a,
    b,
    A1: A(1),
    A2: A(2),
    A3: A(3),
    A4: A(4),
    A5: A(5),
    AInf: A(INF),
    B1: B(1),
    B2: B(2),
    B3: B(3),
    B4: B(4),
    BInf: B(INF),
    Mid2: ballot(2, mid),
    Big2: ballot(2, big),
  };
}
type Ballots = ReturnType<typeof ballotsOf>;

describe('stellar-core SCPTests "ballot protocol core5"', () => {
  it('bumpState x', () => {
    const t = setup();
    expect(t.scp.bumpState(0, X)).toBe(true);
    expect(t.sent()).toBe(1);
    t.verifyPrepare(0, ballot(1, X));
  });

  // --- "start <1,x>" and "start <1,z>": the same steps; where x < z makes a step impossible for z, the
  // original checks that nothing happens instead ------------------------------------------------------

  for (const [name, a, b] of [
    ['start <1,x>', X, Z],
    ['start <1,z>', Z, X],
  ] as const) {
    const low = a === X; // our value is the smaller one
    const B = ballotsOf(a, b);

    const start = () => {
      const t = setup();
      expect(t.driver.hasBallotTimer()).toBe(false);
      expect(t.scp.bumpState(0, a)).toBe(true);
      expect(t.sent()).toBe(1);
      expect(t.driver.hasBallotTimer()).toBe(false);
      return t;
    };
    const preparedA1 = () => {
      const t = start();
      t.recvQuorumEx(t.prepare(B.A1), true);
      expect(t.sent()).toBe(2);
      t.verifyPrepare(1, B.A1, B.A1);
      return t;
    };
    const bumpPreparedA2 = () => {
      const t = preparedA1();
      t.driver.bumpTimerOffset();
      expect(t.scp.bumpState(0, a)).toBe(true);
      expect(t.sent()).toBe(3);
      t.verifyPrepare(2, B.A2, B.A1);
      expect(t.driver.hasBallotTimer()).toBe(false);
      t.recvQuorumEx(t.prepare(B.A2), true);
      expect(t.sent()).toBe(4);
      t.verifyPrepare(3, B.A2, B.A2);
      return t;
    };
    const confirmPreparedA2 = () => {
      const t = bumpPreparedA2();
      t.recvQuorum(t.prepare(B.A2, B.A2));
      expect(t.sent()).toBe(5);
      t.verifyPrepare(4, B.A2, B.A2, 2, 2);
      expect(t.driver.hasBallotTimerUpcoming()).toBe(false);
      return t;
    };
    const acceptCommitQuorumA2 = () => {
      const t = confirmPreparedA2();
      t.recvQuorum(t.prepare(B.A2, B.A2, 2, 2));
      expect(t.sent()).toBe(6);
      t.verifyConfirm(5, 2, B.A2, 2, 2);
      expect(t.driver.hasBallotTimerUpcoming()).toBe(false);
      return t;
    };
    const quorumPreparedA3 = () => {
      const t = acceptCommitQuorumA2();
      t.recvVBlocking(t.prepare(B.A3, B.A2, 2, 2));
      expect(t.sent()).toBe(7);
      t.verifyConfirm(6, 2, B.A3, 2, 2);
      expect(t.driver.hasBallotTimer()).toBe(false);
      t.recvQuorumEx(t.prepare(B.A3, B.A2, 2, 2), true);
      expect(t.sent()).toBe(8);
      t.verifyConfirm(7, 3, B.A3, 2, 2);
      return t;
    };
    const acceptMoreCommitA3 = () => {
      const t = quorumPreparedA3();
      t.recvQuorum(t.prepare(B.A3, B.A3, 2, 3));
      expect(t.sent()).toBe(9);
      t.verifyConfirm(8, 3, B.A3, 2, 3);
      expect(t.driver.hasBallotTimerUpcoming()).toBe(false);
      expect(t.driver.externalized.size).toBe(0);
      return t;
    };

    describe(name, () => {
      const path = (...s: string[]) => s.join(' / ');

      it(
        path(
          'prepared A1',
          'bump prepared A2',
          'Confirm prepared A2',
          'Accept commit',
          'Quorum A2',
          'Quorum prepared A3',
          'Accept more commit A3',
          'Quorum externalize A3',
        ),
        () => {
          const t = acceptMoreCommitA3();
          t.recvQuorum(t.confirm(3, B.A3, 2, 3));
          expect(t.sent()).toBe(10);
          t.verifyExternalize(9, B.A2, 3);
          expect(t.driver.hasBallotTimer()).toBe(false);
          expect(t.driver.externalized.size).toBe(1);
          expect(t.driver.externalized.get(0)).toEqual(a);
        },
      );

      const vblockingAcceptMoreA3 = path('prepared A1 ... Quorum prepared A3', 'v-blocking accept more A3');
      it(path(vblockingAcceptMoreA3, 'Confirm A3'), () => {
        const t = quorumPreparedA3();
        t.recvVBlocking(t.confirm(3, B.A3, 2, 3));
        expect(t.sent()).toBe(9);
        t.verifyConfirm(8, 3, B.A3, 2, 3);
        expect(t.driver.hasBallotTimerUpcoming()).toBe(false);
      });
      it(path(vblockingAcceptMoreA3, 'Externalize A3'), () => {
        const t = quorumPreparedA3();
        t.recvVBlocking(t.externalize(B.A2, 3));
        expect(t.sent()).toBe(9);
        t.verifyConfirm(8, INF, B.AInf, 2, INF);
        expect(t.driver.hasBallotTimer()).toBe(false);
      });
      it(path(vblockingAcceptMoreA3, 'other nodes moved to c=A4 h=A5', 'Confirm A4..5'), () => {
        const t = quorumPreparedA3();
        t.recvVBlocking(t.confirm(3, B.A5, 4, 5));
        expect(t.sent()).toBe(9);
        t.verifyConfirm(8, 3, B.A5, 4, 5);
        expect(t.driver.hasBallotTimer()).toBe(false);
      });
      it(path(vblockingAcceptMoreA3, 'other nodes moved to c=A4 h=A5', 'Externalize A4..5'), () => {
        const t = quorumPreparedA3();
        t.recvVBlocking(t.externalize(B.A4, 5));
        expect(t.sent()).toBe(9);
        t.verifyConfirm(8, INF, B.AInf, 4, INF);
        expect(t.driver.hasBallotTimer()).toBe(false);
      });

      const quorumA2 = 'prepared A1 ... Accept commit / Quorum A2';
      it(path(quorumA2, 'v-blocking prepared A3'), () => {
        const t = acceptCommitQuorumA2();
        t.recvVBlocking(t.prepare(B.A3, B.A3, 2, 2));
        expect(t.sent()).toBe(7);
        t.verifyConfirm(6, 3, B.A3, 2, 2);
        expect(t.driver.hasBallotTimer()).toBe(false);
      });
      it(path(quorumA2, 'v-blocking prepared A3+B3'), () => {
        const t = acceptCommitQuorumA2();
        // p is the higher of A3 and B3, p' the other.
        const p = low ? t.prepare(B.A3, B.B3, 2, 2, B.A3) : t.prepare(B.A3, B.A3, 2, 2, B.B3);
        t.recvVBlocking(p);
        expect(t.sent()).toBe(7);
        t.verifyConfirm(6, 3, B.A3, 2, 2);
        expect(t.driver.hasBallotTimer()).toBe(false);
      });
      it(path(quorumA2, 'v-blocking confirm A3'), () => {
        const t = acceptCommitQuorumA2();
        t.recvVBlocking(t.confirm(3, B.A3, 2, 2));
        expect(t.sent()).toBe(7);
        t.verifyConfirm(6, 3, B.A3, 2, 2);
        expect(t.driver.hasBallotTimer()).toBe(false);
      });
      const hang = path(quorumA2, 'Hang - does not switch to B in CONFIRM');
      it(path(hang, 'Network EXTERNALIZE'), () => {
        const t = acceptCommitQuorumA2();
        // EXTERNALIZE counts as an infinite counter: we follow the counter, not the value.
        t.recvVBlocking(t.externalize(B.B2, 3));
        expect(t.sent()).toBe(7);
        t.verifyConfirm(6, 2, B.AInf, 2, 2);
        expect(t.driver.hasBallotTimer()).toBe(false);
        // Stuck, but a quorum is at (inf, *): the timer is armed.
        t.recvQuorumChecks(t.externalize(B.B2, 3), false, false);
        expect(t.sent()).toBe(7);
        expect(t.driver.externalized.size).toBe(0);
        expect(t.driver.hasBallotTimerUpcoming()).toBe(true);
      });
      it(path(hang, 'Network CONFIRMS other ballot', 'at same counter'), () => {
        const t = acceptCommitQuorumA2();
        // Nothing happens; in particular p does not switch.
        t.recvQuorumChecks(t.confirm(3, B.B2, 2, 3), false, false);
        expect(t.sent()).toBe(6);
        expect(t.driver.externalized.size).toBe(0);
        expect(t.driver.hasBallotTimerUpcoming()).toBe(false);
      });
      it(path(hang, 'Network CONFIRMS other ballot', 'at a different counter'), () => {
        const t = acceptCommitQuorumA2();
        t.recvVBlocking(t.confirm(3, B.B3, 3, 3));
        expect(t.sent()).toBe(7);
        t.verifyConfirm(6, 2, B.A3, 2, 2);
        expect(t.driver.hasBallotTimer()).toBe(false);
        t.recvQuorumChecks(t.confirm(3, B.B3, 3, 3), false, false);
        expect(t.sent()).toBe(7);
        expect(t.driver.externalized.size).toBe(0);
        // A quorum is at (3, *): the timer is armed.
        expect(t.driver.hasBallotTimerUpcoming()).toBe(true);
      });

      const acceptCommitVBlocking = 'prepared A1 ... Confirm prepared A2 / Accept commit / v-blocking';
      it(path(acceptCommitVBlocking, 'CONFIRM', 'CONFIRM A2'), () => {
        const t = confirmPreparedA2();
        t.recvVBlocking(t.confirm(2, B.A2, 2, 2));
        expect(t.sent()).toBe(6);
        t.verifyConfirm(5, 2, B.A2, 2, 2);
        expect(t.driver.hasBallotTimerUpcoming()).toBe(false);
      });
      it(path(acceptCommitVBlocking, 'CONFIRM', 'CONFIRM A3..4'), () => {
        const t = confirmPreparedA2();
        t.recvVBlocking(t.confirm(4, B.A4, 3, 4));
        expect(t.sent()).toBe(6);
        t.verifyConfirm(5, 4, B.A4, 3, 4);
        expect(t.driver.hasBallotTimer()).toBe(false);
      });
      it(path(acceptCommitVBlocking, 'CONFIRM', 'CONFIRM B2'), () => {
        const t = confirmPreparedA2();
        t.recvVBlocking(t.confirm(2, B.B2, 2, 2));
        expect(t.sent()).toBe(6);
        t.verifyConfirm(5, 2, B.B2, 2, 2);
        expect(t.driver.hasBallotTimerUpcoming()).toBe(false);
      });
      it(path(acceptCommitVBlocking, 'EXTERNALIZE', 'EXTERNALIZE A2'), () => {
        const t = confirmPreparedA2();
        t.recvVBlocking(t.externalize(B.A2, 2));
        expect(t.sent()).toBe(6);
        t.verifyConfirm(5, INF, B.AInf, 2, INF);
        expect(t.driver.hasBallotTimer()).toBe(false);
      });
      it(path(acceptCommitVBlocking, 'EXTERNALIZE', 'EXTERNALIZE B2'), () => {
        const t = confirmPreparedA2();
        t.recvVBlocking(t.externalize(B.B2, 2));
        expect(t.sent()).toBe(6);
        t.verifyConfirm(5, INF, B.BInf, 2, INF);
        expect(t.driver.hasBallotTimer()).toBe(false);
      });

      const conflicting = 'prepared A1 ... Confirm prepared A2 / get conflicting prepared B';
      it(path(conflicting, 'same counter'), () => {
        const t = confirmPreparedA2();
        if (low) {
          t.recvVBlocking(t.prepare(B.B2, B.B2));
          expect(t.sent()).toBe(6);
          t.verifyPrepare(5, B.A2, B.B2, 0, 2, B.A2);
          expect(t.driver.hasBallotTimerUpcoming()).toBe(false);
          t.recvQuorum(t.prepare(B.B2, B.B2, 2, 2));
          expect(t.sent()).toBe(7);
          t.verifyConfirm(6, 2, B.B2, 2, 2);
          expect(t.driver.hasBallotTimerUpcoming()).toBe(false);
        } else {
          // B2 < A2: the messages change nothing.
          t.recvQuorumChecks(t.prepare(B.B2, B.B2), false, false);
          expect(t.sent()).toBe(5);
          expect(t.driver.hasBallotTimerUpcoming()).toBe(false);
        }
      });
      it(path(conflicting, 'higher counter'), () => {
        const t = confirmPreparedA2();
        t.recvVBlocking(t.prepare(B.B3, B.B2, 2, 2));
        expect(t.sent()).toBe(6);
        if (low) t.verifyPrepare(5, B.A3, B.B2, 0, 2, B.A2);
        else t.verifyPrepare(5, B.A3, B.A2, 2, 2, B.B2);
        expect(t.driver.hasBallotTimer()).toBe(false);
        // Our quorum commits B while we were on A: a delayed quorum.
        t.recvQuorumChecksEx(t.prepare(B.B3, B.B2, 2, 2), true, true, true);
        expect(t.sent()).toBe(7);
        t.verifyConfirm(6, 3, B.B3, 2, 2);
      });
      it(path(conflicting, 'higher counter mixed'), () => {
        const t = confirmPreparedA2();
        t.recvVBlocking(t.prepare(B.A3, B.B3, 0, 2, B.A2));
        expect(t.sent()).toBe(6);
        // h stays A2; p = B3, p' = A2; b = A3 (same value as h); c = 0.
        t.verifyPrepare(5, B.A3, B.B3, 0, 2, B.A2);
        t.recvQuorumEx(t.prepare(B.A3, B.B3, 0, 2, B.A2), true);
        expect(t.sent()).toBe(7);
        if (low) {
          // p = B3, p' = A3; B3 confirmed prepared: b = h = c = B3.
          t.verifyPrepare(6, B.B3, B.B3, 3, 3, B.A3);
        } else {
          // p = A3, p' = B3; B3 confirmed prepared but b is on A: h cannot move.
          t.verifyPrepare(6, B.A3, B.A3, 0, 2, B.B3);
          // The timeout moves to B4, bound by the confirmed-prepared B3.
          expect(t.driver.hasBallotTimerUpcoming()).toBe(true);
          t.driver.timers.get('0/1')!.cb();
          expect(t.sent()).toBe(8);
          t.verifyPrepare(7, B.B4, B.A3, 0, 3, B.B3);
        }
      });

      const mixed = 'prepared A1 / bump prepared A2 / Confirm prepared mixed';
      const confirmPreparedMixed = () => {
        const t = bumpPreparedA2();
        if (low) {
          // A few nodes prepared B2.
          t.recvVBlocking(t.prepare(B.B2, B.B2, 0, 0, B.A2));
          expect(t.sent()).toBe(5);
          t.verifyPrepare(4, B.A2, B.B2, 0, 0, B.A2);
        } else {
          t.recvVBlocking(t.prepare(B.A2, B.A2, 0, 0, B.B2));
          expect(t.sent()).toBe(5);
          t.verifyPrepare(4, B.A2, B.A2, 0, 0, B.B2);
        }
        expect(t.driver.hasBallotTimerUpcoming()).toBe(false);
        return t;
      };
      it(path(mixed, 'mixed A2'), () => {
        const t = confirmPreparedMixed();
        t.driver.bumpTimerOffset();
        t.recv('v3', t.prepare(B.A2, B.A2));
        expect(t.sent()).toBe(6);
        // h = A2; for x, c stays 0 as p = B2 is above and incompatible with h.
        if (low) t.verifyPrepare(5, B.A2, B.B2, 0, 2, B.A2);
        else t.verifyPrepare(5, B.A2, B.A2, 2, 2, B.B2);
        expect(t.driver.hasBallotTimerUpcoming()).toBe(false);
        t.driver.bumpTimerOffset();
        t.recv('v4', t.prepare(B.A2, B.A2));
        expect(t.sent()).toBe(6);
        expect(t.driver.hasBallotTimerUpcoming()).toBe(false);
      });
      it(path(mixed, 'mixed B2'), () => {
        const t = confirmPreparedMixed();
        t.driver.bumpTimerOffset();
        if (low) {
          // h = c = B2.
          t.recv('v3', t.prepare(B.B2, B.B2));
          expect(t.sent()).toBe(6);
          t.verifyPrepare(5, B.B2, B.B2, 2, 2, B.A2);
        } else {
          // B2 would be confirmed prepared, but h cannot move off b's value (and B2 < b): nothing.
          t.recv('v3', t.prepare(B.A2, B.B2));
          expect(t.sent()).toBe(5);
        }
        expect(t.driver.hasBallotTimerUpcoming()).toBe(false);
        t.driver.bumpTimerOffset();
        t.recv('v4', t.prepare(B.B2, B.B2));
        expect(t.sent()).toBe(low ? 6 : 5);
        expect(t.driver.hasBallotTimerUpcoming()).toBe(false);
      });

      if (low) {
        const switchB1 = () => {
          const t = preparedA1();
          // (p, p') = (B1, A1) from (A1, null).
          t.recvVBlocking(t.prepare(B.B1, B.B1));
          expect(t.sent()).toBe(3);
          t.verifyPrepare(2, B.A1, B.B1, 0, 0, B.A1);
          expect(t.driver.hasBallotTimerUpcoming()).toBe(false);
          // A v-blocking set at counter 2: bump.
          t.recvVBlocking(t.prepare(B.B2));
          expect(t.sent()).toBe(4);
          t.verifyPrepare(3, B.A2, B.B1, 0, 0, B.A1);
          // p moves from B1 to B2.
          t.recvVBlocking(t.prepare(B.B2, B.B2));
          expect(t.sent()).toBe(5);
          t.verifyPrepare(4, B.A2, B.B2, 0, 0, B.A1);
          // No quorum at our counter (the others are still on (1, a)).
          expect(t.driver.hasBallotTimer()).toBe(false);
          return t;
        };
        it(
          path('prepared A1', 'switch prepared B1 from A1', 'v-blocking switches to previous value of p'),
          () => {
            const t = switchB1();
            t.recvVBlocking(t.prepare(B.B3));
            expect(t.sent()).toBe(6);
            t.verifyPrepare(5, B.A3, B.B2, 0, 0, B.A1);
            expect(t.driver.hasBallotTimer()).toBe(false);
            // A v-blocking set says B1 is prepared, but p = B2 already.
            t.recvVBlockingChecks(t.prepare(B.B3, B.B1), false);
            expect(t.sent()).toBe(6);
            expect(t.driver.hasBallotTimer()).toBe(false);
          },
        );
        it(path('prepared A1', 'switch prepared B1 from A1', "switch p' to Mid2"), () => {
          const t = switchB1();
          t.recvVBlocking(t.prepare(B.B2, B.B2, 0, 0, B.Mid2));
          expect(t.sent()).toBe(6);
          t.verifyPrepare(5, B.A2, B.B2, 0, 0, B.Mid2);
          expect(t.driver.hasBallotTimer()).toBe(false);
        });
        it(path('prepared A1', 'switch prepared B1 from A1', 'switch again Big2'), () => {
          const t = switchB1();
          // Both p and p' move: (p, p') = (Big2, B2).
          t.recvVBlocking(t.prepare(B.B2, B.Big2, 0, 0, B.B2));
          expect(t.sent()).toBe(6);
          t.verifyPrepare(5, B.A2, B.Big2, 0, 0, B.B2);
          expect(t.driver.hasBallotTimer()).toBe(false);
        });
        it(path('prepared A1', 'switch prepare B1'), () => {
          const t = preparedA1();
          t.recvQuorumChecks(t.prepare(B.B1), true, true);
          expect(t.sent()).toBe(3);
          t.verifyPrepare(2, B.A1, B.B1, 0, 0, B.A1);
          expect(t.driver.hasBallotTimerUpcoming()).toBe(false);
        });
      } else {
        it(path('prepared A1', 'switch prepared B1 from A1'), () => {
          const t = preparedA1();
          // B1 < A1: cannot switch.
          t.recvQuorumChecks(t.prepare(B.B1, B.B1), false, false);
          expect(t.sent()).toBe(2);
          expect(t.driver.hasBallotTimerUpcoming()).toBe(false);
        });
        it(path('prepared A1', 'switch prepare B1'), () => {
          const t = preparedA1();
          t.recvQuorumChecks(t.prepare(B.B1), false, false);
          expect(t.sent()).toBe(2);
          expect(t.driver.hasBallotTimerUpcoming()).toBe(false);
        });
      }
      it(path('prepared A1', 'prepare higher counter (v-blocking)'), () => {
        const t = preparedA1();
        t.recvVBlocking(t.prepare(B.B2));
        expect(t.sent()).toBe(3);
        t.verifyPrepare(2, B.A2, B.A1);
        expect(t.driver.hasBallotTimer()).toBe(false);
        // More timeouts from a v-blocking set.
        t.recvVBlocking(t.prepare(B.B3));
        expect(t.sent()).toBe(4);
        t.verifyPrepare(3, B.A3, B.A1);
        expect(t.driver.hasBallotTimer()).toBe(false);
      });
      it('prepared B (v-blocking)', () => {
        const t = start();
        t.recvVBlocking(t.prepare(B.B1, B.B1));
        expect(t.sent()).toBe(2);
        t.verifyPrepare(1, B.A1, B.B1);
        expect(t.driver.hasBallotTimer()).toBe(false);
      });
      it('prepare B (quorum)', () => {
        const t = start();
        t.recvQuorumChecksEx(t.prepare(B.B1), true, true, true);
        expect(t.sent()).toBe(2);
        t.verifyPrepare(1, B.A1, B.B1);
      });
      it(path('confirm (v-blocking)', 'via CONFIRM'), () => {
        const t = start();
        t.driver.bumpTimerOffset();
        t.recv('v1', t.confirm(3, B.A3, 3, 3));
        t.recv('v2', t.confirm(4, B.A4, 2, 4));
        expect(t.sent()).toBe(2);
        t.verifyConfirm(1, 3, B.A3, 3, 3);
        expect(t.driver.hasBallotTimer()).toBe(false);
      });
      it(path('confirm (v-blocking)', 'via EXTERNALIZE'), () => {
        const t = start();
        t.recv('v1', t.externalize(B.A2, 4));
        t.recv('v2', t.externalize(B.A3, 5));
        expect(t.sent()).toBe(2);
        t.verifyConfirm(1, INF, B.AInf, 3, INF);
        expect(t.driver.hasBallotTimer()).toBe(false);
      });
    });
  }

  // --- "start from pristine": the same transitions, observed by a node that has not started balloting --

  describe('start from pristine', () => {
    const B: Ballots = ballotsOf(X, Z);
    const pristine = () => {
      const t = setup();
      expect(t.sent()).toBe(0);
      return t;
    };
    const preparedA1 = () => {
      const t = pristine();
      t.recvQuorumChecks(t.prepare(B.A1), false, false);
      expect(t.sent()).toBe(0);
      return t;
    };
    const confirmPreparedA2 = () => {
      const t = preparedA1();
      t.recvVBlockingChecks(t.prepare(B.A2, B.A2), false);
      expect(t.sent()).toBe(0);
      return t;
    };
    const base = 'prepared A1 / bump prepared A2 / Confirm prepared A2';
    it(`${base} / Quorum A2`, () => {
      const t = confirmPreparedA2();
      t.recvVBlockingChecks(t.prepare(B.A2, B.A2), false);
      expect(t.sent()).toBe(0);
      t.recvQuorum(t.prepare(B.A2, B.A2));
      expect(t.sent()).toBe(1);
      t.verifyPrepare(0, B.A2, B.A2, 1, 2);
    });
    it(`${base} / Quorum B2`, () => {
      const t = confirmPreparedA2();
      t.recvVBlockingChecks(t.prepare(B.B2, B.B2), false);
      expect(t.sent()).toBe(0);
      t.recvQuorum(t.prepare(B.B2, B.B2));
      expect(t.sent()).toBe(1);
      t.verifyPrepare(0, B.B2, B.B2, 2, 2, B.A2);
    });
    it(`${base} / Accept commit / Quorum A2`, () => {
      const t = confirmPreparedA2();
      t.recvQuorum(t.prepare(B.A2, B.A2, 2, 2));
      expect(t.sent()).toBe(1);
      t.verifyConfirm(0, 2, B.A2, 2, 2);
    });
    it(`${base} / Accept commit / Quorum B2`, () => {
      const t = confirmPreparedA2();
      t.recvQuorum(t.prepare(B.B2, B.B2, 2, 2));
      expect(t.sent()).toBe(1);
      t.verifyConfirm(0, 2, B.B2, 2, 2);
    });
    const cases: [string, (t: Scenario) => void, (t: Scenario) => void][] = [
      [
        'CONFIRM / CONFIRM A2',
        (t) => t.recvVBlocking(t.confirm(2, B.A2, 2, 2)),
        (t) => t.verifyConfirm(0, 2, B.A2, 2, 2),
      ],
      [
        'CONFIRM / CONFIRM A3..4',
        (t) => t.recvVBlocking(t.confirm(4, B.A4, 3, 4)),
        (t) => t.verifyConfirm(0, 4, B.A4, 3, 4),
      ],
      [
        'CONFIRM / CONFIRM B2',
        (t) => t.recvVBlocking(t.confirm(2, B.B2, 2, 2)),
        (t) => t.verifyConfirm(0, 2, B.B2, 2, 2),
      ],
      [
        'EXTERNALIZE / EXTERNALIZE A2',
        (t) => t.recvVBlocking(t.externalize(B.A2, 2)),
        (t) => t.verifyConfirm(0, INF, B.AInf, 2, INF),
      ],
      [
        'EXTERNALIZE / EXTERNALIZE B2',
        (t) => t.recvVBlocking(t.externalize(B.B2, 2)),
        (t) => t.verifyConfirm(0, INF, B.BInf, 2, INF),
      ],
    ];
    for (const [name, act, check] of cases) {
      it(`${base} / Accept commit / v-blocking / ${name}`, () => {
        const t = confirmPreparedA2();
        act(t);
        expect(t.sent()).toBe(1);
        check(t);
      });
    }
    const confirmPreparedMixed = () => {
      const t = preparedA1();
      // A few nodes prepared A2 (p = A2), then B2 (p = B2, p' = A2).
      t.recvVBlockingChecks(t.prepare(B.A2, B.A2), false);
      expect(t.sent()).toBe(0);
      t.recvVBlockingChecks(t.prepare(B.A2, B.B2, 0, 0, B.A2), false);
      expect(t.sent()).toBe(0);
      return t;
    };
    it('prepared A1 / bump prepared A2 / Confirm prepared mixed / mixed A2', () => {
      const t = confirmPreparedMixed();
      // h = A2, but c = 0 as p is above and incompatible with h.
      t.recv('v3', t.prepare(B.A2, B.A2));
      expect(t.sent()).toBe(1);
      t.verifyPrepare(0, B.A2, B.B2, 0, 2, B.A2);
      t.recv('v4', t.prepare(B.A2, B.A2));
      expect(t.sent()).toBe(1);
    });
    it('prepared A1 / bump prepared A2 / Confirm prepared mixed / mixed B2', () => {
      const t = confirmPreparedMixed();
      t.recv('v3', t.prepare(B.B2, B.B2));
      expect(t.sent()).toBe(1);
      t.verifyPrepare(0, B.B2, B.B2, 2, 2, B.A2);
      t.recv('v4', t.prepare(B.B2, B.B2));
      expect(t.sent()).toBe(1);
    });
    it('prepared A1 / switch prepared B1', () => {
      const t = preparedA1();
      t.recvVBlockingChecks(t.prepare(B.B1, B.B1), false);
      expect(t.sent()).toBe(0);
    });
    it('prepared B (v-blocking)', () => {
      const t = pristine();
      t.recvVBlockingChecks(t.prepare(B.B1, B.B1), false);
      expect(t.sent()).toBe(0);
    });
    it('confirm (v-blocking) / via CONFIRM', () => {
      const t = pristine();
      t.recv('v1', t.confirm(3, B.A3, 3, 3));
      t.recv('v2', t.confirm(4, B.A4, 2, 4));
      expect(t.sent()).toBe(1);
      t.verifyConfirm(0, 3, B.A3, 3, 3);
    });
    it('confirm (v-blocking) / via EXTERNALIZE', () => {
      const t = pristine();
      t.recv('v1', t.externalize(B.A2, 4));
      t.recv('v2', t.externalize(B.A3, 5));
      expect(t.sent()).toBe(1);
      t.verifyConfirm(0, INF, B.AInf, 3, INF);
    });
  });

  // --- a full round, and ranges of commits --------------------------------------------------------------

  /** All nodes vote and accept (1,x) prepared; v0 confirms it and votes to commit it. */
  function nodesAllPledgeToCommit(t: Scenario) {
    const b = ballot(1, X);
    expect(t.scp.bumpState(0, X)).toBe(true);
    expect(t.sent()).toBe(1);
    t.verifyPrepare(0, b);
    const heard = () => t.driver.heardFromQuorum.get(0) ?? [];
    t.recv('v1', t.prepare(b));
    expect(t.sent()).toBe(1);
    expect(heard()).toHaveLength(0);
    t.recv('v2', t.prepare(b));
    expect(t.sent()).toBe(1);
    expect(heard()).toHaveLength(0);
    t.recv('v3', t.prepare(b));
    expect(t.sent()).toBe(2);
    expect(heard()).toEqual([b]);
    // A quorum including us votes (1,x): accepted prepared.
    t.verifyPrepare(1, b, b);
    t.recv('v4', t.prepare(b));
    expect(t.sent()).toBe(2);

    t.recv('v4', t.prepare(b, b));
    t.recv('v3', t.prepare(b, b));
    expect(t.sent()).toBe(2);
    t.recv('v2', t.prepare(b, b));
    expect(t.sent()).toBe(3);
    // Confirmed prepared.
    t.verifyPrepare(2, b, b, 1, 1);
    // An extra statement changes nothing.
    t.recv('v1', t.prepare(b, b));
    expect(t.sent()).toBe(3);
  }

  /** v0 votes commit (1,x); v1..v3 do too: v0 accepts the commit and sends CONFIRM. */
  function acceptCommitX(t: Scenario) {
    const b = ballot(1, X);
    nodesAllPledgeToCommit(t);
    t.recv('v1', t.prepare(b, b, 1, 1));
    t.recv('v2', t.prepare(b, b, 1, 1));
    expect(t.sent()).toBe(3);
    t.recv('v3', t.prepare(b, b, 1, 1));
    expect(t.sent()).toBe(4);
    t.verifyConfirm(3, 1, b, 1, 1);
  }

  const normalRound = (t: Scenario) => {
    const b = ballot(1, X);
    acceptCommitX(t);
    const conf = t.confirm(1, b, 1, 1);
    t.recv('v1', conf);
    t.recv('v2', conf);
    expect(t.sent()).toBe(4);
    t.recv('v3', conf);
    // Commit confirmed: externalized.
    expect(t.sent()).toBe(5);
    expect(t.driver.externalized.size).toBe(1);
    expect(t.driver.externalized.get(0)).toEqual(X);
    t.verifyExternalize(4, b, 1);
    // An extra vote, and a duplicate, change nothing.
    t.recv('v4', conf);
    expect(t.sent()).toBe(5);
    expect(t.scp.receiveEnvelope(envelope('v2', 0, conf))).toBe(EnvelopeState.Invalid);
    expect(t.sent()).toBe(5);
    expect(t.driver.externalized.size).toBe(1);
  };

  it('normal round (1,x)', () => {
    normalRound(setup());
  });

  for (const [what, b2] of [
    ['by value', ballot(1, Z)],
    ['by counter', ballot(2, X)],
    ['by value and counter', ballot(2, Z)],
  ] as [string, Ballot][]) {
    it(`normal round (1,x) / bumpToBallot prevented once committed (${what})`, () => {
      const t = setup();
      normalRound(t);
      for (const p of PEERS) t.recv(p, t.confirm(b2.counter, b2, b2.counter, b2.counter));
      expect(t.sent()).toBe(5);
      expect(t.driver.externalized.size).toBe(1);
    });
  }

  it('range check', () => {
    const t = setup();
    acceptCommitX(t);
    const x = (n: number) => ballot(n, X);
    // Nothing yet.
    t.recv('v1', t.confirm(4, x(4), 2, 4));
    // v-blocking: b and p move to (4,x), (c, h) to (2, 4).
    t.recv('v2', t.confirm(6, x(6), 2, 6));
    expect(t.sent()).toBe(5);
    t.verifyConfirm(4, 4, x(4), 2, 4);
    // Externalizes the range [3, 4] (v3's CONFIRM 3..5 is never delivered).
    t.recv('v4', t.confirm(6, x(6), 3, 6));
    expect(t.sent()).toBe(6);
    expect(t.driver.externalized.size).toBe(1);
    expect(t.driver.externalized.get(0)).toEqual(X);
    t.verifyExternalize(5, x(3), 4);
  });

  // --- timeouts ----------------------------------------------------------------------------------------

  it('timeout when h is set -> stay locked on h', () => {
    const t = setup();
    const bx = ballot(1, X);
    expect(t.scp.bumpState(0, X)).toBe(true);
    expect(t.sent()).toBe(1);
    // v-blocking: prepared; quorum: confirmed prepared.
    t.recvQuorum(t.prepare(bx, bx));
    expect(t.sent()).toBe(3);
    t.verifyPrepare(2, bx, bx, 1, 1);
    // A timeout with another value stays on x.
    expect(t.scp.bumpState(0, Y)).toBe(true);
    expect(t.sent()).toBe(4);
    t.verifyPrepare(3, ballot(2, X), bx, 1, 1);
  });

  it("timeout when h exists but can't be set -> vote for h", () => {
    const t = setup();
    const by = ballot(1, Y);
    const bx = ballot(1, X);
    expect(t.scp.bumpState(0, Y)).toBe(true);
    expect(t.sent()).toBe(1);
    // The quorum goes with (1,x): v-blocking, so accepted prepared.
    t.recvVBlocking(t.prepare(bx, bx));
    expect(t.sent()).toBe(2);
    t.verifyPrepare(1, by, bx);
    // Quorum: confirmed prepared, but b > h so h is not set.
    t.recvQuorumChecks(t.prepare(bx, bx), false, false);
    expect(t.sent()).toBe(2);
    // On timeout we move to the quorum's value; c cannot be set as b > h.
    expect(t.scp.bumpState(0, Y)).toBe(true);
    expect(t.sent()).toBe(3);
    t.verifyPrepare(2, ballot(2, X), bx, 0, 1);
  });

  it('timeout from multiple nodes', () => {
    const t = setup();
    const x1 = ballot(1, X);
    const x2 = ballot(2, X);
    expect(t.scp.bumpState(0, X)).toBe(true);
    expect(t.sent()).toBe(1);
    t.verifyPrepare(0, x1);
    t.recvQuorum(t.prepare(x1));
    expect(t.sent()).toBe(2);
    t.verifyPrepare(1, x1, x1);
    // Local timeout: (2,x).
    expect(t.scp.bumpState(0, X)).toBe(true);
    expect(t.sent()).toBe(3);
    t.verifyPrepare(2, x2, x1);
    // A quorum confirms (1,x) prepared: h = 1.
    t.recvQuorum(t.prepare(x1, x1));
    expect(t.sent()).toBe(4);
    t.verifyPrepare(3, x2, x1, 0, 1);
    // A v-blocking set prepared (2,x).
    t.recvVBlocking(t.prepare(x2, x2, 1, 1));
    expect(t.sent()).toBe(5);
    t.verifyPrepare(4, x2, x2, 0, 1);
    // A quorum with us confirms (2,x) prepared (h = c = 2); a quorum without us votes commit (1,x), which
    // we accept: c = h = 1, CONFIRM.
    t.recvQuorum(t.prepare(x2, x2, 1, 1));
    expect(t.sent()).toBe(7);
    t.verifyPrepare(5, x2, x2, 2, 2);
    t.verifyConfirm(6, 2, x2, 1, 1);
  });

  it('timeout after prepare, receive old messages to prepare', () => {
    const t = setup();
    const x = (n: number) => ballot(n, X);
    expect(t.scp.bumpState(0, X)).toBe(true);
    expect(t.sent()).toBe(1);
    t.verifyPrepare(0, x(1));
    for (const p of ['v1', 'v2', 'v3']) t.recv(p, t.prepare(x(1)));
    expect(t.sent()).toBe(2);
    t.verifyPrepare(1, x(1), x(1));
    expect(t.scp.bumpState(0, X)).toBe(true);
    expect(t.sent()).toBe(3);
    t.verifyPrepare(2, x(2), x(1));
    expect(t.scp.bumpState(0, X)).toBe(true);
    expect(t.sent()).toBe(4);
    t.verifyPrepare(3, x(3), x(1));
    // The others moved on with (2,x): v-blocking, prepared.
    t.recv('v1', t.prepare(x(2), x(2), 1, 2));
    t.recv('v2', t.prepare(x(2), x(2), 1, 2));
    expect(t.sent()).toBe(5);
    t.verifyPrepare(4, x(3), x(2));
    // Quorum: h = 2.
    t.recv('v3', t.prepare(x(2), x(2), 1, 2));
    expect(t.sent()).toBe(6);
    t.verifyPrepare(5, x(3), x(2), 0, 2);
  });

  it('non validator watching the network', () => {
    const nv = makeParityNode('vNV', CORE5_QSET, false);
    const b = ballot(1, X);
    // stellar-core reads the watcher's own statement with getEntireCurrentState (which includes a node's
    // own statement even when it is not fully validated). Our getCurrentState leaves it out, as
    // stellar-core's getCurrentState does, so the watcher's newest statement is read from the
    // persistence hook, which sees every statement the node makes.
    const own = () => nv.driver.persisted.at(-1)?.statement;
    const ownIs = (pledges: unknown) => expect(own()).toEqual({ nodeId: 'vNV', slotIndex: 0, pledges });
    expect(nv.scp.bumpState(0, X)).toBe(true);
    expect(nv.driver.emitted).toHaveLength(0);
    ownIs(nv.prepare(b));
    expect(nv.scp.getCurrentState(0).some((e) => e.statement.nodeId === 'vNV')).toBe(false);
    for (const p of ['v1', 'v2', 'v3']) nv.scp.receiveEnvelope(envelope(p, 0, nv.externalize(b, 1)));
    expect(nv.driver.emitted).toHaveLength(0);
    ownIs(nv.confirm(INF, ballot(INF, X), 1, INF));
    nv.scp.receiveEnvelope(envelope('v4', 0, nv.externalize(b, 1)));
    expect(nv.driver.emitted).toHaveLength(0);
    ownIs(nv.externalize(b, INF));
    expect(nv.driver.externalized.get(0)).toEqual(X);
  });

  describe('restore ballot protocol', () => {
    const b = ballot(2, X);
    const cases = [
      ['prepare', (t: Scenario) => t.prepare(b)],
      ['confirm', (t: Scenario) => t.confirm(2, b, 1, 2)],
      ['externalize', (t: Scenario) => t.externalize(b, 2)],
    ] as const;
    for (const [name, make] of cases) {
      it(name, () => {
        const t = setup();
        const env = envelope('v0', 0, make(t));
        expect(() => t.scp.setStateFromEnvelope(0, env)).not.toThrow();
        // Restoring sends nothing, and the restored statement is what a peer asking for our state gets.
        expect(t.sent()).toBe(0);
        expect(t.scp.getLatestMessagesSend(0)).toEqual([env]);
      });
    }
  });
});
