import type { Fbas, QSet } from './model.js';
import { qsetMembers } from './model.js';

/** Membership of a node set over an Fbas: mask[i] === 1 iff node i is in the set. */
export type Mask = Uint8Array;

export function maskOf(n: number, members: Iterable<number>): Mask {
  const m = new Uint8Array(n);
  for (const i of members) m[i] = 1;
  return m;
}

export function membersOf(m: Mask): number[] {
  const out: number[] = [];
  for (let i = 0; i < m.length; i++) if (m[i]) out.push(i);
  return out;
}

/** Is quorum set `q` satisfied by the set `m`? Stops as soon as the answer is known. */
export function satisfies(q: QSet, m: Mask): boolean {
  let need = q.threshold;
  let left = q.validators.length + q.inner.length;
  for (const v of q.validators) {
    if (m[v] === 1 && --need <= 0) return true;
    if (--left < need) return false;
  }
  for (const inner of q.inner) {
    if (satisfies(inner, m) && --need <= 0) return true;
    if (--left < need) return false;
  }
  return need <= 0;
}

/**
 * Precomputed reverse edges, so that the greatest-quorum fixpoint revisits only the nodes whose quorum sets
 * mention a node just removed.
 */
export class QuorumEngine {
  readonly n: number;
  readonly qsets: (QSet | null)[];
  /** dependents[v]: nodes whose quorum sets mention v. */
  readonly dependents: number[][];
  /** trusts[v]: distinct nodes v's quorum set mentions. */
  readonly trusts: number[][];

  constructor(readonly fbas: Fbas) {
    this.n = fbas.nodes.length;
    this.qsets = fbas.nodes.map((node) => node.qset);
    this.dependents = Array.from({ length: this.n }, () => []);
    this.trusts = this.qsets.map((q) => (q === null ? [] : [...new Set(qsetMembers(q))]));
    this.trusts.forEach((ts, v) => {
      for (const t of ts) this.dependents[t]!.push(v);
    });
  }

  /**
   * The greatest quorum inside `within` (the union of all quorums it contains; empty if none). Nodes are
   * removed while their quorum set is not satisfied by what remains. Returns a fresh mask.
   */
  greatestQuorum(within: Mask): Mask {
    const m = new Uint8Array(within);
    const queue: number[] = [];
    for (let i = 0; i < this.n; i++) {
      if (m[i] === 0) continue;
      if (this.qsets[i] === null) m[i] = 0;
      else queue.push(i);
    }
    // Nodes dropped for a null quorum set still need their dependents rechecked: queue holds them all.
    while (queue.length > 0) {
      const v = queue.pop()!;
      if (m[v] === 0) continue;
      if (!satisfies(this.qsets[v]!, m)) {
        m[v] = 0;
        for (const d of this.dependents[v]!) if (m[d] === 1) queue.push(d);
      }
    }
    return m;
  }

  isQuorum(m: Mask): boolean {
    let any = false;
    for (let i = 0; i < this.n; i++) {
      if (m[i] === 0) continue;
      any = true;
      const q = this.qsets[i];
      if (q === null || !satisfies(q, m)) return false;
    }
    return any;
  }

  /** A quorum is minimal iff removing any one member leaves no quorum inside it. */
  isMinimalQuorum(m: Mask): boolean {
    if (!this.isQuorum(m)) return false;
    const probe = new Uint8Array(m);
    for (let i = 0; i < this.n; i++) {
      if (m[i] === 0) continue;
      probe[i] = 0;
      const gq = this.greatestQuorum(probe);
      probe[i] = 1;
      if (gq.some((x) => x === 1)) return false;
    }
    return true;
  }

  /** Shrinks a quorum to a minimal quorum inside it, greedily (used to make evidence small). */
  shrinkToMinimal(m: Mask, keep?: number): Mask {
    let cur = this.greatestQuorum(m);
    for (let i = 0; i < this.n; i++) {
      if (cur[i] === 0 || i === keep) continue;
      const probe = new Uint8Array(cur);
      probe[i] = 0;
      const gq = this.greatestQuorum(probe);
      const ok = keep === undefined ? gq.some((x) => x === 1) : gq[keep] === 1;
      if (ok) cur = gq;
    }
    return cur;
  }
}
