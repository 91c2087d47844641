// The node's HTTP API (Fastify): public read and submit routes with an OpenAPI description at /docs,
// Prometheus metrics, a server-sent event stream of closed ledgers, and errors as JSON with stable codes.

import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { DecodeError, MAX_ENVELOPE_BYTES, schema } from '@qm/ledger';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { NodeView } from './node-view.js';

export interface ApiOptions {
  /** Largest request body (a transaction envelope is at most 64 KiB). */
  readonly bodyLimitBytes?: number;
  readonly logger?: boolean;
  /** A built dashboard (packages/web/dist) to serve at `/`. */
  readonly dashboardDir?: string;
}

const HEX64 = '^[0-9a-fA-F]{64}$';
const errorSchema = {
  type: 'object',
  properties: { code: { type: 'string' }, message: { type: 'string' } },
  required: ['code', 'message'],
};
const anyObject = { type: 'object', additionalProperties: true };

const notFound = (reply: FastifyReply, code: string, message: string) =>
  reply.code(404).send({ code, message });

export async function buildApi(node: NodeView, opts: ApiOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: opts.bodyLimitBytes ?? 128 * 1024,
    // Event streams never end by themselves: without this, close() waits for every client to go away.
    forceCloseConnections: true,
  });

  // Transactions may be posted as raw bytes or as JSON {tx: base64 | hex}; batches as CBOR.
  for (const type of ['application/octet-stream', 'application/cbor']) {
    app.addContentTypeParser(type, { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  }

  app.setErrorHandler((err: { statusCode?: number; code?: string; message: string }, _req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    const code = status === 500 ? 'INTERNAL' : (err.code ?? 'BAD_REQUEST');
    reply.code(status).send({ code, message: status === 500 ? 'internal error' : err.message });
  });
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({ code: 'NOT_FOUND', message: `no route ${req.url}` }),
  );
  // Reads are public: the dashboard served by one validator fetches every validator's status.
  app.addHook('onRequest', async (req, reply) => {
    if (req.method === 'GET') reply.header('access-control-allow-origin', '*');
  });
  if (opts.dashboardDir) await app.register(fastifyStatic, { root: opts.dashboardDir, prefix: '/' });

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Quartermaster validator API',
        version: '1',
        description: 'Logistics records ordered by SCP. Bytes are hex; errors are {code, message}.',
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.get('/v1/status', { schema: { tags: ['node'], response: { 200: anyObject } } }, async () =>
    node.status(),
  );
  app.get('/v1/quorum', { schema: { tags: ['node'], response: { 200: anyObject } } }, async () =>
    node.quorum(),
  );
  app.get('/v1/peers', { schema: { tags: ['node'] } }, async () => node.peers());
  app.get('/v1/network', { schema: { tags: ['node'] } }, async () => node.network());

  app.post(
    '/v1/transactions',
    {
      schema: {
        tags: ['transactions'],
        description: 'Submit a signed transaction envelope (raw bytes, or JSON {tx: hex or base64}).',
        response: { 202: anyObject, 400: errorSchema },
      },
    },
    async (req, reply) => {
      const bytes = bodyBytes(req.body);
      if (!bytes) return reply.code(400).send({ code: 'TX_MISSING', message: 'no transaction in the body' });
      const r = node.submitTransaction(bytes);
      if (!r.ok)
        return reply.code(400).send({ code: r.code ?? 'TX_REJECTED', message: r.message ?? 'rejected' });
      return reply.code(202).send({ hash: r.hash, status: 'pending' });
    },
  );
  app.post(
    '/v1/transactions/batch',
    {
      bodyLimit: MAX_BATCH_BYTES,
      schema: {
        tags: ['transactions'],
        description: `Submit up to ${MAX_BATCH} signed envelopes at once: an application/cbor body holding a CBOR array of byte strings. The answer lists each one's outcome, in order.`,
        response: { 200: anyObject, 400: errorSchema },
      },
    },
    async (req, reply) => {
      if (!(req.body instanceof Uint8Array))
        return reply.code(400).send({ code: 'TX_MISSING', message: 'expected an application/cbor body' });
      let envelopes: Uint8Array[];
      try {
        envelopes = decodeTransactionBatch(new Uint8Array(req.body));
      } catch (e) {
        if (!(e instanceof DecodeError)) throw e;
        return reply.code(400).send({ code: e.code, message: `batch: ${e.message}` });
      }
      const results = envelopes.map((bytes) => {
        const r = node.submitTransaction(bytes);
        return r.ok
          ? { hash: r.hash, status: 'pending' }
          : { code: r.code ?? 'TX_REJECTED', message: r.message ?? 'rejected' };
      });
      return { results };
    },
  );
  app.get<{ Params: { hash: string } }>(
    '/v1/transactions/:hash',
    {
      schema: {
        tags: ['transactions'],
        params: { type: 'object', properties: { hash: { type: 'string', pattern: HEX64 } } },
      },
    },
    async (req, reply) =>
      node.transaction(req.params.hash.toLowerCase()) ?? notFound(reply, 'TX_UNKNOWN', 'no such transaction'),
  );
  app.get<{ Params: { hash: string } }>(
    '/v1/receipts/:hash',
    {
      schema: {
        tags: ['transactions'],
        params: { type: 'object', properties: { hash: { type: 'string', pattern: HEX64 } } },
      },
    },
    async (req, reply) =>
      node.receipt(req.params.hash.toLowerCase()) ??
      notFound(reply, 'RECEIPT_UNAVAILABLE', 'transaction not in a ledger'),
  );

  app.get<{ Querystring: { from?: number; limit?: number } }>(
    '/v1/ledgers',
    {
      schema: {
        tags: ['ledgers'],
        querystring: {
          type: 'object',
          properties: {
            from: { type: 'integer', minimum: 0 },
            limit: { type: 'integer', minimum: 1, maximum: 200, default: 20 },
          },
        },
      },
    },
    async (req) => node.ledgers(req.query.from ?? null, req.query.limit ?? 20),
  );
  app.get<{ Params: { seq: number } }>(
    '/v1/ledgers/:seq',
    {
      schema: {
        tags: ['ledgers'],
        params: { type: 'object', properties: { seq: { type: 'integer', minimum: 0 } } },
      },
    },
    async (req, reply) => node.ledger(req.params.seq) ?? notFound(reply, 'LEDGER_UNKNOWN', 'no such ledger'),
  );
  app.get<{ Params: { seq: number } }>(
    '/v1/ledgers/:seq/transactions',
    {
      schema: {
        tags: ['ledgers'],
        description: "A closed ledger's transactions with their results (committed, failed, rejected).",
        params: { type: 'object', properties: { seq: { type: 'integer', minimum: 0 } } },
      },
    },
    async (req, reply) =>
      node.ledgerTransactions(req.params.seq) ?? notFound(reply, 'LEDGER_UNKNOWN', 'no such ledger'),
  );

  app.get<{ Params: { uii: string } }>(
    '/v1/items/:uii',
    {
      schema: {
        tags: ['logistics'],
        params: { type: 'object', properties: { uii: { type: 'string', maxLength: 50 } } },
      },
    },
    async (req, reply) =>
      node.item(req.params.uii.toUpperCase()) ?? notFound(reply, 'ITEM_UNKNOWN', 'no such item'),
  );
  app.get<{ Querystring: { nsn?: string; location?: string } }>(
    '/v1/stock',
    {
      schema: {
        tags: ['logistics'],
        querystring: {
          type: 'object',
          properties: { nsn: { type: 'string' }, location: { type: 'string' } },
        },
      },
    },
    async (req) => node.stock(req.query),
  );
  app.get<{ Querystring: { kind?: string; limit?: number } }>(
    '/v1/alerts',
    {
      schema: {
        tags: ['logistics'],
        querystring: {
          type: 'object',
          properties: {
            kind: { type: 'string' },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
          },
        },
      },
    },
    async (req) =>
      node.alerts({
        ...(req.query.kind !== undefined && { kind: req.query.kind }),
        limit: req.query.limit ?? 100,
      }),
  );

  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    reply.type('text/plain; version=0.0.4');
    return node.metrics();
  });

  // Server-sent events: one "ledger" event per closed ledger.
  app.get(
    '/v1/events',
    { schema: { tags: ['ledgers'], description: 'Server-sent events: closed ledgers.' } },
    (req, reply) => {
      reply.raw.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      reply.raw.write(': connected\n\n');
      const unsubscribe = node.onLedger((ledger) => {
        reply.raw.write(`event: ledger\ndata: ${JSON.stringify(ledger)}\n\n`);
      });
      const ping = setInterval(() => reply.raw.write(': ping\n\n'), 15_000);
      req.raw.on('close', () => {
        clearInterval(ping);
        unsubscribe();
      });
    },
  );

  return app;
}

/** Envelopes per batch submission: a few ledgers' worth from one client, bounded like a tx set. */
export const MAX_BATCH = 1000;
const MAX_BATCH_BYTES = 8 * 1024 * 1024;
const batchSchema = schema.array(schema.bytes({ maxLength: MAX_ENVELOPE_BYTES }), { maxLength: MAX_BATCH });
const BATCH_LIMITS = {
  maxBytes: MAX_BATCH_BYTES,
  maxDepth: 1,
  maxItems: MAX_BATCH + 1,
  maxStringBytes: MAX_ENVELOPE_BYTES,
};

/** The envelopes of a batch submission; throws DecodeError on anything but a CBOR array of byte strings. */
export function decodeTransactionBatch(bytes: Uint8Array): Uint8Array[] {
  return schema.decodeWith(batchSchema, bytes, BATCH_LIMITS);
}

function bodyBytes(body: unknown): Uint8Array | null {
  if (body instanceof Uint8Array) return body.length > 0 ? new Uint8Array(body) : null;
  if (typeof body === 'object' && body !== null && typeof (body as { tx?: unknown }).tx === 'string') {
    const tx = (body as { tx: string }).tx;
    const bytes =
      /^[0-9a-fA-F]+$/.test(tx) && tx.length % 2 === 0 ? Buffer.from(tx, 'hex') : Buffer.from(tx, 'base64');
    return bytes.length > 0 ? new Uint8Array(bytes) : null;
  }
  return null;
}
