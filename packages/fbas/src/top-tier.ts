import { canonicalQSet } from './minimal-quorums.js';
import type { QuorumEngine } from './quorums.js';

/**
 * The top tier is the union of all minimal quorums (fbas_analyzer's definition): the nodes whose failure or
 * misbehaviour can matter to anyone. It is symmetric when all its nodes have the same quorum set, as a
 * well-run tier does; then every analysis reduces to that one quorum set.
 */
export function topTier(
  engine: QuorumEngine,
  minQuorums: readonly number[][],
): { nodes: number[]; symmetric: boolean } {
  const nodes = [...new Set(minQuorums.flat())].sort((a, b) => a - b);
  const keys = new Set(nodes.map((v) => canonicalQSet(engine.qsets[v]!)));
  return { nodes, symmetric: nodes.length > 0 && keys.size === 1 };
}
