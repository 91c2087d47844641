import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from '@qm/ledger';
import { afterEach, describe, expect, it } from 'vitest';
import type { NodeView } from '../../src/api/node-view.js';
import { buildApi } from '../../src/api/server.js';

function fakeNode(): NodeView & { submitted: Uint8Array[]; emit: (l: unknown) => void } {
  const listeners: ((l: never) => void)[] = [];
  const submitted: Uint8Array[] = [];
  return {
    submitted,
    emit: (l) => {
      for (const f of listeners) f(l as never);
    },
    status: () => ({ node: 'N1', ledger: 7 }),
    quorum: () => ({ stuck: false }),
    peers: () => [],
    network: () => ({ validators: [] }),
    submitTransaction: (bytes) => {
      submitted.push(bytes);
      return bytes[0] === 0xff
        ? { ok: false, code: 'TX_BAD_SIGNATURE', message: 'bad' }
        : { ok: true, hash: 'ab'.repeat(32) };
    },
    transaction: (h) => (h === 'ab'.repeat(32) ? { status: 'pending' } : null),
    ledger: (seq) => (seq === 7 ? { seq: 7 } : null),
    ledgers: () => [{ seq: 7 }],
    ledgerTransactions: (seq) =>
      seq === 7 ? { seq: 7, transactions: [{ hash: 'ab'.repeat(32), status: 'committed' }] } : null,
    item: (uii) => (uii === 'D0CVA5674A36458' ? { uii } : null),
    stock: () => [],
    alerts: () => [],
    receipt: () => null,
    onLedger: (l) => {
      listeners.push(l);
      return () => listeners.splice(listeners.indexOf(l), 1);
    },
    metrics: async () => 'qm_ledger_seq 7\n',
  };
}

let close: (() => Promise<void>) | null = null;
afterEach(async () => {
  await close?.();
  close = null;
});

describe('HTTP API', () => {
  it('serves status, ledgers, items and metrics, with JSON errors for the unknown', async () => {
    const app = await buildApi(fakeNode());
    close = () => app.close();
    expect((await app.inject('/v1/status')).json()).toEqual({ node: 'N1', ledger: 7 });
    expect((await app.inject('/v1/ledgers/7')).json()).toEqual({ seq: 7 });
    const missing = await app.inject('/v1/ledgers/8');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ code: 'LEDGER_UNKNOWN', message: 'no such ledger' });
    expect((await app.inject('/v1/ledgers/7/transactions')).json()).toEqual({
      seq: 7,
      transactions: [{ hash: 'ab'.repeat(32), status: 'committed' }],
    });
    expect((await app.inject('/v1/ledgers/8/transactions')).statusCode).toBe(404);
    expect((await app.inject('/v1/items/d0cva5674a36458')).json()).toEqual({ uii: 'D0CVA5674A36458' });
    const bad = await app.inject('/v1/ledgers/x');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBeTypeOf('string');
    expect((await app.inject('/nope')).json().code).toBe('NOT_FOUND');
    expect((await app.inject('/metrics')).body).toContain('qm_ledger_seq 7');
    expect((await app.inject('/docs/json')).json().info.title).toMatch(/Quartermaster/);
    expect((await app.inject('/v1/status')).headers['access-control-allow-origin']).toBe('*');
  });

  it('serves a built dashboard at /', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qm-web-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>qm</title>');
    const app = await buildApi(fakeNode(), { dashboardDir: dir });
    close = () => app.close();
    const page = await app.inject('/');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<title>qm</title>');
    expect((await app.inject('/v1/status')).json().ledger).toBe(7);
  });

  it('accepts transactions as raw bytes or JSON and reports rejections with their code', async () => {
    const node = fakeNode();
    const app = await buildApi(node);
    close = () => app.close();
    const ok = await app.inject({
      method: 'POST',
      url: '/v1/transactions',
      headers: { 'content-type': 'application/octet-stream' },
      payload: Buffer.from([1, 2, 3]),
    });
    expect(ok.statusCode).toBe(202);
    expect(ok.json()).toEqual({ hash: 'ab'.repeat(32), status: 'pending' });
    const rejected = await app.inject({ method: 'POST', url: '/v1/transactions', payload: { tx: 'ff00' } });
    expect(rejected.statusCode).toBe(400);
    expect(rejected.json()).toEqual({ code: 'TX_BAD_SIGNATURE', message: 'bad' });
    expect(node.submitted.map((b) => [...b])).toEqual([
      [1, 2, 3],
      [0xff, 0],
    ]);
    const empty = await app.inject({ method: 'POST', url: '/v1/transactions', payload: {} });
    expect(empty.json().code).toBe('TX_MISSING');
  });

  it('streams closed ledgers as server-sent events', async () => {
    const node = fakeNode();
    const app = await buildApi(node);
    close = () => app.close();
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const res = await fetch(`${address}/v1/events`);
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain(': connected');
    node.emit({ seq: 8 });
    const next = new TextDecoder().decode((await reader.read()).value);
    expect(next).toBe('event: ledger\ndata: {"seq":8}\n\n');
    await reader.cancel();
  });
  it('closes while an event stream is still open, ending the stream', async () => {
    const app = await buildApi(fakeNode());
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const res = await fetch(`${address}/v1/events`);
    const reader = res.body!.getReader();
    await reader.read();
    // Without forced closing, close() would wait for the client (the 25-45 s stop of RELIABILITY.md).
    await app.close();
    const end = await reader.read().catch((e: Error) => e);
    expect(end instanceof Error || end.done).toBe(true);
  });
  it('takes a batch of envelopes as a CBOR array and answers each in order', async () => {
    const node = fakeNode();
    const app = await buildApi(node);
    close = () => app.close();
    const post = (payload: Uint8Array) =>
      app.inject({
        method: 'POST',
        url: '/v1/transactions/batch',
        headers: { 'content-type': 'application/cbor' },
        payload: Buffer.from(payload),
      });
    const ok = await post(encode([Uint8Array.of(1), Uint8Array.of(0xff), Uint8Array.of(2)]));
    expect(ok.statusCode).toBe(200);
    expect(ok.json().results).toEqual([
      { hash: 'ab'.repeat(32), status: 'pending' },
      { code: 'TX_BAD_SIGNATURE', message: 'bad' },
      { hash: 'ab'.repeat(32), status: 'pending' },
    ]);
    expect(node.submitted.map((b) => b[0])).toEqual([1, 0xff, 2]);
    // Not a CBOR array of byte strings, trailing bytes, too many: a coded 400, nothing submitted.
    for (const bad of [
      Uint8Array.of(0xff),
      encode({ txs: [] }),
      Uint8Array.of(...encode([Uint8Array.of(1)]), 0),
      encode(Array.from({ length: 1001 }, () => Uint8Array.of(3))),
    ]) {
      const r = await post(bad);
      expect(r.statusCode).toBe(400);
      expect(r.json().code).toMatch(/^DECODE_/);
    }
    expect(node.submitted).toHaveLength(3);
  });
});
