// Byzantine validators on real processes (issue 6): a 4-validator network (flat 3-of-4) under light load
// meets a rogue process holding v3's secret key, one mode at a time (packages/node/src/fire/byzantine).
// First as a second instance of the live v3 (duplicate-key); then, with the genuine v3 stopped, as v3
// itself: equivocating, signing conflicting CONFIRM/EXTERNALIZE, replaying old traffic, sending broken
// signatures (to v0) and garbage (to v1). After every mode: the honest validators are alive, agree on
// every ledger header hash, and kept closing ledgers (3 honest of 4 are a quorum). The overlay punishes
// what it can tell is bad (broken signatures, garbage). At the end the genuine v3 comes back and catches
// up, every transaction the client saw acknowledged is committed on all four, no forged one is.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RogueMode, type RogueReport, spawnRogue } from '../../src/fire/byzantine/index.js';
import { LocalCluster } from '../../src/run/local-cluster.js';
import {
  DemoWorkload,
  type LoadReport,
  type LoadSource,
  runLoad,
  type SeedSource,
  seedNetwork,
  type TxOutcome,
} from '../../src/workload/index.js';

const MODE_MS = 15_000;
const ROGUE = 3;
const ALL = [0, 1, 2, 3];
const HONEST = [0, 1, 2];

interface Status {
  nodeId: string;
  state: string;
  ledger: { seq: number; hash: string };
}
interface PeerStats {
  peer: string;
  connected: boolean;
  punishments: number;
  lastPunishReason: string | null;
  bannedUntilMs: number | null;
}
interface Peers {
  peers: PeerStats[];
  refusedConnections: number;
}

/** The demo workload, remembering what the client was told about each transaction. */
class Recorder implements LoadSource, SeedSource {
  readonly outcomes = new Map<string, TxOutcome>();
  constructor(private readonly w: DemoWorkload) {}
  seedPhases(): Uint8Array[][] {
    return this.w.seedPhases();
  }
  next(): Uint8Array {
    return this.w.next();
  }
  noteResult(hash: string, outcome: TxOutcome, result?: unknown): void {
    const was = this.outcomes.get(hash);
    if (was === undefined || was === 'rejected') this.outcomes.set(hash, outcome);
    this.w.noteResult(hash, outcome, result);
  }
  acknowledged(): string[] {
    return [...this.outcomes].filter(([, o]) => o === 'success' || o === 'failed').map(([h]) => h);
  }
}

let dir: string;
let c: LocalCluster;
let rogueId: string;
let source: Recorder;
const loadStop = new AbortController();
let loading: Promise<LoadReport | null>;
const forged = new Set<string>();
const timings: Record<string, string> = {};

const height = async (i: number) => (await c.ledgerOf(i)) ?? -1;
const heights = (nodes: number[]) => Promise.all(nodes.map(height));

/** Header hashes of ledgers [from, to] on validator i (seq -> hash). */
async function hashesOf(i: number, from: number, to: number): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (let s = from; s <= to; s += 200) {
    const page = await c.get<{ sequence: number; hash: string }[]>(i, `/v1/ledgers?from=${s}&limit=200`);
    for (const l of page ?? []) if (l.sequence <= to) out.set(l.sequence, l.hash);
  }
  return out;
}

/** Every pair of nodes agrees on every ledger both hold in [from, to]; returns how many were compared. */
async function expectAgreement(nodes: number[], from: number, to: number): Promise<number> {
  const views = await Promise.all(nodes.map((i) => hashesOf(i, from, to)));
  let compared = 0;
  for (let s = from; s <= to; s++) {
    const seen = new Map<string, number[]>();
    nodes.forEach((n, k) => {
      const h = views[k]!.get(s);
      if (h !== undefined) seen.set(h, [...(seen.get(h) ?? []), n]);
    });
    if (seen.size > 1) throw new Error(`FORK at ledger ${s}: ${JSON.stringify([...seen])}`);
    if (seen.size === 1) compared++;
  }
  return compared;
}

async function expectAlive(nodes: number[]): Promise<void> {
  for (const i of nodes) {
    expect(c.nodes[i]!.child, `v${i} process`).not.toBeNull();
    const s = await c.get<Status>(i, '/v1/status');
    expect(s, `v${i} /v1/status`).not.toBeNull();
  }
}

async function rogueEntry(i: number): Promise<PeerStats | undefined> {
  return (await c.get<Peers>(i, '/v1/peers'))?.peers.find((p) => p.peer === rogueId);
}

const punishments = () => Promise.all(HONEST.map(async (i) => (await rogueEntry(i))?.punishments ?? 0));

interface ModeRun {
  report: RogueReport;
  closed: number[];
  punished: number[];
}

/** One rogue run of MODE_MS; checks liveness, agreement and that every honest node lived through it. */
async function runMode(
  mode: RogueMode,
  label: string,
  honest: number[],
  opts: { targets?: string[]; listen?: string; conflictSlots?: number[] } = {},
): Promise<ModeRun> {
  const t0 = Date.now();
  const before = await heights(honest);
  const punishedBefore = await punishments();
  const rogue = spawnRogue({
    configFile: c.nodes[ROGUE]!.configPath,
    mode,
    durationMs: MODE_MS,
    logPath: join(dir, `rogue-${label}.log`),
    ...(opts.targets && { targets: opts.targets }),
    ...(opts.listen && { listen: opts.listen }),
    ...(opts.conflictSlots && { conflictSlots: opts.conflictSlots }),
    ...(mode === 'duplicate-key' && { dataDir: join(dir, 'rogue-duplicate') }),
  });
  const { report, code } = await rogue.done;
  expect(code, `rogue ${label} exit code (see rogue-${label}.log)`).toBe(0);
  expect(report).not.toBeNull();
  for (const h of report!.forgedTxHashes) forged.add(h);
  await expectAlive(honest);
  let after = await heights(honest);
  const closed = after.map((a, k) => a - before[k]!);
  // And they still close once it is gone: a halt that set in during the run does not pass for liveness.
  const resumed = await c
    .waitFor(
      `every honest validator closing after ${label}`,
      async () => (await heights(honest)).every((h, k) => h >= after[k]! + 2),
      15_000,
    )
    .then(
      () => true,
      () => false,
    );
  after = await heights(honest);
  const compared = await expectAgreement(honest, Math.max(1, Math.min(...before) - 5), Math.max(...after));
  const punishedAfter = await punishments();
  const punished = punishedAfter.map((p, k) => p - punishedBefore[k]!);
  timings[label] =
    `${Date.now() - t0} ms, closed ${closed.join('/')}, compared ${compared}, ` +
    `punished ${punished.join('/')}, sent ${JSON.stringify(report!.sent)}`;
  console.log(`byzantine ${label}: ${timings[label]}, slots ${report!.firstSlot}..${report!.lastSlot}`);
  // Liveness: with the rogue at most one Byzantine key in a 3-of-4 network, the honest three keep
  // closing (at ~1 ledger/s; a third of that leaves room for a slow shared CI machine).
  expect(resumed, `honest validators closing ledgers after ${label} (heights ${after.join('/')})`).toBe(true);
  for (const [k, n] of closed.entries())
    expect(n, `ledgers closed by v${honest[k]} during ${label}`).toBeGreaterThanOrEqual(5);
  return { report: report!, closed, punished };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'qm-byzantine-'));
  c = LocalCluster.open(dir, {
    validators: 4,
    organizations: 1,
    // A port range of its own per test process, below the kernel's ephemeral ports (32768+, where an
    // outgoing connection may already hold one), apart from the cluster tests' 20k-30k and the devnet's 11620.
    basePort: 12_000 + (process.pid % 200) * 40,
    seed: new Uint8Array(32).fill(11),
  });
  for (const i of ALL) c.start(i);
  await c.waitFor('every validator at ledger 2', async () => Math.min(...(await heights(ALL))) >= 2, 60_000);
  rogueId = (await c.get<Status>(ROGUE, '/v1/status'))!.nodeId;
  source = new Recorder(new DemoWorkload({ actors: c.actors(), seed: 6 }));
  const urls = HONEST.map((i) => c.nodes[i]!.httpUrl);
  const seeded = await seedNetwork({ urls, workload: source, timeoutMs: 60_000 });
  console.log(`byzantine: seeded ${seeded.committed}/${seeded.submitted}`);
  // Light load on the honest validators for the whole run (v3 is down or impersonated most of it).
  loading = runLoad({
    urls,
    ratePerSec: 2,
    durationMs: 10 * 60_000,
    drainMs: 15_000,
    workload: source,
    signal: loadStop.signal,
  }).catch(() => null);
}, 120_000);

afterAll(async () => {
  loadStop.abort();
  await c?.stopAll();
  console.log(`byzantine: logs in ${dir}`);
  if (process.env.QM_KEEP_BYZANTINE !== '1') rmSync(dir, { recursive: true, force: true });
});

describe('a rogue validator with a stolen key', () => {
  it('duplicate-key: a second instance of the live v3 (from a copy of its stores) forks and stalls no one', async () => {
    const r = await runMode('duplicate-key', 'duplicate-key', ALL, { listen: '127.0.0.1:0' });
    // It started from a snapshot of v3's ledger and reached every validator with v3's key, but it is deaf
    // (they write to v3 only on the streams they dialed to v3's address), so how much it says (its own
    // nominations, state requests) varies from run to run: reported, not asserted.
    expect(r.report.connects, 'links the duplicate opened').toBeGreaterThan(0);
    // It runs the honest code: whatever it holds as closed is the network's ledger.
    const dup = r.report.duplicate!;
    expect(dup.seq).toBeGreaterThan(0);
    const ref = await c.get<{ hash: string }>(0, `/v1/ledgers/${dup.seq}`);
    expect(ref?.hash, `duplicate's ledger ${dup.seq}`).toBe(dup.hash);
  }, 60_000);

  it('equivocate: two nominations and ballots for one slot, one per half of the peers', async () => {
    await c.stop(ROGUE);
    const r = await runMode('equivocate', 'equivocate', HONEST);
    expect(r.report.lastSlot).toBeGreaterThan(0);
    expect(r.report.sent.nominate ?? 0).toBeGreaterThan(0);
    expect(r.report.sent.prepare ?? 0).toBeGreaterThan(0);
  }, 60_000);

  it('conflict: CONFIRM and EXTERNALIZE for values nobody proposed, on closed and open slots', async () => {
    const r = await runMode('conflict', 'conflict', HONEST, { conflictSlots: [-1, 0] });
    expect(r.report.sent.externalize ?? 0).toBeGreaterThan(0);
  }, 60_000);

  it('replay: old statements, tx sets and transactions sent again', async () => {
    const r = await runMode('replay', 'replay', HONEST);
    expect(r.report.sent['replay-scp'] ?? 0).toBeGreaterThan(0);
  }, 60_000);

  it('bad-signatures: v0 punishes broken SCP signatures; forged transactions go nowhere', async () => {
    const r = await runMode('bad-signatures', 'bad-signatures', HONEST, { targets: [c.nodes[0]!.name] });
    expect(r.report.sent['tx-changed-body'] ?? 0).toBeGreaterThan(0);
    expect(r.punished[0], 'v0 punished the rogue').toBeGreaterThan(0);
    const entry = await rogueEntry(0);
    expect(entry?.lastPunishReason).toBe('SCP_BAD_SIGNATURE');
  }, 60_000);

  it('garbage: v1 punishes malformed frames', async () => {
    const r = await runMode('garbage', 'garbage', HONEST, { targets: [c.nodes[1]!.name] });
    expect(r.report.sent['junk-tx'] ?? 0).toBeGreaterThan(0);
    expect(r.punished[1], 'v1 punished the rogue').toBeGreaterThan(0);
    expect((await rogueEntry(1))?.lastPunishReason).toMatch(/bad frame|DECODE|malformed/);
  }, 60_000);

  it('afterwards: the genuine v3 catches up, all agree, acknowledged txs committed, forged ones not', async () => {
    const t0 = Date.now();
    c.start(ROGUE);
    // v0 and v1 still ban v3's key for up to a minute; v2 never did, so v3 gets back in through it.
    await c.waitFor(
      'v3 caught up',
      async () => {
        const hs = await heights(ALL);
        return hs[ROGUE]! >= Math.min(...hs.slice(0, 3)) - 1;
      },
      60_000,
    );
    loadStop.abort();
    const load = await loading;
    console.log(`byzantine: load ${JSON.stringify(load && { ...load, latencyMs: undefined })}`);
    const top = Math.min(...(await heights(ALL)));
    const compared = await expectAgreement(ALL, 1, top);
    expect(compared).toBe(top);
    await expectAlive(ALL);
    const acked = source.acknowledged();
    expect(acked.length).toBeGreaterThan(0);
    // Settled on the client's watched node; every validator must hold it, once it passed that ledger.
    await c.waitFor(
      'all past the last acknowledged',
      async () => Math.min(...(await heights(ALL))) > top,
      20_000,
    );
    const missing: string[] = [];
    for (const i of ALL) {
      for (const h of acked) {
        const t = await c.get<{ status: string }>(i, `/v1/transactions/${h}`);
        if (t?.status !== 'committed' && t?.status !== 'failed') missing.push(`v${i}:${h.slice(0, 12)}`);
      }
    }
    expect(missing, 'acknowledged transactions missing').toEqual([]);
    const forgedFound: string[] = [];
    for (const i of ALL) {
      for (const h of forged) {
        const t = await c.get<{ status: string }>(i, `/v1/transactions/${h}`);
        if (t && t.status !== 'pending') forgedFound.push(`v${i}:${h.slice(0, 12)}`);
      }
    }
    expect(forgedFound, 'forged transactions committed').toEqual([]);
    timings.recovery = `${Date.now() - t0} ms, ${acked.length} acknowledged, ${forged.size} forged, ${top} ledgers`;
    console.log(`byzantine: recovery ${timings.recovery}`);
  }, 120_000);

  // Found by this test and fixed in the herder: a validly signed ballot statement for a slot ahead of a
  // validator's next one used to reach SCP at once; the herder's validateValue can only answer MaybeValid
  // for a slot but lcl+1, which marked that slot "not fully validated" for good, so the validator never
  // spoke in it and one Byzantine key halted a 3-of-4 network permanently. Such envelopes now wait until
  // their slot is the open one (packages/node/test/herder/herder.test.ts has the same case in-process).
  it('conflict on slots nobody reached yet (future-slot ballots wait for their slot)', async () => {
    await c.stop(ROGUE);
    await runMode('conflict', 'conflict-future', HONEST, { conflictSlots: [1, 2] });
  }, 60_000);
});
