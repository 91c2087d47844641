import { Budget, type Outcome, withBudget } from './budget.js';
import { type CriticalityResult, criticality } from './criticality.js';
import { FbasError } from './errors.js';
import { allMinimalQuorums, blockingSets, haltingSets, splittingSets, topTierNodes } from './families.js';
import { whatIf } from './halting.js';
import { checkIntersection } from './intersection.js';
import { type GroupBy, mergeBy } from './merge.js';
import type { Fbas } from './model.js';
import { membersOf, QuorumEngine } from './quorums.js';
import { analyzeStructure } from './structure.js';
import { topTier } from './top-tier.js';

export interface AnalyzeOptions {
  /** Wall-clock budget for each analysis; past it the analysis answers "unknown". Default 10 s. */
  budgetMs?: number;
  /** Also analyze the network merged by these attributes (only where some node carries it). */
  groupBy?: GroupBy[];
  /** Halting analysis for this node (id or unique name). */
  node?: string;
  /** What-if: these nodes crashed. */
  down?: string[];
  /** What-if: these nodes are Byzantine. */
  byzantine?: string[];
  /** Criticality by organization (one intersection check per organization). Default true. */
  criticality?: boolean;
  nowMs?: () => number;
}

/** Node sets are reported as sorted lists of node ids (public keys). */
export type NodeSet = string[];

export interface SetFamily {
  count: number;
  /** Size of the smallest set; null when there are none. */
  smallest: number | null;
  /** True: all minimal sets. False: all minimal sets with at most `completeUpTo` members (the smallest). */
  complete: boolean;
  completeUpTo: number | null;
  sets: NodeSet[];
}

export type IntersectionAnswer =
  | { intersects: true; reason: 'no-quorum' | 'sat-unsatisfiable' | 'no-disjoint-minimal-quorums' }
  | { intersects: false; reason: string; quorums: [NodeSet, NodeSet] };

export interface CoreAnalysis {
  nodeCount: number;
  intersection: Outcome<IntersectionAnswer>;
  minimalQuorums: Outcome<SetFamily & { symmetricShortcut: boolean }>;
  topTier: Outcome<{ nodes: NodeSet; symmetric: boolean }>;
  minimalBlockingSets: Outcome<SetFamily>;
  minimalSplittingSets: Outcome<SetFamily>;
}

export interface NodeReport {
  total: number;
  inSomeQuorum: number;
  unknownQuorumSet: NodeSet;
  missing: NodeSet;
  invalid: { id: string; reason: string }[];
  /** Nodes with a valid quorum set that no quorum can ever satisfy (they trust unsatisfiable nodes). */
  neverInQuorum: NodeSet;
  quorumComponents: number;
}

export interface Analysis extends CoreAnalysis {
  nodes: NodeReport;
  /** id -> display name, for nodes that have a name. */
  names: Record<string, string>;
  byGroup: Partial<Record<GroupBy, CoreAnalysis & { groups: Record<string, NodeSet> }>>;
  criticality?: Outcome<Omit<CriticalityResult, 'critical'> & { critical: CriticalityResult['critical'] }>;
  halting?: Outcome<{ node: string; canProgress: boolean; haltingSets: SetFamily }>;
  whatIf?: {
    down: NodeSet;
    byzantine: NodeSet;
    live: NodeSet;
    halted: NodeSet;
    node?: { node: string; halts: boolean };
    intersects: boolean;
    split?: [NodeSet, NodeSet];
  };
  elapsedMs: number;
}

export function resolveNode(fbas: Fbas, key: string): number {
  const byId = fbas.index.get(key);
  if (byId !== undefined) return byId;
  const byName = fbas.nodes.flatMap((n, i) => (n.name === key ? [i] : []));
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1) {
    throw new FbasError('UNKNOWN_NODE', `name '${key}' is ambiguous (${byName.length} nodes); use the key`, {
      key,
    });
  }
  throw new FbasError('UNKNOWN_NODE', `no node with key or name '${key}'`, { key });
}

function family(
  fbas: Fbas,
  f: { sets: readonly number[][]; complete?: boolean; completeUpTo?: number | null },
): SetFamily {
  const sets = f.sets.map((s) => s.map((v) => fbas.nodes[v]!.id).sort()).sort((a, b) => a.length - b.length);
  return {
    count: sets.length,
    smallest: sets.length === 0 ? null : sets[0]!.length,
    complete: f.complete ?? true,
    completeUpTo: f.completeUpTo ?? null,
    sets,
  };
}

/** Intersection, minimal quorums, top tier, blocking and splitting sets of one network. */
export function analyzeCore(fbas: Fbas, budgetMs: number, nowMs: () => number = Date.now): CoreAnalysis {
  const engine = new QuorumEngine(fbas);
  const structure = analyzeStructure(fbas, engine);
  const budget = () => new Budget(budgetMs, nowMs);
  const ids = (s: number[]) => s.map((v) => fbas.nodes[v]!.id).sort();
  const intersection = withBudget(budget(), (): IntersectionAnswer => {
    const r = checkIntersection(structure);
    return r.intersects
      ? r
      : { intersects: false, reason: r.reason, quorums: [ids(r.quorums[0]), ids(r.quorums[1])] };
  });
  // mq: all minimal quorums, when they could be listed; found: those listed (maybe only the smallest).
  let mq: number[][] | undefined;
  let found: number[][] | undefined;
  const minimal = withBudget(budget(), () => {
    const r = allMinimalQuorums(fbas, structure, budget());
    found = r.sets;
    if (r.complete) mq = r.sets;
    return { ...family(fbas, r), symmetricShortcut: r.symmetricShortcut };
  });
  return {
    nodeCount: fbas.nodes.length,
    intersection,
    minimalQuorums: minimal,
    topTier: withBudget(budget(), () => {
      // Without the full list, each node not yet seen in a minimal quorum is asked about on its own.
      const t = topTier(engine, mq ?? [topTierNodes(fbas, structure, budget(), found)]);
      return { nodes: ids(t.nodes), symmetric: t.symmetric };
    }),
    minimalBlockingSets: withBudget(budget(), () =>
      family(fbas, blockingSets(fbas, structure, budget(), mq, mq === undefined && found !== undefined)),
    ),
    minimalSplittingSets: withBudget(budget(), () =>
      family(
        fbas,
        splittingSets(
          fbas,
          structure,
          mq,
          budget(),
          1000,
          intersection.status === 'done' ? intersection.intersects : undefined,
        ),
      ),
    ),
  };
}

export function analyze(fbas: Fbas, options: AnalyzeOptions = {}): Analysis {
  const nowMs = options.nowMs ?? Date.now;
  const started = nowMs();
  const budgetMs = options.budgetMs ?? 10_000;
  const nodeIndex = options.node === undefined ? undefined : resolveNode(fbas, options.node);
  const down = (options.down ?? []).map((k) => resolveNode(fbas, k));
  const byzantine = (options.byzantine ?? []).map((k) => resolveNode(fbas, k));

  const engine = new QuorumEngine(fbas);
  const structure = analyzeStructure(fbas, engine);
  const core = analyzeCore(fbas, budgetMs, nowMs);
  const idsOf = (s: number[]) => s.map((v) => fbas.nodes[v]!.id).sort();
  const names: Record<string, string> = {};
  for (const n of fbas.nodes) if (n.name !== undefined) names[n.id] = n.name;

  const nodes: NodeReport = {
    total: fbas.nodes.length,
    inSomeQuorum: membersOf(structure.quorumNodes).length,
    unknownQuorumSet: fbas.nodes.filter((n) => n.problem?.kind === 'unknown-quorum-set').map((n) => n.id),
    missing: fbas.nodes.filter((n) => n.problem?.kind === 'missing-node').map((n) => n.id),
    invalid: fbas.nodes.flatMap((n) =>
      n.problem?.kind === 'invalid-quorum-set' ? [{ id: n.id, reason: n.problem.reason }] : [],
    ),
    neverInQuorum: fbas.nodes
      .filter((n, i) => n.qset !== null && structure.quorumNodes[i] === 0)
      .map((n) => n.id),
    quorumComponents: structure.quorumSccs.length,
  };

  const byGroup: Analysis['byGroup'] = {};
  for (const by of options.groupBy ?? ['organization', 'country', 'isp']) {
    const attr = by === 'organization' ? 'organization' : by;
    if (!fbas.nodes.some((n) => n[attr] !== undefined)) continue;
    const merged = mergeBy(fbas, by);
    const groups: Record<string, NodeSet> = {};
    merged.members.forEach((ms, g) => {
      if (ms.length > 0) groups[merged.fbas.nodes[g]!.id] = idsOf(ms);
    });
    byGroup[by] = { ...analyzeCore(merged.fbas, budgetMs, nowMs), groups };
  }

  const analysis: Analysis = { ...core, nodes, names, byGroup, elapsedMs: 0 };
  const intersected = core.intersection.status === 'done' && core.intersection.intersects;
  if ((options.criticality ?? true) && intersected && structure.quorumSccs.length > 0) {
    const budget = new Budget(budgetMs, nowMs);
    // Nodes without an organization count as organizations of one (see docs/fbas.md).
    analysis.criticality = withBudget(budget, () => criticality(fbas, 'organization', budget));
  }
  if (nodeIndex !== undefined) {
    const budget = new Budget(budgetMs, nowMs);
    analysis.halting = withBudget(budget, () => {
      const h = haltingSets(fbas, structure, nodeIndex, budget, true);
      return { node: fbas.nodes[nodeIndex]!.id, canProgress: h.canProgress, haltingSets: family(fbas, h) };
    });
  }
  if (down.length > 0 || byzantine.length > 0) {
    const w = whatIf(engine, { down, byzantine }, nodeIndex);
    analysis.whatIf = {
      down: idsOf(w.down),
      byzantine: idsOf(w.byzantine),
      live: idsOf(w.live),
      halted: idsOf(w.halted),
      intersects: w.intersects,
    };
    if (w.node) analysis.whatIf.node = { node: fbas.nodes[w.node.node]!.id, halts: w.node.halts };
    if (w.split) analysis.whatIf.split = [idsOf(w.split[0]), idsOf(w.split[1])];
  }
  analysis.elapsedMs = nowMs() - started;
  return analysis;
}
