// Minimal typings for logic-solver 2 (MiniSat compiled to JS), covering what this package uses.
declare module 'logic-solver' {
  namespace Logic {
    type Formula = string | FormulaObject;
    interface FormulaObject {
      readonly __formula: true;
    }
    interface Bits {
      readonly bits: Formula[];
    }
    interface Solution {
      getTrueVars(): string[];
      evaluate(f: Formula): boolean;
    }
    class Solver {
      require(...f: (Formula | Formula[])[]): void;
      forbid(...f: (Formula | Formula[])[]): void;
      solve(): Solution | null;
      solveAssuming(f: Formula): Solution | null;
    }
    const TRUE: Formula;
    const FALSE: Formula;
    function not(f: Formula): Formula;
    function or(...f: (Formula | Formula[])[]): Formula;
    function and(...f: (Formula | Formula[])[]): Formula;
    function implies(a: Formula, b: Formula): Formula;
    function sum(...f: (Formula | Formula[])[]): Bits;
    function constantBits(n: number): Bits;
    function greaterThanOrEqual(a: Bits, b: Bits): Formula;
    function lessThanOrEqual(a: Bits, b: Bits): Formula;
    function equiv(a: Formula, b: Formula): Formula;
  }
  export default Logic;
}

// The MiniSat wrapper inside logic-solver (asm.js build of MiniSat), used directly by cnf.ts.
declare module 'logic-solver/minisat_wrapper.js' {
  interface MiniSatModule {
    Runtime: { stackSave(): number; stackRestore(sp: number): void; stackAlloc(bytes: number): number };
    HEAP8: Int8Array;
    HEAP32: Int32Array;
    _addClause(ptr: number): number;
    _ensureVar(v: number): void;
    _solve(): number;
    _solveAssuming(v: number): number;
    _retireVar(v: number): void;
    _getNumVars(): number;
    _getSolution(): number;
  }
  class MiniSat {
    readonly _C: MiniSatModule;
  }
  export default MiniSat;
}
