import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BitEngine } from '../src/bit-engine.js';
import { topTierNodes } from '../src/families.js';
import { analyzeStructure, Budget, type Fbas, QuorumEngine } from '../src/index.js';
import { fbasArb } from './arbitrary.js';
import { bitsToList, compareLists, listsOf, Oracle } from './oracle.js';

const RUNS = { numRuns: 150, seed: 20_261_126 };
const budget = () => Budget.unlimited();
const popcount = (x: number) => bitsToList(x).length;

function setup(fbas: Fbas) {
  const engine = new QuorumEngine(fbas);
  const bits = BitEngine.of(engine);
  const lists = (sets: Uint32Array[]) => sets.map((s) => bits.toList(s)).sort(compareLists);
  return { engine, bits, lists, oracle: new Oracle(fbas) };
}

describe('bitset searches agree with the brute-force oracle', () => {
  it('greatest quorum inside any set', () => {
    fc.assert(
      fc.property(fbasArb(10), fc.nat(), (fbas, seed) => {
        const { engine, bits } = setup(fbas);
        const within = new Uint8Array(engine.n).map((_, i) => ((seed >>> i) & 1) as number);
        const expected = engine.greatestQuorum(within);
        const got = bits.greatestQuorum(bits.fromList(bitsToList(seed).filter((v) => v < engine.n)));
        expect(bits.toList(got)).toEqual([...expected.keys()].filter((i) => expected[i] === 1));
      }),
      RUNS,
    );
  });

  it('minimal quorums: all, up to a size, and those containing a node', () => {
    fc.assert(
      fc.property(fbasArb(10), fc.integer({ min: 1, max: 10 }), (fbas, k) => {
        const { bits, lists, oracle } = setup(fbas);
        const all = listsOf(oracle.minimalQuorums());
        expect(lists(bits.minimalQuorums(bits.full(), budget()))).toEqual(all);
        expect(lists(bits.minimalQuorums(bits.full(), budget(), undefined, [], { maxSize: k }))).toEqual(
          all.filter((q) => q.length <= k),
        );
        for (let v = 0; v < bits.n; v++) {
          const seeded = lists(bits.minimalQuorums(bits.full(), budget(), undefined, [], { seed: v }));
          expect(seeded).toEqual(all.filter((q) => q.includes(v)));
        }
      }),
      RUNS,
    );
  });

  it('minimal blocking sets: all, and up to a size', () => {
    fc.assert(
      fc.property(fbasArb(9), fc.integer({ min: 0, max: 9 }), (fbas, k) => {
        const { bits, lists, oracle } = setup(fbas);
        const all = listsOf(oracle.minimalBlockingSets());
        expect(lists(bits.minimalBlockingSets(bits.full(), budget()))).toEqual(all);
        expect(bits.cut).toBe(false);
        const upTo = lists(bits.minimalBlockingSets(bits.full(), budget(), Number.POSITIVE_INFINITY, k));
        expect(upTo).toEqual(all.filter((b) => b.length <= k));
      }),
      RUNS,
    );
  });

  it('a step cap says so, and what it returns is still correct', () => {
    fc.assert(
      fc.property(fbasArb(10), fc.integer({ min: 1, max: 30 }), (fbas, steps) => {
        const { bits, lists, oracle } = setup(fbas);
        const all = listsOf(oracle.minimalQuorums()).map(String);
        const some = lists(bits.minimalQuorums(bits.full(), budget(), undefined, [], { maxSteps: steps }));
        for (const q of some) expect(all).toContain(String(q));
        if (!bits.cut) expect(some.length).toBe(all.length);
        const blocking = listsOf(oracle.minimalBlockingSets()).map(String);
        for (const b of lists(bits.minimalBlockingSets(bits.full(), budget(), steps))) {
          expect(blocking).toContain(String(b));
        }
      }),
      RUNS,
    );
  });

  it('top tier without listing the minimal quorums', () => {
    fc.assert(
      fc.property(fbasArb(10), (fbas) => {
        const oracle = new Oracle(fbas);
        expect(topTierNodes(fbas, analyzeStructure(fbas), budget())).toEqual(bitsToList(oracle.topTier()));
        expect(popcount(oracle.topTier())).toBeLessThanOrEqual(fbas.nodes.length);
      }),
      RUNS,
    );
  });
});
