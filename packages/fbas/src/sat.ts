import { Cnf } from './cnf.js';
import type { QSet } from './model.js';
import type { Mask, QuorumEngine } from './quorums.js';

/**
 * SAT encodings of quorum searches, after "Quorum intersection checking with SAT" as done in python-fbas
 * (Giuliano Losa): one boolean per node and side says "this node is in quorum A (B)"; a node in a quorum
 * implies its quorum set is satisfied by that side; the sides must be disjoint (up to the nodes allowed to
 * be in both). The solver (MiniSat, as shipped in logic-solver) then finds two such quorums or proves none
 * exist. Clauses go to MiniSat directly (cnf.ts).
 */
/**
 * Clause builder: cardinality with Sinz's sequential counter ("Towards an optimal CNF encoding of boolean
 * cardinality constraints", 2005) instead of adder circuits, which made the 16-organization synthetic
 * networks several times slower. Only the direction "satisfied -> at least k" is encoded: a quorum member
 * needs its quorum set satisfied, nothing forces the converse, and none is needed.
 */
class Encoder {
  constructor(readonly cnf: Cnf) {}

  /** Requires guard -> at least k of lits. */
  atLeast(guard: number, k: number, lits: readonly number[]): void {
    const n = lits.length;
    const cnf = this.cnf;
    const ng = -guard;
    if (k <= 0) return;
    if (k > n) {
      cnf.add([ng]);
      return;
    }
    if (k === 1) {
      cnf.add([ng, ...lits]);
      return;
    }
    // At least k of lits <=> at most m = n - k of their negations are true (x_i = not l_i).
    const m = n - k;
    if (m === 0) {
      for (const l of lits) cnf.add([ng, l]);
      return;
    }
    // sv[i][j]: at least j + 1 of x_0..x_i are true.
    const sv: number[][] = [];
    for (let i = 0; i < n - 1; i++) sv.push(Array.from({ length: m }, () => cnf.newVar()));
    cnf.add([ng, lits[0]!, sv[0]![0]!]);
    for (let j = 1; j < m; j++) cnf.add([ng, -sv[0]![j]!]);
    for (let i = 1; i < n - 1; i++) {
      const li = lits[i]!;
      const cur = sv[i]!;
      const prev = sv[i - 1]!;
      cnf.add([ng, li, cur[0]!]);
      cnf.add([ng, -prev[0]!, cur[0]!]);
      for (let j = 1; j < m; j++) {
        cnf.add([ng, -prev[j]!, cur[j]!]);
        cnf.add([ng, li, -prev[j - 1]!, cur[j]!]);
      }
      cnf.add([ng, li, -prev[m - 1]!]);
    }
    cnf.add([ng, lits[n - 1]!, -sv[n - 2]![m - 1]!]);
  }

  /** Requires guard -> q is satisfied by the nodes whose `side` variable is true (within allowed). */
  qset(guard: number, q: QSet, side: Int32Array, allowed: ArrayLike<number>): void {
    const lits: number[] = [];
    for (const v of q.validators) if (allowed[v] === 1) lits.push(side[v]!);
    for (const inner of q.inner) {
      const sat = this.cnf.newVar();
      this.qset(sat, inner, side, allowed);
      lits.push(sat);
    }
    this.atLeast(guard, q.threshold, lits);
  }
}

/** One variable per allowed node and side (a: quorum A, b: quorum B); 0 for the others. */
function sides(cnf: Cnf, allowed: ArrayLike<number>, n: number): { a: Int32Array; b: Int32Array } {
  const a = new Int32Array(n);
  const b = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (allowed[i] !== 1) continue;
    a[i] = cnf.newVar();
    b[i] = cnf.newVar();
  }
  return { a, b };
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
  const cnf = new Cnf();
  const enc = new Encoder(cnf);
  const { a, b } = sides(cnf, allowed, engine.n);
  const honestA: number[] = [];
  const honestB: number[] = [];
  let any = false;
  for (let i = 0; i < engine.n; i++) {
    const q = engine.qsets[i];
    if (allowed[i] !== 1 || q === null) continue;
    any = true;
    enc.qset(a[i]!, q, a, allowed);
    enc.qset(b[i]!, q, b, allowed);
    if (shared[i] === 1) continue;
    cnf.add([-a[i]!, -b[i]!]);
    honestA.push(a[i]!);
    honestB.push(b[i]!);
  }
  if (!any || honestA.length === 0) return null;
  cnf.add(honestA);
  cnf.add(honestB);
  if (!query.shared) {
    // The two sides are interchangeable: insist that the first node used is on side a (p_i: some a_j with
    // j <= i), which halves what the solver must refute.
    let prev = 0;
    for (let i = 0; i < engine.n; i++) {
      if (allowed[i] !== 1) continue;
      cnf.add(prev === 0 ? [-b[i]!] : [-b[i]!, prev]);
      const p = cnf.newVar();
      cnf.add(prev === 0 ? [-p, a[i]!] : [-p, prev, a[i]!]);
      cnf.add([-a[i]!, p]);
      if (prev !== 0) cnf.add([-prev, p]);
      prev = p;
    }
  }
  const model = cnf.solve();
  if (model === null) return null;
  const qa = new Uint8Array(engine.n);
  const qb = new Uint8Array(engine.n);
  for (let i = 0; i < engine.n; i++) {
    if (allowed[i] !== 1) continue;
    qa[i] = model[a[i]!]!;
    qb[i] = model[b[i]!]!;
  }
  return [qa, qb];
}

/**
 * The smallest splitting sets, for networks whose minimal quorums are too many to intersect pairwise (as
 * python-fbas does it): s_i <-> (a_i and b_i) makes S = Q1 ∩ Q2 exactly; each quorum needs a member the
 * other lacks; then the size bound on S is raised from `from` (0, or 1 when quorum intersection is known
 * to hold: a smaller set turning up restarts from 0) until satisfiable, and every set of that size is
 * enumerated by forbidding the ones found.
 * Returns the minimum size and up to `limit` sets of that size (sorted).
 */
export function smallestSplittingSets(
  engine: QuorumEngine,
  allowedIn: Mask,
  limit: number,
  check: () => void,
  from = 0,
): { size: number; sets: number[][]; exhaustive: boolean } | null {
  const allowed = allowedIn.map((x, i) => (x === 1 && engine.qsets[i] !== null ? 1 : 0));
  const cnf = new Cnf();
  const enc = new Encoder(cnf);
  const { a, b } = sides(cnf, allowed, engine.n);
  const nodes: number[] = [];
  const sVars: number[] = [];
  const onlyA: number[] = [];
  const onlyB: number[] = [];
  for (let i = 0; i < engine.n; i++) {
    const q = engine.qsets[i];
    if (allowed[i] !== 1 || q === null) continue;
    const ai = a[i]!;
    const bi = b[i]!;
    enc.qset(ai, q, a, allowed);
    enc.qset(bi, q, b, allowed);
    const s = cnf.newVar();
    cnf.add([-s, ai]);
    cnf.add([-s, bi]);
    cnf.add([s, -ai, -bi]);
    nodes.push(i);
    sVars.push(s);
    // x: i is in A only; y: in B only (only the direction that is used).
    const x = cnf.newVar();
    cnf.add([-x, ai]);
    cnf.add([-x, -bi]);
    onlyA.push(x);
    const y = cnf.newVar();
    cnf.add([-y, bi]);
    cnf.add([-y, -ai]);
    onlyB.push(y);
  }
  if (sVars.length === 0) return null;
  cnf.add(onlyA);
  cnf.add(onlyB);
  const first = cnf.solve();
  if (first === null) return null;
  // Any model bounds the minimum: count up to one more than its size (sequential counter, one direction:
  // r[i][j] is forced true when at least j + 1 of s_0..s_i are; "at most k" is then "not r[n-1][k]").
  const bound = sVars.reduce((c, s) => c + first[s]!, 0);
  const width = Math.min(bound + 1, sVars.length);
  let prev: number[] = [];
  for (let i = 0; i < sVars.length; i++) {
    const s = sVars[i]!;
    const cur = Array.from({ length: width }, () => cnf.newVar());
    cnf.add([-s, cur[0]!]);
    for (let j = 0; j < width && i > 0; j++) {
      cnf.add([-prev[j]!, cur[j]!]);
      if (j > 0) cnf.add([-s, -prev[j - 1]!, cur[j]!]);
    }
    prev = cur;
  }
  const atLeast = prev; // atLeast[j]: at least j + 1 members of S
  const atMost = (k: number): number[] => (k < width ? [-atLeast[k]!] : []);
  for (let k = Math.min(from, bound); k <= bound; k++) {
    check();
    if (k < bound) {
      const assume = cnf.newVar();
      cnf.add([-assume, ...atMost(k)]);
      if (cnf.solve(assume) === null) continue;
    }
    const req = atMost(k);
    if (req.length > 0) cnf.add(req);
    const sets: number[][] = [];
    for (;;) {
      check();
      const model = cnf.solve();
      if (model === null) return { size: k, sets: sets.sort(compare), exhaustive: true };
      const set: number[] = [];
      for (let t = 0; t < sVars.length; t++) if (model[sVars[t]!] === 1) set.push(nodes[t]!);
      // Smaller than k: `from` was wrong (the caller's intersection answer was); start again from 0.
      if (set.length < k) return smallestSplittingSets(engine, allowedIn, limit, check, 0);
      sets.push(set);
      if (sets.length >= limit) return { size: k, sets: sets.sort(compare), exhaustive: false };
      if (set.length === 0) return { size: 0, sets, exhaustive: true };
      cnf.add(set.map((v) => -sVars[nodes.indexOf(v)]!));
    }
  }
  return null;
}

function compare(x: readonly number[], y: readonly number[]): number {
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}
