/**
 * Drives a network over its HTTP API at a steady rate and measures it: transactions are posted to the
 * validators in turn (each source always to the same one, so its sequence numbers arrive in order),
 * one validator's event stream says when ledgers close, and each closed ledger's transaction list
 * (one request per ledger) says which of ours it holds and with what result; a transaction still
 * unsettled a few seconds after it was accepted is looked up on its own (to find the lost ones).
 * Latency is submit -> arrival of the closing ledger's event, so it does not include the look-up.
 */
import { decodeEnvelope, encode, txHash } from '@qm/ledger';
import type { TxOutcome } from './demo-workload.js';
import { readEvents } from './sse.js';
import { type Percentiles, percentiles } from './stats.js';

/** What runLoad draws transactions from: a DemoWorkload, or anything that makes signed envelopes. */
export interface LoadSource {
  next(): Uint8Array;
  /**
   * The next transaction with its hash and source (saves decoding it), or null while the source has
   * nothing it may send (every source at its limit of unsettled transactions): the client holds back.
   */
  tryNextTx?(): { readonly bytes: Uint8Array; readonly hash: string; readonly source: string } | null;
  /** Told how each transaction ended, so the source can follow the ledger (DemoWorkload does). */
  noteResult?(hash: string, outcome: TxOutcome, result?: unknown): void;
}

export interface RunLoadOptions {
  /** Validator API base URLs, e.g. http://127.0.0.1:11601. */
  urls: readonly string[];
  ratePerSec: number;
  /** How long to submit (default 10 s). */
  durationMs?: number;
  workload: LoadSource;
  /** Called after every closed ledger and once at the end. */
  onProgress?: (report: LoadReport) => void;
  /** After submitting stops, how long to wait for outstanding transactions (default 15 s). */
  drainMs?: number;
  /** Poll transaction status this often when no ledger event arrives (default 1 s). */
  pollIntervalMs?: number;
  /** An accepted transaction the validator has never heard of after this long is lost (default 30 s). */
  lostAfterMs?: number;
  /** Concurrent submits (default 64); status look-ups get a quarter of that, at least 4. */
  maxConcurrentRequests?: number;
  /**
   * Transactions per request (default 1: one POST /v1/transactions each). Above 1, the transactions due
   * in each tick go to their validator in POST /v1/transactions/batch requests of up to this many.
   */
  batchSize?: number;
  signal?: AbortSignal;
}

export interface LoadReport {
  submitted: number;
  /** Answered 202. */
  accepted: number;
  /** Answered 400 (by error code) or not answered (NETWORK_ERROR). */
  rejectedByCode: Record<string, number>;
  /** In a ledger with TX_SUCCESS. */
  committed: number;
  /** In a ledger with another result (TX_FAILED). */
  failed: number;
  /** Accepted, then never seen again (dropped from the queue, or rejected at close). */
  lost: number;
  /** Accepted and not yet settled. */
  pending: number;
  /** Times the source held back (every source at its limit of unsettled transactions): not submitted. */
  heldBack: number;
  /** Submit -> commit, committed and failed transactions. */
  latencyMs: Percentiles;
  /** Between ledger closes, as the validator reports them. */
  closeIntervalMs: Percentiles;
  /** Per ledger on the watched validator: its nomination to externalization, and apply + persist. */
  consensusMs: Percentiles;
  applyMs: Percentiles;
  ledgers: number;
  /** Settled (committed + failed) per second, from the first submit to the last settlement. */
  txPerSec: number;
  elapsedMs: number;
}

interface Outstanding {
  hash: string;
  submittedMs: number;
  /** Set when the validator answers 202. */
  acceptedMs?: number;
}

/** Resolves after `ms`, or at once when `signal` aborts; removes its listener either way. */
const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

/** A counting semaphore, so neither submits nor look-ups flood the validators. */
class Limiter {
  #active = 0;
  readonly #waiting: (() => void)[] = [];
  constructor(readonly max: number) {}

  get active(): number {
    return this.#active;
  }

  async run<T>(f: () => Promise<T>): Promise<T> {
    if (this.#active >= this.max) await new Promise<void>((r) => this.#waiting.push(r));
    this.#active++;
    try {
      return await f();
    } finally {
      this.#active--;
      this.#waiting.shift()?.();
    }
  }
}

/** FNV-1a: a stable spread of sources over validators. */
function spread(text: string, n: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0) % n;
}

export async function runLoad(opts: RunLoadOptions): Promise<LoadReport> {
  const urls = opts.urls.map((u) => u.replace(/\/+$/, ''));
  if (urls.length === 0) throw new RangeError('runLoad needs at least one validator URL');
  if (!(opts.ratePerSec > 0)) throw new RangeError('ratePerSec must be positive');
  const durationMs = opts.durationMs ?? 10_000;
  const drainMs = opts.drainMs ?? 15_000;
  const batchSize = Math.max(1, Math.floor(opts.batchSize ?? 1));
  const pollIntervalMs = opts.pollIntervalMs ?? 1_000;
  const lostAfterMs = opts.lostAfterMs ?? 30_000;
  // Separate budgets: a burst of look-ups after a ledger close must not hold back the submit rate.
  const limiter = new Limiter(opts.maxConcurrentRequests ?? 64);
  const lookUps = new Limiter(Math.max(4, Math.floor(limiter.max / 4)));
  const watched = urls[0]!;
  const stop = new AbortController();
  opts.signal?.addEventListener('abort', () => stop.abort());

  const t0 = performance.now();
  const now = () => performance.now() - t0;
  const outstanding = new Map<string, Outstanding>();
  const latencies: number[] = [];
  const intervals: number[] = [];
  const consensusTimes: number[] = [];
  const applyTimes: number[] = [];
  /** Ledger sequence -> when its event arrived. */
  const closedAt = new Map<number, number>();
  const r = { submitted: 0, accepted: 0, committed: 0, failed: 0, lost: 0, ledgers: 0, heldBack: 0 };
  const rejectedByCode: Record<string, number> = {};
  let lastSettledMs = 0;
  let lastLedgerMs = 0;
  let lastSeq = 0;
  /** Accepted this long ago and not in any listed ledger: looked up on its own. */
  const straggleMs = Math.max(3000, 3 * pollIntervalMs);

  const report = (): LoadReport => {
    const settled = r.committed + r.failed;
    return {
      ...r,
      rejectedByCode: { ...rejectedByCode },
      pending: outstanding.size,
      latencyMs: percentiles(latencies),
      closeIntervalMs: percentiles(intervals),
      consensusMs: percentiles(consensusTimes),
      applyMs: percentiles(applyTimes),
      txPerSec: settled > 0 && lastSettledMs > 0 ? (settled * 1000) / lastSettledMs : 0,
      elapsedMs: Math.round(now()),
    };
  };

  const note = (hash: string, outcome: TxOutcome, result?: unknown) => {
    try {
      opts.workload.noteResult?.(hash, outcome, result);
    } catch {
      // A source's bookkeeping must not stop the measurement.
    }
  };

  /** `body` is the node's {code, message}: the source may learn its sequence number from it. */
  const reject = (hash: string, code: string, body?: unknown) => {
    rejectedByCode[code] = (rejectedByCode[code] ?? 0) + 1;
    outstanding.delete(hash);
    note(hash, 'rejected', body);
  };

  let sourceError: unknown;
  interface Drawn {
    readonly bytes: Uint8Array;
    readonly url: string;
    readonly entry: Outstanding;
  }
  /**
   * The source's next transaction, tracked as outstanding; null when there is none to send (a duplicate,
   * or the source failed), 'held' when the source is holding back.
   */
  const draw = (source: LoadSource): Drawn | null | 'held' => {
    let bytes: Uint8Array;
    let hash: string;
    let url: string;
    try {
      if (source.tryNextTx) {
        const t = source.tryNextTx();
        if (t === null) {
          r.heldBack++;
          return 'held';
        }
        bytes = t.bytes;
        hash = t.hash;
        url = urls[spread(t.source, urls.length)]!;
      } else {
        bytes = source.next();
        const env = decodeEnvelope(bytes);
        hash = Buffer.from(txHash(env)).toString('hex');
        url = urls[spread(Buffer.from(env.source).toString('hex'), urls.length)]!;
      }
    } catch (e) {
      // A source that cannot go on (or makes no envelopes) ends the run: submits already on their
      // way finish, then the error is rethrown.
      sourceError ??= e;
      return null;
    }
    r.submitted++;
    if (outstanding.has(hash)) {
      // The source made the same transaction again (after a sequence rewind): the network would refuse
      // it, and the first copy is still being tracked.
      rejectedByCode.TX_DUPLICATE = (rejectedByCode.TX_DUPLICATE ?? 0) + 1;
      return null;
    }
    const entry: Outstanding = { hash, submittedMs: now() };
    outstanding.set(hash, entry);
    return { bytes, url, entry };
  };

  const accepted = (d: Drawn) => {
    r.accepted++;
    d.entry.acceptedMs = now();
  };

  const submit = async (d: Drawn) => {
    try {
      const res = await fetch(`${d.url}/v1/transactions`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: d.bytes,
        signal: stop.signal,
      });
      if (res.status === 202) {
        await res.arrayBuffer();
        return accepted(d);
      }
      const body = (await res.json().catch(() => ({}))) as { code?: unknown };
      reject(d.entry.hash, typeof body.code === 'string' ? body.code : `HTTP_${res.status}`, body);
    } catch {
      reject(d.entry.hash, 'NETWORK_ERROR');
    }
  };

  const submitBatch = async (url: string, batch: readonly Drawn[]) => {
    try {
      const res = await fetch(`${url}/v1/transactions/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/cbor' },
        body: encode(batch.map((d) => d.bytes)),
        signal: stop.signal,
      });
      type Outcome = { status?: string; code?: unknown };
      const body = (await res.json().catch(() => ({}))) as Outcome & { results?: Outcome[] };
      for (const [i, d] of batch.entries()) {
        const one: Outcome | undefined = res.status === 200 ? body.results?.[i] : body;
        if (one?.status === 'pending') accepted(d);
        else reject(d.entry.hash, typeof one?.code === 'string' ? one.code : `HTTP_${res.status}`, one);
      }
    } catch {
      for (const d of batch) reject(d.entry.hash, 'NETWORK_ERROR');
    }
  };

  const settle = (o: Outstanding, status: string, at: number, result: unknown) => {
    latencies.push(Math.max(0, at - o.submittedMs));
    lastSettledMs = Math.max(lastSettledMs, at);
    if (status === 'committed') r.committed++;
    else r.failed++;
    note(o.hash, status === 'committed' ? 'success' : 'failed', result);
  };

  /** Settles our transactions in one closed ledger from its transaction list. */
  const settleLedger = async (seq: number) => {
    let list: { transactions?: { hash: string; status: string; result?: unknown }[] };
    try {
      const res = await fetch(`${watched}/v1/ledgers/${seq}/transactions`, { signal: stop.signal });
      if (!res.ok) return void (await res.arrayBuffer());
      list = (await res.json()) as typeof list;
    } catch {
      return; // the per-transaction look-ups settle them later
    }
    const at = closedAt.get(seq) ?? now();
    for (const t of list.transactions ?? []) {
      const o = outstanding.get(t.hash);
      if (!o) continue;
      outstanding.delete(t.hash);
      if (t.status === 'committed' || t.status === 'failed') settle(o, t.status, at, t.result);
      else {
        // Refused when the ledger closed (its sequence was taken, say): it will never commit.
        r.lost++;
        note(o.hash, 'rejected', t.result);
      }
    }
  };

  const lookUp = async (o: Outstanding, pollMs: number) => {
    let res: Response;
    try {
      res = await fetch(`${watched}/v1/transactions/${o.hash}`, { signal: stop.signal });
    } catch {
      return; // try again at the next poll
    }
    if (res.status === 404) {
      await res.arrayBuffer();
      if (o.acceptedMs !== undefined && pollMs - o.acceptedMs > lostAfterMs && outstanding.delete(o.hash)) {
        r.lost++;
        note(o.hash, 'rejected');
      }
      return;
    }
    if (!res.ok) return void (await res.arrayBuffer());
    const body = (await res.json()) as { status?: string; ledger?: number; result?: unknown };
    if (body.status !== 'committed' && body.status !== 'failed') return;
    if (!outstanding.delete(o.hash)) return;
    settle(o, body.status, (body.ledger !== undefined && closedAt.get(body.ledger)) || pollMs, body.result);
  };

  // One poll at a time; a trigger during a poll schedules one more right after it.
  let polling: Promise<void> | undefined;
  let again = false;
  const poll = (): Promise<void> => {
    if (polling) {
      again = true;
      return polling;
    }
    polling = (async () => {
      do {
        again = false;
        const pollMs = now();
        // Ledger lists settle nearly everything; look up only what they have not settled in a while.
        const due = [...outstanding.values()].filter(
          (o) => o.acceptedMs !== undefined && pollMs - o.acceptedMs >= straggleMs,
        );
        await Promise.all(due.map((o) => lookUps.run(() => lookUp(o, pollMs))));
      } while (again && !stop.signal.aborted);
      polling = undefined;
    })();
    return polling;
  };

  const events = readEvents(`${watched}/v1/events`, stop.signal, (e) => {
    if (e.event !== 'ledger') return;
    let data: { seq?: number; intervalMs?: number; consensusMs?: number | null; applyMs?: number };
    try {
      data = JSON.parse(e.data);
    } catch {
      return;
    }
    lastLedgerMs = now();
    r.ledgers++;
    if (typeof data.intervalMs === 'number') intervals.push(data.intervalMs);
    if (typeof data.consensusMs === 'number') consensusTimes.push(data.consensusMs);
    if (typeof data.applyMs === 'number') applyTimes.push(data.applyMs);
    if (typeof data.seq !== 'number') return;
    closedAt.set(data.seq, lastLedgerMs);
    // Ledgers whose events we missed (a slow reader) are listed too.
    const from = lastSeq > 0 && data.seq - lastSeq <= 16 ? lastSeq + 1 : data.seq;
    lastSeq = Math.max(lastSeq, data.seq);
    const lists: Promise<void>[] = [];
    for (let seq = from; seq <= data.seq; seq++) lists.push(lookUps.run(() => settleLedger(seq)));
    void Promise.all(lists)
      .then(() => poll())
      .then(() => opts.onProgress?.(report()));
  }).catch(() => {
    // No event stream: the fallback poll below still settles transactions, with coarser latency.
  });

  const fallback = setInterval(() => {
    if (now() - lastLedgerMs >= pollIntervalMs) void poll();
  }, pollIntervalMs);

  try {
    // Steady rate: by time t, t * rate transactions are due; catch up in small steps, never in bursts
    // larger than what the limiter lets through.
    const sends = new Set<Promise<void>>();
    // In batches, a 20 ms tick gathers what is due into fewer requests (at most 20 ms of added latency).
    const tickMs = batchSize > 1 ? 20 : Math.max(1, Math.min(20, 1000 / opts.ratePerSec));
    const halted = () => stop.signal.aborted || sourceError !== undefined;
    while (!halted() && now() < durationMs) {
      const due = Math.min(
        Math.floor((now() * opts.ratePerSec) / 1000) + 1,
        Math.ceil((durationMs * opts.ratePerSec) / 1000),
      );
      if (batchSize === 1) {
        while (r.submitted < due && limiter.active < limiter.max && !halted()) {
          const d = draw(opts.workload);
          if (d === 'held') break;
          if (!d) continue;
          const p: Promise<void> = limiter.run(() => submit(d)).finally(() => sends.delete(p));
          sends.add(p);
        }
      } else {
        // What is due now, grouped by validator, in batches; no more than the free requests can carry.
        const groups = new Map<string, Drawn[]>();
        let room = batchSize * (limiter.max - limiter.active);
        while (r.submitted < due && room-- > 0 && !halted()) {
          const d = draw(opts.workload);
          if (d === 'held') break;
          if (d) groups.set(d.url, [...(groups.get(d.url) ?? []), d]);
        }
        for (const [url, drawn] of groups) {
          for (let i = 0; i < drawn.length; i += batchSize) {
            const batch = drawn.slice(i, i + batchSize);
            const p: Promise<void> = limiter
              .run(() => submitBatch(url, batch))
              .finally(() => sends.delete(p));
            sends.add(p);
          }
        }
      }
      await sleep(tickMs, stop.signal);
    }
    await Promise.all(sends);
    const drainUntil = now() + drainMs;
    while (!halted() && outstanding.size > 0 && now() < drainUntil) {
      await sleep(Math.min(50, pollIntervalMs), stop.signal);
      if (now() - lastLedgerMs >= pollIntervalMs) await poll();
    }
  } finally {
    clearInterval(fallback);
    stop.abort();
    await events;
    await polling;
  }
  if (sourceError !== undefined) throw sourceError;
  const final = report();
  opts.onProgress?.(final);
  return final;
}
