// The network analysis the views show: the node's (/v1/network, from packages/fbas, any size) when
// present, or else computed here with fbas-lite for small networks. Each result says where it came from.
import type { MemberStatus, NetworkAnalysis, QuorumHealth, Validator } from './api';
import { checkIntersection, type QuorumMap, smallestBlockingSets, topTier } from './fbas-lite';
import type { StatusResult } from './network-model';

export interface ShownAnalysis extends NetworkAnalysis {
  readonly source: 'node' | 'browser' | 'none';
}

export function analysisToShow(server: NetworkAnalysis | null, qmap: QuorumMap): ShownAnalysis {
  if (server) return { ...server, source: 'node' };
  if (qmap.size === 0) {
    return {
      intersects: 'unknown',
      disjointQuorums: null,
      topTier: [],
      minimalBlockingSets: [],
      criticalOrganizations: [],
      minimalSplittingSets: [],
      source: 'none',
    };
  }
  const verdict = checkIntersection(qmap);
  return {
    intersects: verdict.intersects,
    disjointQuorums: verdict.split ? [verdict.split[0], verdict.split[1]] : null,
    topTier: topTier(qmap) ?? [],
    minimalBlockingSets: smallestBlockingSets(qmap) ?? [],
    criticalOrganizations: [],
    minimalSplittingSets: [],
    source: 'browser',
  };
}

export type NodeColor = MemberStatus | 'local' | 'unknown';

/**
 * How to color a validator: this node's own view of its quorum-set members first; for others, whether
 * their API answers and reports them synced.
 */
export function nodeColorer(
  localId: string | null,
  quorum: QuorumHealth | null,
  statuses: ReadonlyMap<string, StatusResult> | null,
): (node: string) => NodeColor {
  const members = new Map(quorum?.members.map((m) => [m.node, m.status]) ?? []);
  return (node) => {
    if (node === localId) return 'local';
    const m = members.get(node);
    if (m) return m;
    const s = statuses?.get(node);
    if (!s) return 'unknown';
    if (!s.ok) return 'missing';
    return s.status.state === 'synced' ? 'agree' : 'delayed';
  };
}

/** Organizations among `validators` whose every validator is in `nodes`. */
export function orgsCoveredBy(validators: readonly Validator[], nodes: ReadonlySet<string>): string[] {
  const byOrg = new Map<string, string[]>();
  for (const v of validators) byOrg.set(v.org, [...(byOrg.get(v.org) ?? []), v.nodeId]);
  return [...byOrg].filter(([, ids]) => ids.every((id) => nodes.has(id))).map(([org]) => org);
}

/** The sets of the smallest size in a family (the family may also hold larger minimal sets). */
export function smallestOf(sets: readonly string[][]): string[][] {
  if (sets.length === 0) return [];
  const min = Math.min(...sets.map((s) => s.length));
  return sets.filter((s) => s.length === min);
}
