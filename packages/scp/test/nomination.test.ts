import { describe, expect, it } from 'vitest';
import { EnvelopeState, type Pledges, TimerId, type Value } from '../src/index.js';
import { flat, makeNode, text, value } from './test-driver.js';

const NODES = ['v0', 'v1', 'v2', 'v3', 'v4'];
const QSET = flat(4, NODES);
const PREV = value('prev');
const [A, B, C] = [value('a'), value('b'), value('c')];

function setup(priorities: Record<string, bigint>) {
  const node = makeNode('v0', QSET);
  node.driver.forceLeaders(priorities);
  const nominate = (votes: Value[], accepted: Value[] = []): Pledges => ({
    type: 'nominate',
    quorumSetHash: node.qsetHash,
    votes,
    accepted,
  });
  const from = (peers: string[], pledges: Pledges) => {
    for (const p of peers)
      expect(node.scp.receiveEnvelope(node.envelope(p, 1, pledges))).toBe(EnvelopeState.Valid);
  };
  const lastNomination = () => {
    const p = node.driver.emitted.filter((e) => e.statement.pledges.type === 'nominate').at(-1)
      ?.statement.pledges;
    return p?.type === 'nominate' ? { votes: p.votes.map(text), accepted: p.accepted.map(text) } : null;
  };
  return { ...node, nominate, from, lastNomination };
}

describe('nomination', () => {
  it('a leader votes its own value, accepts and confirms it, and starts balloting on the composite', () => {
    const t = setup({ v0: 10n });
    expect(t.scp.nominate(1, A, PREV)).toBe(true);
    expect([...t.scp.getNominationLeaders(1)]).toEqual(['v0']);
    expect(t.lastNomination()).toEqual({ votes: ['a'], accepted: [] });

    // A quorum votes a: accepted.
    t.from(['v1', 'v2', 'v3'], t.nominate([A]));
    expect(t.lastNomination()).toEqual({ votes: ['a'], accepted: ['a'] });
    // A quorum accepted a: candidate; the composite starts the ballot protocol and nomination stops.
    t.from(['v1', 'v2', 'v3'], t.nominate([A], [A]));
    expect(text(t.scp.getLatestCompositeCandidate(1)!)).toBe('a');
    expect(t.driver.timers.has(`1/${TimerId.Nomination}`)).toBe(false);
    expect(t.driver.emitted.at(-1)!.statement.pledges).toMatchObject({
      type: 'prepare',
      ballot: { counter: 1 },
    });
  });

  it('a non-leader stays silent until the leader speaks, then echoes the leader value', () => {
    const t = setup({ v1: 10n });
    expect(t.scp.nominate(1, A, PREV)).toBe(false);
    expect(t.driver.emitted).toHaveLength(0);
    expect([...t.scp.getNominationLeaders(1)]).toEqual(['v1']);
    // A non-leader's vote is not echoed.
    t.from(['v2'], t.nominate([C]));
    expect(t.driver.emitted).toHaveLength(0);
    t.from(['v1'], t.nominate([B]));
    expect(t.lastNomination()).toEqual({ votes: ['b'], accepted: [] });
  });

  it('a dead leader is replaced when the round times out, with growing timeouts', () => {
    const t = setup({ v1: 10n });
    t.scp.nominate(1, A, PREV);
    expect(t.driver.emitted).toHaveLength(0);
    // Round 2: v1 still tops the priorities, so make v0 the new top to model a leader change.
    t.driver.forceLeaders({ v0: 20n });
    expect(t.driver.fireTimer(1, TimerId.Nomination)).toBe(1000);
    expect(new Set(t.scp.getNominationLeaders(1))).toEqual(new Set(['v1', 'v0']));
    expect(t.lastNomination()).toEqual({ votes: ['a'], accepted: [] });
    expect(t.driver.timers.get(`1/${TimerId.Nomination}`)?.timeoutMs).toBe(2000);
  });

  it('accepts from a v-blocking set of accepts even without voting, and never accepts an invalid value', () => {
    const t = setup({ v0: 10n });
    t.scp.nominate(1, A, PREV);
    t.from(['v1', 'v2'], t.nominate([B], [B]));
    expect(t.lastNomination()).toEqual({ votes: ['a', 'b'], accepted: ['b'] });
    t.driver.invalid.add('c');
    t.from(['v3', 'v4'], t.nominate([C], [C]));
    expect(t.lastNomination()?.accepted).toEqual(['b']);
  });

  it('rejects unsorted, empty and non-growing nominations', () => {
    const t = setup({ v0: 10n });
    const send = (p: Pledges) => t.scp.receiveEnvelope(t.envelope('v1', 1, p));
    expect(send(t.nominate([B, A]))).toBe(EnvelopeState.Invalid);
    expect(send(t.nominate([A, A]))).toBe(EnvelopeState.Invalid);
    expect(send(t.nominate([]))).toBe(EnvelopeState.Invalid);
    expect(send(t.nominate([A, B]))).toBe(EnvelopeState.Valid);
    expect(send(t.nominate([A]))).toBe(EnvelopeState.Invalid);
    expect(send(t.nominate([A, B]))).toBe(EnvelopeState.Invalid);
    expect(send(t.nominate([A, B], [A]))).toBe(EnvelopeState.Valid);
  });

  it('restores votes and accepted values from a persisted nomination', () => {
    const t = setup({ v0: 10n });
    t.scp.nominate(1, A, PREV);
    t.from(['v1', 'v2', 'v3'], t.nominate([A]));
    const saved = t.driver.persisted.at(-1)!;
    const r = makeNode('v0', QSET);
    r.driver.forceLeaders({ v0: 10n });
    r.scp.setStateFromEnvelope(1, saved);
    expect(r.scp.getLatestMessagesSend(1)).toEqual([saved]);
    // Nominating b afterwards keeps a: the restarted node never drops a vote it signed, and as a leader
    // that already votes it proposes nothing new (as stellar-core does).
    expect(r.scp.nominate(1, B, PREV)).toBe(false);
    expect(r.driver.emitted).toHaveLength(0);
    expect(r.scp.getJsonInfo(1)!.nomination.votes).toEqual(['a']);
    expect(r.scp.getJsonInfo(1)!.nomination.accepted).toEqual(['a']);
  });

  it('a leader that already echoes another leader does not add its own value (stellar-core order)', () => {
    // v0 and v1 share the top priority; v1 spoke first, so round 1 votes v1's value and v0's own value waits.
    const t = setup({ v0: 10n, v1: 10n });
    t.from(['v1'], t.nominate([B]));
    expect(t.scp.nominate(1, A, PREV)).toBe(true);
    expect([...t.scp.getNominationLeaders(1)].sort()).toEqual(['v0', 'v1']);
    expect(t.lastNomination()).toEqual({ votes: ['b'], accepted: [] });
  });

  it('picks leaders by weight with the default hash: every node of a flat set can lead', () => {
    const leaders = new Set<string>();
    for (let slot = 1; slot <= 60; slot++) {
      const node = makeNode('v0', QSET);
      node.scp.nominate(slot, A, value(`prev${slot}`));
      for (const l of node.scp.getNominationLeaders(slot)) leaders.add(l);
    }
    expect([...leaders].sort()).toEqual(NODES);
  });
});
