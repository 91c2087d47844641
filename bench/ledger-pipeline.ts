// Ledger pipeline benchmark (issue 3): one node's decode + verify + validate + apply + persist on the demo
// workload's operation mix, as a ratio to the bare ed25519 verify rate measured in the same process.
//   (a) bare verify: suite.verify over the envelopes' signing payloads, single core;
//   (b) pipeline on one core: closeLedger on a SqliteLedgerStore (temp file) + putClosedLedger;
//   (c) the same with signatures verified by a pool of worker threads (2; --workers N) while the main
//       thread applies (closeLedger's alreadyVerified skips what a worker verified). Verification runs
//       ahead in chunks; a chunk no worker has started when the main thread reaches its ledger is taken
//       back by the main thread (closeLedger verifies it), so the main thread never idles behind a queue.
// Targets: (b) >= 0.7 x (a), (c) >= 1.3 x (a). The machine is shared and noisy, so every pass runs in
// several interleaved rounds and the report uses medians; ratios are taken within the run only.
// Writes bench/results/ledger-pipeline.{json,md}. `--quick` for a short run.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  buildGenesisLedger,
  closeLedger,
  decodeEnvelope,
  getSuite,
  type LedgerCloseResult,
  type TransactionEnvelope,
  txSigningPayload,
  verifyEnvelope,
} from '@qm/ledger';
import { SqliteLedgerStore } from '../packages/node/src/store/index.js';
import {
  type BenchNetwork,
  benchNetwork,
  generateStream,
  type PlannedLedger,
  type Stream,
} from './lib/network.js';
import { CLAIM_FREE, CLAIM_MAIN, type VerifyRequest, type VerifyResponse } from './lib/verify-worker.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = path.join(repoRoot, 'bench', 'results');
const QUICK = process.argv.includes('--quick');
function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
/**
 * 500 transactions per ledger from 60 organizations. The workload touches an item again only after the
 * ledger with its last transaction has closed, and its fleet grows with the organizations (9 items each);
 * with the devnet's 3 organizations a 500-tx ledger would be ~60% stock receipts, while with 60 the mix
 * follows the workload's activity weights (scans, usage, issues, custody hand-offs, maintenance, ...).
 */
const TX_PER_LEDGER = Number(flag('--per-ledger') ?? 500);
const ORGS = Number(flag('--orgs') ?? 60);
const TOTAL_TX = QUICK ? 2_000 : 8_000;
const LEDGERS = Math.ceil(TOTAL_TX / TX_PER_LEDGER);
const ROUNDS = QUICK ? 1 : 5;
const WORKERS = Number(flag('--workers') ?? 2);
/**
 * Envelopes per worker message: small enough to balance two workers and to bound what the main thread
 * waits for (one chunk a worker is in the middle of), large enough to amortize a post.
 */
const CHUNK = 50;
/** Ledgers whose verification is dispatched ahead of the one being applied (txs arrive before a close). */
const LOOKAHEAD = 2;
/** --no-claim: the main thread waits for the workers instead of verifying chunks none has started. */
const CLAIM = !process.argv.includes('--no-claim');
const TARGET_ONE_CORE = 0.7;
const TARGET_TWO_CORES = 1.3;

const suite = getSuite('ed25519');
const ms = (t0: number) => performance.now() - t0;

// --- (a) bare verify ------------------------------------------------------------------------------------

interface SigCheck {
  pk: Uint8Array;
  payload: Uint8Array;
  sig: Uint8Array;
}

/** Every signature of the activity envelopes with the payload it covers, prepared untimed. */
function sigChecks(envs: readonly TransactionEnvelope[]): SigCheck[] {
  return envs.flatMap((env) => {
    const payload = txSigningPayload(env);
    return env.signatures.map((s) => ({ pk: s.publicKey, payload, sig: s.signature }));
  });
}

function bareVerify(checks: readonly SigCheck[]): number {
  const t0 = performance.now();
  let ok = 0;
  for (const c of checks) if (suite.verify(c.pk, c.payload, c.sig)) ok++;
  const t = ms(t0);
  if (ok !== checks.length) throw new Error(`bare verify: ${checks.length - ok} signatures failed`);
  return t;
}

// --- stores ---------------------------------------------------------------------------------------------

const tmp = mkdtempSync(path.join(os.tmpdir(), 'qm-bench-pipeline-'));
let storeCount = 0;

/** A fresh SQLite store (default synchronous=FULL, WAL) at genesis + the seed ledger, untimed. */
function freshStore(net: BenchNetwork, stream: Stream): SqliteLedgerStore {
  const store = new SqliteLedgerStore(path.join(tmp, `ledger-${storeCount++}.sqlite`));
  store.putClosedLedger(buildGenesisLedger(net.genesis), []);
  store.putClosedLedger(close(store, net, stream.seed), []);
  return store;
}

function close(
  store: SqliteLedgerStore,
  net: BenchNetwork,
  l: PlannedLedger,
  alreadyVerified?: (b: Uint8Array, env: TransactionEnvelope) => boolean,
): LedgerCloseResult {
  return closeLedger(
    {
      prev: store.lastClosed()!,
      txSet: l.txSet,
      closeTime: l.closeTime,
      networkId: net.actors.networkId,
      suite,
      ...(alreadyVerified && { alreadyVerified }),
    },
    store,
    store.merkle,
  );
}

interface PassResult {
  ms: number;
  /** closeLedger (decode, verify unless done by workers, validate, apply). */
  closeMs: number;
  /** putClosedLedger (one SQLite transaction per ledger). */
  persistMs: number;
  /** Signature verification inside closeLedger (one-core pass only). */
  verifyMs: number;
  /** Main thread waiting for workers' verdicts. */
  waitMs: number;
  /** Envelopes whose signatures a worker had verified (closeLedger skipped them). */
  workerVerified: number;
  /** Results that differ from the generating run (expected 0: same bytes, same order). */
  mismatches: number;
  success: number;
}

const emptyPass = (): PassResult => ({
  ms: 0,
  closeMs: 0,
  persistMs: 0,
  verifyMs: 0,
  waitMs: 0,
  workerVerified: 0,
  mismatches: 0,
  success: 0,
});

function tally(r: PassResult, l: PlannedLedger, c: LedgerCloseResult): void {
  c.results.forEach((res, i) => {
    if (res.code !== l.codes[i]) r.mismatches++;
    if (res.code === 'TX_SUCCESS') r.success++;
  });
}

// --- (b) one core ---------------------------------------------------------------------------------------

/**
 * Verification is timed inside the pass: closeLedger asks `alreadyVerified` first, so that callback runs
 * verifyEnvelope (exactly what closeLedger would) under a timer and answers true when it passed; a failing
 * envelope is answered false and closeLedger verifies it again to give its code. Same work, split out.
 */
function pipelineOneCore(net: BenchNetwork, stream: Stream): PassResult {
  const store = freshStore(net, stream);
  const r = emptyPass();
  const timedVerify = (_: Uint8Array, env: TransactionEnvelope): boolean => {
    const t = performance.now();
    const ok = verifyEnvelope(env, suite).ok;
    r.verifyMs += ms(t);
    return ok;
  };
  const t0 = performance.now();
  for (const l of stream.ledgers) {
    const t1 = performance.now();
    const c = close(store, net, l, timedVerify);
    const t2 = performance.now();
    store.putClosedLedger(c, []);
    r.persistMs += ms(t2);
    r.closeMs += t2 - t1;
    tally(r, l, c);
  }
  r.ms = ms(t0);
  store.close();
  return r;
}

// --- (c) verification on worker threads -----------------------------------------------------------------

/** One ledger's verification in flight: its chunks, their claim slots and the workers' answers. */
interface LedgerVerification {
  claims: Int32Array;
  chunks: { part: Uint8Array[]; answer: Promise<boolean[] | null> }[];
}

class VerifyPool {
  readonly #workers: Worker[];
  readonly #pending = new Map<number, (ok: boolean[] | null) => void>();
  #next = 0;

  constructor(size: number) {
    // ts-worker.mjs registers tsx in the worker, then imports the TypeScript module.
    const module = new URL('./lib/verify-worker.ts', import.meta.url).href;
    this.#workers = Array.from({ length: size }, () => {
      const w = new Worker(new URL('./lib/ts-worker.mjs', import.meta.url), { workerData: { module } });
      w.on('message', (m: VerifyResponse) => {
        this.#pending.get(m.id)!(m.ok);
        this.#pending.delete(m.id);
      });
      w.on('error', (e) => {
        console.error('verify worker failed:', e);
        process.exit(1);
      });
      return w;
    });
  }

  /** Round trip with a trivial batch, so worker start-up (loading tsx and @qm/ledger) is not timed. */
  async warm(sample: Uint8Array): Promise<void> {
    // Chunk ids are consecutive, so these go to each worker in turn.
    await Promise.all(this.#workers.map(() => this.verify([sample]).chunks[0]!.answer));
  }

  /** Sends `txSet` to the workers in chunks, round robin; each chunk goes to whoever claims it first. */
  verify(txSet: readonly Uint8Array[]): LedgerVerification {
    const n = Math.ceil(txSet.length / CHUNK);
    const claims = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, n)));
    const chunks: LedgerVerification['chunks'] = [];
    for (let slot = 0; slot < n; slot++) {
      const part = txSet.slice(slot * CHUNK, (slot + 1) * CHUNK);
      const id = this.#next++;
      const req: VerifyRequest = { id, envelopes: part, claims, slot };
      const answer = new Promise<boolean[] | null>((resolve) => {
        this.#pending.set(id, resolve);
        this.#workers[id % this.#workers.length]!.postMessage(req);
      });
      chunks.push({ part, answer });
    }
    return { claims, chunks };
  }

  async terminate(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }
}

/**
 * The envelopes of one ledger that workers verified, once the main thread needs them. Chunks no worker
 * has started yet are claimed by the main thread (closeLedger then verifies them itself); it waits only
 * for chunks a worker is already verifying, so the main thread never idles behind a worker's queue.
 */
async function collect(v: LedgerVerification): Promise<{ verified: Set<Uint8Array>; mainChunks: number }> {
  const verified = new Set<Uint8Array>();
  let mainChunks = 0;
  const waits: Promise<void>[] = [];
  v.chunks.forEach((c, slot) => {
    if (CLAIM && Atomics.compareExchange(v.claims, slot, CLAIM_FREE, CLAIM_MAIN) === CLAIM_FREE) {
      mainChunks++;
      return;
    }
    waits.push(
      c.answer.then((ok) => {
        if (ok === null) return;
        for (const [j, good] of ok.entries()) if (good) verified.add(c.part[j]!);
      }),
    );
  });
  await Promise.all(waits);
  return { verified, mainChunks };
}

async function pipelineWorkers(net: BenchNetwork, stream: Stream, pool: VerifyPool): Promise<PassResult> {
  const store = freshStore(net, stream);
  const r = emptyPass();
  const t0 = performance.now();
  const inFlight: LedgerVerification[] = [];
  for (let i = 0; i < Math.min(LOOKAHEAD, stream.ledgers.length); i++)
    inFlight.push(pool.verify(stream.ledgers[i]!.txSet));
  for (let i = 0; i < stream.ledgers.length; i++) {
    const l = stream.ledgers[i]!;
    const tw = performance.now();
    const { verified } = await collect(inFlight[i]!);
    r.waitMs += ms(tw);
    if (i + LOOKAHEAD < stream.ledgers.length)
      inFlight.push(pool.verify(stream.ledgers[i + LOOKAHEAD]!.txSet));
    const t1 = performance.now();
    // By identity: the very byte arrays whose copies a worker verified. Any other bytes get verified here.
    const c = close(store, net, l, (b) => {
      const hit = verified.has(b);
      if (hit) r.workerVerified++;
      return hit;
    });
    const t2 = performance.now();
    store.putClosedLedger(c, []);
    r.persistMs += ms(t2);
    r.closeMs += t2 - t1;
    tally(r, l, c);
  }
  r.ms = ms(t0);
  store.close();
  return r;
}

// --- stage costs measured apart, over the same envelopes ------------------------------------------------

function decodeAll(txs: readonly Uint8Array[]): number {
  const t0 = performance.now();
  for (const b of txs) decodeEnvelope(b);
  return ms(t0);
}

// --- main -----------------------------------------------------------------------------------------------

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const round = (x: number, d = 0) => Math.round(x * 10 ** d) / 10 ** d;

async function main(): Promise<void> {
  const started = performance.now();
  const net = benchNetwork(ORGS);
  console.log(`generating ${LEDGERS} ledgers x ${TX_PER_LEDGER} tx of the demo workload (untimed)...`);
  const tg = performance.now();
  const stream = generateStream(net, LEDGERS, TX_PER_LEDGER);
  const generateMs = ms(tg);
  const txs = stream.ledgers.flatMap((l) => l.txSet);
  const envs = txs.map((b) => decodeEnvelope(b));
  const checks = sigChecks(envs);
  const bytesPerTx = txs.reduce((n, b) => n + b.length, 0) / txs.length;
  console.log(
    `${txs.length} tx (${checks.length} signatures, ${round(bytesPerTx)} B avg) in ${round(generateMs)} ms`,
  );

  const pool = new VerifyPool(WORKERS);
  await pool.warm(txs[0]!);
  // Warm-up (JIT, key-object caches, SQLite page cache) on a short prefix; not reported.
  const warmStream = { ...stream, ledgers: stream.ledgers.slice(0, 2) };
  bareVerify(checks.slice(0, 2000));
  pipelineOneCore(net, warmStream);
  await pipelineWorkers(net, warmStream, pool);

  const rounds: {
    bareMs: number;
    oneCore: PassResult;
    workers: PassResult;
    decodeMs: number;
  }[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    // Interleaved, so that load from other users of the machine hits every pass of a round alike.
    const bareMs = bareVerify(checks);
    const oneCore = pipelineOneCore(net, stream);
    const workers = await pipelineWorkers(net, stream, pool);
    const decodeMs = decodeAll(txs);
    rounds.push({ bareMs, oneCore, workers, decodeMs });
    const rate = (t: number) => round((txs.length / t) * 1000);
    console.log(
      `round ${i + 1}/${ROUNDS}: bare verify ${rate(bareMs)} tx/s, one core ${rate(oneCore.ms)} tx/s, ` +
        `${WORKERS} workers ${rate(workers.ms)} tx/s`,
    );
  }
  await pool.terminate();
  rmSync(tmp, { recursive: true, force: true });

  const n = txs.length;
  const perSec = (t: number) => (n / t) * 1000;
  const bareRate = median(rounds.map((r) => perSec(r.bareMs)));
  const oneRate = median(rounds.map((r) => perSec(r.oneCore.ms)));
  const twoRate = median(rounds.map((r) => perSec(r.workers.ms)));
  // Ratios per round (same load), then the median: the figure the targets are judged on.
  const oneRatio = median(rounds.map((r) => r.bareMs / r.oneCore.ms));
  const twoRatio = median(rounds.map((r) => r.bareMs / r.workers.ms));

  // Stage shares of the one-core pipeline, per round and then the median: close, verify (inside close)
  // and persist are timed in the pass; decode is timed apart over the same envelopes; validate + apply is
  // the rest of close.
  const stageOf = (r: (typeof rounds)[number]) => ({
    decode: r.decodeMs,
    verify: r.oneCore.verifyMs,
    validateApply: Math.max(0, r.oneCore.closeMs - r.oneCore.verifyMs - r.decodeMs),
    persist: r.oneCore.persistMs,
    other: Math.max(0, r.oneCore.ms - r.oneCore.closeMs - r.oneCore.persistMs),
  });
  const stageKeys = ['decode', 'verify', 'validateApply', 'persist', 'other'] as const;
  const stages = Object.fromEntries(stageKeys.map((k) => [k, median(rounds.map((r) => stageOf(r)[k]))]));
  const shares = Object.fromEntries(
    stageKeys.map((k) => [k, round(median(rounds.map((r) => stageOf(r)[k] / r.oneCore.ms)), 3)]),
  );
  const w = {
    close: median(rounds.map((r) => r.workers.closeMs)),
    persist: median(rounds.map((r) => r.workers.persistMs)),
    wait: median(rounds.map((r) => r.workers.waitMs)),
    total: median(rounds.map((r) => r.workers.ms)),
  };
  const workerShare = median(rounds.map((r) => r.workers.workerVerified / n));
  // What bounds the ratios, per transaction: bare verify, verification as closeLedger does it (tx hash,
  // payload, verify), and the one-core pipeline's other work. In (c) the main thread still does all of
  // the latter, so even infinitely fast workers give at most bare / rest.
  const usBare = median(rounds.map((r) => (r.bareMs / n) * 1000));
  const usVerify = median(rounds.map((r) => (r.oneCore.verifyMs / n) * 1000));
  const usRest = median(rounds.map((r) => ((r.oneCore.ms - r.oneCore.verifyMs) / n) * 1000));
  const ceilingWorkers = median(rounds.map((r) => r.bareMs / (r.oneCore.ms - r.oneCore.verifyMs)));
  // (c) on two cores: workers spend decode + verify per transaction, the main thread the rest; both
  // must fit in 2 cores x (bare / target) per transaction.
  const usWorker = median(rounds.map((r) => ((r.oneCore.verifyMs + r.decodeMs) / n) * 1000));
  const needMain = Math.max(0, (2 * usBare) / TARGET_TWO_CORES - usWorker);
  // The main thread's own work in (c) against the same work in (b) (the non-verify work plus verifying
  // the chunks no worker had started): above 1 when the workers take CPU time from it (two cores shared
  // by three busy threads and the machine's other users).
  const mainSlowdown = median(
    rounds.map(
      (r) =>
        (r.workers.closeMs + r.workers.persistMs) /
        (r.oneCore.ms - r.oneCore.verifyMs + (1 - r.workers.workerVerified / n) * r.oneCore.verifyMs),
    ),
  );
  const mixTotal = Object.values(stream.mix).reduce((a, b) => a + b, 0);
  const mixText = Object.entries(stream.mix)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${Math.round((v / mixTotal) * 100)}%`)
    .join(', ');
  const mismatches = rounds.reduce((m, r) => m + r.oneCore.mismatches + r.workers.mismatches, 0);
  const successRate = rounds[0]!.oneCore.success / n;
  const wallS = ms(started) / 1000;

  const result = {
    benchmark: 'ledger-pipeline',
    date: new Date().toISOString(),
    command: ['npx tsx bench/ledger-pipeline.ts', ...process.argv.slice(2)].join(' '),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      node: process.version,
      loadavg: os.loadavg(),
    },
    config: {
      ledgers: LEDGERS,
      txPerLedger: TX_PER_LEDGER,
      transactions: n,
      signatures: checks.length,
      avgEnvelopeBytes: round(bytesPerTx, 1),
      rounds: ROUNDS,
      workers: WORKERS,
      chunk: CHUNK,
      lookahead: LOOKAHEAD,
      mainThreadClaimsUnstartedChunks: CLAIM,
      store: 'SqliteLedgerStore, WAL, synchronous=FULL, temp file',
      mix: stream.mix,
      successRate: round(successRate, 4),
      resultMismatches: mismatches,
    },
    rates: {
      bareVerifyTxPerS: round(bareRate),
      oneCoreTxPerS: round(oneRate),
      workersTxPerS: round(twoRate),
    },
    ratios: {
      oneCore: round(oneRatio, 3),
      workers: round(twoRatio, 3),
      targets: { oneCore: TARGET_ONE_CORE, workers: TARGET_TWO_CORES },
      pass: { oneCore: oneRatio >= TARGET_ONE_CORE, workers: twoRatio >= TARGET_TWO_CORES },
    },
    stagesMs: Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, round(v, 1)])),
    stageShares: shares,
    perTxMicros: {
      bareVerify: round(usBare, 1),
      verifyInClose: round(usVerify, 1),
      pipelineWithoutVerify: round(usRest, 1),
      workerDecodeVerify: round(usWorker, 1),
      mainThreadBudgetForWorkersTarget: round(needMain, 1),
    },
    workersCeilingRatio: round(ceilingWorkers, 3),
    workersMainThreadSlowdown: round(mainSlowdown, 2),
    workerVerifiedShare: round(workerShare, 4),
    workersMainThreadMs: Object.fromEntries(Object.entries(w).map(([k, v]) => [k, round(v, 1)])),
    rounds: rounds.map((r) => ({
      bareMs: round(r.bareMs, 1),
      oneCoreMs: round(r.oneCore.ms, 1),
      workersMs: round(r.workers.ms, 1),
      oneCoreVerifyMs: round(r.oneCore.verifyMs, 1),
      oneCoreClosePersistMs: [round(r.oneCore.closeMs, 1), round(r.oneCore.persistMs, 1)],
      workersClosePersistWaitMs: [
        round(r.workers.closeMs, 1),
        round(r.workers.persistMs, 1),
        round(r.workers.waitMs, 1),
      ],
      decodeMs: round(r.decodeMs, 1),
    })),
    generateMs: round(generateMs),
    wallSeconds: round(wallS, 1),
  };
  writeFileSync(path.join(resultsDir, 'ledger-pipeline.json'), `${JSON.stringify(result, null, 2)}\n`);

  const pf = (ok: boolean) => (ok ? 'pass' : 'FAIL');
  const pct = (x: number) => `${round(x * 100, 1)}%`;
  const md = `## ledger-pipeline: decode + verify + validate + apply + persist (bench/ledger-pipeline.ts)

One node's pipeline on the demo workload (packages/node/src/workload): ${n} signed ed25519 envelopes from
${net.genesis.members.length} members of ${ORGS} organizations, ${TX_PER_LEDGER} per ledger, ${LEDGERS} ledgers; mix: ${mixText}.
Each ledger is closed with \`closeLedger\` and persisted with \`putClosedLedger\` on a \`SqliteLedgerStore\` (temp
file, WAL, synchronous=FULL). Envelopes are generated and signed before timing; ${pct(successRate)} apply as
TX_SUCCESS and ${mismatches} results differ from the generating run. Bare verify = \`suite.verify\` over the same
envelopes' signing payloads, one core. The machine is shared and noisy (load average at the end \
${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores): the passes run interleaved in ${ROUNDS} round(s) in one process, ratios are
taken per round, then the median. Node ${process.version}; whole run ${round(wallS)} s.

| measure | tx/s | ratio to bare verify | target | result |
|---|---:|---:|---:|---|
| (a) bare ed25519 verify, one core | ${round(bareRate)} | 1.00 | - | - |
| (b) pipeline, one core | ${round(oneRate)} | ${oneRatio.toFixed(2)} | >= ${TARGET_ONE_CORE} | ${pf(oneRatio >= TARGET_ONE_CORE)} |
| (c) pipeline, verify on ${WORKERS} worker threads | ${round(twoRate)} | ${twoRatio.toFixed(2)} | >= ${TARGET_TWO_CORES} | ${pf(twoRatio >= TARGET_TWO_CORES)} |

Stage shares of (b): decode ${pct(shares.decode!)}, verify ${pct(shares.verify!)}, validate + apply \
${pct(shares.validateApply!)}, persist ${pct(shares.persist!)}, other ${pct(shares.other!)} (close, verify and persist timed in the
pipeline; decode timed apart over the same envelopes; validate + apply = the rest of close). In
(c) workers verified ${pct(workerShare)} of the envelopes and the main thread the rest (chunks no worker had started
when it reached their ledger); it spent ${round(w.close)} ms closing, \
${round(w.persist)} ms persisting and ${round(w.wait)} ms waiting for workers, of ${round(w.total)} ms: its \
work took ${mainSlowdown.toFixed(2)} x as long as the same work in (b), as the workers compete with it for the cores.

What bounds the ratios, per transaction: bare verify ${round(usBare, 1)} µs; verification as closeLedger does it
(tx hash, payload, verify) ${round(usVerify, 1)} µs; the pipeline's other work (decode, validate, apply, persist)
${round(usRest, 1)} µs. (b) >= ${TARGET_ONE_CORE} needs verification + other work <= ${round(usBare / TARGET_ONE_CORE)} µs (now \
${round(usVerify + usRest)}). (c) keeps all the other work on the main thread, so even free verification gives at most \
${ceilingWorkers.toFixed(2)} x bare verify; >= ${TARGET_TWO_CORES} needs it <= ${round(usBare / TARGET_TWO_CORES)} µs, and the workers share the
two cores with the main thread: with the workers' own cost per transaction (decode + verify, ~${round(usWorker)} µs), two
cores reach ${TARGET_TWO_CORES} x only if the main thread's work is <= ${round(needMain)} µs per transaction (now ${round(usRest)}).

Where the other work goes (CPU profile of the one-core pass, \`--cpu-prof\`, when this version was written; shares
of the non-verify time): SQLite persist ~28% (the B-tree inserts of ~10 rows per transaction: the tx set row
with envelope and result, ~750 bytes, the tx index keyed by hash, state upserts, 2 log nodes, history and
query-index rows; and the fsynced commit of ~1 MB of WAL per 500-transaction ledger), domain apply ~25%
(operation handlers, state reads and copies), the rest of close ~25% (results and state changes in canonical
JSON, source and sequence checks, state commitment, log leaves and Merkle nodes, tx-set and results hashes),
decode ~12%, GC ~10%. Removed in this version (issue 3): re-encoding the body for the tx hash (now hashed in
place at decode, once), a SQLite read and JSON parse per state read (decoded values now cached across
closes, exact after reopen), a second canonical-JSON pass per state change, \`structuredClone\` on every
state read, one SQLite call per row (now multi-row statements), an idle main thread in (c) (it now verifies
the chunks no worker has started). Against the previous version in alternating runs on the same machine
(non-verify time over verify time within each one-core pass, so that load mostly cancels out): 1.65 before,
1.0 now. The rest of the gap between verification in the pipeline and bare verify is not extra work (hash
and payload are ready; \`verifyEnvelope\` in a tight loop costs what bare verify costs) but the same
verification running between other work (cold caches, GC pauses inside its timer). What is left is spread
thin over many steps: (b) needs all non-verify work in ~50 µs per transaction, and the SQLite write alone
costs ~30-40 µs of that on a quiet machine; (c) needs the main thread's share far below that.

Command: \`${result.command}\` (\`--quick\`: 2,000 tx, 1 round; \`--per-ledger N\`, \`--orgs N\`, \`--workers N\` change the shape;
\`--no-claim\`: in (c) the main thread waits for the workers instead of verifying chunks none has started).`;
  writeFileSync(path.join(resultsDir, 'ledger-pipeline.md'), `${md}\n`);
  console.log(`\n${md}`);
}

await main();
