import type { NodeId, QuorumSet } from '@qm/scp';
import { describe, expect, it } from 'vitest';
import {
  diagnoseHalt,
  findRestoreSets,
  type MemberStatus,
  quorumWithin,
} from '../../src/health/halt-diagnosis.js';

const flat = (threshold: number, validators: NodeId[]): QuorumSet => ({
  threshold,
  validators,
  innerSets: [],
});
const NODES = ['a', 'b', 'c', 'd'];
const allFlat = (threshold: number) => new Map(NODES.map((n) => [n, flat(threshold, NODES)]));

function diagnose(down: NodeId[], sinceLastCloseMs: number) {
  return diagnoseHalt({
    localNode: 'a',
    quorumSets: allFlat(3),
    statusOf: (n): MemberStatus => (down.includes(n) ? 'missing' : 'agree'),
    lastHeardAgoMs: (n) => (down.includes(n) ? null : 100),
    failAt: down.length >= 2 ? 0 : 1 - down.length,
    failWith: [],
    sinceLastCloseMs,
    stuckAfterMs: 5000,
    possiblyDeadAfterMs: 60_000,
  });
}

describe('halt diagnosis', () => {
  it('a healthy node is not stuck and reports its margin', () => {
    const d = diagnose([], 800);
    expect(d.stuck).toBe(false);
    expect(d.members.map((m) => m.status)).toEqual(['agree', 'agree', 'agree']);
    expect(d.restoreSets).toEqual([]);
    expect(d.summary).toMatch(/closing ledgers/);
  });

  it('with 2 of 4 down (threshold 3) names the missing nodes and that either one returning restores progress', () => {
    const d = diagnose(['c', 'd'], 12_000);
    expect(d.stuck).toBe(true);
    expect(d.members.filter((m) => m.status === 'missing').map((m) => m.node)).toEqual(['c', 'd']);
    expect(d.members.find((m) => m.node === 'c')!.possiblyDead).toBe(true);
    expect(d.restoreSets).toEqual([['c'], ['d']]);
    expect(d.unsatisfied).toEqual([{ path: 'top', threshold: 3, satisfied: 2, unavailable: ['c', 'd'] }]);
    expect(d.summary).toMatch(/missing: c, d/);
    expect(d.summary).toMatch(/c \| d/);
  });

  it('finds restore sets across organizations, smallest first', () => {
    // Two of three organizations, each two of three: with org x entirely down and y1 down, a quorum
    // needs one more node of y, or two nodes of x.
    const orgs: QuorumSet = {
      threshold: 2,
      validators: [],
      innerSets: [flat(2, ['x1', 'x2', 'x3']), flat(2, ['y1', 'y2', 'y3']), flat(2, ['z1', 'z2', 'z3'])],
    };
    const all = ['x1', 'x2', 'x3', 'y1', 'y2', 'y3', 'z1', 'z2', 'z3'];
    const qsets = new Map(all.map((n) => [n, orgs]));
    const down = ['x1', 'x2', 'x3', 'y1', 'y2'];
    const up = new Set(all.filter((n) => !down.includes(n)));
    expect(quorumWithin(qsets, up).has('z1')).toBe(false);
    const { sets } = findRestoreSets('z1', qsets, up, down);
    expect(sets).toEqual([['y1'], ['y2']]);
  });

  it('reports when no set of known nodes can restore a quorum', () => {
    const qsets = new Map([
      ['a', flat(2, ['a', 'ghost'])],
      ['b', flat(1, ['b'])],
    ]);
    const { sets } = findRestoreSets('a', qsets, new Set(['a', 'b']), ['b']);
    expect(sets).toEqual([]);
  });

  it('stops at its budget and says so', () => {
    const many = Array.from({ length: 30 }, (_, i) => `n${i}`);
    const qsets = new Map(many.map((n) => [n, flat(30, many)]));
    const r = findRestoreSets('n0', qsets, new Set(['n0']), many.slice(1), 1000);
    expect(r.truncated).toBe(true);
  });
});
