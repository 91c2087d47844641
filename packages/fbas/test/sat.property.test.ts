import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QuorumEngine } from '../src/index.js';
import { smallestSplittingSets } from '../src/sat.js';
import { fbasArb } from './arbitrary.js';
import { compareLists, listsOf, Oracle } from './oracle.js';

describe('smallest splitting sets by SAT', () => {
  it('are the smallest minimal splitting sets, sorted, from size 0 or (with intersection) from size 1', () => {
    fc.assert(
      fc.property(fbasArb(7), (fbas) => {
        const engine = new QuorumEngine(fbas);
        const oracle = new Oracle(fbas);
        const all = new Uint8Array(engine.n).fill(1);
        const expected = listsOf(oracle.minimalSplittingSets());
        const size = expected.length === 0 ? null : expected[0]!.length;
        const check = () => {};
        const r = smallestSplittingSets(engine, all, 1000, check);
        expect(r?.size ?? null).toBe(size);
        if (r === null) return;
        expect(r.exhaustive).toBe(true);
        expect(r.sets).toEqual([...r.sets].sort(compareLists));
        expect(r.sets).toEqual(expected.filter((s) => s.length === size));
        // Starting at size 1 is only meant for intersecting networks, but stays correct on the others.
        const from1 = smallestSplittingSets(engine, all, 1000, check, 1);
        expect(from1).toEqual(r);
        // Reaching the limit stops the enumeration, which then does not claim to be exhaustive.
        const one = smallestSplittingSets(engine, all, 1, check, oracle.intersects() ? 1 : 0);
        expect(one?.sets).toHaveLength(1);
        expect(r.sets.map(String)).toContain(String(one?.sets[0]));
        expect(one?.exhaustive).toBe(false);
      }),
      { numRuns: 150, seed: 20_261_128 },
    );
  });
});
