import MiniSat from 'logic-solver/minisat_wrapper.js';

/**
 * Clauses straight into MiniSat (the build that logic-solver ships), variables as numbers 1, 2, ... and
 * literals as signed numbers. logic-solver's own layer (named variables, formula objects, clause
 * generation, runtime type checks) took most of the time of the SAT searches on the real tiers (see
 * docs/fbas.md); these encodings only need plain clauses.
 */
export class Cnf {
  private vars = 0;
  private readonly solver = new MiniSat();
  /** Known unsatisfiable without assumptions (MiniSat refused a clause, or a plain solve failed). */
  private unsat = false;
  clauses = 0;

  newVar(): number {
    return ++this.vars;
  }

  get varCount(): number {
    return this.vars;
  }

  /** Adds the clause l1 or l2 or ... (an empty clause makes the problem unsatisfiable). */
  add(lits: readonly number[]): void {
    this.clauses++;
    if (this.unsat) return;
    const C = this.solver._C;
    const sp = C.Runtime.stackSave();
    try {
      const ptr = C.Runtime.stackAlloc((lits.length + 1) * 4);
      const heap = C.HEAP32;
      const base = ptr >> 2;
      for (let i = 0; i < lits.length; i++) heap[base + i] = lits[i]!;
      heap[base + lits.length] = 0;
      if (!C._addClause(ptr)) this.unsat = true;
    } finally {
      C.Runtime.stackRestore(sp);
    }
  }

  /**
   * A model (model[v] is variable v's value), or null when there is none. With `assume` (a variable), only
   * models where it is true, and the variable is retired afterwards (it must not be used again).
   */
  solve(assume?: number): Uint8Array | null {
    if (this.unsat) return null;
    const C = this.solver._C;
    C._ensureVar(this.vars);
    const ok = assume === undefined ? C._solve() : C._solveAssuming(assume);
    if (assume !== undefined) C._retireVar(assume);
    if (!ok) {
      if (assume === undefined) this.unsat = true;
      return null;
    }
    const n = C._getNumVars();
    const ptr = C._getSolution();
    const model = new Uint8Array(n + 1);
    // MiniSat's l_True is 0.
    for (let i = 0; i < n; i++) model[i + 1] = C.HEAP8[ptr + i] === 0 ? 1 : 0;
    return model;
  }
}
