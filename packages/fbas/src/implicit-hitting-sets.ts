import type { Budget } from './budget.js';
import { FbasError } from './errors.js';
import { minimalHittingSets } from './hitting-sets.js';

/**
 * Minimal hitting sets of a family we cannot afford to write down (all minimal quorums of a large top tier,
 * all quorums of one node), by the implicit hitting set method (as in MaxHS-style solvers): keep a small
 * sample of the family, take the minimal hitting sets of the sample, and ask an oracle whether each is a
 * real solution; if not, the oracle returns a member of the family it misses, which joins the sample.
 *
 * A minimal hitting set of the sample that the oracle accepts is a minimal solution (every solution hits
 * the sample), and every minimal solution of size <= k contains a minimal hitting set of the sample of
 * size <= k, so when all candidates up to size k pass, the list up to size k is complete.
 */
export interface ImplicitHittingSets {
  /** All minimal solutions of size <= completeUpTo (all minimal solutions when complete). */
  sets: number[][];
  complete: boolean;
  completeUpTo: number;
}

export function implicitMinimalHittingSets(
  counterexample: (candidate: number[]) => number[] | null,
  budget: Budget,
  maxSize: number = Number.POSITIVE_INFINITY,
  smallestOnly = false,
): ImplicitHittingSets {
  const first = counterexample([]);
  if (first === null) return { sets: [[]], complete: true, completeUpTo: 0 };
  if (first.length === 0) return { sets: [], complete: true, completeUpTo: Number.POSITIVE_INFINITY };
  const sample: number[][] = [first];
  const refine = (k: number): number[][] => {
    for (;;) {
      budget.checkNow();
      const candidates = minimalHittingSets(sample, budget, k);
      let grew = false;
      for (const c of candidates) {
        const miss = counterexample(c);
        if (miss === null) continue;
        if (miss.length === 0) return []; // unhittable: no solution at all
        sample.push(miss);
        grew = true;
      }
      if (!grew) return candidates;
    }
  };
  // Smallest first, so that a budget cut while completing still leaves an exact answer up to that size.
  let best: ImplicitHittingSets = { sets: [], complete: false, completeUpTo: 0 };
  for (let k = 1; k <= maxSize; k++) {
    const sets = refine(k);
    best = { sets, complete: false, completeUpTo: k };
    if (sets.length > 0) break;
  }
  if (smallestOnly || maxSize !== Number.POSITIVE_INFINITY) return best;
  try {
    return { sets: refine(Number.POSITIVE_INFINITY), complete: true, completeUpTo: Number.POSITIVE_INFINITY };
  } catch (e) {
    if (e instanceof FbasError && e.code === 'BUDGET_EXCEEDED') return best;
    throw e;
  }
}
