import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkQuorumSetSanity,
  encodeQuorumSet,
  findClosestVBlocking,
  isQuorumSlice,
  isVBlocking,
  LIMITS,
  nodeWeight,
  normalizeQuorumSet,
  type QuorumSet,
  UINT64_MAX,
} from '../src/index.js';
import { flat } from './test-driver.js';

const q = (threshold: number, validators: string[], innerSets: QuorumSet[] = []): QuorumSet => ({
  threshold,
  validators,
  innerSets,
});
// Two of three organizations, each two of three nodes (like Stellar's generated quorum sets).
const ORGS = q(2, [], [q(2, ['a1', 'a2', 'a3']), q(2, ['b1', 'b2', 'b3']), q(2, ['c1', 'c2', 'c3'])]);

describe('quorum set sanity', () => {
  it('accepts sane sets and names the reason for each rejection', () => {
    expect(checkQuorumSetSanity(ORGS)).toEqual({ ok: true });
    const reason = (x: QuorumSet, extra = false) => {
      const r = checkQuorumSetSanity(x, extra);
      return r.ok ? null : r.reason;
    };
    expect(reason(q(0, ['a']))).toMatch(/at least 1/);
    expect(reason(q(3, ['a', 'b']))).toMatch(/exceeds/);
    expect(reason(q(1, ['a'], [q(1, ['a'])]))).toMatch(/more than once/);
    expect(reason(q(1, [], [q(1, [], [])]))).toMatch(/exceeds/);
    expect(reason(q(1, ['a', 'b', 'c']), true)).toMatch(/majority/);
    let deep = q(1, ['leaf']);
    for (let i = 0; i < LIMITS.maxQuorumSetDepth; i++) deep = q(1, [`n${i}`], [deep]);
    expect(reason(deep)).toBeNull();
    expect(reason(q(1, ['top'], [deep]))).toMatch(/nesting/);
    const big = flat(
      1,
      Array.from({ length: LIMITS.maxQuorumSetNodes + 1 }, (_, i) => `n${i}`),
    );
    expect(reason(big)).toMatch(/more than 1000/);
  });
});

describe('normalization', () => {
  it('collapses singleton inner sets, unwraps 1-of-1 wrappers, sorts, and removes a node', () => {
    expect(normalizeQuorumSet(q(2, ['b'], [q(1, ['a']), q(1, ['d', 'c'])]))).toEqual(
      q(2, ['a', 'b'], [q(1, ['c', 'd'])]),
    );
    expect(normalizeQuorumSet(q(1, [], [q(2, ['y', 'x'])]))).toEqual(q(2, ['x', 'y']));
    expect(normalizeQuorumSet(q(3, ['a', 'b', 'c', 'd']), 'c')).toEqual(q(2, ['a', 'b', 'd']));
  });

  it('encodes equal sets to equal bytes and different sets to different bytes', () => {
    expect(encodeQuorumSet(ORGS)).toEqual(encodeQuorumSet(structuredClone(ORGS)));
    expect(encodeQuorumSet(q(1, ['ab']))).not.toEqual(encodeQuorumSet(q(1, ['a', 'b'])));
  });
});

describe('slices and v-blocking sets', () => {
  it('works on nested sets', () => {
    expect(isQuorumSlice(ORGS, new Set(['a1', 'a2', 'b1', 'b3']))).toBe(true);
    expect(isQuorumSlice(ORGS, new Set(['a1', 'a2', 'a3', 'b1']))).toBe(false);
    // Blocking two organizations blocks the set; one node each in two organizations does not.
    expect(isVBlocking(ORGS, new Set(['a1', 'a2', 'b1', 'b2']))).toBe(true);
    expect(isVBlocking(ORGS, new Set(['a1', 'b1', 'c1']))).toBe(false);
  });

  // A set is v-blocking exactly when its complement contains no slice (draft section 2.1).
  it('v-blocking iff the complement is not a slice (property)', () => {
    const nodes = ['n0', 'n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7'];
    // Random sets nested up to depth 2 (duplicates allowed: slices are defined for them too).
    const setOf = (depth: number): fc.Arbitrary<QuorumSet> =>
      fc
        .record({
          validators: fc.subarray(nodes, { maxLength: 4 }),
          innerSets:
            depth === 0 ? fc.constant<QuorumSet[]>([]) : fc.array(setOf(depth - 1), { maxLength: 2 }),
          pick: fc.nat(),
        })
        .filter((r) => r.validators.length + r.innerSets.length > 0)
        .map((r) => q(1 + (r.pick % (r.validators.length + r.innerSets.length)), r.validators, r.innerSets));
    const qsetArb = setOf(2);
    fc.assert(
      fc.property(qsetArb, fc.subarray(nodes), (qset, blocked) => {
        const set = new Set(blocked);
        const complement = new Set(nodes.filter((n) => !set.has(n)));
        expect(isVBlocking(qset, set)).toBe(!isQuorumSlice(qset, complement));
      }),
      { numRuns: 400 },
    );
  });

  it('finds the closest v-blocking set: the failures a node survives', () => {
    const all = new Set(['a1', 'a2', 'a3', 'b1', 'b2', 'b3', 'c1', 'c2', 'c3']);
    // Everyone good: two nodes in each of two organizations.
    expect(findClosestVBlocking(ORGS, all)).toHaveLength(4);
    // a1, a2 already failed: two more, in one other organization.
    const some = new Set([...all].filter((n) => n !== 'a1' && n !== 'a2'));
    const needed = findClosestVBlocking(ORGS, some);
    expect(needed).toHaveLength(2);
    expect(isVBlocking(ORGS, new Set(['a1', 'a2', ...needed]))).toBe(true);
    // Already blocked: nothing more is needed.
    expect(findClosestVBlocking(ORGS, new Set(['c1', 'c2', 'c3']))).toEqual([]);
  });

  it('weights nodes by their share of slices', () => {
    expect(nodeWeight('a', flat(2, ['a', 'b', 'c', 'd']))).toBe(UINT64_MAX / 2n);
    expect(nodeWeight('a1', ORGS)).toBe((((UINT64_MAX * 2n) / 3n) * 2n) / 3n);
    expect(nodeWeight('zz', ORGS)).toBe(0n);
  });
});
