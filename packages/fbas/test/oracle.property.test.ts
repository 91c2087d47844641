import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allMinimalQuorums, blockingSets, haltingSets, splittingSets } from '../src/families.js';
import {
  analyzeStructure,
  Budget,
  checkIntersection,
  criticality,
  type Fbas,
  findQuorumPair,
  maskOf,
  mergeBy,
  minimalHittingSets,
  QuorumEngine,
  topTier,
  whatIf,
} from '../src/index.js';
import { fbasArb, symmetricFbasArb } from './arbitrary.js';
import { bitsToList, compareLists, listsOf, Oracle } from './oracle.js';

const sorted = (sets: number[][]) => sets.map((s) => [...s].sort((a, b) => a - b)).sort(compareLists);
const budget = () => Budget.unlimited();
const RUNS = { numRuns: 150, seed: 20_260_525 };
const mask = (list: number[]) => list.reduce((m, v) => m | (1 << v), 0);

function setup(fbas: Fbas) {
  const structure = analyzeStructure(fbas);
  return { structure, oracle: new Oracle(fbas) };
}

describe('analyses agree with the brute-force oracle on random small networks', () => {
  it('quorum intersection, with two disjoint quorums as evidence when it fails', () => {
    fc.assert(
      fc.property(fbasArb(10), (fbas) => {
        const { structure, oracle } = setup(fbas);
        const r = checkIntersection(structure);
        expect(r.intersects).toBe(oracle.intersects());
        if (!r.intersects) {
          const [a, b] = r.quorums.map(mask);
          expect(oracle.isQuorum(a!)).toBe(true);
          expect(oracle.isQuorum(b!)).toBe(true);
          expect(a! & b!).toBe(0);
          expect(oracle.minimalQuorums()).toContain(a);
        }
      }),
      RUNS,
    );
  });

  it('minimal quorums and the top tier', () => {
    fc.assert(
      fc.property(fbasArb(10), (fbas) => {
        const { structure, oracle } = setup(fbas);
        const mq = allMinimalQuorums(fbas, structure, budget()).sets;
        expect(sorted(mq)).toEqual(listsOf(oracle.minimalQuorums()));
        expect(topTier(new QuorumEngine(fbas), mq).nodes).toEqual(bitsToList(oracle.topTier()));
      }),
      RUNS,
    );
  });

  it('symmetric shortcuts: minimal quorums and blocking sets from the one quorum set', () => {
    fc.assert(
      fc.property(symmetricFbasArb(9), (fbas) => {
        const { structure, oracle } = setup(fbas);
        const mq = allMinimalQuorums(fbas, structure, budget());
        expect(sorted(mq.sets)).toEqual(listsOf(oracle.minimalQuorums()));
        expect(sorted(blockingSets(fbas, structure, budget()).sets)).toEqual(
          listsOf(oracle.minimalBlockingSets()),
        );
        expect(sorted(splittingSets(fbas, structure, mq.sets, budget()).sets)).toEqual(
          listsOf(oracle.minimalSplittingSets()),
        );
      }),
      RUNS,
    );
  });

  it('minimal blocking sets (implicit hitting sets and MMCS over the minimal quorums)', () => {
    fc.assert(
      fc.property(fbasArb(9), (fbas) => {
        const { structure, oracle } = setup(fbas);
        const expected = listsOf(oracle.minimalBlockingSets());
        const implicit = blockingSets(fbas, structure, budget());
        expect(implicit.complete).toBe(true);
        expect(sorted(implicit.sets)).toEqual(expected);
        const mq = allMinimalQuorums(fbas, structure, budget()).sets;
        if (mq.length > 0) expect(sorted(minimalHittingSets(mq, budget()))).toEqual(expected);
      }),
      RUNS,
    );
  });

  it('minimal splitting sets: all from the minimal quorums, the smallest by SAT', () => {
    fc.assert(
      fc.property(fbasArb(7), (fbas) => {
        const { structure, oracle } = setup(fbas);
        const expected = listsOf(oracle.minimalSplittingSets());
        const mq = allMinimalQuorums(fbas, structure, budget()).sets;
        expect(sorted(splittingSets(fbas, structure, mq, budget()).sets)).toEqual(expected);
        // Without minimal quorums: SAT gives the smallest sets (a symmetric tier still gives all of them).
        const smallest = splittingSets(fbas, structure, undefined, budget());
        const size = expected.length === 0 ? null : expected[0]!.length;
        expect(sorted(smallest.sets)).toEqual(
          smallest.complete ? expected : expected.filter((s) => s.length === size),
        );
      }),
      RUNS,
    );
  });

  it('halting sets of every node', () => {
    fc.assert(
      fc.property(fbasArb(8), (fbas) => {
        const { structure, oracle } = setup(fbas);
        fbas.nodes.forEach((_, v) => {
          const h = haltingSets(fbas, structure, v, budget());
          expect(h.canProgress).toBe(oracle.quorums.some((q) => q & (1 << v)));
          expect(sorted(h.sets)).toEqual(listsOf(oracle.haltingSets(v)));
        });
      }),
      { ...RUNS, numRuns: 80 },
    );
  });

  it('what-if: crashed and Byzantine nodes', () => {
    fc.assert(
      fc.property(
        fbasArb(8).chain((fbas) =>
          fc.record({
            fbas: fc.constant(fbas),
            down: fc.subarray(fbas.nodes.map((_, i) => i)),
            byz: fc.subarray(fbas.nodes.map((_, i) => i)),
          }),
        ),
        ({ fbas, down, byz }) => {
          const byzantine = byz.filter((v) => !down.includes(v));
          const oracle = new Oracle(fbas);
          const r = whatIf(new QuorumEngine(fbas), { down, byzantine }, 0);
          const failed = mask(down) | mask(byzantine);
          expect(r.live).toEqual(bitsToList(oracle.live(failed)));
          expect(r.node!.halts).toBe((oracle.live(failed) & 1) === 0);
          expect(r.intersects).toBe(oracle.intersectsWith(mask(down), mask(byzantine)));
        },
      ),
      RUNS,
    );
  });

  it('merging by organization is exact: group quorums are the groups whose nodes form a quorum', () => {
    fc.assert(
      fc.property(fbasArb(8), (fbas) => {
        const merged = mergeBy(fbas, 'organization');
        const oracle = new Oracle(fbas);
        const groupMasks = merged.members.map((ms) => mask(ms.filter((v) => fbas.nodes[v]!.qset !== null)));
        const expected: number[] = [];
        const g = merged.members.length;
        for (let s = 1; s < 1 << g; s++) {
          const nodes = bitsToList(s).reduce((m, i) => m | groupMasks[i]!, 0);
          if (bitsToList(s).every((i) => groupMasks[i] !== 0) && oracle.isQuorum(nodes)) expected.push(s);
        }
        const minimalExpected = expected.filter((s) => !expected.some((t) => t !== s && (t & ~s) === 0));
        const mq = allMinimalQuorums(merged.fbas, analyzeStructure(merged.fbas), budget()).sets;
        expect(sorted(mq)).toEqual(listsOf(minimalExpected));
      }),
      RUNS,
    );
  });

  it('criticality: a group is critical iff its fickle quorum set breaks intersection', () => {
    fc.assert(
      fc.property(fbasArb(7), (fbas) => {
        const oracle = new Oracle(fbas);
        fc.pre(oracle.intersects());
        const r = criticality(fbas, 'organization', budget());
        for (const c of r.critical) {
          const [a, b] = c.split.map((ids) => mask(ids.map((id) => fbas.index.get(id)!)));
          expect(a! & b!).toBe(0);
        }
        // Recompute each considered group's verdict with the oracle on the modified network.
        for (const group of r.considered) {
          const members = fbas.nodes.flatMap((n, i) => ((n.organization ?? n.id) === group ? [i] : []));
          const engine = new QuorumEngine(fbas);
          const structure = analyzeStructure(fbas, engine);
          const dependents = [
            ...new Set(members.flatMap((m) => engine.dependents[m]!).filter((d) => !members.includes(d))),
          ].filter((d) => structure.quorumNodes[d] === 1);
          const fickle = {
            threshold: 2,
            validators: [],
            inner: [
              { threshold: 1, validators: members, inner: [] },
              { threshold: 1, validators: dependents, inner: [] },
            ],
          };
          const modified: Fbas = {
            index: fbas.index,
            nodes: fbas.nodes.map((n, i) => (members.includes(i) ? { ...n, qset: fickle } : n)),
          };
          const isCritical = r.critical.some((c) => c.group === group);
          expect(isCritical).toBe(!new Oracle(modified).intersects());
        }
      }),
      { ...RUNS, numRuns: 80 },
    );
  });

  it('SAT pair search finds two disjoint quorums exactly when they exist', () => {
    fc.assert(
      fc.property(fbasArb(9), (fbas) => {
        const oracle = new Oracle(fbas);
        const engine = new QuorumEngine(fbas);
        const pair = findQuorumPair(engine, {
          allowed: maskOf(
            engine.n,
            fbas.nodes.map((_, i) => i),
          ),
        });
        expect(pair === null).toBe(oracle.intersects());
      }),
      RUNS,
    );
  });
});
