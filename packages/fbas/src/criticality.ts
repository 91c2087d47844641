import type { Budget } from './budget.js';
import { checkIntersection } from './intersection.js';
import { type GroupBy, groupKey } from './merge.js';
import type { Fbas, FbasNode } from './model.js';
import { QuorumEngine } from './quorums.js';
import { analyzeStructure } from './structure.js';

/**
 * Criticality. A group (organization) is critical when a misconfiguration of its own nodes alone breaks
 * quorum intersection of a network that had it. The misconfiguration we model is the one behind the 2019
 * Stellar halt in reverse: quorum sets that are too easy to satisfy. Each node of the group gets the
 * "fickle" quorum set
 *     threshold 2 of { any 1 of the group's nodes, any 1 of the group's dependents }
 * where dependents are the nodes outside the group whose quorum sets name one of its nodes. If the network
 * then has two disjoint quorums, the group is critical: its operators' next quorum-set edit could fork it.
 * Groups nobody outside depends on can only mislead themselves and are not considered.
 */
export interface CriticalityResult {
  by: GroupBy;
  critical: { group: string; split: [string[], string[]] }[];
  considered: string[];
}

export function criticality(fbas: Fbas, by: GroupBy, budget: Budget): CriticalityResult {
  const groups = new Map<string, number[]>();
  fbas.nodes.forEach((node, i) => {
    const key = groupKey(node, by) ?? `${node.name ?? node.id}`;
    const list = groups.get(key);
    if (list) list.push(i);
    else groups.set(key, [i]);
  });
  const engine = new QuorumEngine(fbas);
  const quorumNodes = analyzeStructure(fbas, engine).quorumNodes;
  const result: CriticalityResult = { by, critical: [], considered: [] };
  for (const [group, members] of groups) {
    budget.checkNow();
    const inGroup = new Set(members);
    const dependents = new Set<number>();
    for (const m of members)
      for (const d of engine.dependents[m]!) if (!inGroup.has(d) && quorumNodes[d]) dependents.add(d);
    if (dependents.size === 0) continue;
    result.considered.push(group);
    const fickle = {
      threshold: 2,
      validators: [],
      inner: [
        { threshold: 1, validators: members, inner: [] },
        { threshold: 1, validators: [...dependents].sort((a, b) => a - b), inner: [] },
      ],
    };
    const nodes: FbasNode[] = fbas.nodes.map((n, i) =>
      inGroup.has(i) ? { ...n, qset: fickle, problem: undefined } : n,
    );
    const check = checkIntersection(analyzeStructure({ nodes, index: fbas.index }));
    if (!check.intersects) {
      const ids = (s: number[]) => s.map((v) => fbas.nodes[v]!.id);
      result.critical.push({ group, split: [ids(check.quorums[0]), ids(check.quorums[1])] });
    }
  }
  return result;
}
