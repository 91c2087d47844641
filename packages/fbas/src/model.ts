import { FbasError } from './errors.js';

/** A quorum set as written by operators, with node ids (public keys). */
export interface RawQuorumSet {
  threshold: number;
  validators: string[];
  innerSets: RawQuorumSet[];
}

/** One node as read from any input format, before validation. `quorumSet: null` = not known. */
export interface RawNode {
  id: string;
  name?: string;
  organization?: string;
  country?: string;
  isp?: string;
  /** Only used to name organizations that have no name in the input. */
  homeDomain?: string;
  quorumSet: RawQuorumSet | null;
}

/** A validated quorum set over node indices. Entries may repeat (merged networks count a group twice). */
export interface QSet {
  threshold: number;
  validators: number[];
  inner: QSet[];
}

export type NodeProblem =
  | { kind: 'unknown-quorum-set' }
  | { kind: 'missing-node' }
  | { kind: 'invalid-quorum-set'; reason: string };

export interface FbasNode {
  id: string;
  name?: string;
  organization?: string;
  country?: string;
  isp?: string;
  /** null when the quorum set is unknown or invalid: such a node is never part of a quorum. */
  qset: QSet | null;
  problem?: NodeProblem;
}

export interface Fbas {
  nodes: FbasNode[];
  index: Map<string, number>;
}

export const LIMITS = { nodesMax: 20_000, qsetDepthMax: 8, qsetEntriesMax: 2_000 } as const;

/**
 * stellarbeat writes `threshold: 2^53-1` with no members for "quorum set not known"; we read that as
 * unknown rather than as an invalid configuration.
 */
function isUnknownMarker(q: RawQuorumSet): boolean {
  return q.validators.length === 0 && q.innerSets.length === 0 && q.threshold >= Number.MAX_SAFE_INTEGER;
}

export function buildFbas(raw: readonly RawNode[]): Fbas {
  if (raw.length > LIMITS.nodesMax) {
    throw new FbasError('LIMIT_EXCEEDED', `network has ${raw.length} nodes, limit is ${LIMITS.nodesMax}`);
  }
  const nodes: FbasNode[] = [];
  const index = new Map<string, number>();
  for (const r of raw) {
    if (index.has(r.id)) throw new FbasError('DUPLICATE_NODE', `node ${r.id} is listed twice`, { id: r.id });
    index.set(r.id, nodes.length);
    nodes.push({
      id: r.id,
      name: r.name,
      organization: r.organization,
      country: r.country,
      isp: r.isp,
      qset: null,
    });
  }
  const lookup = (id: string): number => {
    let i = index.get(id);
    if (i === undefined) {
      // Referenced but not described: kept as a node we know nothing about, and reported.
      i = nodes.length;
      index.set(id, i);
      nodes.push({ id, qset: null, problem: { kind: 'missing-node' } });
    }
    return i;
  };
  raw.forEach((r, i) => {
    const node = nodes[i]!;
    if (r.quorumSet === null || isUnknownMarker(r.quorumSet)) {
      node.problem = { kind: 'unknown-quorum-set' };
      return;
    }
    const problem = validateQSet(r.quorumSet, 1);
    if (problem !== undefined) {
      node.problem = { kind: 'invalid-quorum-set', reason: problem };
      // Still register the ids it names, so a node referenced only here is reported as missing.
      forEachId(r.quorumSet, lookup);
      return;
    }
    node.qset = compile(r.quorumSet, lookup);
  });
  return { nodes, index };
}

function validateQSet(q: RawQuorumSet, depth: number): string | undefined {
  if (depth > LIMITS.qsetDepthMax) return `nested deeper than ${LIMITS.qsetDepthMax}`;
  const entries = q.validators.length + q.innerSets.length;
  if (entries > LIMITS.qsetEntriesMax) return `more than ${LIMITS.qsetEntriesMax} entries`;
  if (!Number.isInteger(q.threshold)) return `threshold ${q.threshold} is not an integer`;
  // stellar-core rejects threshold 0 as insane; we follow it rather than read "trusts nobody".
  if (q.threshold < 1) return `threshold ${q.threshold} is below 1`;
  if (q.threshold > entries) return `threshold ${q.threshold} exceeds its ${entries} entries`;
  for (const inner of q.innerSets) {
    const p = validateQSet(inner, depth + 1);
    if (p !== undefined) return p;
  }
  return undefined;
}

function forEachId(q: RawQuorumSet, f: (id: string) => void): void {
  q.validators.forEach(f);
  for (const inner of q.innerSets) forEachId(inner, f);
}

function compile(q: RawQuorumSet, lookup: (id: string) => number): QSet {
  return {
    threshold: q.threshold,
    validators: q.validators.map(lookup),
    inner: q.innerSets.map((s) => compile(s, lookup)),
  };
}

/** Every node index a quorum set mentions, at any depth (with repeats). */
export function qsetMembers(q: QSet, out: number[] = []): number[] {
  for (const v of q.validators) out.push(v);
  for (const inner of q.inner) qsetMembers(inner, out);
  return out;
}

export function displayName(node: FbasNode): string {
  return node.name ?? node.id;
}
