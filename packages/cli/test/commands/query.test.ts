import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerQueryCommands } from '../../src/commands/query.js';
import { readReceiptFile, registerReceiptCommands } from '../../src/commands/receipt.js';
import { runCommands } from './harness.js';

const run = (argv: string[]) => runCommands([registerReceiptCommands, registerQueryCommands], argv);

const HASH = 'ab'.repeat(32);

describe('qm item, stock, alerts, receipt get', () => {
  let app: FastifyInstance;
  let url: string;
  let dir: string;
  const seen: Record<string, unknown>[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qm-query-'));
    app = Fastify();
    app.get<{ Params: { uii: string } }>('/v1/items/:uii', async (req, reply) =>
      req.params.uii === 'D1ABC123'
        ? {
            item: {
              uii: 'D1ABC123',
              nsn: '5820012345678',
              serial: '123',
              condition: 'A',
              status: 'active',
              location: { latE6: 38_897_700, lonE6: -77_036_500 },
              owner: 'ORG-A',
              custodian: 'ORG-B',
              children: [],
            },
            history: [{ ledgerSeq: 4, txHash: HASH, event: { type: 'itemRegistered' } }],
          }
        : reply.code(404).send({ code: 'ITEM_UNKNOWN', message: 'no such item' }),
    );
    app.get('/v1/stock', async (req) => {
      seen.push(req.query as Record<string, unknown>);
      return [
        { nsn: '5820012345678', site: 'FT-BRAGG', lot: 'L1', condition: 'A', quantity: 40 },
        { nsn: '5820012345678', site: 'FT-BRAGG', lot: 'L2', condition: 'B', quantity: 2 },
      ];
    });
    app.get('/v1/alerts', async (req) => {
      seen.push(req.query as Record<string, unknown>);
      return [
        {
          id: 1,
          kind: 'suspect-counterfeit',
          subject: 'D1ABC123',
          details: { reason: 'serial reused' },
          ledgerSeq: 9,
          closeTime: 1,
        },
      ];
    });
    app.get<{ Params: { hash: string } }>('/v1/receipts/:hash', async (req, reply) =>
      req.params.hash === HASH
        ? { txHash: HASH, ledger: 9, receipt: 'a1b2', verification: { ok: true } }
        : reply.code(404).send({ code: 'RECEIPT_UNAVAILABLE', message: 'transaction not in a ledger' }),
    );
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows an item with its location in degrees and its history', async () => {
    const { code, io } = await run(['item', 'd1abc123', '--node', url]);
    expect(code).toBe(0);
    expect(io.stdout).toMatch(/custodian\s+ORG-B/);
    expect(io.stdout).toContain('38.897700, -77.036500');
    expect(io.stdout).toContain('itemRegistered');
    const j = await run(['item', 'D1ABC123', '--node', url, '--json']);
    expect(JSON.parse(j.io.stdout).item.owner).toBe('ORG-A');
  });

  it('says ITEM_UNKNOWN for an item the ledger does not hold', async () => {
    const { code, io } = await run(['item', 'NOPE', '--node', url]);
    expect(code).toBe(1);
    expect(io.stderr).toMatch(/^qm: error ITEM_UNKNOWN: no item NOPE/);
  });

  it('lists stock by site with a total, passing the site as the API location', async () => {
    const { code, io } = await run([
      'stock',
      '--nsn',
      '5820-01-234-5678',
      '--site',
      'FT-BRAGG',
      '--node',
      url,
    ]);
    expect(code).toBe(0);
    expect(io.stdout).toContain('stock of 5820012345678 at FT-BRAGG: 42 in 2 record(s)');
    expect(seen.at(-1)).toEqual({ nsn: '5820012345678', location: 'FT-BRAGG' });
    await expect(run(['stock', '--nsn', '12', '--node', url])).rejects.toMatchObject({
      code: 'BAD_ARGUMENT',
    });
  });

  it('lists alerts of a kind', async () => {
    const { code, io } = await run(['alerts', '--kind', 'suspect-counterfeit', '--node', url]);
    expect(code).toBe(0);
    expect(io.stdout).toMatch(/1\s+#9\s+suspect-counterfeit\s+D1ABC123\s+reason=serial reused/);
    expect(seen.at(-1)).toEqual({ kind: 'suspect-counterfeit', limit: '100' });
    await expect(run(['alerts', '--kind', 'bogus', '--node', url])).rejects.toMatchObject({
      code: 'BAD_ARGUMENT',
    });
  });

  it('saves a receipt that `qm receipt verify` can read, beside the existing verify command', async () => {
    const out = join(dir, 'r.json');
    const { code, io } = await run(['receipt', 'get', HASH, '--out', out, '--node', url]);
    expect(code).toBe(0);
    expect(io.stdout).toContain(`saved to ${out}`);
    expect(JSON.parse(readFileSync(out, 'utf8')).ledger).toBe(9);
    expect(Buffer.from(readReceiptFile(out)).toString('hex')).toBe('a1b2');
    const missing = await run(['receipt', 'get', 'cd'.repeat(32), '--out', out, '--node', url, '--json']);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.io.stdout).error.code).toBe('RECEIPT_UNAVAILABLE');
  });
});
