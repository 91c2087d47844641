/**
 * Warnings about a genesis file's quorum configuration, shown by `qm network init` and `qm config check`
 * and at node start: the mistakes that make a network fork (no quorum intersection) or halt on one
 * failure, found before any node runs.
 */
import { analyzeCore, buildFbas, type RawQuorumSet } from '@qm/fbas';
import { allNodesOf, checkQuorumSetSanity, isQuorumSlice, type NodeId, type QuorumSet } from '@qm/scp';
import { type Genesis, quorumSetOf } from './genesis.js';

export type QuorumWarningLevel = 'error' | 'warning' | 'info';

export interface QuorumWarning {
  level: QuorumWarningLevel;
  /** Stable code: NO_QUORUM, NO_QUORUM_INTERSECTION, SINGLE_NODE_HALTS, SINGLE_ORG_HALTS, ... */
  code: string;
  message: string;
}

export interface QuorumCheckOptions {
  /** Budget for each fbas analysis; past it the check reports ANALYSIS_INCOMPLETE. Default 5 s. */
  budgetMs?: number;
}

const toRaw = (q: QuorumSet): RawQuorumSet => ({
  threshold: q.threshold,
  validators: [...q.validators],
  innerSets: q.innerSets.map(toRaw),
});

/**
 * The largest set of `alive` nodes in which every node's quorum set is satisfied (the greatest fixpoint
 * of dropping unsatisfied nodes). Empty means the survivors contain no quorum: the network halts.
 */
function survivingQuorum(qsets: ReadonlyMap<NodeId, QuorumSet>, alive: ReadonlySet<NodeId>): Set<NodeId> {
  const live = new Set(alive);
  let changed = true;
  while (changed) {
    changed = false;
    for (const n of live) {
      if (!isQuorumSlice(qsets.get(n)!, live)) {
        live.delete(n);
        changed = true;
      }
    }
  }
  return live;
}

/** Checks the quorum configuration of a parsed genesis. Never throws on a bad configuration. */
export function checkGenesisQuorum(genesis: Genesis, options: QuorumCheckOptions = {}): QuorumWarning[] {
  const out: QuorumWarning[] = [];
  const name = new Map(genesis.validators.map((v) => [v.nodeId, v.name]));
  const names = (ids: readonly string[]) =>
    ids
      .map((id) => name.get(id) ?? id)
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
      .join(', ');
  const qsets = new Map(genesis.validators.map((v) => [v.nodeId, quorumSetOf(genesis, v.nodeId)]));
  const all = new Set(qsets.keys());

  for (const v of genesis.validators) {
    const sanity = checkQuorumSetSanity(qsets.get(v.nodeId)!, true);
    if (!sanity.ok) {
      out.push({
        level: 'warning',
        code: 'THRESHOLD_BELOW_MAJORITY',
        message: `${v.name}'s quorum set: ${sanity.reason}; such a set can be satisfied on both sides of a split`,
      });
    }
  }

  // Halting: which single node, or single organization, takes every quorum down with it.
  if (survivingQuorum(qsets, all).size === 0) {
    out.push({
      level: 'error',
      code: 'NO_QUORUM',
      message: 'even with every validator up no quorum exists: the network can never close a ledger',
    });
    return out;
  }
  // One warning per kind, listing every culprit: seven lines saying the same thing hide the point.
  const haltingNodes = genesis.validators.filter((v) => {
    const alive = new Set(all);
    alive.delete(v.nodeId);
    return survivingQuorum(qsets, alive).size === 0;
  });
  if (haltingNodes.length > 0) {
    out.push({
      level: 'warning',
      code: 'SINGLE_NODE_HALTS',
      message:
        `the network halts when any one of these validators is down (blocking sets of size 1): ` +
        names(haltingNodes.map((v) => v.nodeId)),
    });
  }
  const orgs = [...new Set(genesis.validators.map((v) => v.org))];
  const haltingOrgs =
    orgs.length < 2
      ? []
      : orgs.filter((org) => {
          const alive = new Set(genesis.validators.filter((v) => v.org !== org).map((v) => v.nodeId));
          return survivingQuorum(qsets, alive).size === 0;
        });
  if (haltingOrgs.length > 0) {
    out.push({
      level: 'warning',
      code: 'SINGLE_ORG_HALTS',
      message: `the network halts when any one of these organizations is down: ${haltingOrgs.join(', ')}`,
    });
  }
  const trusted = new Set<NodeId>();
  for (const q of qsets.values()) for (const id of allNodesOf(q)) trusted.add(id);
  for (const v of genesis.validators) {
    if (!trusted.has(v.nodeId)) {
      out.push({
        level: 'info',
        code: 'VALIDATOR_NOT_TRUSTED',
        message: `${v.name} is in no validator's quorum set: it follows the network but its vote never counts`,
      });
    }
  }

  // Safety: quorum intersection and the smallest sets of nodes that could split the network, from fbas.
  const fbas = buildFbas(
    genesis.validators.map((v) => ({
      id: v.nodeId,
      name: v.name,
      organization: v.org,
      quorumSet: toRaw(qsets.get(v.nodeId)!),
    })),
  );
  const core = analyzeCore(fbas, options.budgetMs ?? 5_000);
  const incomplete = (what: string) =>
    out.push({
      level: 'warning',
      code: 'ANALYSIS_INCOMPLETE',
      message: `${what} was not decided within the time budget; run \`qm quorum\` for a longer analysis`,
    });
  if (core.intersection.status !== 'done') incomplete('quorum intersection');
  else if (!core.intersection.intersects) {
    const [a, b] = core.intersection.quorums;
    out.push({
      level: 'error',
      code: 'NO_QUORUM_INTERSECTION',
      message: `two disjoint quorums exist, so the network can fork: {${names(a)}} and {${names(b)}}`,
    });
  }
  if (core.minimalSplittingSets.status !== 'done') incomplete('the splitting-set search');
  else if (core.minimalSplittingSets.smallest === 1 && genesis.validators.length > 1) {
    const sets = core.minimalSplittingSets.sets.filter((s) => s.length === 1).map((s) => names(s));
    out.push({
      level: 'warning',
      code: 'SINGLE_NODE_SPLITS',
      message: `one misbehaving node can split the network: ${sets.join('; ')}`,
    });
  }
  if (genesis.validators.length < 4) {
    out.push({
      level: 'info',
      code: 'FEW_VALIDATORS',
      message: `${genesis.validators.length} validator(s): at least 4 are needed to survive one faulty node`,
    });
  }
  return out;
}

/** True when any warning is an error (the CLI exits non-zero on these in `config check`). */
export const hasQuorumErrors = (warnings: readonly QuorumWarning[]): boolean =>
  warnings.some((w) => w.level === 'error');
