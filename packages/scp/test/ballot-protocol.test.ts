import { describe, expect, it } from 'vitest';
import { type Ballot, EnvelopeState, type Pledges, TimerId } from '../src/index.js';
import { flat, makeNode, text, value } from './test-driver.js';

// A 5-node network with threshold 4, seen from v0 (stellar-core's "ballot protocol core5" setup):
// any 4 nodes form a quorum, any 2 are v-blocking.
const NODES = ['v0', 'v1', 'v2', 'v3', 'v4'];
const QSET = flat(4, NODES);
const X = value('x');
const Y = value('y'); // y > x bytewise
const b = (counter: number, v = X): Ballot => ({ counter, value: v });

function setup() {
  const node = makeNode('v0', QSET);
  const h = node.qsetHash;
  const prepare = (
    ballot: Ballot,
    prepared: Ballot | null = null,
    nC = 0,
    nH = 0,
    preparedPrime: Ballot | null = null,
  ): Pledges => ({ type: 'prepare', quorumSetHash: h, ballot, prepared, preparedPrime, nC, nH });
  const confirm = (ballot: Ballot, nPrepared: number, nCommit: number, nH: number): Pledges => ({
    type: 'confirm',
    quorumSetHash: h,
    ballot,
    nPrepared,
    nCommit,
    nH,
  });
  const externalize = (commit: Ballot, nH: number): Pledges => ({
    type: 'externalize',
    commit,
    nH,
    commitQuorumSetHash: h,
  });
  const from = (peers: string[], pledges: Pledges) => {
    for (const p of peers)
      expect(node.scp.receiveEnvelope(node.envelope(p, 1, pledges))).toBe(EnvelopeState.Valid);
  };
  const last = () => node.driver.emitted.at(-1)!.statement.pledges;
  return { ...node, prepare, confirm, externalize, from, last };
}

describe('ballot protocol', () => {
  it('runs a normal round to EXTERNALIZE, emitting each step once', () => {
    const t = setup();
    expect(t.scp.bumpState(1, X, false)).toBe(true);
    expect(t.last()).toEqual(t.prepare(b(1)));

    // A quorum (us and three peers) votes to prepare (1,x): we accept it prepared.
    t.from(['v1', 'v2'], t.prepare(b(1)));
    expect(t.driver.emitted).toHaveLength(1);
    t.from(['v3'], t.prepare(b(1)));
    expect(t.last()).toEqual(t.prepare(b(1), b(1)));

    // A quorum accepted it prepared: confirmed prepared, so we vote to commit (c = h = (1,x)).
    t.from(['v1', 'v2', 'v3'], t.prepare(b(1), b(1)));
    expect(t.last()).toEqual(t.prepare(b(1), b(1), 1, 1));

    // A quorum votes commit: we accept commit and move to CONFIRM.
    t.from(['v1', 'v2', 'v3'], t.prepare(b(1), b(1), 1, 1));
    expect(t.last()).toEqual(t.confirm(b(1), 1, 1, 1));

    // A quorum accepted commit: confirmed, externalized.
    t.from(['v1', 'v2'], t.confirm(b(1), 1, 1, 1));
    expect(t.driver.externalized.size).toBe(0);
    t.from(['v3'], t.confirm(b(1), 1, 1, 1));
    expect(t.last()).toEqual(t.externalize(b(1), 1));
    expect(text(t.driver.externalized.get(1)!)).toBe('x');
    expect(t.scp.isSlotExternalized(1)).toBe(true);
    expect(t.driver.emitted.map((e) => e.statement.pledges.type)).toEqual([
      'prepare',
      'prepare',
      'prepare',
      'confirm',
      'externalize',
    ]);
    // Every statement went to the persistence hook before it went out.
    for (const e of t.driver.emitted) expect(t.driver.persisted).toContain(e);
    // The externalizing state proves the slot: our statement and the three agreeing peers.
    expect(
      t.scp
        .getExternalizingState(1)
        .map((e) => e.statement.nodeId)
        .sort(),
    ).toEqual(['v0', 'v1', 'v2', 'v3']);
  });

  it('externalizes from a v-blocking set of EXTERNALIZE messages plus a quorum', () => {
    const t = setup();
    t.from(['v1', 'v2', 'v3'], t.externalize(b(2), 2));
    expect(text(t.driver.externalized.get(1)!)).toBe('x');
    expect(t.last().type).toBe('externalize');
  });

  it('arms the ballot timer once a quorum is at our counter, and a timeout stays locked on h', () => {
    const t = setup();
    t.scp.bumpState(1, X, false);
    expect(t.driver.timers.has(`1/${TimerId.Ballot}`)).toBe(false);
    t.from(['v1', 'v2', 'v3'], t.prepare(b(1)));
    t.from(['v1', 'v2', 'v3'], t.prepare(b(1), b(1)));
    expect(t.last()).toEqual(t.prepare(b(1), b(1), 1, 1));
    expect(t.driver.timers.has(`1/${TimerId.Ballot}`)).toBe(true);

    // Timeout: next counter, and the value stays x (h is confirmed prepared for x) even if y is proposed.
    expect(t.driver.fireTimer(1, TimerId.Ballot)).toBe(1000);
    expect(t.last()).toMatchObject({ type: 'prepare', ballot: b(2) });
    expect(t.scp.bumpState(1, Y, true)).toBe(true);
    expect(t.last()).toMatchObject({ type: 'prepare', ballot: b(3) });
    // The timer for counter 3 grows linearly with the counter once a quorum catches up.
    t.from(['v1', 'v2', 'v3'], t.prepare(b(3), b(1), 1, 1));
    expect(t.driver.timers.get(`1/${TimerId.Ballot}`)?.timeoutMs).toBe(3000);
  });

  it('moves to the counter of a v-blocking set that is ahead', () => {
    const t = setup();
    t.scp.bumpState(1, X, false);
    t.from(['v1'], t.prepare(b(3, Y)));
    expect(t.last()).toMatchObject({ ballot: b(1) });
    // Two nodes are v-blocking (5 - 4 + 1): we jump to the lowest counter that leaves no v-blocking set above.
    t.from(['v2'], t.prepare(b(5, Y)));
    expect(t.last()).toMatchObject({ type: 'prepare', ballot: b(3) });
  });

  it('never switches value once in CONFIRM', () => {
    const t = setup();
    t.scp.bumpState(1, X, false);
    t.from(['v1', 'v2', 'v3'], t.prepare(b(1)));
    t.from(['v1', 'v2', 'v3'], t.prepare(b(1), b(1)));
    t.from(['v1', 'v2', 'v3'], t.prepare(b(1), b(1), 1, 1));
    expect(t.last()).toEqual(t.confirm(b(1), 1, 1, 1));

    // Peers move to y at higher counters; we follow the counter but keep x.
    t.from(['v1', 'v2', 'v3', 'v4'], t.prepare(b(4, Y), b(4, Y)));
    const p = t.last();
    expect(p.type).toBe('confirm');
    if (p.type === 'confirm') expect(text(p.ballot.value)).toBe('x');
    expect(t.scp.bumpState(1, Y, true)).toBe(true);
    const q = t.last();
    expect(q.type === 'confirm' && text(q.ballot.value)).toBe('x');
    for (const e of t.driver.emitted.slice(3)) {
      const s = e.statement.pledges;
      expect(s.type === 'confirm' && text(s.ballot.value)).toBe('x');
    }
  });

  it('rejects insane and stale statements without changing state', () => {
    const t = setup();
    const env = (pledges: Pledges) => t.envelope('v1', 1, pledges);
    // c > h, h > p, p' compatible with p, counter 0.
    expect(t.scp.receiveEnvelope(env(t.prepare(b(2), b(2), 2, 1)))).toBe(EnvelopeState.Invalid);
    expect(t.scp.receiveEnvelope(env(t.prepare(b(3), b(1), 0, 2)))).toBe(EnvelopeState.Invalid);
    expect(t.scp.receiveEnvelope(env(t.prepare(b(3), b(2), 0, 0, b(1))))).toBe(EnvelopeState.Invalid);
    expect(t.scp.receiveEnvelope(env(t.prepare(b(0))))).toBe(EnvelopeState.Invalid);
    expect(t.scp.receiveEnvelope(env(t.confirm(b(2), 2, 3, 2)))).toBe(EnvelopeState.Invalid);
    expect(t.scp.receiveEnvelope(env(t.externalize(b(2), 1)))).toBe(EnvelopeState.Invalid);
    // Newer replaces older; older or equal is rejected.
    expect(t.scp.receiveEnvelope(env(t.prepare(b(2))))).toBe(EnvelopeState.Valid);
    expect(t.scp.receiveEnvelope(env(t.prepare(b(2))))).toBe(EnvelopeState.Invalid);
    expect(t.scp.receiveEnvelope(env(t.prepare(b(1))))).toBe(EnvelopeState.Invalid);
    // An invalid value (per the application) is rejected.
    t.driver.invalid.add('bad');
    expect(t.scp.receiveEnvelope(t.envelope('v2', 1, t.prepare(b(1, value('bad')))))).toBe(
      EnvelopeState.Invalid,
    );
    // An unknown quorum set hash: the statement cannot be weighed and is rejected.
    const unknown = { ...t.prepare(b(1)), quorumSetHash: new Uint8Array(32) } as Pledges;
    expect(t.scp.receiveEnvelope(t.envelope('v3', 1, unknown))).toBe(EnvelopeState.Invalid);
    expect(t.driver.emitted).toHaveLength(0);
  });

  it('restores from its persisted statement and does not contradict it', () => {
    const t = setup();
    t.scp.bumpState(1, X, false);
    t.from(['v1', 'v2', 'v3'], t.prepare(b(1)));
    t.from(['v1', 'v2', 'v3'], t.prepare(b(1), b(1)));
    t.from(['v1', 'v2', 'v3'], t.prepare(b(1), b(1), 1, 1));
    const saved = t.driver.persisted.at(-1)!;
    expect(saved.statement.pledges.type).toBe('confirm');

    const restarted = makeNode('v0', QSET);
    restarted.scp.setStateFromEnvelope(1, saved);
    expect(restarted.scp.getLatestMessagesSend(1)).toEqual([saved]);
    // Asked to work on y, the restored node stays on x.
    restarted.scp.bumpState(1, Y, true);
    const p = restarted.driver.emitted.at(-1)!.statement.pledges;
    expect(p.type === 'confirm' && text(p.ballot.value)).toBe('x');
    // Restoring twice is a programming error, reported as such.
    expect(() => restarted.scp.setStateFromEnvelope(1, saved)).toThrow(/cannot restore/);
  });

  it('lets a watcher (non-validator) follow the network without emitting', () => {
    const w = makeNode('w', QSET, false);
    const t = setup();
    const h = w.qsetHash;
    const conf: Pledges = {
      type: 'confirm',
      quorumSetHash: h,
      ballot: b(1),
      nPrepared: 1,
      nCommit: 1,
      nH: 1,
    };
    for (const p of ['v0', 'v1', 'v2', 'v3']) w.scp.receiveEnvelope(w.envelope(p, 1, conf));
    expect(text(w.driver.externalized.get(1)!)).toBe('x');
    expect(w.driver.emitted).toHaveLength(0);
    expect(w.scp.getLatestMessagesSend(1)).toEqual([]);
    expect(() => w.scp.nominate(1, X, X)).toThrow(/watcher/);
    expect(t.driver.emitted).toHaveLength(0);
  });

  it('reports quorum health: agree, delayed, missing and how many failures it survives', () => {
    const t = setup();
    t.scp.bumpState(1, X, false);
    t.from(['v1', 'v2', 'v3'], t.prepare(b(1)));
    let info = t.scp.getJsonQuorumInfo(1)!;
    expect(info.agree.sort()).toEqual(['v0', 'v1', 'v2', 'v3']);
    expect(info.delayed.sort()).toEqual(['v0', 'v1', 'v2', 'v3']);
    expect(info.missing).toEqual(['v4']);
    // v4 counts as failed; one more failure among v1..v3 leaves no quorum of 4.
    expect(info.failAt).toBe(1);
    expect(info.failWith).toHaveLength(1);
    expect(t.scp.getMissingNodes(1)).toEqual(['v4']);

    // v3 moves to another value: with v4 missing, the node is already blocked.
    t.from(['v3'], t.prepare(b(2, Y)));
    info = t.scp.getJsonQuorumInfo(1)!;
    expect(info.disagree).toEqual(['v3']);
    expect(info.failAt).toBe(0);
  });
});
