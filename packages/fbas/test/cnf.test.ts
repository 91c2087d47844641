import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cnf } from '../src/cnf.js';

/** Brute force: is there an assignment of vars 1..n satisfying every clause (and `assume`)? */
function satisfiable(n: number, clauses: number[][], assume?: number): boolean {
  for (let m = 0; m < 1 << n; m++) {
    const value = (lit: number) => (((m >>> (Math.abs(lit) - 1)) & 1) === 1) === lit > 0;
    if (assume !== undefined && !value(assume)) continue;
    if (clauses.every((c) => c.some(value))) return true;
  }
  return false;
}

const clausesArb = fc.integer({ min: 1, max: 8 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    clauses: fc.array(
      fc.array(
        fc.integer({ min: 1, max: n }).chain((v) => fc.constantFrom(v, -v)),
        { minLength: 1, maxLength: 3 },
      ),
      { maxLength: 30 },
    ),
    assume: fc.integer({ min: 1, max: n }),
  }),
);

describe('Cnf: clauses straight into MiniSat', () => {
  it('agrees with brute force, and its models satisfy every clause', () => {
    fc.assert(
      fc.property(clausesArb, ({ n, clauses, assume }) => {
        const cnf = new Cnf();
        for (let i = 0; i < n; i++) cnf.newVar();
        for (const c of clauses) cnf.add(c);
        // Under an assumption (a fresh variable standing for `assume`), then without, then again.
        const a = cnf.newVar();
        cnf.add([-a, assume]);
        expect(cnf.solve(a) !== null).toBe(satisfiable(n, clauses, assume));
        const model = cnf.solve();
        expect(model !== null).toBe(satisfiable(n, clauses));
        if (model !== null) {
          for (const c of clauses) expect(c.some((l) => model[Math.abs(l)] === (l > 0 ? 1 : 0))).toBe(true);
          // The retired assumption variable no longer constrains anything.
          expect(model[a]).toBe(0);
        }
        expect(cnf.solve() !== null).toBe(model !== null);
      }),
      { numRuns: 150, seed: 20_261_126 },
    );
  });

  it('an empty clause, or contradicting units, make it unsatisfiable for good', () => {
    const cnf = new Cnf();
    const x = cnf.newVar();
    cnf.add([x]);
    expect(cnf.solve()?.[x]).toBe(1);
    cnf.add([-x]);
    expect(cnf.solve()).toBeNull();
    cnf.add([x]);
    expect(cnf.solve()).toBeNull();
    const empty = new Cnf();
    empty.add([]);
    expect(empty.solve()).toBeNull();
  });
});
