// Port of stellar-core's "nomination tests core5" scenarios (src/scp/test/SCPTests.cpp): node v0 in a
// 5-node network with threshold 4. Leaders are forced through the priority lookup (by default v0 has
// priority 1000 and everyone else 1), values rank by a value hash the test sets, and the composite value
// is whatever the test says once the expected candidates are confirmed.
//
// The original calls nominate(slot, value, timedout = true) to model a round timeout; here the nomination
// timer is fired instead, which re-runs the round with the value nomination started with (the original
// notes that the value passed on timeout is ignored, or is the same one).
import { describe, expect, it } from 'vitest';
import { TimerId } from '../../src/index.js';
import { CORE5, CORE5_QSET, scenario } from './harness.js';
import { ballot, envelope, K, PREV, X, Y, Z, ZZ } from './parity-driver.js';

const setup = () => scenario('v0', CORE5_QSET, CORE5.slice(1));
const leaders = (t: ReturnType<typeof setup>) => [...t.scp.getNominationLeaders(0)].sort();
const timeout = (t: ReturnType<typeof setup>) => t.driver.fireTimer(0, TimerId.Nomination);
const top = (node: string) => (n: string) => (n === node ? 1000n : 1n);

describe('stellar-core SCPTests "nomination tests core5"', () => {
  describe('nomination - v0 is top', () => {
    const v0NominatesX = () => {
      const t = setup();
      expect(t.scp.nominate(0, X, PREV)).toBe(true);
      expect(leaders(t)).toEqual(['v0']);
      return t;
    };
    // The votes and acceptances of "others nominate what v0 says".
    const nomX = (t: ReturnType<typeof setup>) => t.nominate([X]);
    const accX = (t: ReturnType<typeof setup>) => t.nominate([X], [X]);

    const othersNominateX = () => {
      const t = v0NominatesX();
      expect(t.sent()).toBe(1);
      t.verifyNominate(0, [X]);
      t.recv('v1', nomX(t));
      t.recv('v2', nomX(t));
      expect(t.sent()).toBe(1);
      // A quorum votes x: accepted.
      t.recv('v3', nomX(t));
      expect(t.sent()).toBe(2);
      t.driver.expectedCandidates = [X];
      t.driver.compositeValue = X;
      t.verifyNominate(1, [X], [X]);
      t.recv('v4', nomX(t));
      expect(t.sent()).toBe(2);
      t.recv('v1', accX(t));
      t.recv('v2', accX(t));
      expect(t.sent()).toBe(2);
      // A quorum accepted x: candidate, and the ballot protocol starts on the composite.
      t.recv('v3', accX(t));
      expect(t.sent()).toBe(3);
      t.verifyPrepare(2, ballot(1, X));
      t.recv('v4', accX(t));
      expect(t.sent()).toBe(3);
      return t;
    };

    it('v0 starts to nominates xValue / others nominate what v0 says (x) -> prepare x', () => {
      othersNominateX();
    });

    it('... others nominate x -> prepare x / others accepted y -> update latest to (z=x+y)', () => {
      const t = othersNominateX();
      const xy = t.nominate([X, Y], [X, Y]);
      t.recv('v1', xy);
      expect(t.sent()).toBe(3);
      // v-blocking: y accepted.
      t.recv('v2', xy);
      expect(t.sent()).toBe(4);
      t.verifyNominate(3, [X, Y], [X, Y]);
      t.driver.expectedCandidates = [X, Y];
      t.driver.compositeValue = K;
      // The new composite is kept for the next ballot, but the running ballot does not change.
      t.recv('v3', xy);
      expect(t.sent()).toBe(4);
      expect(t.scp.getLatestCompositeCandidate(0)).toEqual(K);
      t.recv('v4', xy);
      expect(t.sent()).toBe(4);
    });

    describe('... others nominate x -> prepare x / nomination - restored state', () => {
      // Restores votes = accepted = {x}, then runs the round again on a fresh node.
      const nominationRestore = (t: ReturnType<typeof setup>) => {
        t.scp.setStateFromEnvelope(0, envelope('v0', 0, t.nominate([X], [X])));
        // Starting with y keeps x: it already has a vote.
        expect(t.scp.nominate(0, Y, PREV)).toBe(false);
        expect(leaders(t)).toEqual(['v0']);
        expect(t.sent()).toBe(0);
        t.recv('v1', t.nominate([X]));
        t.recv('v2', t.nominate([X]));
        expect(t.sent()).toBe(0);
        // x is accepted by the quorum, but it was already accepted in the restored state: nothing new.
        t.recv('v3', t.nominate([X]));
        t.driver.expectedCandidates = [X];
        t.driver.compositeValue = X;
        t.recv('v1', t.nominate([X], [X]));
        t.recv('v2', t.nominate([X], [X]));
        expect(t.sent()).toBe(0);
        // The composite becomes x.
        t.recv('v3', t.nominate([X], [X]));
      };
      it('ballot protocol not started', () => {
        const t = setup();
        nominationRestore(t);
        // Nomination started the ballot protocol.
        expect(t.sent()).toBe(1);
        t.verifyPrepare(0, ballot(1, X));
      });
      it('ballot protocol started (on value k)', () => {
        const t = setup();
        t.scp.setStateFromEnvelope(0, envelope('v0', 0, t.prepare(ballot(1, K))));
        nominationRestore(t);
        // Already working on k: nomination changes nothing.
        expect(t.sent()).toBe(0);
      });
    });

    it('v0 starts to nominates xValue / receive more messages, then v0 switches to a different leader', () => {
      const t = v0NominatesX();
      t.recv('v1', t.nominate([K]));
      t.recv('v2', t.nominate([Y]));
      expect(t.sent()).toBe(1);
      // v1 becomes the leader.
      t.driver.priorityLookup = top('v1');
      timeout(t);
      expect(t.sent()).toBe(2);
      t.verifyNominate(1, [X, K]);
    });

    describe('v0 starts to nominates xValue / select accepted value from leader', () => {
      const run = (beforeTimeout: boolean) => {
        const t = v0NominatesX();
        expect(t.sent()).toBe(1);
        t.driver.priorityLookup = top('v1');
        const nom1 = t.nominate([Y, Z], [Y]);
        if (beforeTimeout) {
          // v0 still leads: nothing.
          t.recv('v1', nom1);
          expect(t.sent()).toBe(1);
          // The new round's leaders include v1: vote for its accepted value y.
          timeout(t);
          expect(t.sent()).toBe(2);
        } else {
          timeout(t);
          expect(t.sent()).toBe(1);
          // Vote for v1's accepted value y.
          t.recv('v1', nom1);
          expect(t.sent()).toBe(2);
        }
        t.verifyNominate(1, [X, Y]);
        // v0 already voted for the leader's accepted value (y): its other votes are not taken.
        t.recv('v1', t.nominate([Y, Z, ZZ], [Y]));
        expect(t.sent()).toBe(2);
        t.verifyNominate(1, [X, Y]);
      };
      it('receive accepted before timeout', () => run(true));
      it('receive accepted after timeout', () => run(false));
    });

    describe("self nominates 'x', others nominate y -> prepare y", () => {
      const selfX = () => {
        const t = setup();
        t.driver.expectedCandidates = [X];
        t.driver.compositeValue = X;
        expect(t.scp.nominate(0, X, PREV)).toBe(true);
        expect(t.sent()).toBe(1);
        t.verifyNominate(0, [X]);
        return t;
      };
      it('others only vote for y', () => {
        const t = selfX();
        for (const p of ['v1', 'v2', 'v3']) t.recv(p, t.nominate([Y]));
        expect(t.sent()).toBe(1);
        // A quorum (without us) votes y: accepted.
        t.recv('v4', t.nominate([Y]));
        expect(t.sent()).toBe(2);
        t.verifyNominate(1, [X, Y], [Y]);
      });
      it('others accepted y', () => {
        const t = selfX();
        const acc = t.nominate([Y], [Y]);
        t.recv('v1', acc);
        expect(t.sent()).toBe(1);
        // v-blocking: y accepted.
        t.recv('v2', acc);
        expect(t.sent()).toBe(2);
        t.verifyNominate(1, [X, Y], [Y]);
        t.driver.expectedCandidates = [Y];
        t.driver.compositeValue = Y;
        // A quorum accepted y: the ballot protocol starts on it.
        t.recv('v3', acc);
        expect(t.sent()).toBe(3);
        t.verifyPrepare(2, ballot(1, Y));
        t.recv('v4', acc);
        expect(t.sent()).toBe(3);
      });
    });
  });

  describe('v1 is top node', () => {
    const v1Top = () => {
      const t = setup();
      t.driver.priorityLookup = top('v1');
      // Values rank by their position in the sorted list [x, y, k] (k sorts first here: k < x < y).
      const ranked = [X, Y, K].sort((a, b) => Buffer.compare(a, b));
      t.driver.valueHash = (v) => {
        const i = ranked.findIndex((r) => Buffer.compare(r, v) === 0);
        if (i < 0) throw new Error('unexpected value');
        return BigInt(1 + i);
      };
      return t;
    };

    it('value from v1 is a candidate, self should not introduce new value on timeout', () => {
      const t = v1Top();
      expect(t.scp.nominate(0, X, PREV)).toBe(false);
      expect(leaders(t)).toEqual(['v1']);
      expect(t.sent()).toBe(0);
      // v1 (the leader) votes x: we echo it.
      t.recv('v1', t.nominate([X]));
      expect(t.sent()).toBe(1);
      t.verifyNominate(0, [X]);
      t.recv('v2', t.nominate([X]));
      t.recv('v3', t.nominate([X]));
      expect(t.sent()).toBe(2);
      t.verifyNominate(1, [X], [X]);
      t.recv('v1', t.nominate([X], [X]));
      t.recv('v2', t.nominate([X], [X]));
      expect(t.sent()).toBe(2);
      // A quorum accepts x: candidate; the nomination timer stops.
      expect(t.driver.hasNominationTimer()).toBe(true);
      t.driver.compositeValue = X;
      t.driver.expectedCandidates = [X];
      t.recv('v3', t.nominate([X], [X]));
      expect(t.sent()).toBe(3);
      t.verifyPrepare(2, ballot(1, X));
      expect(t.driver.hasNominationTimer()).toBe(false);
      // v0 becomes the leader, but there is a candidate already: no new round. (The original calls
      // nominate with timedout = true; with the timer stopped, a new call stands in for it.)
      t.driver.priorityLookup = top('v0');
      expect(t.scp.nominate(0, K, PREV)).toBe(false);
      expect(t.sent()).toBe(3);
    });

    it('nomination waits for v1', () => {
      const t = v1Top();
      expect(t.scp.nominate(0, X, PREV)).toBe(false);
      expect(leaders(t)).toEqual(['v1']);
      expect(t.sent()).toBe(0);
      // Nothing happens with nodes that do not lead (nothing from v3: it stands for a dead node).
      t.recv('v2', t.nominate([X, K]));
      expect(t.sent()).toBe(0);
      // v1 leads: vote its best value, y.
      t.recv('v1', t.nominate([X, Y]));
      expect(t.sent()).toBe(1);
      t.verifyNominate(0, [Y]);
      t.recv('v4', t.nominate([X, K]));
      expect(t.sent()).toBe(1);
      // Timeout: the dead v3 leads the new round, so v0 takes another value from v1 (x), which a quorum
      // (v0, v1, v2, v4) then votes: accepted.
      t.driver.expectedCandidates = [X];
      t.driver.compositeValue = X;
      t.driver.priorityLookup = top('v3');
      timeout(t);
      expect(t.sent()).toBe(2);
      t.verifyNominate(1, [X, Y], [X]);
    });

    describe('v1 dead, timeout', () => {
      const v1Dead = () => {
        const t = v1Top();
        expect(t.scp.nominate(0, X, PREV)).toBe(false);
        expect(t.sent()).toBe(0);
        t.recv('v2', t.nominate([X, K]));
        expect(t.sent()).toBe(0);
        expect(leaders(t)).toEqual(['v1']);
        return t;
      };
      it('v0 is new top node', () => {
        const t = v1Dead();
        t.driver.priorityLookup = top('v0');
        timeout(t);
        expect(leaders(t)).toEqual(['v0', 'v1']);
        expect(t.sent()).toBe(1);
        t.verifyNominate(0, [X]);
      });
      it('v2 is new top node', () => {
        const t = v1Dead();
        t.driver.priorityLookup = top('v2');
        timeout(t);
        expect(leaders(t)).toEqual(['v1', 'v2']);
        expect(t.sent()).toBe(1);
        // v2 votes x and k; only the one with the highest value hash is taken.
        t.verifyNominate(0, [Buffer.compare(X, K) > 0 ? X : K]);
      });
      it('v3 is new top node', () => {
        const t = v1Dead();
        t.driver.priorityLookup = top('v3');
        // Nothing: no message from v3.
        timeout(t);
        expect(leaders(t)).toEqual(['v1', 'v3']);
        expect(t.sent()).toBe(0);
      });
    });
  });
});
