import { readFileSync } from 'node:fs';
import type { NodeId, QuorumSet } from '@qm/scp';
import { SimError } from './errors.js';

/** Who runs, and whom each trusts. `absent` nodes appear in quorum sets but never run (always down). */
export interface Topology {
  readonly name: string;
  readonly nodes: readonly NodeId[];
  readonly quorumSets: ReadonlyMap<NodeId, QuorumSet>;
  readonly absent: readonly NodeId[];
}

const pad = (i: number, width: number): string => String(i).padStart(width, '0');

/** The usual Byzantine-tolerant threshold: more than two thirds. */
export function twoThirdsPlusOne(n: number): number {
  return Math.floor((2 * n) / 3) + 1;
}

/** n validators, each trusting all n with threshold k (default 2n/3 + 1). */
export function flatTopology(n: number, threshold = twoThirdsPlusOne(n)): Topology {
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(threshold) || threshold < 1 || threshold > n) {
    throw new SimError('BAD_TOPOLOGY', 'flat topology needs 1 <= threshold <= n', { n, threshold });
  }
  const width = String(n - 1).length;
  const nodes = Array.from({ length: n }, (_, i) => `v${pad(i, width)}`);
  const qset: QuorumSet = { threshold, validators: nodes, innerSets: [] };
  return {
    name: `flat-${n}-of-${threshold}`,
    nodes,
    quorumSets: new Map(nodes.map((id) => [id, qset])),
    absent: [],
  };
}

/**
 * Organizations of `perOrg` validators each; every validator trusts every organization as one inner set
 * (threshold `innerThreshold`), and needs `outerThreshold` organizations. This is the shape stellar-core
 * generates from a validator list grouped by home domain.
 */
export function tieredTopology(
  orgs: number,
  perOrg = 3,
  innerThreshold = 2,
  outerThreshold = twoThirdsPlusOne(orgs),
): Topology {
  const bad =
    !Number.isInteger(orgs) ||
    orgs < 1 ||
    perOrg < 1 ||
    innerThreshold < 1 ||
    innerThreshold > perOrg ||
    outerThreshold < 1 ||
    outerThreshold > orgs;
  if (bad) {
    throw new SimError('BAD_TOPOLOGY', 'tiered topology thresholds out of range', {
      orgs,
      perOrg,
      innerThreshold,
      outerThreshold,
    });
  }
  const ow = String(orgs - 1).length;
  const members = Array.from({ length: orgs }, (_, o) =>
    Array.from({ length: perOrg }, (_, i) => `o${pad(o, ow)}-${i}`),
  );
  const qset: QuorumSet = {
    threshold: outerThreshold,
    validators: [],
    innerSets: members.map((validators) => ({ threshold: innerThreshold, validators, innerSets: [] })),
  };
  const nodes = members.flat();
  return {
    name: `tiered-${orgs}x${perOrg}`,
    nodes,
    quorumSets: new Map(nodes.map((id) => [id, qset])),
    absent: [],
  };
}

/**
 * A configuration without quorum intersection: {a0,a1,a2} trust only themselves, {b0,b1,b2} trust only
 * themselves, and a watcher needs both groups. Each group is a quorum on its own, so the two can
 * externalize different values for the same slot: the agreement checker must catch it.
 */
export function disjointTopology(): Topology {
  const a = ['a0', 'a1', 'a2'];
  const b = ['b0', 'b1', 'b2'];
  const qa: QuorumSet = { threshold: 2, validators: a, innerSets: [] };
  const qb: QuorumSet = { threshold: 2, validators: b, innerSets: [] };
  const watcher: QuorumSet = { threshold: 2, validators: [], innerSets: [qa, qb] };
  const quorumSets = new Map<NodeId, QuorumSet>([
    ...a.map((id): [NodeId, QuorumSet] => [id, qa]),
    ...b.map((id): [NodeId, QuorumSet] => [id, qb]),
    ['watcher', watcher],
  ]);
  return { name: 'disjoint-3+3+watcher', nodes: [...a, ...b, 'watcher'], quorumSets, absent: [] };
}

interface StellarQuorumSetJson {
  threshold?: unknown;
  validators?: unknown;
  innerQuorumSets?: unknown;
}

function parseStellarQuorumSet(raw: StellarQuorumSetJson, depth: number): QuorumSet | null {
  if (depth > 4 || typeof raw !== 'object' || raw === null) return null;
  const threshold = raw.threshold;
  const validators = Array.isArray(raw.validators) ? raw.validators : [];
  const inner = Array.isArray(raw.innerQuorumSets) ? raw.innerQuorumSets : [];
  if (!Number.isInteger(threshold) || !validators.every((v) => typeof v === 'string')) return null;
  const innerSets: QuorumSet[] = [];
  for (const i of inner) {
    const parsed = parseStellarQuorumSet(i as StellarQuorumSetJson, depth + 1);
    if (!parsed) return null;
    innerSets.push(parsed);
  }
  const members = validators.length + innerSets.length;
  if ((threshold as number) < 1 || (threshold as number) > members) return null;
  return { threshold: threshold as number, validators: validators as string[], innerSets };
}

function qsetMembers(q: QuorumSet, into: Set<NodeId>): Set<NodeId> {
  for (const v of q.validators) into.add(v);
  for (const i of q.innerSets) qsetMembers(i, into);
  return into;
}

export interface StellarLoadOptions {
  /** Keep only the nodes reachable through quorum sets from these (their transitive quorum closure). */
  readonly closureOf?: readonly NodeId[];
  /** Drop nodes the snapshot marks inactive (`active: false`). Default false. */
  readonly activeOnly?: boolean;
}

/**
 * Loads a Stellar network snapshot (stellarbeat-style JSON: an array of {publicKey, quorumSet:
 * {threshold, validators, innerQuorumSets}}). Nodes with a missing or insane quorum set are watchers
 * and are left out; ids named in quorum sets but not running are `absent` (they never speak).
 */
export function loadStellarNetwork(path: string, options: StellarLoadOptions = {}): Topology {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new SimError('BAD_NETWORK_FILE', `cannot read network file: ${(err as Error).message}`, { path });
  }
  if (!Array.isArray(data))
    throw new SimError('BAD_NETWORK_FILE', 'expected a JSON array of nodes', { path });
  const quorumSets = new Map<NodeId, QuorumSet>();
  for (const entry of data as Record<string, unknown>[]) {
    if (typeof entry?.publicKey !== 'string' || !entry.quorumSet) continue;
    if (options.activeOnly && entry.active === false) continue;
    const q = parseStellarQuorumSet(entry.quorumSet as StellarQuorumSetJson, 1);
    if (q && !quorumSets.has(entry.publicKey)) quorumSets.set(entry.publicKey, q);
  }
  let running = [...quorumSets.keys()];
  if (options.closureOf) {
    const seen = new Set<NodeId>();
    const queue = [...options.closureOf];
    while (queue.length > 0) {
      const id = queue.shift()!;
      if (seen.has(id)) continue;
      seen.add(id);
      const q = quorumSets.get(id);
      if (q) for (const m of qsetMembers(q, new Set())) if (!seen.has(m)) queue.push(m);
    }
    running = running.filter((id) => seen.has(id));
  }
  if (running.length === 0)
    throw new SimError('BAD_NETWORK_FILE', 'no validator with a usable quorum set', { path });
  const runningSet = new Set(running);
  const referenced = new Set<NodeId>();
  for (const id of running) qsetMembers(quorumSets.get(id)!, referenced);
  const absent = [...referenced].filter((id) => !runningSet.has(id)).sort();
  const name = path
    .split('/')
    .pop()!
    .replace(/\.json$/, '');
  return {
    name,
    nodes: running,
    quorumSets: new Map(running.map((id) => [id, quorumSets.get(id)!])),
    absent,
  };
}
