/**
 * The nemesis's network, clock and disk faults: partitions, bridges and rings cut through the link
 * proxies; slow links; a validator restarted with a skewed clock; a store file damaged while its
 * validator is down. Each records what the checkers need (ProgressObservation, CorruptionObservation).
 */
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';
import { Prng } from '../workload/prng.js';
import type { CorruptionObservation, ProgressObservation, QuorumReport } from './history.js';
import { editNodeConfig, predictPartition } from './links.js';
import type { NemesisContext } from './nemesis.js';
import {
  heightsOf,
  missingOf,
  pollUntil,
  portTaken,
  type QuorumView,
  type StatusView,
  sleep,
} from './probe.js';
import type { CorruptPlan, FaultStep } from './schedule.js';

type EventFn = (action: 'inject' | 'heal', detail?: string) => void;

/** Ledgers a validator predicted live must close from the injection to the end of the watch window. */
export const MIN_LEDGERS_LIVE = 2;

/** Longest time a validator predicted live may go without closing a ledger while the fault lasts. */
export const STALL_BOUND_MS = 15_000;

/**
 * Waits `ms` while sampling the heights every 500 ms; returns the heights at the end and the longest
 * time any of `live` went without closing a ledger (from the start of the window or its last close).
 */
async function watchWindow(
  ctx: NemesisContext,
  live: readonly number[],
  ms: number,
): Promise<{ heightsAfter: (number | null)[]; longestStallMs: number }> {
  const c = ctx.cluster;
  const all = c.nodes.map((_, i) => i);
  const t0 = performance.now();
  let last = await heightsOf(c, all);
  const since = all.map(() => t0);
  let longest = 0;
  for (;;) {
    const now = performance.now();
    if (now - t0 >= ms) break;
    await sleep(Math.min(500, ms - (now - t0)));
    const hs = await heightsOf(c, all);
    const t = performance.now();
    for (const v of live) {
      if (hs[v] != null && hs[v] !== last[v]) since[v] = t;
      longest = Math.max(longest, t - since[v]!);
    }
    last = hs;
  }
  return { heightsAfter: last, longestStallMs: Math.round(longest) };
}

/**
 * When a validator predicted live did not close enough ledgers, keeps what it said about its quorum
 * (and each validator's last close time against the wall clock) in the notes, for the diagnosis.
 */
async function noteStall(
  ctx: NemesisContext,
  live: readonly number[],
  before: readonly (number | null)[],
  after: readonly (number | null)[],
  what: string,
): Promise<void> {
  const stalled = live.filter(
    (v) => before[v] == null || after[v] == null || after[v]! - before[v]! < MIN_LEDGERS_LIVE,
  );
  if (stalled.length === 0) return;
  const c = ctx.cluster;
  const nowS = Math.floor(Date.now() / 1000);
  const leads = await Promise.all(
    c.nodes.map(async (_, i) => {
      const s = await c.get<StatusView & { ledger: { closeTime: number } }>(i, '/v1/status');
      return s ? `v${i} ledger ${s.ledger.seq} closeTime-now ${s.ledger.closeTime - nowS} s` : `v${i} silent`;
    }),
  );
  const q = await c.get(stalled[0]!, '/v1/quorum');
  ctx.history.notes.push(
    `${Math.round(ctx.clock())} ms: ${what}: v${stalled.join(', v')} stalled; ${leads.join('; ')}; ` +
      `v${stalled[0]} /v1/quorum ${JSON.stringify(q).slice(0, 1500)}`,
  );
}

export async function quorumReports(ctx: NemesisContext, nodes: readonly number[]): Promise<QuorumReport[]> {
  const c = ctx.cluster;
  return Promise.all(
    nodes.map(async (i) => {
      const [q, s] = await Promise.all([
        c.get<QuorumView>(i, '/v1/quorum'),
        c.get<StatusView>(i, '/v1/status'),
      ]);
      return { stuck: q?.stuck ?? null, missing: missingOf(q), state: s?.state ?? null };
    }),
  );
}

/**
 * Cuts (partition, bridge, ring) or slows (slow) links, watches who keeps closing and who halts as the
 * quorum analyzer predicts, then heals the links.
 */
export async function linkStep(ctx: NemesisContext, step: FaultStep, event: EventFn): Promise<void> {
  const { cluster: c, clock, links } = ctx;
  if (!links) throw new Error(`${step.kind} needs the link proxies (runFire with links)`);
  const all = c.nodes.map((_, i) => i);
  const cut = step.kind === 'slow' ? [] : step.links!;
  const prediction = predictPartition(ctx.genesis, cut);
  const expectMissing = prediction.halted.map((v) =>
    all.filter((w) => !prediction.componentOf[v]!.includes(w)).map((w) => ctx.nodeIds[w]!),
  );
  const detail =
    step.kind === 'slow'
      ? `links ${step.links!.map(([a, b]) => `${a}-${b}`).join(',')} +${step.delayMs} ms`
      : `${step.shape}; predicted live [${prediction.live}], halted [${prediction.halted}]`;
  const t = Math.round(clock());
  const heightsAtInject = await heightsOf(c, all);
  if (step.kind === 'slow') links.slow(step.links!, step.delayMs!);
  else links.cut(cut);
  event('inject', detail);
  let stuckAfterMs: number | null = 0;
  if (prediction.halted.length > 0) {
    // The halted side needs stuckAfterMs (5 s) without a close, and a second to see its links down.
    stuckAfterMs = await pollUntil(async () => {
      const qs = await Promise.all(prediction.halted.map((i) => c.get<QuorumView>(i, '/v1/quorum')));
      return qs.every((q, k) => q?.stuck === true && missingOf(q).length >= expectMissing[k]!.length);
    }, ctx.stuckWaitMs ?? 30_000);
  }
  const heightsAtStuck = await heightsOf(c, all);
  const { heightsAfter, longestStallMs } = await watchWindow(ctx, prediction.live, step.holdMs);
  const quorum = await quorumReports(ctx, all);
  await noteStall(ctx, prediction.live, heightsAtInject, heightsAfter, `${step.kind} ${detail}`);
  links.heal();
  event('heal', 'links open');
  const obs: ProgressObservation = {
    t,
    kind: step.kind,
    detail,
    predictedLive: prediction.live,
    predictedHalted: prediction.halted,
    expectMissing,
    heightsAtInject,
    stuckAfterMs,
    heightsAtStuck,
    heightsAfter,
    windowMs: step.holdMs,
    quorum,
    minLedgers: MIN_LEDGERS_LIVE,
    longestStallMs,
    stallBoundMs: STALL_BOUND_MS,
  };
  ctx.history.progress.push(obs);
}

/** Restarts validator i with its clock `offsetMs` off, watches the network, then restarts it on time. */
export async function skewStep(ctx: NemesisContext, step: FaultStep, event: EventFn): Promise<void> {
  const { cluster: c, clock } = ctx;
  const all = c.nodes.map((_, i) => i);
  const i = step.nodes[0]!;
  const offsetMs = step.offsetMs!;
  const t = Math.round(clock());
  await c.stop(i, 'SIGKILL');
  editNodeConfig(c, i, (config) => {
    config.clockOffsetMs = offsetMs;
  });
  c.start(i);
  event('inject', `clockOffsetMs ${offsetMs}`);
  // Watched from the moment the skewed validator answers again (a restart takes seconds here).
  const up = await pollUntil(async () => (await c.ledgerOf(i)) !== null, 60_000);
  if (up === null)
    ctx.history.notes.push(`${Math.round(clock())} ms: v${i} did not answer after the skew restart`);
  const heightsAtInject = await heightsOf(c, all);
  const { heightsAfter, longestStallMs } = await watchWindow(ctx, all, step.holdMs);
  const quorum = await quorumReports(ctx, all);
  await noteStall(ctx, all, heightsAtInject, heightsAfter, `skew v${i} ${offsetMs} ms`);
  await c.stop(i, 'SIGKILL');
  editNodeConfig(c, i, (config) => {
    delete config.clockOffsetMs;
  });
  c.start(i);
  event('heal', 'restarted on the system clock');
  ctx.history.progress.push({
    t,
    kind: 'skew',
    detail: `v${i} clock ${offsetMs > 0 ? '+' : ''}${offsetMs} ms`,
    predictedLive: all,
    predictedHalted: [],
    expectMissing: [],
    heightsAtInject,
    stuckAfterMs: 0,
    heightsAtStuck: heightsAtInject,
    heightsAfter,
    windowMs: step.holdMs,
    quorum,
    minLedgers: MIN_LEDGERS_LIVE,
    longestStallMs,
    stallBoundMs: STALL_BOUND_MS,
  });
}

/** How a validator that refuses to start says why (run/node-process.ts): `error CODE: message`. */
const ERROR_LINE = /^error ([A-Z][A-Z0-9_]*): (.*)$/;

/**
 * kill -9 of a validator, damage to one of its store files, restart. It must either start (SQLite
 * recovered what it could) or refuse with an error naming the file; a refusal is then handled as an
 * operator would: wipe the data directory and restart, so the validator catches up from its peers.
 */
export async function corruptStep(ctx: NemesisContext, step: FaultStep, event: EventFn): Promise<void> {
  const { cluster: c, clock } = ctx;
  const i = step.nodes[0]!;
  const plan = step.corrupt!;
  const t = Math.round(clock());
  const ledgerBefore = await c.ledgerOf(i);
  await c.stop(i, 'SIGKILL');
  const dataDir = ctx.dataDirOf(i);
  // A young store lives almost wholly in its WAL (SQLite checkpoints at 1000 pages), so damage to the
  // database file alone would hit pages the WAL supersedes. For a database-file target the harness first
  // checkpoints the WAL into it, as the node's own SQLite would on its next open or in a longer run; the
  // content is unchanged, only where it lives.
  if (!plan.file.endsWith('-wal')) checkpoint(join(dataDir, plan.file));
  const damage = damageFile(dataDir, plan);
  event(
    'inject',
    `${damage.file} ${damage.mode} ${damage.bytes} B at ${damage.offset} of ${damage.sizeBefore}`,
  );
  const integrity = integrityOf(join(dataDir, damage.file.replace(/-wal$/, '')));
  const logPath = c.nodes[i]!.logPath;
  const logStart = existsSync(logPath) ? statSync(logPath).size : 0;
  let exitCode: number | null | undefined;
  let ledgerAtStart: number | null = null;
  let settled: number | null = null;
  // A port held by an ephemeral socket (run.ts, watchExits) is the harness's doing: start again.
  for (let attempt = 0; attempt < 3; attempt++) {
    exitCode = undefined;
    c.start(i).child!.once('exit', (code) => {
      exitCode = code;
    });
    settled = await pollUntil(async () => {
      if (exitCode !== undefined) return true;
      ledgerAtStart = await c.ledgerOf(i);
      return ledgerAtStart !== null;
    }, 60_000);
    if (exitCode === undefined || !portTaken(logPath)) break;
    await sleep(1000);
  }
  const obs: CorruptionObservation = {
    t,
    node: i,
    ...damage,
    integrity,
    outcome: settled === null ? 'hung' : exitCode !== undefined ? 'refused' : 'started',
    ledgerBefore,
    ledgerAtStart,
  };
  if (obs.outcome === 'started') {
    // A store that opens but fails on first use would exit soon after: watch a few closes.
    await sleep(3000);
    if (exitCode !== undefined) obs.exitedAfterStart = true;
  }
  if (obs.outcome === 'refused' || obs.exitedAfterStart) {
    const tail = existsSync(logPath) ? readFileSync(logPath, 'utf8').slice(logStart) : '';
    const line = tail
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => ERROR_LINE.test(l))
      .at(-1);
    obs.exitCode = exitCode ?? null;
    if (line !== undefined) obs.errorLine = line.slice(0, 500);
    const base = damage.file.replace(/-wal$/, '');
    obs.namesFile = line !== undefined && (line.includes(base) || line.includes(join(dataDir, base)));
    // What an operator does: wipe the data directory and start again (catch-up from peers and history).
    rmSync(dataDir, { recursive: true, force: true });
    c.start(i);
    obs.restored = true;
    event('heal', `refused (${obs.errorLine ?? `exit ${exitCode}`}); data directory wiped, restarted`);
  } else {
    event('heal', obs.outcome);
  }
  ctx.history.corruptions.push(obs);
}

interface Damage {
  file: string;
  mode: 'truncate' | 'overwrite';
  sizeBefore: number;
  offset: number;
  bytes: number;
}

/** Damages the planned file (a missing or empty WAL falls back to its database) and says what it did. */
export function damageFile(dataDir: string, plan: CorruptPlan): Damage {
  let file: string = plan.file;
  const sizeOf = (f: string) => (existsSync(join(dataDir, f)) ? statSync(join(dataDir, f)).size : 0);
  if (sizeOf(file) === 0) file = file.replace(/-wal$/, '');
  const path = join(dataDir, file);
  const sizeBefore = sizeOf(file);
  if (plan.mode === 'truncate') {
    const offset = Math.floor((sizeBefore * plan.atPermille) / 1000);
    truncateSync(path, offset);
    return { file, mode: 'truncate', sizeBefore, offset, bytes: sizeBefore - offset };
  }
  // Overwrite: atPermille 0 hits the first page (the database or WAL header), else a point inside.
  const offset = plan.atPermille === 0 ? 0 : Math.floor((sizeBefore * plan.atPermille) / 1000);
  const bytes = Math.max(1, Math.min(plan.bytes, sizeBefore - offset));
  const rng = new Prng(plan.byteSeed);
  const junk = Buffer.from(Array.from({ length: bytes }, () => rng.int(0, 255)));
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, junk, 0, bytes, offset);
  } finally {
    closeSync(fd);
  }
  return { file, mode: 'overwrite', sizeBefore, offset, bytes };
}

/** Moves every committed WAL frame into the database file (nothing when there is no database). */
export function checkpoint(dbPath: string): void {
  if (!existsSync(dbPath)) return;
  const db = new Database(dbPath);
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

/**
 * SQLite's own verdict on a database as the node would open it: a copy of the file and its WAL (never
 * the original, which the restart must meet untouched) run through `PRAGMA integrity_check`.
 */
export function integrityOf(dbPath: string): string {
  const tmp = mkdtempSync(join(tmpdir(), 'qm-fire-integrity-'));
  try {
    const copy = join(tmp, basename(dbPath));
    if (!existsSync(dbPath)) return 'missing';
    copyFileSync(dbPath, copy);
    if (existsSync(`${dbPath}-wal`)) copyFileSync(`${dbPath}-wal`, `${copy}-wal`);
    const db = new Database(copy);
    try {
      const rows = db.pragma('integrity_check') as { integrity_check: string }[];
      const msg = rows.map((r) => r.integrity_check).join('; ');
      return msg === 'ok' ? 'ok' : `corrupt: ${msg.replace(/\s+/g, ' ').slice(0, 300)}`;
    } finally {
      db.close();
    }
  } catch (e) {
    const err = e as { code?: string; message?: string };
    return `unreadable: ${err.code ?? ''} ${err.message ?? String(e)}`.replace(/\s+/g, ' ').slice(0, 300);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
