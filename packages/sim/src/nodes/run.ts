// One seeded whole-node nemesis run: boot the validators, start the client, apply the plan's faults in
// virtual time while recording every close and the analysis' prediction for each fault state, heal,
// measure recovery, then judge the record with the checkers.
import { Prng } from '../prng.js';
import { byzantine } from './byzantine.js';
import {
  checkNodeRun,
  type FaultWindow,
  type NodeRunRecord,
  type NodeViolation,
  PROGRESS_TARGET_MS,
} from './checkers.js';
import { Client } from './client.js';
import { NodeNet } from './harness.js';
import { type Action, brokenPlan, type FaultKind, makePlan, type NemesisPlan } from './plan.js';
import { predictProgress } from './predict.js';
import { type NodeTopology, type TopologyName, topology } from './topologies.js';

export const RECOVERY_BOUND_MS = 60_000;
const TAIL_MS = 1000;
/** Fault kinds a window counts as active for this long after a Byzantine burst. */
const BYZ_ACTIVE_MS = 3000;

export interface NodeRunOptions {
  readonly kind: FaultKind | 'broken';
  readonly topology?: TopologyName;
}

export interface NodeRunResult {
  readonly seed: number;
  readonly kind: string;
  readonly topology: string;
  readonly plan: NemesisPlan;
  readonly record: NodeRunRecord;
  readonly violations: NodeViolation[];
  /** Faults injected (episodes) by kind, and Byzantine frames sent. */
  readonly faults: Record<string, number>;
  readonly byzFrames: number;
  readonly recoveryMs: number | null;
  /** Windows where the analysis predicted a halt for some running validator, and those that held. */
  readonly haltWindows: { predicted: number; observed: number };
  /**
   * (window of 5 s or more, validator) pairs where the analysis predicted progress, and those where the
   * validator closed a ledger within 5 s (informational; the checker's bound is PROGRESS_BOUND_MS).
   */
  readonly progressChecks: { predicted: number; observed: number };
  readonly ledgers: number;
  readonly acks: number;
  readonly submissions: number;
  readonly validatorPunishments: number;
  readonly stats: NodeNet['stats'];
  readonly forked: boolean;
}

/** The topology a seed draws when none is forced: 4 validators in 8 of 10 seeds, else 7 (flat or 2-tier). */
export function topologyFor(seed: number): TopologyName {
  const x = new Prng(seed).fork('topology').int(0, 9);
  return x < 8 ? 'flat4' : x < 9 ? 'flat7' : 'tier7';
}

export async function runNodeNemesis(seed: number, options: NodeRunOptions): Promise<NodeRunResult> {
  const topo: NodeTopology = topology(
    options.kind === 'broken' ? 'broken4' : (options.topology ?? topologyFor(seed)),
  );
  const plan = options.kind === 'broken' ? brokenPlan(seed, topo) : makePlan(seed, options.kind, topo);
  const root = new Prng(seed);
  const net = new NodeNet(topo, root.fork('net'));
  const n = topo.ids.length;
  for (let i = 0; i < n; i++) await net.boot(i);
  if (plan.needsMallory) await net.startMallory();
  const client = new Client(net, root.fork('client'), seed % 9973);
  client.start();
  const byzPrng = root.fork('byzantine');

  // Boundaries: every action time, and the end of each Byzantine burst's active period.
  const byzUntil: number[] = [];
  const times = new Set<number>(plan.actions.map((a) => a.at));
  for (const a of plan.actions) if (a.op === 'byz') times.add(a.at + BYZ_ACTIVE_MS);
  const boundaries = [...times].filter((t) => t <= plan.healAtMs).sort((a, b) => a - b);

  const downBy = new Map<number, 'kill' | 'stop'>();
  let cut = false;
  let slow = false;
  let lossy = false;
  let skewed = false;
  let byzFrames = 0;
  const faults: Record<string, number> = {};
  for (const e of plan.episodes) faults[e.kind] = (faults[e.kind] ?? 0) + 1;

  const apply = async (a: Action) => {
    switch (a.op) {
      case 'kill':
        net.kill(a.node);
        downBy.set(a.node, 'kill');
        return;
      case 'stop':
        await net.stop(a.node);
        downBy.set(a.node, 'stop');
        return;
      case 'boot':
        await net.boot(a.node);
        downBy.delete(a.node);
        return;
      case 'pause':
        net.pause(a.node);
        return;
      case 'resume':
        net.resume(a.node);
        return;
      case 'cut':
        for (const [x, y] of a.pairs) net.hub.cut(topo.ids[x]!, topo.ids[y]!);
        cut = a.pairs.length > 0;
        return;
      case 'heal':
        net.hub.healAll();
        cut = false;
        return;
      case 'links':
        for (const [x, y] of a.pairs)
          net.setCondition(topo.ids[x]!, topo.ids[y]!, { extraDelayMs: a.extraDelayMs, loss: a.loss });
        slow = a.extraDelayMs > 0;
        lossy = a.loss > 0;
        return;
      case 'links-clear':
        net.clearConditions();
        slow = lossy = false;
        return;
      case 'skew':
        for (const [i, ms] of a.offsets.entries()) net.setSkew(i, ms);
        skewed = a.offsets.some((x) => x !== 0);
        return;
      case 'byz':
        byzFrames += byzantine(net, byzPrng, a.attack, a.node, a.count);
        byzUntil.push(a.at + BYZ_ACTIVE_MS);
        return;
      case 'heal-all':
        net.hub.healAll();
        net.clearConditions();
        cut = slow = lossy = skewed = false;
        for (let i = 0; i < n; i++) {
          net.setSkew(i, 0);
          if (net.stateOf(i) === 'paused') net.resume(i);
          if (net.stateOf(i) === 'down') await net.boot(i);
        }
        downBy.clear();
        return;
    }
  };

  const windows: FaultWindow[] = [];
  let open: {
    fromMs: number;
    predicted: Record<string, boolean>;
    active: string[];
    frontier: number;
  } | null = null;
  const closeWindow = (at: number) => {
    if (!open) return;
    const prev = windows.at(-1);
    const recovering = prev
      ? Object.entries(prev.predicted)
          .filter(([, ok]) => !ok)
          .map(([id]) => id)
      : [];
    windows.push({ ...open, toMs: at, recovering });
    open = null;
  };
  const openWindow = (at: number) => {
    const up = new Set(topo.ids.filter((_, i) => net.isUp(i)));
    const predicted = Object.fromEntries(
      predictProgress(topo.qsets, { up, linked: (a, b) => !net.hub.isCut(a, b) }),
    );
    const active: string[] = [];
    if ([...downBy.values()].includes('kill')) active.push('crash');
    if ([...downBy.values()].includes('stop')) active.push('restart');
    if (net.procs.some((_, i) => net.stateOf(i) === 'paused')) active.push('pause');
    if (cut) active.push('partition');
    if (slow) active.push('slow');
    if (lossy) active.push('loss');
    if (skewed) active.push('skew');
    if (byzUntil.some((t) => t > at)) active.push('byzantine');
    const frontier = Math.max(...topo.ids.map((_, i) => net.lastClosed(i)));
    open = { fromMs: at, predicted, active, frontier };
  };

  openWindow(0);
  for (const t of boundaries) {
    net.vclock.runUntil(t);
    for (const a of plan.actions) if (a.at === t) await apply(a);
    await NodeNet.settle();
    closeWindow(t);
    if (t < plan.healAtMs) openWindow(t);
  }

  // Recovery: everything is whole again; every validator must close a ledger above the heal-time height.
  const healAtMs = plan.healAtMs;
  const heightAtHeal = Math.max(...topo.ids.map((_, i) => net.lastClosed(i)));
  let recoveredAtMs: number | null = null;
  while (net.now() < healAtMs + RECOVERY_BOUND_MS) {
    net.vclock.runUntil(net.now() + 100);
    if (topo.ids.every((_, i) => net.lastClosed(i) > heightAtHeal)) {
      recoveredAtMs = net.now();
      break;
    }
  }
  net.vclock.runUntil(net.now() + TAIL_MS);
  client.stop();

  const chains = Object.fromEntries(topo.ids.map((id, i) => [id, net.chain(i)]));
  const ackedTxs = Object.fromEntries(
    client.acks.map((a) => [
      a.hash,
      Object.fromEntries(topo.ids.map((id, i) => [id, net.storedTx(i, a.hash)?.ledger ?? null])),
    ]),
  );
  const record: NodeRunRecord = {
    seed,
    kind: plan.kind,
    topology: topo.name,
    nodes: topo.ids,
    byzantine: [],
    closes: net.closes,
    chains,
    acks: client.acks,
    ackedTxs,
    windows,
    recovery: {
      healAtMs,
      heightAtHeal,
      recoveredAtMs,
      boundMs: RECOVERY_BOUND_MS,
      finalHeights: Object.fromEntries(topo.ids.map((id, i) => [id, net.lastClosed(i)])),
    },
    exceptions: net.exceptions,
    errorLogs: net.errorLogs,
    endMs: net.now(),
  };
  const violations = checkNodeRun(record);
  const haltWindows = { predicted: 0, observed: 0 };
  for (const w of windows) {
    const halted = Object.entries(w.predicted).filter(([, ok]) => !ok);
    if (halted.length === 0) continue;
    haltWindows.predicted++;
    const held = halted.every(
      ([node]) =>
        !net.closes.some(
          (c) => c.node === node && c.atMs > w.fromMs && c.atMs <= w.toMs && c.seq > w.frontier + 1,
        ),
    );
    if (held) haltWindows.observed++;
  }
  const progressChecks = { predicted: 0, observed: 0 };
  for (const w of windows) {
    if (
      w.toMs - w.fromMs < PROGRESS_TARGET_MS ||
      w.active.some((k) => ['slow', 'loss', 'byzantine'].includes(k))
    )
      continue;
    for (const [node, ok] of Object.entries(w.predicted)) {
      if (!ok || w.recovering.includes(node)) continue;
      progressChecks.predicted++;
      if (
        net.closes.some(
          (c) => c.node === node && c.atMs > w.fromMs && c.atMs <= w.fromMs + PROGRESS_TARGET_MS,
        )
      )
        progressChecks.observed++;
    }
  }
  return {
    seed,
    kind: plan.kind,
    topology: topo.name,
    plan,
    record,
    violations,
    faults,
    byzFrames,
    recoveryMs: recoveredAtMs === null ? null : recoveredAtMs - healAtMs,
    haltWindows,
    progressChecks,
    ledgers: Math.max(...topo.ids.map((_, i) => net.lastClosed(i))),
    acks: client.acks.length,
    submissions: client.stats.submissions,
    validatorPunishments: net.punishments.length,
    stats: net.stats,
    forked: violations.some((v) => v.checker === 'agreement'),
  };
}
