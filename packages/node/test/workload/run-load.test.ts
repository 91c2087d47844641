import { decode, decodeEnvelope, txHash } from '@qm/ledger';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DemoWorkload,
  type LoadReport,
  percentile,
  percentiles,
  runLoad,
  SseParser,
  seedNetwork,
} from '../../src/workload/index.js';
import { demoNetwork } from './fixture.js';

const CLOSE_MS = 100;
const RATE = 100;
const DURATION_MS = 1_500;
const TARGET = (RATE * DURATION_MS) / 1000;

/**
 * Two fake validators sharing one ledger: they accept every transaction but each 10th (TX_BAD_SEQ),
 * "close" a ledger every CLOSE_MS with everything queued, fail those whose hash ends in 'f', and stream
 * ledger events from the first one.
 */
class FakeNetwork {
  readonly apps: FastifyInstance[] = [];
  readonly urls: string[] = [];
  readonly posts: number[] = [0, 0];
  /** Per-transaction look-ups and per-ledger listings served. */
  lookUps = 0;
  listings = 0;
  batches = 0;
  readonly ledgers = new Map<number, string[]>();
  readonly txs = new Map<string, { status: 'pending' | 'committed' | 'failed'; ledger?: number }>();
  /** Server-side receipt -> close, per committed transaction: a floor for the client's latency. */
  readonly serverLatencyMs: number[] = [];
  readonly #receivedAt = new Map<string, number>();
  readonly listeners = new Set<(line: string) => void>();
  /** The ledger sequence last closed when each transaction was posted. */
  readonly postedAfter = new Map<string, number>();

  constructor(readonly rejectEvery = 10) {}

  #queue: string[] = [];
  #seq = 0;
  #received = 0;
  #lastClose = Date.now();
  #timer: NodeJS.Timeout | undefined;

  /** One posted transaction: refused (every rejectEvery-th) or queued for the next close. */
  receive(
    i: number,
    bytes: Uint8Array,
  ): { hash: string; status: string } | { code: string; message: string } {
    this.posts[i]!++;
    const env = decodeEnvelope(bytes);
    const hash = Buffer.from(txHash(env)).toString('hex');
    this.postedAfter.set(hash, this.#seq);
    if (this.rejectEvery > 0 && ++this.#received % this.rejectEvery === 0)
      return { code: 'TX_BAD_SEQ', message: 'no' };
    this.txs.set(hash, { status: 'pending' });
    this.#receivedAt.set(hash, performance.now());
    this.#queue.push(hash);
    return { hash, status: 'pending' };
  }

  async start(): Promise<void> {
    for (let i = 0; i < 2; i++) {
      const app = Fastify();
      app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_r, body, done) =>
        done(null, body),
      );
      app.addContentTypeParser('application/cbor', { parseAs: 'buffer' }, (_r, body, done) =>
        done(null, body),
      );
      app.post('/v1/transactions', async (req, reply) => {
        const r = this.receive(i, new Uint8Array(req.body as Buffer));
        return reply.code('code' in r ? 400 : 202).send(r);
      });
      app.post('/v1/transactions/batch', async (req) => {
        this.batches++;
        const envs = decode(new Uint8Array(req.body as Buffer)) as Uint8Array[];
        return { results: envs.map((bytes) => this.receive(i, bytes)) };
      });
      app.get<{ Params: { seq: string } }>('/v1/ledgers/:seq/transactions', async (req, reply) => {
        this.listings++;
        const seq = Number(req.params.seq);
        const hashes = this.ledgers.get(seq);
        if (!hashes) return reply.code(404).send({ code: 'LEDGER_UNKNOWN', message: 'no such ledger' });
        return {
          seq,
          transactions: hashes.map((hash) => {
            const t = this.txs.get(hash)!;
            return {
              hash,
              status: t.status,
              result: { code: t.status === 'committed' ? 'TX_SUCCESS' : 'TX_FAILED' },
            };
          }),
        };
      });
      app.get<{ Params: { hash: string } }>('/v1/transactions/:hash', async (req, reply) => {
        this.lookUps++;
        const t = this.txs.get(req.params.hash);
        if (!t) return reply.code(404).send({ code: 'TX_UNKNOWN', message: 'no such transaction' });
        return {
          hash: req.params.hash,
          ...t,
          ...(t.status !== 'pending' && {
            result: { code: t.status === 'committed' ? 'TX_SUCCESS' : 'TX_FAILED' },
          }),
        };
      });
      app.get('/v1/events', (req, reply) => {
        reply.raw.writeHead(200, { 'content-type': 'text/event-stream' });
        reply.raw.write(': connected\n\n');
        const l = (line: string) => reply.raw.write(line);
        this.listeners.add(l);
        req.raw.on('close', () => this.listeners.delete(l));
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const addr = app.server.address();
      this.urls.push(`http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/`);
      this.apps.push(app);
    }
    this.#timer = setInterval(() => this.close(), CLOSE_MS);
  }

  close(): void {
    const seq = ++this.#seq;
    const t = Date.now();
    const txCount = this.#queue.length;
    for (const h of this.#queue) this.serverLatencyMs.push(performance.now() - this.#receivedAt.get(h)!);
    for (const h of this.#queue)
      this.txs.set(h, { status: h.endsWith('f') ? 'failed' : 'committed', ledger: seq });
    this.ledgers.set(seq, this.#queue);
    this.#queue = [];
    const data = {
      seq,
      hash: 'ab'.repeat(32),
      closeTime: Math.floor(t / 1000),
      txCount,
      intervalMs: t - this.#lastClose,
    };
    this.#lastClose = t;
    for (const l of this.listeners) l(`event: ledger\ndata: ${JSON.stringify(data)}\n\n`);
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    for (const app of this.apps) await app.close();
  }
}

describe('runLoad against fake validators', () => {
  const net = new FakeNetwork();
  let report: LoadReport;
  const progress: LoadReport[] = [];
  let workload: DemoWorkload;

  beforeAll(async () => {
    await net.start();
    workload = new DemoWorkload({ actors: demoNetwork().actors, seed: 3 });
    // The fake ledger applies nothing, so the seed is taken as committed without being sent.
    for (const t of workload.seedDetails()) workload.noteResult(t.hash, 'success');
    report = await runLoad({
      urls: net.urls,
      ratePerSec: RATE,
      durationMs: DURATION_MS,
      workload,
      onProgress: (r) => progress.push(r),
      drainMs: 3_000,
    });
  });
  afterAll(() => net.stop());

  it('submits at the requested rate, spread over the validators', () => {
    // The rate is a ceiling; on a busy machine the generator may fall a little behind it.
    expect(report.submitted).toBeLessThanOrEqual(TARGET);
    expect(report.submitted).toBeGreaterThanOrEqual(TARGET * 0.7);
    const duplicates = report.rejectedByCode.TX_DUPLICATE ?? 0;
    expect(net.posts[0]! + net.posts[1]!).toBe(report.submitted - duplicates);
    expect(net.posts[0]).toBeGreaterThan(0);
    expect(net.posts[1]).toBeGreaterThan(0);
    expect(report.elapsedMs).toBeGreaterThanOrEqual(DURATION_MS);
  });

  it('counts accepted, rejected by code, committed and failed', () => {
    // The fake refuses every 10th post; a rare local duplicate (see runLoad) is never posted.
    const { TX_BAD_SEQ: badSeq, TX_DUPLICATE: duplicates = 0, ...others } = report.rejectedByCode;
    expect(others).toEqual({});
    expect(badSeq).toBe(Math.floor((report.submitted - duplicates) / 10));
    expect(report.accepted).toBe(report.submitted - badSeq! - duplicates);
    expect(report.committed + report.failed).toBe(report.accepted);
    const failed = [...net.txs.values()].filter((t) => t.status === 'failed').length;
    expect(failed).toBeGreaterThan(0);
    expect(report.failed).toBe(failed);
    expect(report.pending).toBe(0);
    expect(report.lost).toBe(0);
  });

  it('measures submit -> ledger latency and close intervals', () => {
    // The client's latency spans the server's receipt -> close, plus the request and the event's trip.
    const server = percentiles(net.serverLatencyMs);
    expect(report.latencyMs.p50).toBeGreaterThanOrEqual(server.p50);
    expect(report.latencyMs.p50).toBeLessThanOrEqual(server.p50 + 300);
    expect(report.latencyMs.p99).toBeGreaterThanOrEqual(report.latencyMs.p50);
    expect(report.closeIntervalMs.p50).toBeGreaterThanOrEqual(CLOSE_MS - 10);
    expect(report.closeIntervalMs.p50).toBeLessThanOrEqual(CLOSE_MS * 5);
    expect(report.ledgers).toBeGreaterThanOrEqual(5);
    expect(report.txPerSec).toBeGreaterThan(0);
    expect(report.txPerSec).toBeLessThanOrEqual(RATE * 1.2);
    expect(progress.length).toBeGreaterThan(3);
    expect(progress.at(-1)).toEqual(report);
  });

  it('tells the workload every outcome', () => {
    expect(workload.inFlight).toBe(0);
  });

  it('settles transactions from one listing per ledger, not one look-up per transaction', () => {
    expect(net.listings).toBeGreaterThanOrEqual(report.ledgers - 1);
    expect(net.lookUps).toBeLessThan((report.committed + report.failed) / 10);
  });
});

describe('runLoad in batches', () => {
  const net = new FakeNetwork();
  let report: LoadReport;
  beforeAll(async () => {
    await net.start();
    const workload = new DemoWorkload({ actors: demoNetwork().actors, seed: 4 });
    for (const t of workload.seedDetails()) workload.noteResult(t.hash, 'success');
    report = await runLoad({
      urls: net.urls,
      ratePerSec: RATE * 4,
      durationMs: DURATION_MS,
      workload,
      batchSize: 25,
      drainMs: 3_000,
    });
  });
  afterAll(() => net.stop());

  it('posts the due transactions in batches per validator and settles each one', () => {
    expect(net.batches).toBeGreaterThan(0);
    expect(net.batches).toBeLessThan(report.submitted / 2);
    const duplicates = report.rejectedByCode.TX_DUPLICATE ?? 0;
    expect(net.posts[0]! + net.posts[1]!).toBe(report.submitted - duplicates);
    const badSeq = report.rejectedByCode.TX_BAD_SEQ ?? 0;
    expect(badSeq).toBe(Math.floor((report.submitted - duplicates) / 10));
    expect(report.accepted).toBe(report.submitted - badSeq - duplicates);
    expect(report.committed + report.failed).toBe(report.accepted);
    expect(report.pending).toBe(0);
  });
});

describe('seedNetwork', () => {
  const net = new FakeNetwork(0);
  beforeAll(() => net.start());
  afterAll(() => net.stop());

  it('posts each phase after the previous one committed', async () => {
    const workload = new DemoWorkload({ actors: demoNetwork().actors, seed: 3 });
    const phases = workload.seedPhases();
    const report = await seedNetwork({ urls: net.urls, workload, pollIntervalMs: 20 });
    expect(report).toEqual({
      submitted: phases.flat().length,
      committed: report.committed,
      failed: report.failed,
      rejectedByCode: {},
    });
    expect(report.committed + report.failed).toBe(phases.flat().length);
    const details = workload.seedDetails();
    const phaseOf = new Map(
      details.map((t, i) => [t.hash, phases.findIndex((p) => p.includes(workload.seedTransactions()[i]!))]),
    );
    for (const [hash, after] of net.postedAfter) {
      const phase = phaseOf.get(hash)!;
      const earlier = details.filter((t) => phaseOf.get(t.hash)! < phase);
      for (const e of earlier) expect(net.txs.get(e.hash)!.ledger!).toBeLessThanOrEqual(after);
    }
    expect(workload.inFlight).toBe(0);
  });
});

describe('runLoad with a failing source', () => {
  const net = new FakeNetwork(0);
  beforeAll(() => net.start());
  afterAll(() => net.stop());

  it('stops and rethrows the error of a source that cannot go on', async () => {
    const workload = new DemoWorkload({ actors: demoNetwork().actors, seed: 4 });
    for (const t of workload.seedDetails()) workload.noteResult(t.hash, 'success');
    let n = 0;
    const source = {
      next: () => {
        if (++n > 5) throw new Error('out of transactions');
        return workload.next();
      },
    };
    await expect(
      runLoad({ urls: net.urls, ratePerSec: 50, durationMs: 2_000, workload: source, drainMs: 500 }),
    ).rejects.toThrow('out of transactions');
    expect(net.posts[0]! + net.posts[1]!).toBe(5);
  });
});

describe('helpers', () => {
  it('percentile is nearest-rank', () => {
    const v = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(v, 50)).toBe(50);
    expect(percentile(v, 99)).toBe(99);
    expect(percentile([], 50)).toBe(0);
    expect(percentile([7], 99)).toBe(7);
  });

  it('SseParser handles split chunks, comments and CRLF', () => {
    const p = new SseParser();
    expect(p.push(': connected\n\nevent: led')).toEqual([]);
    expect(p.push('ger\r\ndata: {"seq":1}\r\n\r\n: ping\n\nevent: ledger\ndata: 2\n\n')).toEqual([
      { event: 'ledger', data: '{"seq":1}' },
      { event: 'ledger', data: '2' },
    ]);
  });
});
