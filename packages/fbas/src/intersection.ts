import { membersOf } from './quorums.js';
import { findQuorumPair } from './sat.js';
import type { NetworkStructure } from './structure.js';

export type IntersectionResult =
  | { intersects: true; reason: 'no-quorum' | 'sat-unsatisfiable' }
  | {
      intersects: false;
      reason: 'quorums-in-separate-components' | 'sat-model';
      /** Two disjoint minimal quorums (node indices). */
      quorums: [number[], number[]];
    };

/**
 * Quorum intersection: every two quorums share a node. Checked per quorum-containing component with SAT.
 * A network with no quorum at all intersects vacuously (it is not live, which the blocking analysis shows).
 */
export function checkIntersection(structure: NetworkStructure): IntersectionResult {
  const { engine, quorumSccs } = structure;
  if (quorumSccs.length === 0) return { intersects: true, reason: 'no-quorum' };
  if (quorumSccs.length > 1) {
    const a = engine.shrinkToMinimal(quorumSccs[0]!.greatestQuorum);
    const b = engine.shrinkToMinimal(quorumSccs[1]!.greatestQuorum);
    return {
      intersects: false,
      reason: 'quorums-in-separate-components',
      quorums: [membersOf(a), membersOf(b)],
    };
  }
  const pair = findQuorumPair(engine, { allowed: quorumSccs[0]!.greatestQuorum });
  if (pair === null) return { intersects: true, reason: 'sat-unsatisfiable' };
  const a = engine.shrinkToMinimal(pair[0]);
  const b = engine.shrinkToMinimal(pair[1]);
  return { intersects: false, reason: 'sat-model', quorums: [membersOf(a), membersOf(b)] };
}
