// Ports of stellar-core's SCPUnitTests.cpp "nomination weight" and "updateRoundLeaders handles zero weight
// nodes": a node's leader weight is threshold/entries along its path, and a node whose weight is 0 never
// leads. stellar-core's version calls updateRoundLeaders directly for 20 rounds; here 20 nomination rounds
// run through the public API (the first by nominate, the others by the round timer).
import { describe, expect, it } from 'vitest';
import { nodeWeight, type QuorumSet, TimerId, UINT64_MAX } from '../../src/index.js';
import { flat } from '../test-driver.js';
import { makeParityNode, PREV, X } from './parity-driver.js';

const near = (w: bigint, target: number) => Math.abs(Number(w) / Number(UINT64_MAX) - target) < 0.01;

describe('stellar-core SCPUnitTests "nomination weight"', () => {
  it('threshold/entries along the path to the node', () => {
    const qset: QuorumSet = flat(3, ['v0', 'v1', 'v2', 'v3']);
    expect(near(nodeWeight('v2', qset), 0.75)).toBe(true);
    expect(nodeWeight('v4', qset)).toBe(0n);
    const withInner: QuorumSet = { ...qset, innerSets: [flat(1, ['v4', 'v5'])] };
    expect(near(nodeWeight('v4', withInner), 0.6 * 0.5)).toBe(true);
  });
});

describe('stellar-core SCPUnitTests "updateRoundLeaders handles zero weight nodes"', () => {
  const leadersOver20Rounds = (zeroWeight: string) => {
    const node = makeParityNode('v0', flat(2, ['v0', 'v1', 'v2']));
    // Real leader hashes (the parity driver forces priorities by default).
    node.driver.computeHashNode = undefined;
    node.driver.getNodeWeight = (n: string, q: QuorumSet, isLocal: boolean) =>
      n === zeroWeight ? 0n : isLocal ? UINT64_MAX : nodeWeight(n, q);
    node.scp.nominate(0, X, PREV);
    for (let round = 2; round <= 20; round++) node.driver.fireTimer(0, TimerId.Nomination);
    return [...node.scp.getNominationLeaders(0)].sort();
  };

  it('non-local zero-weight validator is excluded from round leaders', () => {
    expect(leadersOver20Rounds('v2')).toEqual(['v0', 'v1']);
  });

  it('local zero-weight validator is excluded from round leaders', () => {
    expect(leadersOver20Rounds('v0')).toEqual(['v1', 'v2']);
  });
});
