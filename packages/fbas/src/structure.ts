import type { Fbas } from './model.js';
import { type Mask, membersOf, QuorumEngine } from './quorums.js';
import { stronglyConnectedComponents } from './scc.js';

/**
 * The part of a network where quorums live. Every minimal quorum induces a strongly connected trust graph
 * (its members in a sink component of its own graph already form a quorum), so all minimal quorums lie
 * inside strongly connected components that contain a quorum (Lachowski 2019). If two such components
 * exist, their quorums are disjoint and intersection fails without any search.
 */
export interface NetworkStructure {
  engine: QuorumEngine;
  /** Union of all quorums: nodes that can ever be in a quorum. */
  quorumNodes: Mask;
  /** Components of the trust graph (restricted to quorumNodes) that contain a quorum, with that quorum. */
  quorumSccs: { members: number[]; greatestQuorum: Mask }[];
}

export function analyzeStructure(fbas: Fbas, engine = new QuorumEngine(fbas)): NetworkStructure {
  const all = new Uint8Array(engine.n).fill(1);
  const quorumNodes = engine.greatestQuorum(all);
  const edges = engine.trusts.map((ts, v) =>
    quorumNodes[v] === 1 ? ts.filter((t) => quorumNodes[t] === 1) : [],
  );
  const quorumSccs: NetworkStructure['quorumSccs'] = [];
  for (const comp of stronglyConnectedComponents(engine.n, edges)) {
    if (quorumNodes[comp[0]!] !== 1) continue;
    const within = new Uint8Array(engine.n);
    for (const v of comp) within[v] = 1;
    const gq = engine.greatestQuorum(within);
    if (gq.some((x) => x === 1)) quorumSccs.push({ members: membersOf(gq), greatestQuorum: gq });
  }
  quorumSccs.sort((a, b) => b.members.length - a.members.length || a.members[0]! - b.members[0]!);
  return { engine, quorumNodes, quorumSccs };
}
