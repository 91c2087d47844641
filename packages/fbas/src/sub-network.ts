import type { Fbas, FbasNode, QSet } from './model.js';
import type { Mask } from './quorums.js';

/**
 * The sub-network on `members`: the searches then work on a few dozen nodes instead of hundreds. References
 * to nodes outside become one placeholder without a quorum set (never in a quorum), which is exact for
 * quorums inside `members`. `back[i]` is the original index of sub-network node i.
 */
export function subNetwork(fbas: Fbas, members: Mask): { fbas: Fbas; back: number[] } {
  const back: number[] = [];
  const local = new Int32Array(fbas.nodes.length).fill(-1);
  members.forEach((x, i) => {
    if (x === 1) {
      local[i] = back.length;
      back.push(i);
    }
  });
  const outside = back.length;
  const mapQ = (q: QSet): QSet => ({
    threshold: q.threshold,
    validators: q.validators.map((v) => (local[v]! >= 0 ? local[v]! : outside)),
    inner: q.inner.map(mapQ),
  });
  const nodes: FbasNode[] = back.map((i) => {
    const n = fbas.nodes[i]!;
    return { ...n, qset: n.qset === null ? null : mapQ(n.qset) };
  });
  nodes.push({ id: '(outside)', qset: null, problem: { kind: 'missing-node' } });
  return { fbas: { nodes, index: new Map(nodes.map((n, i) => [n.id, i])) }, back };
}
