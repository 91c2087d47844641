// A stand-in for a 4-validator devnet, for the dashboard's end-to-end tests and for working on the UI
// without a node: validator 0 serves the built dashboard (dist/) and the whole API, validators 1-3 serve
// /v1/status (with CORS) on their own ports. Ledgers close every `closeEveryMs`; stopping two validators
// closes their servers and makes validator 0 stuck, with a halt diagnosis naming them.
//
//   npx tsx packages/web/test/e2e/mock-api.ts      # serves on http://127.0.0.1:11626 (QM_MOCK_PORT)
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import { cborEncode } from '../../src/cbor';
import { networkIdFromGenesis } from '../../src/genesis';
import { bytesToHex, encodeLeaf, hexToBytes, type LedgerHeader } from '../../src/verify';
import { buildChain, headerHashSync, headerJson } from '../chain-helpers';
import { leafHashOf, mth, path } from '../merkle-helpers';

export interface MockValidator {
  readonly nodeId: string;
  readonly name: string;
  readonly org: string;
  port: number;
}

export interface MockNetwork {
  readonly url: string;
  readonly validators: readonly MockValidator[];
  /** The item with a full timeline, and a transaction of its history with a valid receipt. */
  readonly itemUii: string;
  readonly receiptTxHash: string;
  /** An NSN with stock on hand. */
  readonly stockNsn: string;
  /** The genesis file (JSON text) whose network id the receipts carry. */
  readonly genesisFile: string;
  stop(names: readonly string[]): Promise<void>;
  start(names: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

export interface MockOptions {
  readonly distDir?: string;
  readonly port?: number;
  readonly closeEveryMs?: number;
  /** A node counts as stuck when no ledger closed for this long. */
  readonly stuckAfterMs?: number;
}

const NAMES = ['alpha', 'bravo', 'charlie', 'delta'];
const ORGS = ['1st Supply Depot', '1st Supply Depot', 'Air Wing 3', 'Contractor 0CVA5'];
const nodeIdOf = (i: number) =>
  `GQM${String(i).repeat(4)}${'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.slice(i, i + 20)}`;
const QSET = (ids: string[]) => ({ threshold: 3, validators: ids, innerSets: [] });
const hashOf = (seed: number) => (seed.toString(16).padStart(8, '0') + 'a5').repeat(7).slice(0, 64);

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

const headerCbor = (h: LedgerHeader) => ({ ...h });

/** The genesis description of the mock network (docs/ledger.md §5). */
function genesisDescription(ids: readonly string[]) {
  return {
    name: 'qm-devnet (mock)',
    suite: 'ed25519',
    time: 1_795_000_000,
    organizations: [
      { code: 'W56HZV', name: '1st Supply Depot' },
      { code: 'FA4890', name: 'Air Wing 3' },
      { code: '0CVA5', name: 'Contractor 0CVA5' },
    ],
    members: [{ id: 'MMOCKMEMBER', org: 'W56HZV', roles: ['admin', 'supply'] }],
    validators: ids.map((id, i) => ({
      id,
      org: ['W56HZV', 'W56HZV', 'FA4890', '0CVA5'][i]!,
      quorumSet: { threshold: 3, validators: [...ids], innerSets: [] },
    })),
  };
}

/** The logistics fixture: one item's history in ledgers 2-6, and the Merkle log around it. */
function logisticsFixture(networkId: Uint8Array) {
  const uii = 'D0CVA5674A36458';
  const events = [
    {
      type: 'register',
      subject: uii,
      nsn: '1560-01-234-5678',
      serial: '674A36458',
      cage: '0CVA5',
      site: 'W56HZV',
    },
    { type: 'transfer-offer', subject: uii, from: 'W56HZV', to: 'FA4890' },
    { type: 'transfer-accept', subject: uii, custodian: 'FA4890' },
    { type: 'maintenance', subject: uii, action: 'inspect', hours: 8975 },
    { type: 'scan', subject: uii, device: 'reader-7', location: 'FA4890 hangar 2' },
  ];
  const leaves: Uint8Array[] = [];
  const txs = events.map((event, i) => {
    const envelope = new TextEncoder().encode(`envelope-${i}-${JSON.stringify(event)}`);
    const result = new TextEncoder().encode(`{"code":"OK","ok":true,"op":${i}}`);
    const ledgerSeq = 2 + i;
    const leafIndex = leaves.length;
    leaves.push(new TextEncoder().encode(`other-${i}`)); // an unrelated transaction before it
    leaves.push(encodeLeaf(ledgerSeq, 1, envelope, result));
    const txHash = bytesToHex(leafHashOf(envelope)); // any 32-byte id will do for the mock
    return { event, envelope, result, ledgerSeq, leafIndex: leafIndex + 1, txHash };
  });
  // The log as of each ledger: ledger 2 + i holds leaves 0 .. 2i + 1; a receipt proves its leaf against
  // the header of the ledger that applied it, as packages/ledger's buildReceipt does.
  const logAt = new Map(
    txs.map((t, i) => {
      const upTo = leaves.slice(0, 2 * (i + 1));
      return [t.ledgerSeq, { logRoot: bytesToHex(mth(upTo)), logSize: upTo.length }] as const;
    }),
  );
  // Real headers for ledgers 0-6 (genesis first), hashed and chained as packages/ledger does.
  const chain = buildChain(
    7,
    (seq) => {
      const log = logAt.get(seq);
      return log ? { logRoot: hexToBytes(log.logRoot)!, logSize: log.logSize } : undefined;
    },
    networkId,
  );
  const headerHashes = chain.map((h) => bytesToHex(headerHashSync(h)));
  const receipts = new Map(
    txs.map((t) => {
      const log = logAt.get(t.ledgerSeq)!;
      const upTo = leaves.slice(0, log.logSize);
      return [
        t.txHash,
        {
          txHash: t.txHash,
          ledger: t.ledgerSeq,
          // The node's form: the receipt's CBOR as hex, beside a few of its fields and its own verdict.
          receipt: bytesToHex(
            cborEncode({
              version: 1,
              networkId,
              envelope: t.envelope,
              result: t.result,
              ledgerSeq: t.ledgerSeq,
              txIndex: 1,
              leafIndex: t.leafIndex,
              header: headerCbor(chain[t.ledgerSeq]!),
              headerHash: hexToBytes(headerHashes[t.ledgerSeq]!)!,
              inclusionProof: path(t.leafIndex, upTo),
              headerChain: chain.slice(0, t.ledgerSeq).map(headerCbor),
            }),
          ),
          header: headerJson(chain[t.ledgerSeq]!),
          headerHash: headerHashes[t.ledgerSeq]!,
          leafIndex: t.leafIndex,
          inclusionProof: path(t.leafIndex, upTo).map(bytesToHex),
          scpStatements: 0,
          verification: { ok: true, steps: [], anchoredBy: 'headerChain' },
        },
      ] as const;
    }),
  );
  return {
    uii,
    item: {
      item: {
        uii,
        nsn: '1560-01-234-5678',
        serial: '674A36458',
        cage: '0CVA5',
        condition: 'A',
        location: 'FA4890 hangar 2',
        owner: 'W56HZV',
        custodian: 'FA4890',
        status: 'active',
        usage: { hours: 8975 },
      },
      history: txs.map((t) => ({
        ledgerSeq: t.ledgerSeq,
        txIndex: 1,
        opIndex: 0,
        txHash: t.txHash,
        event: t.event,
      })),
    },
    txs,
    receipts,
    logAt,
    chain,
    headerHashes,
    logSize: leaves.length,
  };
}

export async function startMockNetwork(opts: MockOptions = {}): Promise<MockNetwork> {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const distDir = resolve(opts.distDir ?? join(here, '../../dist'));
  const closeEveryMs = opts.closeEveryMs ?? 500;
  const stuckAfterMs = opts.stuckAfterMs ?? 1500;
  const ids = NAMES.map((_, i) => nodeIdOf(i));
  const validators: MockValidator[] = NAMES.map((name, i) => ({
    nodeId: ids[i]!,
    name,
    org: ORGS[i]!,
    port: 0,
  }));
  const stopped = new Set<string>();
  const servers = new Map<string, FastifyInstance>();
  const genesis = genesisDescription(ids);
  const networkIdHex = await networkIdFromGenesis(genesis);
  const fixture = logisticsFixture(hexToBytes(networkIdHex)!);
  const started = Date.now();

  // The ledger: closes while at least 3 of the 4 validators run.
  let seq = 8;
  let lastCloseAt = Date.now();
  const closeTimes = new Map<number, number>([[seq, Math.floor(lastCloseAt / 1000)]]);
  const listeners = new Set<(e: object) => void>();
  const ticker = setInterval(() => {
    if (stopped.size >= 2) return;
    const now = Date.now();
    const intervalMs = now - lastCloseAt;
    seq++;
    lastCloseAt = now;
    closeTimes.set(seq, Math.floor(now / 1000));
    const event = { seq, hash: hashOf(seq), closeTime: Math.floor(now / 1000), txCount: seq % 7, intervalMs };
    for (const l of listeners) l(event);
  }, closeEveryMs);

  const sinceClose = () => Date.now() - lastCloseAt;
  const isStuck = () => stopped.size >= 2 && sinceClose() > stuckAfterMs;
  const ledgerJson = (s: number) => {
    const h = fixture.chain[s];
    if (h) {
      return {
        sequence: s,
        hash: fixture.headerHashes[s],
        closeTime: h.closeTime,
        txSetHash: bytesToHex(h.txSetHash),
        logRoot: bytesToHex(h.logRoot),
        logSize: h.logSize,
        txCount: fixture.logAt.has(s) ? 2 : 0,
      };
    }
    return {
      sequence: s,
      hash: hashOf(s),
      closeTime: closeTimes.get(s) ?? Math.floor(started / 1000) - (8 - s) * 5,
      txSetHash: hashOf(s + 1000),
      logRoot: hashOf(s + 2000),
      logSize: fixture.logSize + Math.max(0, s - 6),
      txCount: s % 7,
    };
  };
  const statusOf = (i: number) => ({
    nodeId: ids[i],
    network: { name: 'qm-devnet (mock)', id: networkIdHex, suite: 'ed25519' },
    state: isStuck() ? 'stuck' : 'synced',
    ledger: {
      seq,
      hash: hashOf(seq),
      closeTime: Math.floor(lastCloseAt / 1000),
      sinceLastCloseMs: sinceClose(),
    },
    txQueue: 0,
    peers: 3 - [...stopped].filter((n) => n !== ids[i]).length,
    summary: isStuck() ? 'stuck: no quorum' : 'closing ledgers',
  });
  const quorum = () => {
    const missing = ids.slice(1).filter((n) => stopped.has(n));
    const stuck = isStuck();
    return {
      nodeId: ids[0],
      stuck,
      stuckForMs: stuck ? sinceClose() : 0,
      members: ids.slice(1).map((n) => ({
        node: n,
        status: stopped.has(n) ? 'missing' : 'agree',
        lastHeardAgoMs: stopped.has(n) ? sinceClose() : 120,
        possiblyDead: stopped.has(n),
        lag: stopped.has(n) ? null : 0,
      })),
      failAt: Math.max(0, 1 - missing.length),
      failWith: missing.length === 0 ? [ids[3]] : [],
      unsatisfied: stuck
        ? [{ path: 'top', threshold: 3, satisfied: 4 - missing.length, unavailable: missing }]
        : [],
      restoreSets: stuck ? missing.map((n) => [n]) : [],
      restoreSearchTruncated: false,
      summary: stuck
        ? `stuck for ${(sinceClose() / 1000).toFixed(1)} s: no quorum is available; missing: ${missing.join(', ')}`
        : `closing ledgers; survives ${Math.max(0, 1 - missing.length)} more failure(s)`,
    };
  };
  const network = () => ({
    self: ids[0],
    validators: validators.map((v) => ({
      nodeId: v.nodeId,
      name: v.name,
      org: v.org,
      http: `http://127.0.0.1:${v.port}`,
      quorumSet: QSET(ids),
    })),
    analysis: {
      // As packages/node sends it: packages/fbas outcomes ({status: 'done', ...} or 'unknown').
      intersects: true,
      topTier: { status: 'done', nodes: ids, symmetric: true },
      minimalBlockingSets: {
        status: 'done',
        count: 6,
        smallest: 2,
        complete: true,
        completeUpTo: null,
        sets: [
          [ids[0], ids[1]],
          [ids[0], ids[2]],
          [ids[0], ids[3]],
          [ids[1], ids[2]],
          [ids[1], ids[3]],
          [ids[2], ids[3]],
        ],
      },
      minimalSplittingSets: {
        status: 'done',
        count: 1,
        smallest: 2,
        complete: true,
        completeUpTo: null,
        sets: [[ids[0], ids[1]]],
      },
      byOrganization: null,
      criticalOrganizations: {
        status: 'done',
        by: 'organization',
        critical: [{ group: '1st Supply Depot', split: [[], []] }],
        considered: ['1st Supply Depot'],
      },
    },
  });

  async function serveStatic(urlPath: string): Promise<{ type: string; body: Buffer } | null> {
    const clean = normalize(decodeURIComponent(urlPath.split('?')[0]!)).replace(/^(\.\.[/\\])+/, '');
    const file = join(distDir, clean === '/' ? 'index.html' : clean);
    if (!file.startsWith(distDir)) return null;
    try {
      return { type: MIME[extname(file)] ?? 'application/octet-stream', body: await readFile(file) };
    } catch {
      return null;
    }
  }

  function buildServer(i: number): FastifyInstance {
    const app = Fastify({ logger: false });
    app.addHook('onSend', async (_req, reply) => {
      reply.header('access-control-allow-origin', '*');
    });
    app.get('/v1/status', async () => statusOf(i));
    if (i !== 0) return app;
    app.get('/v1/quorum', async () => quorum());
    app.get('/v1/network', async () => network());
    app.get('/v1/peers', async () => ({
      localNodeId: ids[0],
      peers: ids.slice(1).map((n, k) => ({
        peer: n,
        connected: !stopped.has(n),
        lastHeardMs: stopped.has(n) ? lastCloseAt : Date.now() - 80,
        framesIn: 1000 + seq * (k + 1),
        framesOut: 1100 + seq * (k + 1),
      })),
    }));
    app.get<{ Querystring: { limit?: string } }>('/v1/ledgers', async (req) => {
      const limit = Math.min(200, Number(req.query.limit ?? 20) || 20);
      return Array.from({ length: Math.min(limit, seq + 1) }, (_, k) => ledgerJson(seq - k));
    });
    app.get<{ Params: { seq: string } }>('/v1/ledgers/:seq', async (req, reply) => {
      const s = Number(req.params.seq);
      if (!(s >= 0 && s <= seq))
        return reply.code(404).send({ code: 'LEDGER_UNKNOWN', message: 'no such ledger' });
      return ledgerJson(s);
    });
    app.get<{ Params: { uii: string } }>('/v1/items/:uii', async (req, reply) =>
      req.params.uii.toUpperCase() === fixture.uii
        ? fixture.item
        : reply.code(404).send({ code: 'ITEM_UNKNOWN', message: 'no such item' }),
    );
    app.get<{ Querystring: { nsn?: string; location?: string } }>('/v1/stock', async (req) =>
      [
        { nsn: '1560-01-234-5678', site: 'W56HZV', lot: 'L-0042', condition: 'A', quantity: 12 },
        { nsn: '1560-01-234-5678', site: 'FA4890', lot: 'L-0042', condition: 'F', quantity: 3 },
        { nsn: '5306-00-151-1435', site: 'FA4890', lot: null, condition: 'A', quantity: 400 },
      ].filter(
        (r) =>
          (!req.query.nsn || r.nsn === req.query.nsn) &&
          (!req.query.location || r.site === req.query.location),
      ),
    );
    app.get('/v1/alerts', async () => [
      { id: 'al-1', kind: 'duplicate-uii', subject: 'D0CVA5999X00001', ledgerSeq: 5, firstSeenSeq: 3 },
      { id: 'al-2', kind: 'custody-unaccepted', subject: fixture.uii, ledgerSeq: 6, offeredTo: 'FA4890' },
      { id: 'al-3', kind: 'life-limit-exceeded', subject: 'D1HJ7732B', ledgerSeq: 7, dueHours: 10675 },
    ]);
    app.get<{ Params: { hash: string } }>('/v1/receipts/:hash', async (req, reply) => {
      const r = fixture.receipts.get(req.params.hash.toLowerCase());
      return (
        r ?? reply.code(404).send({ code: 'RECEIPT_UNAVAILABLE', message: 'transaction not in a ledger' })
      );
    });
    app.get('/v1/events', (req, reply) => {
      reply.raw.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'access-control-allow-origin': '*',
      });
      reply.raw.write(': connected\n\n');
      const send = (e: object) => reply.raw.write(`event: ledger\ndata: ${JSON.stringify(e)}\n\n`);
      listeners.add(send);
      req.raw.on('close', () => listeners.delete(send));
    });
    app.setNotFoundHandler(async (req, reply) => {
      if (req.url.startsWith('/v1/'))
        return reply.code(404).send({ code: 'NOT_FOUND', message: `no route ${req.url}` });
      const f = (await serveStatic(req.url)) ?? (await serveStatic('/'));
      if (!f)
        return reply.code(404).send({ code: 'NO_DASHBOARD', message: `build the dashboard into ${distDir}` });
      return reply.type(f.type).send(f.body);
    });
    return app;
  }

  async function listen(i: number, port: number): Promise<void> {
    const app = buildServer(i);
    await app.listen({ host: '127.0.0.1', port });
    const addr = app.server.address();
    validators[i]!.port = typeof addr === 'object' && addr ? addr.port : port;
    servers.set(ids[i]!, app);
  }

  await listen(0, opts.port ?? 0);
  for (let i = 1; i < validators.length; i++) await listen(i, 0);
  const byName = (names: readonly string[]) =>
    names.map((n) => {
      const i = NAMES.indexOf(n);
      if (i < 1) throw new RangeError(`unknown or unstoppable validator ${n}`);
      return i;
    });

  return {
    url: `http://127.0.0.1:${validators[0]!.port}`,
    validators,
    itemUii: fixture.uii,
    stockNsn: '1560-01-234-5678',
    receiptTxHash: fixture.txs[2]!.txHash,
    genesisFile: JSON.stringify(genesis, null, 2),
    async stop(names) {
      for (const i of byName(names)) {
        stopped.add(ids[i]!);
        await servers.get(ids[i]!)?.close();
        servers.delete(ids[i]!);
      }
    },
    async start(names) {
      for (const i of byName(names)) {
        if (servers.has(ids[i]!)) continue;
        await listen(i, validators[i]!.port);
        stopped.delete(ids[i]!);
      }
    },
    async close() {
      clearInterval(ticker);
      listeners.clear();
      await Promise.all([...servers.values()].map((s) => s.close()));
    },
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const net = await startMockNetwork({ port: Number(process.env.QM_MOCK_PORT ?? 11626) });
  console.log(
    `mock Quartermaster API on ${net.url} (validators: ${net.validators.map((v) => v.port).join(', ')})`,
  );
  console.log(`item ${net.itemUii}; receipt ${net.receiptTxHash}`);
}
