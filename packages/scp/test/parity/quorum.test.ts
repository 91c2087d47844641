// Ports of stellar-core's "vblocking and quorum" and "v blocking distance" (src/scp/test/SCPTests.cpp):
// slices and v-blocking sets of a flat set, and the size of the closest v-blocking set
// (LocalNode::findClosestVBlocking) as nodes are added to the "good" set and the set is reshaped.
import { describe, expect, it } from 'vitest';
import { findClosestVBlocking, isQuorumSlice, isVBlocking, type QuorumSet } from '../../src/index.js';

const q = (threshold: number, validators: string[], innerSets: QuorumSet[] = []): QuorumSet => ({
  threshold,
  validators,
  innerSets,
});

describe('stellar-core SCPTests "vblocking and quorum"', () => {
  it('3 of v0..v3: slices and v-blocking sets as nodes are added', () => {
    const qset = q(3, ['v0', 'v1', 'v2', 'v3']);
    const nodes = new Set<string>();
    const check = (slice: boolean, blocking: boolean) => {
      expect(isQuorumSlice(qset, nodes)).toBe(slice);
      expect(isVBlocking(qset, nodes)).toBe(blocking);
    };
    nodes.add('v0');
    check(false, false);
    nodes.add('v2');
    check(false, true);
    nodes.add('v3');
    check(true, true);
    nodes.add('v1');
    check(true, true);
  });
});

describe('stellar-core SCPTests "v blocking distance"', () => {
  it('closest v-blocking set sizes', () => {
    const good = new Set<string>();
    const check = (qset: QuorumSet, expected: number) =>
      expect(findClosestVBlocking(qset, good)).toHaveLength(expected);
    const inner1 = q(1, ['v3', 'v4', 'v5']);
    const inner2 = q(2, ['v6', 'v7']);
    const qset = (threshold: number, inner: QuorumSet[] = []) => q(threshold, ['v0', 'v1', 'v2'], inner);

    good.add('v0');
    // Already v-blocking.
    check(qset(2), 0);
    good.add('v1');
    // Either v0 or v1.
    check(qset(2), 1);
    good.add('v2');
    // Any 2 of v0..v2.
    check(qset(2), 2);

    good.add('v3');
    // Any 3 of v0..v3.
    check(qset(2, [inner1]), 3);
    good.add('v4');
    // v0..v2.
    check(qset(2, [inner1]), 3);
    // v0..v4.
    check(qset(1, [inner1]), 5);
    good.add('v5');
    // v0..v5.
    check(qset(1, [inner1]), 6);

    // v0..v5.
    check(qset(1, [inner1, inner2]), 6);
    good.add('v6');
    // v0..v5.
    check(qset(1, [inner1, inner2]), 6);
    good.add('v7');
    // v0..v5 and one of v6, v7.
    check(qset(1, [inner1, inner2]), 7);
    // v6, v7.
    check(qset(4, [inner1, inner2]), 2);
    // v0..v2.
    check(qset(3, [inner1, inner2]), 3);
    // v0..v2 and one of v6, v7.
    check(qset(2, [inner1, inner2]), 4);
  });
});
