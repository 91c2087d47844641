import { maskOf, membersOf, type QuorumEngine } from './quorums.js';
import { findQuorumPair } from './sat.js';

export interface WhatIf {
  /** Nodes that crashed or stopped. */
  down: number[];
  /** Nodes that may lie (send anything, to anyone). */
  byzantine: number[];
}

export interface WhatIfResult {
  down: number[];
  byzantine: number[];
  /** Correct nodes that still have a quorum of correct, running nodes: they keep closing ledgers. */
  live: number[];
  /** Correct nodes that halt: every quorum they have contains a failed node. */
  halted: number[];
  /** For the node asked about, if any. */
  node?: { node: number; halts: boolean };
  /** Do all correct nodes still agree? False with two quorums whose only common members are Byzantine. */
  intersects: boolean;
  /** The two quorums, when they do not. */
  split?: [number[], number[]];
}

export function whatIf(engine: QuorumEngine, failures: WhatIf, node?: number): WhatIfResult {
  const failed = maskOf(engine.n, [...failures.down, ...failures.byzantine]);
  const correct = failed.map((x) => 1 - x);
  const liveMask = engine.greatestQuorum(correct);
  const live = membersOf(liveMask);
  const halted = membersOf(correct).filter((v) => liveMask[v] === 0 && engine.qsets[v] !== null);
  // Crashed nodes take part in no quorum; Byzantine ones may be in both.
  const allowed = maskOf(engine.n, []).fill(1);
  for (const v of failures.down) allowed[v] = 0;
  const pair = findQuorumPair(engine, { allowed, shared: maskOf(engine.n, failures.byzantine) });
  const result: WhatIfResult = {
    down: [...failures.down].sort((a, b) => a - b),
    byzantine: [...failures.byzantine].sort((a, b) => a - b),
    live,
    halted,
    intersects: pair === null,
  };
  if (pair !== null) result.split = [membersOf(pair[0]), membersOf(pair[1])];
  if (node !== undefined) result.node = { node, halts: liveMask[node] !== 1 };
  return result;
}
