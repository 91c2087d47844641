import Logic from 'logic-solver';
import type { QSet } from './model.js';
import type { Mask, QuorumEngine } from './quorums.js';

/**
 * SAT encodings of quorum searches, after "Quorum intersection checking with SAT" as done in python-fbas
 * (Giuliano Losa): one boolean per node and side says "this node is in quorum A (B)"; a node in a quorum
 * implies its quorum set is satisfied by that side; the sides must be disjoint (up to the nodes allowed to
 * be in both). The solver (logic-solver, MiniSat) then finds two such quorums or proves none exist.
 */
/**
 * Clause builder: cardinality with Sinz's sequential counter ("Towards an optimal CNF encoding of boolean
 * cardinality constraints", 2005) instead of logic-solver's adder circuits, which made the 16-organization
 * synthetic networks several times slower. Only the direction "satisfied -> at least k" is encoded: a
 * quorum member needs its quorum set satisfied, nothing forces the converse, and none is needed.
 */
class Encoder {
  private fresh = 0;

  constructor(private readonly solver: Logic.Solver) {}

  newVar(prefix: string): string {
    return `${prefix}${this.fresh++}`;
  }

  /** Requires guard -> at least k of lits (lits are variable names or negations). */
  atLeast(guard: Logic.Formula, k: number, lits: Logic.Formula[]): void {
    const n = lits.length;
    if (k <= 0) return;
    if (k > n) {
      this.solver.require(Logic.not(guard));
      return;
    }
    if (k === 1) {
      this.solver.require(Logic.or(Logic.not(guard), ...lits));
      return;
    }
    // At least k of lits <=> at most m = n - k of their negations are true.
    const m = n - k;
    const xs = lits.map((l) => Logic.not(l));
    const ng = Logic.not(guard);
    if (m === 0) {
      for (const x of xs) this.solver.require(Logic.or(ng, Logic.not(x)));
      return;
    }
    const sv: string[][] = [];
    for (let i = 0; i < n - 1; i++) sv.push(Array.from({ length: m }, () => this.newVar('c')));
    const req = (...f: Logic.Formula[]) => this.solver.require(Logic.or(ng, ...f));
    req(Logic.not(xs[0]!), sv[0]![0]!);
    for (let j = 1; j < m; j++) req(Logic.not(sv[0]![j]!));
    for (let i = 1; i < n - 1; i++) {
      req(Logic.not(xs[i]!), sv[i]![0]!);
      req(Logic.not(sv[i - 1]![0]!), sv[i]![0]!);
      for (let j = 1; j < m; j++) {
        req(Logic.not(sv[i - 1]![j]!), sv[i]![j]!);
        req(Logic.not(xs[i]!), Logic.not(sv[i - 1]![j - 1]!), sv[i]![j]!);
      }
      req(Logic.not(xs[i]!), Logic.not(sv[i - 1]![m - 1]!));
    }
    req(Logic.not(xs[n - 1]!), Logic.not(sv[n - 2]![m - 1]!));
  }

  /** Requires guard -> q is satisfied by the nodes whose `side` variable is true (within allowed). */
  qset(guard: Logic.Formula, q: QSet, side: string, allowed: ArrayLike<number>): void {
    const lits: Logic.Formula[] = [];
    for (const v of q.validators) if (allowed[v] === 1) lits.push(`${side}${v}`);
    for (const inner of q.inner) {
      const sat = this.newVar(`${side}q`);
      this.qset(sat, inner, side, allowed);
      lits.push(sat);
    }
    this.atLeast(guard, q.threshold, lits);
  }
}

export interface PairQuery {
  /** Nodes that may belong to either quorum. */
  allowed: Mask;
  /** Nodes that may belong to both (Byzantine nodes); all-zero for a plain intersection check. */
  shared?: Mask;
}

/**
 * Two quorums inside `allowed` whose common members are all in `shared`, each with a member outside
 * `shared`; or null when none exist. With `shared` empty this is "two disjoint quorums".
 */
export function findQuorumPair(engine: QuorumEngine, query: PairQuery): [Mask, Mask] | null {
  // Nodes without a quorum set can never be in a quorum: they get no variable at all.
  const allowed = query.allowed.map((x, i) => (x === 1 && engine.qsets[i] !== null ? 1 : 0));
  const shared = query.shared ?? new Uint8Array(engine.n);
  const solver = new Logic.Solver();
  const enc = new Encoder(solver);
  const honestA: Logic.Formula[] = [];
  const honestB: Logic.Formula[] = [];
  let any = false;
  for (let i = 0; i < engine.n; i++) {
    const q = engine.qsets[i];
    if (allowed[i] !== 1 || q === null) continue;
    any = true;
    for (const side of ['a', 'b']) enc.qset(`${side}${i}`, q, side, allowed);
    if (shared[i] === 1) continue;
    solver.require(Logic.or(Logic.not(`a${i}`), Logic.not(`b${i}`)));
    honestA.push(`a${i}`);
    honestB.push(`b${i}`);
  }
  if (!any || honestA.length === 0) return null;
  solver.require(Logic.or(honestA));
  solver.require(Logic.or(honestB));
  if (!query.shared) {
    // The two sides are interchangeable: insist that the first node used is on side a (p_i: some a_j with
    // j <= i), which halves what the solver must refute.
    let prev: string | undefined;
    for (let i = 0; i < engine.n; i++) {
      if (allowed[i] !== 1) continue;
      solver.require(prev === undefined ? Logic.not(`b${i}`) : Logic.implies(`b${i}`, prev));
      const p = enc.newVar('p');
      solver.require(Logic.implies(p, prev === undefined ? `a${i}` : Logic.or(prev, `a${i}`)));
      solver.require(Logic.implies(`a${i}`, p));
      if (prev !== undefined) solver.require(Logic.implies(prev, p));
      prev = p;
    }
  }
  const solution = solver.solve();
  if (solution === null) return null;
  const a = new Uint8Array(engine.n);
  const b = new Uint8Array(engine.n);
  for (const v of solution.getTrueVars()) {
    const m = /^([ab])(\d+)$/.exec(v);
    if (m) (m[1] === 'a' ? a : b)[Number(m[2])] = 1;
  }
  return [a, b];
}

/**
 * The smallest splitting sets, for networks whose minimal quorums are too many to intersect pairwise (as
 * python-fbas does it): s_i <-> (a_i and b_i) makes S = Q1 ∩ Q2 exactly; each quorum needs a member the
 * other lacks; then the size of S is pushed down from 0 until satisfiable, and every set of that size is
 * enumerated by forbidding the ones found. Returns the minimum size and up to `limit` sets of that size.
 */
export function smallestSplittingSets(
  engine: QuorumEngine,
  allowedIn: Mask,
  limit: number,
  check: () => void,
): { size: number; sets: number[][]; exhaustive: boolean } | null {
  const allowed = allowedIn.map((x, i) => (x === 1 && engine.qsets[i] !== null ? 1 : 0));
  const solver = new Logic.Solver();
  const enc = new Encoder(solver);
  const sVars: string[] = [];
  const onlyA: Logic.Formula[] = [];
  const onlyB: Logic.Formula[] = [];
  for (let i = 0; i < engine.n; i++) {
    const q = engine.qsets[i];
    if (allowed[i] !== 1 || q === null) continue;
    for (const side of ['a', 'b']) enc.qset(`${side}${i}`, q, side, allowed);
    solver.require(Logic.equiv(`s${i}`, Logic.and(`a${i}`, `b${i}`)));
    sVars.push(`s${i}`);
    onlyA.push(Logic.and(`a${i}`, Logic.not(`b${i}`)));
    onlyB.push(Logic.and(`b${i}`, Logic.not(`a${i}`)));
  }
  if (sVars.length === 0) return null;
  solver.require(Logic.or(onlyA));
  solver.require(Logic.or(onlyB));
  if (solver.solve() === null) return null;
  const sum = Logic.sum(sVars);
  for (let k = 0; k <= sVars.length; k++) {
    check();
    const atMost = Logic.lessThanOrEqual(sum, Logic.constantBits(k));
    if (solver.solveAssuming(atMost) === null) continue;
    solver.require(atMost);
    const sets: number[][] = [];
    for (;;) {
      check();
      const sol = solver.solve();
      if (sol === null) return { size: k, sets, exhaustive: true };
      const set = sol
        .getTrueVars()
        .filter((v) => /^s\d+$/.test(v))
        .map((v) => Number(v.slice(1)))
        .sort((x, y) => x - y);
      sets.push(set);
      if (sets.length >= limit) return { size: k, sets, exhaustive: false };
      if (set.length === 0) return { size: 0, sets, exhaustive: true };
      solver.forbid(Logic.and(set.map((v) => `s${v}`)));
    }
  }
  return null;
}
