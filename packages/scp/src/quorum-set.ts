// Quorum sets: sanity, normalization, canonical encoding, slices, v-blocking sets and node weights.
// Definitions follow draft-mazieres-dinrg-scp-05 section 2 and stellar-core's LocalNode/QuorumSetUtils.
import { LIMITS } from './errors.js';
import type { NodeId, QuorumSet } from './types.js';

/** Membership test for a set of nodes: a Set, or any predicate. */
export type NodeFilter = ReadonlySet<NodeId> | ((node: NodeId) => boolean);

const toPredicate = (nodes: NodeFilter): ((node: NodeId) => boolean) =>
  typeof nodes === 'function' ? nodes : (n) => nodes.has(n);

export type SanityResult = { ok: true } | { ok: false; reason: string };

/**
 * Checks a quorum set against the protocol's limits. With `extraChecks`, also requires every threshold
 * to be a strict majority of its entries (stellar-core's "threshold is less than 51%" check), which a
 * node applies to its own configuration.
 */
export function checkQuorumSetSanity(qset: QuorumSet, extraChecks = false): SanityResult {
  const seen = new Set<NodeId>();
  const visit = (q: QuorumSet, depth: number): string | null => {
    if (depth > LIMITS.maxQuorumSetDepth) return `nesting deeper than ${LIMITS.maxQuorumSetDepth} levels`;
    if (!Number.isInteger(q.threshold) || q.threshold < 1)
      return 'threshold must be an integer of at least 1';
    const entries = q.validators.length + q.innerSets.length;
    if (q.threshold > entries) return `threshold ${q.threshold} exceeds the ${entries} entries of its set`;
    if (extraChecks && q.threshold < entries - q.threshold + 1) {
      return `threshold ${q.threshold} of ${entries} is not a strict majority`;
    }
    for (const v of q.validators) {
      if (typeof v !== 'string' || v.length === 0) return 'validator ids must be non-empty strings';
      if (seen.has(v)) return `validator ${v} appears more than once`;
      seen.add(v);
      if (seen.size > LIMITS.maxQuorumSetNodes) return `more than ${LIMITS.maxQuorumSetNodes} validators`;
    }
    for (const inner of q.innerSets) {
      const problem = visit(inner, depth + 1);
      if (problem) return problem;
    }
    return null;
  };
  const problem = visit(qset, 0);
  if (problem) return { ok: false, reason: problem };
  if (seen.size === 0) return { ok: false, reason: 'a quorum set must name at least one validator' };
  return { ok: true };
}

/** Calls `fn` on every validator named anywhere in the set. */
export function forAllNodes(qset: QuorumSet, fn: (node: NodeId) => void): void {
  for (const v of qset.validators) fn(v);
  for (const inner of qset.innerSets) forAllNodes(inner, fn);
}

/** Every validator named anywhere in the set, in order of appearance. */
export function allNodesOf(qset: QuorumSet): NodeId[] {
  const out: NodeId[] = [];
  forAllNodes(qset, (n) => out.push(n));
  return out;
}

/** Canonical order of quorum sets, used to sort inner sets during normalization. */
function compareQuorumSets(a: QuorumSet, b: QuorumSet): number {
  if (a.threshold !== b.threshold) return a.threshold - b.threshold;
  const n = Math.min(a.validators.length, b.validators.length);
  for (let i = 0; i < n; i++) {
    const c = a.validators[i]! < b.validators[i]! ? -1 : a.validators[i]! > b.validators[i]! ? 1 : 0;
    if (c !== 0) return c;
  }
  if (a.validators.length !== b.validators.length) return a.validators.length - b.validators.length;
  const m = Math.min(a.innerSets.length, b.innerSets.length);
  for (let i = 0; i < m; i++) {
    const c = compareQuorumSets(a.innerSets[i]!, b.innerSets[i]!);
    if (c !== 0) return c;
  }
  return a.innerSets.length - b.innerSets.length;
}

/**
 * Simplified, canonical form of a quorum set: `remove` (if given) is dropped and each threshold lowered
 * accordingly (nomination removes the local node this way); singleton inner sets become validators;
 * a 1-of-1 wrapper around one inner set becomes that set; validators and inner sets are sorted.
 */
export function normalizeQuorumSet(qset: QuorumSet, remove?: NodeId): QuorumSet {
  let threshold = qset.threshold;
  const validators: NodeId[] = [];
  for (const v of qset.validators) {
    if (v === remove) threshold--;
    else validators.push(v);
  }
  const innerSets: QuorumSet[] = [];
  for (const inner of qset.innerSets) {
    const n = normalizeQuorumSet(inner, remove);
    if (n.threshold === 1 && n.validators.length === 1 && n.innerSets.length === 0) {
      validators.push(n.validators[0]!);
    } else {
      innerSets.push(n);
    }
  }
  if (threshold === 1 && validators.length === 0 && innerSets.length === 1) return innerSets[0]!;
  validators.sort();
  innerSets.sort(compareQuorumSets);
  return { threshold, validators, innerSets };
}

/** The quorum set {1, [node]}: how SCP reads an EXTERNALIZE statement's sender. */
export const singletonQuorumSet = (node: NodeId): QuorumSet => ({
  threshold: 1,
  validators: [node],
  innerSets: [],
});

/**
 * Canonical bytes of a quorum set, hashed (through Driver.getHashOf) into the hash every statement
 * carries: big-endian u32 threshold, u32 count and (u32 length, UTF-8) per validator, u32 count and the
 * encoding of each inner set.
 */
export function encodeQuorumSet(qset: QuorumSet): Uint8Array {
  const chunks: Uint8Array[] = [];
  const u32 = (n: number) => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n);
    chunks.push(b);
  };
  const utf8 = new TextEncoder();
  const write = (q: QuorumSet) => {
    u32(q.threshold);
    u32(q.validators.length);
    for (const v of q.validators) {
      const bytes = utf8.encode(v);
      u32(bytes.length);
      chunks.push(bytes);
    }
    u32(q.innerSets.length);
    for (const inner of q.innerSets) write(inner);
  };
  write(qset);
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** True when the nodes satisfy `qset`: at least `threshold` of its entries are satisfied. */
export function isQuorumSlice(qset: QuorumSet, nodes: NodeFilter): boolean {
  const has = toPredicate(nodes);
  const satisfied = (q: QuorumSet): boolean => {
    let left = q.threshold;
    for (const v of q.validators) if (has(v) && --left <= 0) return true;
    for (const inner of q.innerSets) if (satisfied(inner) && --left <= 0) return true;
    return false;
  };
  return satisfied(qset);
}

/**
 * True when the nodes are v-blocking for `qset`: they intersect every slice, i.e. more than
 * `entries - threshold` of its entries are blocked.
 */
export function isVBlocking(qset: QuorumSet, nodes: NodeFilter): boolean {
  const has = toPredicate(nodes);
  const blocked = (q: QuorumSet): boolean => {
    if (q.threshold === 0) return false;
    let left = 1 + q.validators.length + q.innerSets.length - q.threshold;
    for (const v of q.validators) if (has(v) && --left <= 0) return true;
    for (const inner of q.innerSets) if (blocked(inner) && --left <= 0) return true;
    return false;
  };
  return blocked(qset);
}

/**
 * The smallest set of nodes among `good` whose failure, added to the failure of every node outside
 * `good`, would be v-blocking for `qset` (stellar-core's findClosestVBlocking). Its size is how many
 * more failures the local node survives before it is stuck: the "fail_at" of quorum health.
 * `excluded` is never counted (the local node, when asking about itself).
 */
export function findClosestVBlocking(qset: QuorumSet, good: NodeFilter, excluded?: NodeId): NodeId[] {
  const isGood = toPredicate(good);
  const closest = (q: QuorumSet): NodeId[] => {
    let left = 1 + q.validators.length + q.innerSets.length - q.threshold;
    const direct: NodeId[] = [];
    for (const v of q.validators) {
      if (v === excluded) continue;
      if (!isGood(v)) {
        if (--left === 0) return [];
      } else {
        direct.push(v);
      }
    }
    const fromInner: NodeId[][] = [];
    for (const inner of q.innerSets) {
      const needed = closest(inner);
      if (needed.length === 0) {
        if (--left === 0) return [];
      } else {
        fromInner.push(needed);
      }
    }
    const result = direct.slice(0, left);
    left -= result.length;
    fromInner.sort((a, b) => a.length - b.length);
    for (const needed of fromInner) {
      if (left === 0) break;
      result.push(...needed);
      left--;
    }
    return result;
  };
  return closest(qset);
}

const UINT64_MAX = (1n << 64n) - 1n;

/**
 * A node's weight in `qset`: the probability, scaled to [0, 2^64-1], that it appears in a slice chosen
 * at random (product of threshold/entries along the path to it; stellar-core's LocalNode::getNodeWeight).
 * Zero for a node not in the set.
 */
export function nodeWeight(node: NodeId, qset: QuorumSet): bigint {
  const entries = BigInt(qset.validators.length + qset.innerSets.length);
  const threshold = BigInt(qset.threshold);
  if (qset.validators.includes(node)) return (UINT64_MAX * threshold) / entries;
  for (const inner of qset.innerSets) {
    const w = nodeWeight(node, inner);
    if (w > 0n) return (w * threshold) / entries;
  }
  return 0n;
}

export { UINT64_MAX };
