/**
 * Carries out a fault schedule on a live LocalCluster, one fault at a time, and records each injection
 * and healing. 'halt' also watches the survivors (the halting checker judges what it saw); the network,
 * clock and disk faults are in faults.ts.
 */
import type { Genesis } from '../config/index.js';
import type { LocalCluster } from '../run/local-cluster.js';
import { corruptStep, linkStep, quorumReports, skewStep } from './faults.js';
import type { History } from './history.js';
import type { ClusterLinks } from './links.js';
import { heightsOf, missingOf, pollUntil, type QuorumView, sleep } from './probe.js';
import type { FaultStep } from './schedule.js';

export interface NemesisContext {
  cluster: LocalCluster;
  history: History;
  /** ms since the run started. */
  clock: () => number;
  /** Node id of each validator (from /v1/status), to check whom the survivors name. */
  nodeIds: string[];
  /** How long survivors get to report stuck and name the missing (stuckAfterMs is 5 s by default). */
  stuckWaitMs?: number;
  /** The link proxies (network faults need them). */
  links?: ClusterLinks;
  /** The network's genesis: quorum sets for the analyzer's predictions. */
  genesis: Genesis;
  /** Validator i's data directory (corrupt damages a file in it; an operator restore wipes it). */
  dataDirOf: (i: number) => string;
  log?: (msg: string) => void;
}

/** Pauses or resumes a validator's process (SIGSTOP/SIGCONT): it keeps its sockets but answers nothing. */
export function signalNode(c: LocalCluster, i: number, signal: 'SIGSTOP' | 'SIGCONT'): boolean {
  const child = c.nodes[i]!.child;
  return child ? child.kill(signal) : false;
}

export async function runStep(ctx: NemesisContext, step: FaultStep): Promise<void> {
  const { cluster: c, history: h, clock } = ctx;
  const event = (action: 'inject' | 'heal', detail?: string) => {
    h.faults.push({
      t: Math.round(clock()),
      kind: step.kind,
      action,
      nodes: step.nodes,
      ...(detail && { detail }),
    });
    ctx.log?.(`${action} ${step.kind} v${step.nodes.join(',v')}${detail ? ` ${detail}` : ''}`);
  };
  await sleep(step.gapMs);
  switch (step.kind) {
    case 'crash':
    case 'restart': {
      const i = step.nodes[0]!;
      event('inject', step.signal);
      await c.stop(i, step.signal);
      await sleep(step.holdMs);
      c.start(i);
      event('heal', 'start');
      return;
    }
    case 'pause': {
      const i = step.nodes[0]!;
      event('inject', 'SIGSTOP');
      signalNode(c, i, 'SIGSTOP');
      await sleep(step.holdMs);
      signalNode(c, i, 'SIGCONT');
      event('heal', 'SIGCONT');
      return;
    }
    case 'halt':
      return haltStep(ctx, step, event);
    case 'partition':
    case 'bridge':
    case 'ring':
    case 'slow':
      return linkStep(ctx, step, event);
    case 'skew':
      return skewStep(ctx, step, event);
    case 'corrupt':
      return corruptStep(ctx, step, event);
  }
}

async function haltStep(
  ctx: NemesisContext,
  step: FaultStep,
  event: (action: 'inject' | 'heal', detail?: string) => void,
): Promise<void> {
  const { cluster: c, clock } = ctx;
  const survivors = c.nodes.map((_, i) => i).filter((i) => !step.nodes.includes(i));
  const stoppedIds = step.nodes.map((i) => ctx.nodeIds[i]!);
  const t = Math.round(clock());
  event('inject', step.signal);
  await Promise.all(step.nodes.map((i) => c.stop(i, step.signal)));
  // A slot already in flight may still close right after the stop, so "no ledger closes" is measured
  // from the moment every survivor reports stuck with both stopped nodes missing.
  const stuckAfterMs = await pollUntil(async () => {
    const qs = await Promise.all(survivors.map((i) => c.get<QuorumView>(i, '/v1/quorum')));
    return qs.every((q) => q?.stuck === true && missingOf(q).length === step.nodes.length);
  }, ctx.stuckWaitMs ?? 30_000);
  const heightsAtStuck = await heightsOf(c, survivors);
  await sleep(step.holdMs);
  const heightsAfter = await heightsOf(c, survivors);
  const quorum = await quorumReports(ctx, survivors);
  ctx.history.halts.push({
    t,
    stopped: step.nodes,
    stoppedIds,
    survivors,
    stuckAfterMs,
    heightsAtStuck,
    heightsAfter,
    windowMs: step.holdMs,
    quorum,
  });
  for (const i of step.nodes) c.start(i);
  event('heal', 'start');
}

/** Waits (bounded) until every validator answers and they are within one ledger of each other. */
export async function waitInSync(c: LocalCluster, timeoutMs: number): Promise<boolean> {
  const all = c.nodes.map((_, i) => i);
  const ms = await pollUntil(async () => {
    const hs = await heightsOf(c, all);
    if (hs.some((x) => x === null)) return false;
    const ns = hs as number[];
    return Math.max(...ns) - Math.min(...ns) <= 1;
  }, timeoutMs);
  return ms !== null;
}
