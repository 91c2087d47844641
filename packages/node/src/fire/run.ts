/**
 * One fire run: a fresh 4-validator cluster (3-of-4), the demo workload at a light rate, a seeded nemesis,
 * then healing, read-back and the checkers. A failing run leaves its history and the validators' logs in
 * <failuresDir>/<seed>/.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { loadGenesis } from '../config/index.js';
import { LocalCluster } from '../run/local-cluster.js';
import { DemoWorkload, type LoadReport, Prng, runLoad, seedNetwork } from '../workload/index.js';
import { checkAll, type Violation } from './checkers.js';
import { collectFinalViews } from './collect.js';
import { emptyHistory, FAULT_KINDS, type FaultKind, type History, NETWORK_KINDS } from './history.js';
import { ClusterLinks } from './links.js';
import { runStep, signalNode, waitInSync } from './nemesis.js';
import { heightsOf, pollUntil, portTaken, type StatusView } from './probe.js';
import { RecordingSource } from './recording-source.js';
import { faultSchedule } from './schedule.js';

export interface FireRunOptions {
  seed: number;
  /** First port of the cluster (it uses basePort .. basePort + 32). */
  basePort: number;
  kinds?: readonly FaultKind[];
  /** Planned time for injecting faults (default 30 s); see faultSchedule. */
  faultBudgetMs?: number;
  /** Client submissions per second during the faults (default 2: a light load). */
  ratePerSec?: number;
  /**
   * Recovery bound (default 60 s) from the last healing until every validator is synced and 2 ledgers
   * further: generous on purpose, since a restarted validator is a fresh tsx process on 2 shared cores
   * (seconds to start) and a stuck network needs a few seconds to notice it is unstuck.
   */
  recoveryBoundMs?: number;
  /**
   * Route every overlay link through a LinkProxy (needed by partition, bridge, ring, slow); default: when
   * `kinds` has one of those.
   */
  links?: boolean;
  /** Where failing runs are kept (default fire-failures). */
  failuresDir?: string;
  log?: (msg: string) => void;
}

export interface FireRunResult {
  seed: number;
  ok: boolean;
  violations: Violation[];
  faultsByKind: Record<FaultKind, number>;
  recoveryMs: number | null;
  /** Ledgers closed by the slowest validator by the end. */
  ledgers: number;
  acknowledged: number;
  load: LoadReport | null;
  durationMs: number;
  failureDir?: string;
  history: History;
}

/** A port range of its own per process and run, so concurrent fire runs on one machine do not collide. */
export const firePort = (run: number): number => 40_000 + (process.pid % 100) * 100 + (run % 2) * 50;

/** Validator keys from the seed, so a failing seed rebuilds the same network. */
function keySeed(seed: number): Uint8Array {
  const rng = new Prng(seed ^ 0x6b657973);
  return Uint8Array.from({ length: 32 }, () => rng.int(0, 255));
}

export async function runFire(o: FireRunOptions): Promise<FireRunResult> {
  const t0 = performance.now();
  const clock = () => performance.now() - t0;
  const log = (msg: string) => o.log?.(`[${(clock() / 1000).toFixed(1)}s] ${msg}`);
  const kinds = o.kinds ?? FAULT_KINDS;
  const budgetMs = o.faultBudgetMs ?? 30_000;
  const boundMs = o.recoveryBoundMs ?? 60_000;
  const h = emptyHistory(o.seed, 4);
  const dir = mkdtempSync(join(tmpdir(), `qm-fire-${o.seed}-`));
  const c = LocalCluster.open(dir, {
    validators: 4,
    organizations: 4,
    basePort: o.basePort,
    seed: keySeed(o.seed),
    name: `qm-fire-${o.seed}`,
  });
  const all = c.nodes.map((_, i) => i);
  const genesis = loadGenesis(join(dir, 'genesis.json'));
  const dataDirOf = (i: number) => {
    const path = c.nodes[i]!.configPath;
    const d = (JSON.parse(readFileSync(path, 'utf8')) as { dataDir: string }).dataDir;
    return isAbsolute(d) ? d : resolve(dirname(path), d);
  };
  let load: LoadReport | null = null;
  let sampler: ReturnType<typeof setInterval> | undefined;
  let links: ClusterLinks | undefined;
  try {
    if (o.links ?? kinds.some((k) => NETWORK_KINDS.includes(k))) links = await ClusterLinks.open(c);
    for (const i of all) c.start(i);
    let sampling = false;
    const watched = new WeakSet<object>();
    sampler = setInterval(() => {
      watchExits(c, watched, h, clock);
      if (sampling) return;
      sampling = true;
      const t = Math.round(clock());
      void heightsOf(c, all)
        .then((heights) => h.heights.push({ t, heights }))
        .finally(() => (sampling = false));
    }, 1000);
    await c.waitFor(
      'every validator at ledger 2',
      async () => {
        const hs = await heightsOf(c, all);
        return hs.every((x) => x !== null && x >= 2);
      },
      90_000,
    );
    const nodeIds = await Promise.all(
      all.map(async (i) => (await c.get<StatusView>(i, '/v1/status'))!.nodeId),
    );

    const source = new RecordingSource(new DemoWorkload({ actors: c.actors(), seed: o.seed }), h.txs, clock);
    const urls = c.nodes.map((n) => n.httpUrl);
    const seeded = await seedNetwork({ urls, workload: source, timeoutMs: 60_000 });
    log(`seeded: ${seeded.committed}/${seeded.submitted} committed`);

    const steps = faultSchedule({ seed: o.seed, validators: 4, kinds, budgetMs });
    const loading = runLoad({
      urls,
      ratePerSec: o.ratePerSec ?? 2,
      durationMs: budgetMs + 5_000,
      drainMs: 20_000,
      workload: source,
    }).then(
      (r) => void (load = r),
      (e) => void h.notes.push(`load ended with ${e}`),
    );

    // Every planned step runs (the plan already fits the budget) unless the cluster is not in sync before it.
    for (const step of steps) {
      // One fault at a time: a node still catching up (or not back at all) would make two down, and a
      // halt observed then would not be the 2-of-4 halt the halting checker judges. Skip the step; the
      // recovery checker reports a node that does not come back.
      if (!(await waitInSync(c, 30_000))) {
        h.notes.push(`${Math.round(clock())} ms: not in sync, skipped ${step.kind} of v${step.nodes}`);
        continue;
      }
      await runStep(
        { cluster: c, history: h, clock, nodeIds, genesis, dataDirOf, ...(links && { links }), log },
        step,
      );
      watchExits(c, watched, h, clock);
    }

    // Heal anything left (nothing should be), then time the recovery.
    links?.heal();
    for (const i of all) {
      if (!c.nodes[i]!.child) c.start(i);
      signalNode(c, i, 'SIGCONT');
    }
    watchExits(c, watched, h, clock);
    const healedAt = Math.round(clock());
    const top = Math.max(0, ...(await heightsOf(c, all)).map((x) => x ?? 0));
    const recoveryMs = await pollUntil(async () => {
      const ss = await Promise.all(all.map((i) => c.get<StatusView>(i, '/v1/status')));
      return ss.every((s) => s?.state === 'synced' && s.ledger.seq >= top + 2);
    }, boundMs);
    h.recovery = { healedAt, recoveryMs, boundMs };
    if (recoveryMs === null) {
      const down = all.filter((i) => !c.nodes[i]!.child);
      if (down.length > 0) h.notes.push(`not running at the recovery deadline: v${down.join(', v')}`);
    }
    log(`recovered in ${recoveryMs ?? 'never'} ms`);

    await loading;
    // Read back once every validator has passed what the client last saw, so a ledger that is merely
    // in flight to a slow validator is not taken for a lost transaction.
    const end = Math.max(0, ...(await heightsOf(c, all)).map((x) => x ?? 0));
    if (
      (await pollUntil(async () => (await heightsOf(c, all)).every((x) => (x ?? -1) > end), 30_000)) === null
    ) {
      h.notes.push(`validators did not all pass ledger ${end} after the load`);
    }
    clearInterval(sampler);
    h.final = await collectFinalViews(c, h);
  } catch (e) {
    h.notes.push(`run aborted: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    clearInterval(sampler);
    for (const i of all) signalNode(c, i, 'SIGCONT');
    await c.stopAll();
    await links?.close();
  }

  const violations: Violation[] = checkAll(h);
  if (h.notes.some((n) => n.startsWith('run aborted'))) {
    violations.push({ checker: 'recovery', message: h.notes.find((n) => n.startsWith('run aborted'))! });
  }
  const faultsByKind = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
  for (const f of h.faults) if (f.action === 'inject') faultsByKind[f.kind]++;
  const heights = h.final?.ledgers.map((l) => Object.keys(l).length) ?? [0];
  const result: FireRunResult = {
    seed: o.seed,
    ok: violations.length === 0,
    violations,
    faultsByKind,
    recoveryMs: h.recovery?.recoveryMs ?? null,
    ledgers: Math.min(...heights),
    acknowledged: h.txs.filter((t) => t.outcome === 'success' || t.outcome === 'failed').length,
    load,
    durationMs: Math.round(clock()),
    history: h,
  };
  if (!result.ok) result.failureDir = keepFailure(o.failuresDir ?? 'fire-failures', c, result);
  rmSync(dir, { recursive: true, force: true });
  return result;
}

/**
 * Notes every validator process exit the nemesis did not ask for (a validator that fails to restart
 * exits on its own: code set, no signal), so the history says why a validator never came back.
 *
 * One such exit is the harness's own doing, not the node's: the run's ports lie inside the kernel's
 * ephemeral range (32768-60999 here), so an outbound socket (a dial, a proxy's upstream) can hold a port a
 * restarting validator wants, and it exits with EADDRINUSE. That validator is started again after 1 s.
 */
function watchExits(c: LocalCluster, watched: WeakSet<object>, h: History, clock: () => number): void {
  c.nodes.forEach((n, i) => {
    const child = n.child;
    if (!child || watched.has(child)) return;
    watched.add(child);
    child.once('exit', (code, signal) => {
      if (signal === null && code !== 0) {
        h.notes.push(
          `${Math.round(clock())} ms: v${i} exited by itself with code ${code} (see its node.log)`,
        );
        if (portTaken(n.logPath)) {
          h.notes.push(`${Math.round(clock())} ms: v${i}: a port was taken (EADDRINUSE); started again`);
          setTimeout(() => {
            if (!c.nodes[i]!.child) c.start(i);
          }, 1000);
        }
      }
    });
  });
}

/** Saves the history, the violations and every validator's node.log for inspection. */
function keepFailure(root: string, c: LocalCluster, r: FireRunResult): string {
  const out = join(root, String(r.seed));
  mkdirSync(out, { recursive: true });
  const { history, ...summary } = r;
  writeFileSync(join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(join(out, 'history.json'), `${JSON.stringify(history, null, 2)}\n`);
  for (const n of c.nodes)
    if (existsSync(n.logPath)) copyFileSync(n.logPath, join(out, `${n.name}.node.log`));
  return out;
}
