import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Budget } from '../src/index.js';
import { distinctIntersections, minimalWords, NumberSet } from '../src/splitting.js';

const budget = () => Budget.unlimited();
const sortedNumbers = (xs: Iterable<number>) => [...xs].sort((a, b) => a - b);

/** Families of sets over `size` nodes (25-32: the range that takes this path in the analysis). */
const familyArb = fc.integer({ min: 1, max: 32 }).chain((size) =>
  fc.record({
    size: fc.constant(size),
    words: fc.array(
      fc.integer({ min: 0, max: 2 ** size - 1 }).map((x) => x >>> 0),
      { maxLength: 60 },
    ),
  }),
);

describe('pairwise intersections on plain numbers (top tiers of 25-32 nodes)', () => {
  it('distinct intersections: the bit table (up to 28 nodes) and the hash set agree with a Set', () => {
    fc.assert(
      fc.property(familyArb, ({ size, words }) => {
        const expected = new Set<number>();
        for (let i = 0; i < words.length; i++)
          for (let j = i + 1; j < words.length; j++) expected.add((words[i]! & words[j]!) >>> 0);
        const w = Uint32Array.from(words);
        expect(sortedNumbers(distinctIntersections(w, size, budget()))).toEqual(sortedNumbers(expected));
        // Above 28 nodes the hash set is used: force it on the same family.
        expect(sortedNumbers(distinctIntersections(w, 32, budget()))).toEqual(sortedNumbers(expected));
      }),
      { numRuns: 200, seed: 20_261_126 },
    );
  });

  it('NumberSet keeps each number once, 0 included, across growth', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 32 - 1 }), { maxLength: 5000 }), (xs) => {
        const s = new NumberSet();
        for (const x of xs) s.add(x >>> 0);
        for (const x of xs.slice(0, 100)) s.add(x >>> 0);
        expect(sortedNumbers(s.values())).toEqual(sortedNumbers(new Set(xs.map((x) => x >>> 0))));
      }),
      { numRuns: 50, seed: 20_261_126 },
    );
  });

  it('minimal elements: none contains another, and every set contains one of them', () => {
    fc.assert(
      fc.property(familyArb, ({ words }) => {
        const distinct = Uint32Array.from(new Set(words));
        const min = minimalWords(distinct, budget());
        const expected = [...distinct].filter((a) => ![...distinct].some((b) => b !== a && (b & ~a) === 0));
        expect(sortedNumbers(min)).toEqual(sortedNumbers(expected));
      }),
      { numRuns: 200, seed: 20_261_126 },
    );
  });
});
