import { canonicalQSet } from './minimal-quorums.js';
import type { Fbas, FbasNode, QSet } from './model.js';

export type GroupBy = 'organization' | 'country' | 'isp';

/**
 * Merges a network by organization (or country, ISP): each group becomes one node, acting as a unit (all
 * its nodes up, or all down, or all Byzantine). The merge is exact, not a heuristic: a set of groups G is
 * a quorum of the merged network iff the nodes of G that have a quorum set form a quorum of the original.
 * - A reference to a node becomes a reference to its group (a group named twice counts twice).
 * - A group's quorum set requires every member's quorum set: threshold = number of members.
 * - A node without a quorum set never counts: references to it become an unsatisfiable placeholder.
 * Nodes without a value for the attribute form a group of their own, named after the node.
 */
export interface MergedNetwork {
  fbas: Fbas;
  /** members[g]: original node indices in group g. */
  members: number[][];
}

export function groupKey(node: FbasNode, by: GroupBy): string | undefined {
  return by === 'organization' ? node.organization : by === 'country' ? node.country : node.isp;
}

export function mergeBy(fbas: Fbas, by: GroupBy): MergedNetwork {
  const groupIndex = new Map<string, number>();
  const members: number[][] = [];
  const names: string[] = [];
  const groupOf = fbas.nodes.map((node, i) => {
    const key = groupKey(node, by);
    const label = key ?? `${node.name ?? node.id}`;
    const mapKey = key === undefined ? `node:${node.id}` : `group:${key}`;
    let g = groupIndex.get(mapKey);
    if (g === undefined) {
      g = members.length;
      groupIndex.set(mapKey, g);
      members.push([]);
      names.push(label);
    }
    members[g]!.push(i);
    return g;
  });
  // The placeholder for "a node that can never be in a quorum" is one extra group without a quorum set.
  const dead = members.length;
  const mapQSet = (q: QSet): QSet => ({
    threshold: q.threshold,
    validators: q.validators.map((v) => (fbas.nodes[v]!.qset === null ? dead : groupOf[v]!)),
    inner: q.inner.map(mapQSet),
  });
  const nodes: FbasNode[] = members.map((ms, g) => {
    const withQSet = ms.filter((v) => fbas.nodes[v]!.qset !== null);
    const merged: FbasNode = { id: names[g]!, name: names[g]!, qset: null };
    if (withQSet.length === 0) merged.problem = { kind: 'unknown-quorum-set' };
    else if (withQSet.length === 1) merged.qset = mapQSet(fbas.nodes[withQSet[0]!]!.qset!);
    else {
      const inner = withQSet.map((v) => mapQSet(fbas.nodes[v]!.qset!));
      // Identical requirements collapse to one (keeps a merged symmetric tier recognisably symmetric).
      const distinct = [...new Map(inner.map((q) => [canonicalQSet(q), q])).values()];
      merged.qset =
        distinct.length === 1
          ? distinct[0]!
          : { threshold: distinct.length, validators: [], inner: distinct };
    }
    return merged;
  });
  nodes.push({ id: '(nodes without quorum set)', qset: null, problem: { kind: 'unknown-quorum-set' } });
  members.push([]);
  const index = new Map<string, number>();
  nodes.forEach((n, i) => {
    if (index.has(n.id)) n.id = `${n.id}#${i}`;
    index.set(n.id, i);
  });
  return { fbas: { nodes, index }, members };
}
