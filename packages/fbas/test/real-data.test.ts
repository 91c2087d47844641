import { describe, expect, it } from 'vitest';
import { allMinimalQuorums, haltingSets, splittingSets } from '../src/families.js';
import {
  analyze,
  analyzeStructure,
  Budget,
  checkIntersection,
  type Fbas,
  maskOf,
  minimalSplittingSets,
  QuorumEngine,
} from '../src/index.js';
import { loadNetwork } from './data.js';

const names = (fbas: Fbas, ids: string[]) =>
  ids.map((id) => fbas.nodes[fbas.index.get(id)!]!.name ?? id).sort();

function expectDisjointQuorums(fbas: Fbas, quorums: [string[], string[]]) {
  const engine = new QuorumEngine(fbas);
  const [a, b] = quorums.map((ids) =>
    maskOf(
      engine.n,
      ids.map((id) => fbas.index.get(id)!),
    ),
  );
  expect(engine.isQuorum(a!)).toBe(true);
  expect(engine.isQuorum(b!)).toBe(true);
  expect(quorums[0].some((id) => quorums[1].includes(id))).toBe(false);
}

describe('real Stellar snapshots', () => {
  it('2019-05-15 before the halt: intersects; any 2 of Eno, keybase, LOBSTR 2, umbrel halt SDF', () => {
    const fbas = loadNetwork('real/2019-05-15_before-halt_nodes.json');
    const structure = analyzeStructure(fbas);
    expect(checkIntersection(structure).intersects).toBe(true);
    const sdf = fbas.nodes.findIndex((n) => n.name === 'SDF_validator_1');
    const h = haltingSets(fbas, structure, sdf, Budget.unlimited(), true);
    expect(h.completeUpTo).toBe(2);
    const expected = ['Eno', 'LOBSTR_2__Europe_', 'keybase_io', 'umbrel'];
    const pairs = h.sets.map((s) =>
      names(
        fbas,
        s.map((v) => fbas.nodes[v]!.id),
      ),
    );
    expect(pairs).toHaveLength(6);
    for (const p of pairs) {
      expect(p).toHaveLength(2);
      for (const n of p) expect(expected).toContain(n);
    }
  });

  it('2019-05-15 before the halt: too many minimal quorums to list; the smallest, and the exact top tier', () => {
    const fbas = loadNetwork('real/2019-05-15_before-halt_nodes.json');
    const a = analyze(fbas, { budgetMs: 120_000, groupBy: [], criticality: false });
    if (a.minimalQuorums.status !== 'done') throw new Error('minimal quorums unknown');
    expect(a.minimalQuorums).toMatchObject({ complete: false, smallest: 10 });
    const upTo = a.minimalQuorums.completeUpTo!;
    expect(upTo).toBeGreaterThanOrEqual(10);
    expect(a.minimalQuorums.sets.every((q) => q.length <= upTo)).toBe(true);
    // Every node of the 59-node component is in some minimal quorum (some of 47 nodes).
    expect(a.topTier).toMatchObject({ status: 'done', symmetric: false });
    if (a.topTier.status === 'done') expect(a.topTier.nodes).toHaveLength(59);
    if (a.minimalBlockingSets.status !== 'done') throw new Error('blocking sets unknown');
    expect(a.minimalBlockingSets).toMatchObject({ complete: false, smallest: 2 });
    expect(a.minimalBlockingSets.completeUpTo).toBeGreaterThanOrEqual(2);
    const pairs = a.minimalBlockingSets.sets
      .filter((s) => s.length === 2)
      .map((s) => names(fbas, s).join('+'));
    expect(pairs.sort()).toEqual(
      [
        'Eno+keybase_io',
        'Eno+LOBSTR_2__Europe_',
        'Eno+umbrel',
        'LOBSTR_2__Europe_+keybase_io',
        'keybase_io+umbrel',
        'LOBSTR_2__Europe_+umbrel',
      ]
        .map((p) => p.split('+').sort().join('+'))
        .sort(),
    );
    // The capped searches are exact up to their cut: these counts pin them (a faster search must visit
    // the same search nodes and find the same sets).
    expect(a.minimalQuorums).toMatchObject({ count: 318, completeUpTo: 13 });
    expect(a.minimalBlockingSets).toMatchObject({ count: 231, completeUpTo: 4 });
    expect(a.minimalSplittingSets).toMatchObject({ status: 'done', count: 30, smallest: 5 });
  });

  it('2019-05-15 during the halt: every family listed in full', () => {
    const fbas = loadNetwork('real/2019-05-15_during-halt_nodes.json');
    const a = analyze(fbas, { budgetMs: 120_000, groupBy: [], criticality: false });
    expect(a.minimalQuorums).toMatchObject({ status: 'done', count: 2864, complete: true, smallest: 10 });
    expect(a.topTier).toMatchObject({ status: 'done', symmetric: false });
    if (a.topTier.status === 'done') expect(a.topTier.nodes).toHaveLength(27);
    expect(a.minimalBlockingSets).toMatchObject({ status: 'done', count: 1974, complete: true, smallest: 2 });
    expect(a.minimalSplittingSets).toMatchObject({
      status: 'done',
      count: 1124,
      complete: true,
      smallest: 5,
    });
  });

  it('2020-01-16 edited to break intersection: two disjoint quorums as evidence', () => {
    const fbas = loadNetwork('real/2020-01-16_nodes_edited-to-break-intersection.json');
    const r = checkIntersection(analyzeStructure(fbas));
    expect(r.intersects).toBe(false);
    if (!r.intersects)
      expectDisjointQuorums(fbas, [
        r.quorums[0].map((v) => fbas.nodes[v]!.id),
        r.quorums[1].map((v) => fbas.nodes[v]!.id),
      ]);
  });

  it('2018-06 broken: no intersection; unknown quorum sets are reported, not dropped', () => {
    const fbas = loadNetwork('real/2018-06_nodes_broken.json');
    const a = analyze(fbas, { budgetMs: 20_000, groupBy: [] });
    if (a.intersection.status !== 'done' || a.intersection.intersects)
      throw new Error('expected no intersection');
    expectDisjointQuorums(fbas, a.intersection.quorums);
    expect(a.nodes.unknownQuorumSet.length).toBe(28);
    expect(a.minimalSplittingSets).toMatchObject({ status: 'done', sets: [[]] });
  });

  it('2019-09-17 with its organizations file: merged by organization, named', () => {
    const fbas = loadNetwork('real/2019-09-17_nodes.json', 'real/2019-09-17_organizations.json');
    const a = analyze(fbas, { budgetMs: 20_000, groupBy: ['organization'], criticality: false });
    const org = a.byGroup.organization!;
    expect(org.intersection).toMatchObject({ status: 'done', intersects: true });
    if (org.topTier.status !== 'done') throw new Error('top tier unknown');
    expect(org.topTier.nodes).toContain('LOBSTR');
    expect(org.topTier.nodes).toContain('Stellar Development Foundation');
    expect(a.minimalQuorums).toMatchObject({ status: 'done', count: 1161 });
  });

  it('2024-09-22 top tier: symmetric, answered by the shortcut, and agrees with its org merge', () => {
    const fbas = loadNetwork('real/2024-09-22_top-tier_nodes.json');
    const a = analyze(fbas, { budgetMs: 20_000, groupBy: ['organization'], criticality: false });
    expect(a.topTier).toMatchObject({ status: 'done', symmetric: true });
    expect(a.minimalQuorums).toMatchObject({ status: 'done', count: 13_608, symmetricShortcut: true });
    expect(a.minimalBlockingSets).toMatchObject({ status: 'done', count: 1890, smallest: 6, complete: true });
    expect(a.minimalSplittingSets).toMatchObject({ status: 'done', count: 1215, smallest: 3 });
    // The structural shortcut agrees with intersecting all pairs of minimal quorums.
    const structure = analyzeStructure(fbas);
    const mq = allMinimalQuorums(fbas, structure, Budget.unlimited()).sets;
    const pairwise = minimalSplittingSets(
      new QuorumEngine(fbas),
      mq,
      structure.quorumNodes,
      Budget.unlimited(),
    );
    const shortcut = splittingSets(fbas, structure, mq, Budget.unlimited()).sets;
    const key = (sets: number[][]) => sets.map((x) => [...x].sort((p, q) => p - q).join(',')).sort();
    expect(key(shortcut)).toEqual(key(pairwise));
    const org = a.byGroup.organization!;
    expect(org.topTier).toMatchObject({ status: 'done', symmetric: true });
    expect(org.minimalBlockingSets).toMatchObject({ status: 'done', smallest: 3 });
  });
});

describe('small edge-case networks', () => {
  it('a node naming an unknown node is reported as missing', () => {
    const a = analyze(loadNetwork('small/missing_1.json'), { groupBy: [] });
    expect(a.nodes.missing).toEqual(['PK3']);
    expect(a.nodes.neverInQuorum).toEqual(['PK1', 'PK2']);
    expect(a.minimalQuorums).toMatchObject({ status: 'done', count: 0 });
  });

  it('threshold 0 is an invalid quorum set, as in stellar-core', () => {
    const a = analyze(loadNetwork('small/circular_2.json'), { groupBy: [] });
    expect(a.nodes.invalid).toEqual([{ id: 'PK3', reason: 'threshold 0 is below 1' }]);
  });

  it('conflicted: two groups bridged by one node do not intersect', () => {
    const a = analyze(loadNetwork('small/conflicted.json'), { groupBy: [] });
    expect(a.intersection).toMatchObject({ status: 'done', intersects: false });
    expect(a.minimalQuorums).toMatchObject({ status: 'done', count: 6, smallest: 2 });
  });

  it('a single minimal quorum trusted by two others: that quorum alone can split them', () => {
    const a = analyze(loadNetwork('small/homedomain_test_1.json'), { groupBy: [] });
    expect(a.minimalSplittingSets).toMatchObject({ status: 'done', sets: [['PK2']] });
  });
});
