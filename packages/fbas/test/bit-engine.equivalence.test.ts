import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BitEngine } from '../src/bit-engine.js';
import { analyzeStructure, Budget, type Fbas, QuorumEngine } from '../src/index.js';
import { subNetwork } from '../src/sub-network.js';
import { fbasArb } from './arbitrary.js';
import { ReferenceBitEngine } from './bit-engine.reference.js';
import { haveData, loadNetwork } from './data.js';

const RUNS = { numRuns: 200, seed: 20_261_127 };
const budget = () => Budget.unlimited();

/** Both engines on the same network; `run` returns the sets found, in the order found. */
function same(
  fbas: Fbas,
  run: (e: BitEngine | ReferenceBitEngine) => Uint32Array[],
  n = new QuorumEngine(fbas).n,
): void {
  const engine = new QuorumEngine(fbas);
  const fast = new BitEngine(n, engine.qsets.slice(0, n));
  const ref = new ReferenceBitEngine(n, engine.qsets.slice(0, n));
  const a = run(fast).map((s) => fast.toList(s));
  const b = run(ref).map((s) => ref.toList(s));
  expect(a).toEqual(b);
  expect(fast.cut).toBe(ref.cut);
  expect(fast.steps).toBe(ref.steps);
}

describe('the bitset searches visit the same search nodes as the reference engine', () => {
  it('minimal quorums: all, capped, by size, seeded, limited, containing a node', () => {
    fc.assert(
      fc.property(
        fbasArb(10),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 10 }),
        fc.nat(),
        (fbas, steps, k, v) => {
          const node = v % fbas.nodes.length;
          same(fbas, (e) => e.minimalQuorums(e.full(), budget()));
          same(fbas, (e) => e.minimalQuorums(e.full(), budget(), undefined, [], { maxSteps: steps }));
          same(fbas, (e) =>
            e.minimalQuorums(e.full(), budget(), undefined, [], { maxSize: k, maxSteps: steps }),
          );
          same(fbas, (e) => e.minimalQuorums(e.full(), budget(), undefined, [], { seed: node, limit: 1 }));
          same(fbas, (e) => e.minimalQuorums(e.full(), budget(), node, [], { maxSteps: steps }));
        },
      ),
      RUNS,
    );
  });

  it('minimal blocking sets: all, capped, by size', () => {
    fc.assert(
      fc.property(
        fbasArb(9),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 9 }),
        (fbas, steps, k) => {
          same(fbas, (e) => e.minimalBlockingSets(e.full(), budget()));
          same(fbas, (e) => e.minimalBlockingSets(e.full(), budget(), steps));
          same(fbas, (e) => e.minimalBlockingSets(e.full(), budget(), steps, k));
        },
      ),
      RUNS,
    );
  });

  it.skipIf(!haveData)(
    '2019-05-15 before the halt: capped searches as in the analysis, node for node',
    () => {
      const fbas = loadNetwork('real/2019-05-15_before-halt_nodes.json');
      const component = subNetwork(fbas, analyzeStructure(fbas).quorumSccs[0]!.greatestQuorum).fbas;
      const n = component.nodes.length - 1; // less the "outside" placeholder
      same(component, (e) => e.minimalQuorums(e.full(), budget(), undefined, [], { maxSteps: 20_000 }), n);
      same(component, (e) => e.minimalQuorums(e.full(), budget(), undefined, [], { maxSize: 12 }), n);
      same(component, (e) => e.minimalBlockingSets(e.full(), budget(), 5_000), n);
      same(component, (e) => e.minimalBlockingSets(e.full(), budget(), Number.POSITIVE_INFINITY, 3), n);
    },
  );
});
