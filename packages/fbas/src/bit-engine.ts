import type { Budget } from './budget.js';
import type { QSet } from './model.js';
import type { QuorumEngine } from './quorums.js';

/**
 * Quorum arithmetic on bitsets, for the searches that call "is this satisfied" and "greatest quorum inside"
 * millions of times (minimal quorums of a non-symmetric top tier). Nodes are the positions 0..n-1 of a
 * sub-network; a set is a Uint32Array of `words` words. A quorum set becomes a validator mask, counted
 * with popcount, plus the validators it names more than once (merged networks) and its inner sets.
 */
interface BitQSet {
  threshold: number;
  mask: Uint32Array;
  /** Validators named more than once: each extra occurrence counts again. */
  repeats: number[];
  inner: BitQSet[];
}

export class BitEngine {
  readonly words: number;
  private readonly qsets: (BitQSet | null)[];
  /** trusts[v]: bitset of the nodes v's quorum set names. */
  readonly trusts: Uint32Array[];
  /** dependents[v]: bitset of the nodes whose quorum sets name v. */
  readonly dependents: Uint32Array[];

  /** Nodes 0..n-1 of `engine` whose mask entry is 1 take part; others never count. */
  constructor(
    readonly n: number,
    qsets: readonly (QSet | null)[],
  ) {
    this.words = Math.max(1, Math.ceil(n / 32));
    this.qsets = qsets.map((q) => (q === null ? null : this.compile(q)));
    this.trusts = qsets.map((q) => {
      const b = this.empty();
      if (q !== null) this.markAll(q, b);
      return b;
    });
    this.dependents = Array.from({ length: n }, () => this.empty());
    this.trusts.forEach((t, v) => {
      for (const u of this.toList(t)) this.dependents[u]![v >>> 5]! |= 1 << (v & 31);
    });
    this.dirty = this.empty();
  }

  static of(engine: QuorumEngine): BitEngine {
    return new BitEngine(engine.n, engine.qsets);
  }

  empty(): Uint32Array {
    return new Uint32Array(this.words);
  }

  full(): Uint32Array {
    const b = this.empty();
    for (let v = 0; v < this.n; v++) b[v >>> 5]! |= 1 << (v & 31);
    return b;
  }

  private markAll(q: QSet, b: Uint32Array): void {
    for (const v of q.validators) if (v < this.n) b[v >>> 5]! |= 1 << (v & 31);
    for (const i of q.inner) this.markAll(i, b);
  }

  private compile(q: QSet): BitQSet {
    const mask = this.empty();
    const repeats: number[] = [];
    for (const v of q.validators) {
      if (v >= this.n) continue; // outside the universe: never satisfied, counts for nothing
      const bit = 1 << (v & 31);
      if ((mask[v >>> 5]! & bit) !== 0) repeats.push(v);
      else mask[v >>> 5]! |= bit;
    }
    return { threshold: q.threshold, mask, repeats, inner: q.inner.map((i) => this.compile(i)) };
  }

  private sat(q: BitQSet, s: Uint32Array): boolean {
    let count = 0;
    const m = q.mask;
    for (let w = 0; w < m.length; w++) {
      let x = m[w]! & s[w]!;
      if (x === 0) continue;
      x -= (x >>> 1) & 0x55555555;
      x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
      count += (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
    }
    if (count >= q.threshold) return true;
    for (const v of q.repeats)
      if ((s[v >>> 5]! & (1 << (v & 31))) !== 0 && ++count >= q.threshold) return true;
    const inner = q.inner;
    if (count + inner.length < q.threshold) return false;
    let left = inner.length;
    for (let i = 0; i < inner.length; i++) {
      left--;
      if (this.sat(inner[i]!, s)) {
        if (++count >= q.threshold) return true;
      } else if (count + left < q.threshold) return false;
    }
    return false;
  }

  /** Is node v's quorum set satisfied by s? (False for nodes without one.) */
  satisfied(v: number, s: Uint32Array): boolean {
    const q = this.qsets[v];
    return q !== null && q !== undefined && this.sat(q, s);
  }

  /** Shrinks s in place to the greatest quorum inside it (empty when none). */
  greatestQuorumInPlace(s: Uint32Array): void {
    this.dirty.set(s);
    this.settle(s);
  }

  /**
   * Shrinks s, known to be a quorum (or empty) before `removed` left it, to the greatest quorum inside:
   * only the nodes that trust `removed` need another look.
   */
  withoutInPlace(s: Uint32Array, removed: number): void {
    const w0 = removed >>> 5;
    s[w0]! &= ~(1 << (removed & 31));
    const dep = this.dependents[removed]!;
    for (let w = 0; w < s.length; w++) this.dirty[w] = dep[w]! & s[w]!;
    this.settle(s);
  }

  private readonly dirty: Uint32Array = new Uint32Array(0);

  /** Worklist fixpoint: checks the dirty nodes, and the members that trust a node it drops. */
  private settle(s: Uint32Array): void {
    const dirty = this.dirty;
    const W = s.length;
    for (;;) {
      let w = 0;
      while (w < W && dirty[w] === 0) w++;
      if (w === W) return;
      const word = dirty[w]!;
      const low = word & -word;
      dirty[w] = word ^ low;
      if ((s[w]! & low) === 0) continue;
      const v = w * 32 + 31 - Math.clz32(low);
      if (this.satisfied(v, s)) continue;
      s[w]! &= ~low;
      const dep = this.dependents[v]!;
      for (let x = 0; x < W; x++) dirty[x]! |= dep[x]! & s[x]!;
    }
  }

  /**
   * As settle, but gives up as soon as it drops a node of `stop` (then s is left half-settled and the
   * answer is true). False: s is now the greatest quorum inside it and no node of `stop` left it.
   */
  private settleUntil(s: Uint32Array, stop: Uint32Array): boolean {
    const dirty = this.dirty;
    const W = s.length;
    for (;;) {
      let w = 0;
      while (w < W && dirty[w] === 0) w++;
      if (w === W) return false;
      const word = dirty[w]!;
      const low = word & -word;
      dirty[w] = word ^ low;
      if ((s[w]! & low) === 0) continue;
      const v = w * 32 + 31 - Math.clz32(low);
      if (this.satisfied(v, s)) continue;
      s[w]! &= ~low;
      if ((stop[w]! & low) !== 0) {
        dirty.fill(0);
        return true;
      }
      const dep = this.dependents[v]!;
      for (let x = 0; x < W; x++) dirty[x]! |= dep[x]! & s[x]!;
    }
  }

  /** withoutInPlace, stopped as soon as a node of `stop` drops out (true; s is then half-settled). */
  private withoutUntil(s: Uint32Array, removed: number, stop: Uint32Array): boolean {
    s[removed >>> 5]! &= ~(1 << (removed & 31));
    const dep = this.dependents[removed]!;
    for (let w = 0; w < s.length; w++) this.dirty[w] = dep[w]! & s[w]!;
    return this.settleUntil(s, stop);
  }

  /**
   * Does the quorum s lose node `keep` (or, with keep -1, every quorum) when `removed` leaves it? s is
   * overwritten with what is left, half-settled when the answer is true. `essential`: nodes known to leave
   * no such quorum when removed from s or from a quorum containing s; once one of them drops out, the
   * answer is true (what survives would be a quorum without it, inside s), so the cascade stops there.
   */
  private losesWithout(s: Uint32Array, removed: number, keep: number, essential: Uint32Array): boolean {
    if (this.withoutUntil(s, removed, essential)) return true;
    const W = s.length;
    if (keep >= 0) return (s[keep >>> 5]! & (1 << (keep & 31))) === 0;
    for (let w = 0; w < W; w++) if (s[w] !== 0) return false;
    return true;
  }

  greatestQuorum(s: Uint32Array): Uint32Array {
    const r = s.slice();
    this.greatestQuorumInPlace(r);
    return r;
  }

  /** First member of s whose quorum set s does not satisfy, or -1 when s is a quorum (or empty). */
  firstUnsatisfied(s: Uint32Array): number {
    for (let w = 0; w < s.length; w++) {
      let word = s[w]!;
      while (word !== 0) {
        const low = word & -word;
        word ^= low;
        const v = w * 32 + 31 - Math.clz32(low);
        if (!this.satisfied(v, s)) return v;
      }
    }
    return -1;
  }

  /**
   * Minimal quorums inside `within` by branch and bound (see minimal-quorums.ts for the method).
   * - `containing`: the quorums minimal among those that contain that node (node-minimal quorums);
   * - `seed`: only minimal quorums that contain this node;
   * - `maxSize`: only those with at most this many members;
   * - `limit`: stop after this many (the caller then knows the list is cut).
   */
  minimalQuorums(
    within: Uint32Array,
    budget: Budget,
    containing?: number,
    out: Uint32Array[] = [],
    opts: { seed?: number; maxSize?: number; limit?: number; maxSteps?: number } = {},
  ): Uint32Array[] {
    this.cut = false;
    let steps = 0;
    const maxSteps = opts.maxSteps ?? Number.POSITIVE_INFINITY;
    const W = this.words;
    const maxSize = opts.maxSize ?? Number.POSITIVE_INFINITY;
    const limit = opts.limit ?? Number.POSITIVE_INFINITY;
    const scratch = this.empty();
    const has = (s: Uint32Array, v: number) => (s[v >>> 5]! & (1 << (v & 31))) !== 0;
    const isEmpty = (s: Uint32Array) => {
      for (let w = 0; w < W; w++) if (s[w] !== 0) return false;
      return true;
    };
    const essential = this.empty();
    const only = this.empty();
    /**
     * Does the quorum s contain a quorum (containing `containing`, when given) other than s itself? Each
     * node whose removal leaves none joins `essential`, which cuts the later cascades short.
     */
    const hasSmallerQuorum = (s: Uint32Array): boolean => {
      essential.fill(0);
      if (containing !== undefined) essential[containing >>> 5]! |= 1 << (containing & 31);
      for (let w = 0; w < W; w++) {
        let word = s[w]!;
        while (word !== 0) {
          const low = word & -word;
          word ^= low;
          const v = w * 32 + 31 - Math.clz32(low);
          if (v === containing) continue;
          scratch.set(s);
          if (!this.losesWithout(scratch, v, containing ?? -1, essential)) return true;
          essential[w]! |= low;
        }
      }
      return false;
    };
    /** A node of the quorum set, available and not yet selected. */
    const candidate = (q: BitQSet, sel: Uint32Array, avail: Uint32Array): number => {
      const m = q.mask;
      for (let w = 0; w < W; w++) {
        const x = m[w]! & avail[w]! & ~sel[w]!;
        if (x !== 0) return w * 32 + 31 - Math.clz32(x & -x);
      }
      for (const inner of q.inner) {
        if (this.sat(inner, sel)) continue;
        const c = candidate(inner, sel, avail);
        if (c !== -1) return c;
      }
      return -1;
    };

    /** `avail` is a quorum (or empty) containing... or not containing sel: then nothing is left here. */
    /** How many more of q's entries the selection needs, less how many it could still get. */
    const slack = (q: BitQSet, sel: Uint32Array, avail: Uint32Array): number => {
      let have = 0;
      let could = 0;
      for (let w = 0; w < W; w++) {
        have += popcount32(q.mask[w]! & sel[w]!);
        could += popcount32(q.mask[w]! & avail[w]! & ~sel[w]!);
      }
      for (const inner of q.inner) {
        if (this.sat(inner, sel)) have++;
        else if (this.sat(inner, avail)) could++;
      }
      return could - (q.threshold - have);
    };

    // `added`: the node just selected (the selection without it contained no quorum); `unsat`: the
    // selected nodes whose quorum sets the selection does not satisfy (it only shrinks as it grows).
    const search = (
      sel: Uint32Array,
      size: number,
      avail: Uint32Array,
      added: number,
      unsat: Uint32Array,
    ): void => {
      budget.check();
      if (++steps > maxSteps) {
        this.cut = true;
        return;
      }
      for (let w = 0; w < W; w++) if ((sel[w]! & ~avail[w]!) !== 0) return;
      if (added !== -1) {
        // Only the node just added and the nodes that trust it can have become satisfied.
        const dep = this.dependents[added]!;
        const addedWord = added >>> 5;
        const addedBit = 1 << (added & 31);
        for (let w = 0; w < W; w++) {
          let word = unsat[w]! & (w === addedWord ? dep[w]! | addedBit : dep[w]!);
          while (word !== 0) {
            const low = word & -word;
            word ^= low;
            if (this.satisfied(w * 32 + 31 - Math.clz32(low), sel)) unsat[w]! &= ~low;
          }
        }
      }
      let best = -1;
      let bestSlack = Number.POSITIVE_INFINITY;
      for (let w = 0; w < W && bestSlack > 0; w++) {
        let word = unsat[w]!;
        while (word !== 0) {
          const low = word & -word;
          word ^= low;
          const u = w * 32 + 31 - Math.clz32(low);
          const sl = slack(this.qsets[u]!, sel, avail);
          if (sl < bestSlack) {
            bestSlack = sl;
            best = u;
            if (sl <= 0) break;
          }
        }
      }
      if (best === -1) {
        if (!hasSmallerQuorum(sel)) out.push(sel.slice());
        return;
      }
      if (size >= maxSize) return;
      // A selection that already contains a quorum (without being one) has no minimal quorum above it.
      // Any such quorum contains the node just added, so that node must be satisfied first. Without
      // `containing`, the earlier selections held no quorum at all (the node that completed one was
      // satisfied, so checked), so the greatest quorum is empty once the node just added drops out;
      // with it, the answer is "no" once `containing` drops out. Either way the cascade stops there.
      if (added !== -1 && (unsat[added >>> 5]! & (1 << (added & 31))) === 0) {
        scratch.set(sel);
        const key = containing ?? added;
        this.dirty.set(sel);
        only[key >>> 5] = 1 << (key & 31);
        const lost = this.settleUntil(scratch, only);
        only[key >>> 5] = 0;
        if (!lost && !isEmpty(scratch)) return;
      }
      const c = candidate(this.qsets[best]!, sel, avail);
      if (c === -1) return;
      const bit = 1 << (c & 31);
      const withC = sel.slice();
      withC[c >>> 5]! |= bit;
      const unsatC = unsat.slice();
      unsatC[c >>> 5]! |= bit;
      search(withC, size + 1, avail.slice(), c, unsatC);
      if (out.length >= limit || this.cut) return;
      // Without c: when a selected node drops out of what is left, that branch is dead at once (nothing
      // reads avail after it); it still counts as a search node, as it did when the search was entered.
      if (this.withoutUntil(avail, c, sel)) {
        budget.check();
        if (++steps > maxSteps) this.cut = true;
        return;
      }
      search(sel, size, avail, -1, unsat);
    };

    const avail = this.greatestQuorum(within);
    const start = containing ?? opts.seed;
    if (start !== undefined) {
      if (has(avail, start)) search(this.fromList([start]), 1, avail, start, this.fromList([start]));
    } else {
      // Every minimal quorum has a first node in index order: branch on it, so that the selection is
      // never empty.
      for (let v = 0; v < this.n && out.length < limit && !this.cut; v++) {
        if (!has(avail, v)) continue;
        search(this.fromList([v]), 1, avail.slice(), v, this.fromList([v]));
        this.withoutInPlace(avail, v);
        if (isEmpty(avail)) break;
      }
    }
    this.steps = steps;
    return out;
  }

  /**
   * All minimal blocking sets inside `within` (a quorum): minimal B such that within \ B holds no quorum.
   * Searched directly on the network, so the minimal quorums need not be known: while some quorum avoids
   * B, one of the members of a minimal quorum M inside what is left must join B; branch on them in turn,
   * each later branch forbidding the earlier members (each minimal set is then found once, as in MMCS). A
   * member b of B must stay critical: some quorum containing b avoids the rest of B, else no superset of
   * B is minimal. At a leaf every member is critical, so B is minimal. M is shrunk preferring to drop the
   * allowed nodes, so that few branches remain. `cut` as for minimalQuorums.
   */
  minimalBlockingSets(
    within: Uint32Array,
    budget: Budget,
    maxSteps = Number.POSITIVE_INFINITY,
    maxSize = Number.POSITIVE_INFINITY,
  ): Uint32Array[] {
    this.cut = false;
    let steps = 0;
    const W = this.words;
    const out: Uint32Array[] = [];
    const probe = this.empty();
    const isEmpty = (s: Uint32Array) => {
      for (let w = 0; w < W; w++) if (s[w] !== 0) return false;
      return true;
    };
    // Nodes of the current (shrinking) quorum whose removal leaves no quorum: removing a node stays fatal
    // in every quorum inside, so a cascade that drops one of them can stop there.
    const essential = this.empty();
    /** A minimal quorum inside the quorum q, keeping forbidden nodes as long as possible. */
    const shrink = (q: Uint32Array, forbidden: Uint32Array): Uint32Array => {
      const cur = q.slice();
      essential.fill(0);
      for (const pass of [0, 1]) {
        for (let w = 0; w < W; w++) {
          let word = cur[w]! & (pass === 0 ? ~forbidden[w]! : forbidden[w]!);
          while (word !== 0) {
            const low = word & -word;
            word ^= low;
            if ((cur[w]! & low) === 0) continue;
            probe.set(cur);
            if (this.losesWithout(probe, w * 32 + 31 - Math.clz32(low), -1, essential)) essential[w]! |= low;
            else cur.set(probe);
          }
        }
      }
      return cur;
    };
    const only = this.empty();
    /**
     * `left`: the greatest quorum outside B (within \ B). `members[i]` is the i-th member x of B and
     * `alone[i]` the greatest quorum of within \ (B \ {x}), which contains x (x is critical). Both are
     * kept up to date as B grows, so that each check only follows the cascade from the node just added.
     */
    const rec = (
      b: Uint32Array,
      members: number[],
      alone: Uint32Array[],
      left: Uint32Array,
      size: number,
      forbidden: Uint32Array,
    ): void => {
      budget.check();
      if (++steps > maxSteps) {
        this.cut = true;
        return;
      }
      if (isEmpty(left)) {
        out.push(b.slice());
        return;
      }
      if (size >= maxSize) return;
      const m = shrink(left, forbidden);
      const branch: number[] = [];
      for (let w = 0; w < W; w++) {
        let word = m[w]! & ~forbidden[w]!;
        while (word !== 0) {
          const low = word & -word;
          word ^= low;
          branch.push(w * 32 + 31 - Math.clz32(low));
        }
      }
      const forb = forbidden.slice();
      for (const e of branch) {
        // Each member x stays critical iff x is in the greatest quorum of within \ (B ∪ {e} \ {x}), that
        // is of alone[x] less e. e itself is: it lies in M, inside left.
        const nextAlone: Uint32Array[] = [];
        let ok = true;
        for (let i = 0; i < members.length; i++) {
          const x = members[i]!;
          const t = alone[i]!.slice();
          only[x >>> 5] = 1 << (x & 31);
          const lost = this.losesWithout(t, e, x, only);
          only[x >>> 5] = 0;
          if (lost) {
            ok = false;
            break;
          }
          nextAlone.push(t);
        }
        if (ok) {
          const next = b.slice();
          next[e >>> 5]! |= 1 << (e & 31);
          nextAlone.push(left);
          const nextLeft = left.slice();
          this.withoutInPlace(nextLeft, e);
          rec(next, [...members, e], nextAlone, nextLeft, size + 1, forb);
        }
        if (this.cut) return;
        forb[e >>> 5]! |= 1 << (e & 31);
      }
    };
    const start = this.greatestQuorum(within);
    if (isEmpty(start)) return [this.empty()];
    rec(this.empty(), [], [], start, 0, this.empty());
    this.steps = steps;
    return out;
  }

  /** Set by minimalQuorums: true when it stopped at `maxSteps` (the list is then incomplete). */
  cut = false;
  /** Search nodes visited by the last minimalQuorums call. */
  steps = 0;

  toList(s: Uint32Array): number[] {
    const out: number[] = [];
    for (let w = 0; w < s.length; w++) {
      let word = s[w]!;
      while (word !== 0) {
        const low = word & -word;
        word ^= low;
        out.push(w * 32 + 31 - Math.clz32(low));
      }
    }
    return out;
  }

  fromList(list: Iterable<number>): Uint32Array {
    const b = this.empty();
    for (const v of list) b[v >>> 5]! |= 1 << (v & 31);
    return b;
  }
}

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
