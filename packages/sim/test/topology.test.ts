import { describe, expect, it } from 'vitest';
import { stellarNetworksDir } from '../src/scenarios.js';
import { disjointTopology, flatTopology, loadStellarNetwork, tieredTopology } from '../src/topology.js';

describe('topologies', () => {
  it('builds flat k-of-n with the 2n/3+1 default', () => {
    const t = flatTopology(4);
    expect(t.nodes).toEqual(['v0', 'v1', 'v2', 'v3']);
    expect(t.quorumSets.get('v2')).toEqual({ threshold: 3, validators: t.nodes, innerSets: [] });
    expect(flatTopology(100).quorumSets.get('v00')!.threshold).toBe(67);
    expect(() => flatTopology(3, 4)).toThrowError(expect.objectContaining({ code: 'BAD_TOPOLOGY' }));
  });

  it('builds organization tiers: one inner set per organization', () => {
    const t = tieredTopology(4);
    expect(t.nodes).toHaveLength(12);
    const q = t.quorumSets.get('o0-0')!;
    expect(q.threshold).toBe(3);
    expect(q.innerSets.map((i) => i.validators)).toEqual([
      ['o0-0', 'o0-1', 'o0-2'],
      ['o1-0', 'o1-1', 'o1-2'],
      ['o2-0', 'o2-1', 'o2-2'],
      ['o3-0', 'o3-1', 'o3-2'],
    ]);
    expect(q.innerSets.every((i) => i.threshold === 2)).toBe(true);
  });

  it('builds the disjoint configuration with a watcher', () => {
    const t = disjointTopology();
    expect(t.quorumSets.get('a1')!.validators).toEqual(['a0', 'a1', 'a2']);
    expect(t.quorumSets.get('b1')!.validators).toEqual(['b0', 'b1', 'b2']);
    expect(t.quorumSets.get('watcher')!.innerSets).toHaveLength(2);
  });

  it("loads Stellar's 2024 top tier (23 validators, 7 organizations of 3 or more)", () => {
    const t = loadStellarNetwork(`${stellarNetworksDir()}/real/2024-09-22_top-tier_nodes.json`);
    expect(t.nodes).toHaveLength(23);
    const q = t.quorumSets.get(t.nodes[0]!)!;
    expect(q.innerSets.length).toBeGreaterThanOrEqual(7);
  });

  it('loads a snapshot subset by quorum closure and lists absent nodes', () => {
    const t = loadStellarNetwork(`${stellarNetworksDir()}/real/2019-05-15_before-halt_nodes.json`, {
      closureOf: ['SDF_validator_1'],
    });
    expect(t.nodes).toContain('SDF_validator_1');
    const running = new Set(t.nodes);
    expect(t.absent.every((a) => !running.has(a))).toBe(true);
  });

  it('rejects an unreadable network file with a stable code', () => {
    expect(() => loadStellarNetwork('/nonexistent.json')).toThrowError(
      expect.objectContaining({ code: 'BAD_NETWORK_FILE' }),
    );
  });
});
