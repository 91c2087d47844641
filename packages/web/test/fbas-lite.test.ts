import { describe, expect, it } from 'vitest';
import {
  checkIntersection,
  isSliceSatisfied,
  isVBlocking,
  minimalQuorums,
  type QuorumSet,
  quorumWithin,
  smallestBlockingSets,
  smallestVBlockingSets,
  topTier,
  whatIf,
  wouldHalt,
} from '../src/fbas-lite';

const qs = (threshold: number, validators: string[], innerSets: QuorumSet[] = []): QuorumSet => ({
  threshold,
  validators,
  innerSets,
});
const set = (...xs: string[]) => new Set(xs);
/** Every node trusts the same set: `t` of `nodes`. */
const symmetric = (nodes: string[], t: number) => new Map(nodes.map((n) => [n, qs(t, nodes)]));

describe('slices and v-blocking', () => {
  const q = qs(2, ['a', 'b'], [qs(2, ['c', 'd', 'e'])]);
  it('counts validators and satisfied inner sets toward the threshold', () => {
    expect(isSliceSatisfied(q, set('a', 'b'))).toBe(true);
    expect(isSliceSatisfied(q, set('a', 'c', 'd'))).toBe(true);
    expect(isSliceSatisfied(q, set('a', 'c'))).toBe(false);
    expect(isSliceSatisfied(qs(0, []), set())).toBe(true);
  });
  it('is v-blocking when every slice meets the set', () => {
    expect(isVBlocking(q, set('a', 'b'))).toBe(true);
    expect(isVBlocking(q, set('a', 'c', 'd'))).toBe(true);
    expect(isVBlocking(q, set('a', 'c'))).toBe(false);
    expect(isVBlocking(q, set('c', 'd'))).toBe(false);
    expect(isVBlocking(qs(0, ['a']), set('a'))).toBe(false);
  });
  it('finds the smallest v-blocking sets of a 3-of-4', () => {
    const sets = smallestVBlockingSets(qs(3, ['a', 'b', 'c', 'd']), 'a');
    expect(sets).toEqual([
      ['b', 'c'],
      ['b', 'd'],
      ['c', 'd'],
    ]);
  });
});

describe('quorums and halting', () => {
  const four = symmetric(['a', 'b', 'c', 'd'], 3);
  it('keeps a quorum while one of four is down and halts with two down', () => {
    expect(quorumWithin(four, ['a', 'b', 'c'])).toEqual(set('a', 'b', 'c'));
    expect(wouldHalt(four, 'a', set('d'))).toBe(false);
    expect(wouldHalt(four, 'a', set('c', 'd'))).toBe(true);
    expect(quorumWithin(four, ['a', 'b']).size).toBe(0);
  });
  it('drops nodes whose quorum set is unknown', () => {
    const m = new Map([['a', qs(1, ['x'])]]);
    expect(quorumWithin(m, ['a', 'x']).size).toBe(0);
  });
  it('finds minimal quorums, the top tier and the smallest blocking sets', () => {
    expect(minimalQuorums(four)).toHaveLength(4);
    expect(topTier(four)).toEqual(['a', 'b', 'c', 'd']);
    expect(smallestBlockingSets(four)).toHaveLength(6);
    expect(smallestBlockingSets(four)![0]).toHaveLength(2);
  });
  it('separates a leaf that trusts the core from the top tier', () => {
    const m = new Map([...symmetric(['a', 'b', 'c'], 2), ['leaf', qs(2, ['a', 'b', 'c'])]]);
    expect(topTier(m)).toEqual(['a', 'b', 'c']);
    expect(whatIf(m, 'leaf', set('a', 'b'), set()).localHalts).toBe(true);
    expect(whatIf(m, 'leaf', set('a'), set()).localHalts).toBe(false);
  });
  it('gives up cleanly past the size limit', () => {
    const big = symmetric(
      Array.from({ length: 20 }, (_, i) => `n${i}`),
      14,
    );
    expect(minimalQuorums(big)).toBeNull();
    expect(checkIntersection(big).intersects).toBe('unknown');
  });
});

describe('quorum intersection', () => {
  it('holds for 3-of-4 and fails for 2-of-4', () => {
    expect(checkIntersection(symmetric(['a', 'b', 'c', 'd'], 3)).intersects).toBe(true);
    const split = checkIntersection(symmetric(['a', 'b', 'c', 'd'], 2));
    expect(split.intersects).toBe(false);
    const [q1, q2] = split.split!;
    expect(q1.some((n) => q2.includes(n))).toBe(false);
  });
  it('fails for two groups that trust only themselves', () => {
    const m = new Map([...symmetric(['a', 'b'], 2), ...symmetric(['c', 'd'], 2)]);
    expect(checkIntersection(m).intersects).toBe(false);
  });
  it('holds for 3-of-4 with one Byzantine node and fails with two', () => {
    const four = symmetric(['a', 'b', 'c', 'd'], 3);
    expect(checkIntersection(four, set('d')).intersects).toBe(true);
    expect(checkIntersection(four, set('c', 'd')).intersects).toBe(false);
  });
  it('matches the SCP bound for 7 nodes with threshold 5 (tolerates f = 2 lying: 7 >= 3f+1)', () => {
    const seven = symmetric(['a', 'b', 'c', 'd', 'e', 'f', 'g'], 5);
    expect(checkIntersection(seven, set('a', 'b')).intersects).toBe(true);
    expect(checkIntersection(seven, set('a', 'b', 'c')).intersects).toBe(false);
  });
});

describe('what-if', () => {
  const four = symmetric(['a', 'b', 'c', 'd'], 3);
  it('reports who halts and whether intersection holds', () => {
    const ok = whatIf(four, 'a', set('d'), set());
    expect(ok).toMatchObject({ localHalts: false, live: ['a', 'b', 'c'], halted: [] });
    expect(ok.intersection.intersects).toBe(true);
    const down2 = whatIf(four, 'a', set('c', 'd'), set());
    expect(down2.localHalts).toBe(true);
    expect(down2.halted).toEqual(['a', 'b']);
    expect(down2.intersection.intersects).toBe(true);
    const byz2 = whatIf(four, 'a', set(), set('c', 'd'));
    expect(byz2.localHalts).toBe(true);
    expect(byz2.intersection.intersects).toBe(false);
  });
  it('with no viewpoint asks whether anyone can still close ledgers', () => {
    expect(whatIf(four, null, set('a'), set()).localHalts).toBe(false);
    expect(whatIf(four, null, set('a', 'b'), set()).localHalts).toBe(true);
  });
});
