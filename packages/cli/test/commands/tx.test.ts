import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeEnvelope, getSuite, txHash, verifyEnvelope } from '@qm/ledger';
import { publicIdOf, writeSecretKey } from '@qm/node';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registerTxCommands } from '../../src/commands/tx.js';
import { runCommands } from './harness.js';

const run = (argv: string[]) => runCommands([registerTxCommands], argv);

const NETWORK_ID = '5a'.repeat(32);
const SEED = new Uint8Array(32).fill(7);

/** A stand-in validator: records posted envelopes; answers as `reply` says; commits on the 2nd poll. */
interface Fake {
  app: FastifyInstance;
  url: string;
  posted: Uint8Array[];
  reply: { status: number; body: unknown } | null;
  resultCode: string;
  polls: number;
  /** Polls answered 'pending' before the result. */
  pendingPolls: number;
  item: unknown;
}

async function fakeNode(): Promise<Fake> {
  const app = Fastify();
  const fake: Fake = {
    app,
    url: '',
    posted: [],
    reply: null,
    resultCode: 'TX_SUCCESS',
    polls: 0,
    pendingPolls: 1,
    item: null,
  };
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_req, body, done) =>
    done(null, body),
  );
  app.get('/v1/status', async () => ({
    nodeId: 'N1',
    network: { name: 'test', id: NETWORK_ID, suite: 'ed25519' },
    state: 'synced',
  }));
  app.post('/v1/transactions', async (req, reply) => {
    const bytes = new Uint8Array(req.body as Buffer);
    fake.posted.push(bytes);
    if (fake.reply) return reply.code(fake.reply.status).send(fake.reply.body);
    const hash = Buffer.from(txHash(decodeEnvelope(bytes))).toString('hex');
    return reply.code(202).send({ hash, status: 'pending' });
  });
  app.get<{ Params: { hash: string } }>('/v1/transactions/:hash', async (req) => {
    fake.polls++;
    if (fake.polls <= fake.pendingPolls) return { hash: req.params.hash, status: 'pending' };
    const failed = fake.resultCode !== 'TX_SUCCESS';
    return {
      hash: req.params.hash,
      status: failed ? 'failed' : 'committed',
      ledger: 17,
      result: {
        code: fake.resultCode,
        operations: failed
          ? [{ ok: false, code: 'ITEM_CLASS_EXISTS', message: 'already defined' }]
          : [{ ok: true }],
      },
    };
  });
  app.get('/v1/items/:uii', async (_req, reply) =>
    fake.item === null ? reply.code(404).send({ code: 'ITEM_UNKNOWN', message: 'no such item' }) : fake.item,
  );
  fake.url = await app.listen({ port: 0, host: '127.0.0.1' });
  return fake;
}

describe('qm tx', () => {
  let fake: Fake;
  let dir: string;
  let key: string;
  beforeAll(async () => {
    fake = await fakeNode();
    dir = mkdtempSync(join(tmpdir(), 'qm-tx-'));
    key = join(dir, 'member.key');
    writeSecretKey(key, SEED);
  });
  afterAll(async () => {
    await fake.app.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    fake.posted = [];
    fake.reply = null;
    fake.resultCode = 'TX_SUCCESS';
    fake.polls = 0;
    fake.pendingPolls = 1;
    rmSync(`${key}.seq`, { force: true });
  });

  const defineClass = ['tx', 'define-class', '--nsn', '5820-01-234-5678', '--nomenclature', 'RADIO SET'];

  it('define-class posts a correctly signed envelope and records the next sequence', async () => {
    const { code, io } = await run([...defineClass, '--key', key, '--seq', '5', '--node', fake.url]);
    expect(io.stderr).toBe('');
    expect(code).toBe(0);
    expect(fake.posted).toHaveLength(1);
    const env = decodeEnvelope(fake.posted[0]!);
    const suite = getSuite('ed25519');
    expect(verifyEnvelope(env, suite).ok).toBe(true);
    expect(Buffer.from(env.networkId).toString('hex')).toBe(NETWORK_ID);
    expect(env.seq).toBe(5n);
    expect(Buffer.from(env.source)).toEqual(Buffer.from(suite.generateKeyPair(SEED).publicKey));
    expect(env.operations).toEqual([
      {
        type: 'defineItemClass',
        nsn: '5820012345678',
        nomenclature: 'RADIO SET',
        unitOfIssue: 'EA',
        tracking: 'serialized',
      },
    ]);
    expect(io.stdout).toContain(Buffer.from(txHash(env)).toString('hex'));
    expect(io.stdout).toContain(publicIdOf('member', 'ed25519', SEED));
    expect(io.stdout).toContain('pending');
    expect(readFileSync(`${key}.seq`, 'utf8').trim()).toBe('6');

    // The next one takes its sequence from <key>.seq.
    const again = await run([...defineClass, '--key', key, '--node', fake.url]);
    expect(again.code).toBe(0);
    expect(decodeEnvelope(fake.posted[1]!).seq).toBe(6n);
    expect(readFileSync(`${key}.seq`, 'utf8').trim()).toBe('7');
  });

  it('needs --seq when no <key>.seq exists', async () => {
    await expect(run([...defineClass, '--key', key, '--node', fake.url])).rejects.toMatchObject({
      code: 'BAD_ARGUMENT',
      message: expect.stringContaining('--seq'),
    });
    expect(fake.posted).toHaveLength(0);
  });

  it('reports a 400 with its code and suggests the next sequence', async () => {
    fake.reply = {
      status: 400,
      body: { code: 'TX_BAD_SEQ', message: 'sequence 1 already used (next is 9)' },
    };
    const { code, io } = await run([...defineClass, '--key', key, '--seq', '1', '--node', fake.url]);
    expect(code).toBe(1);
    expect(io.stderr).toMatch(/^qm: error TX_BAD_SEQ: .*retry with --seq 9/);
    expect(existsSync(`${key}.seq`)).toBe(false);
    const j = await run([...defineClass, '--key', key, '--seq', '1', '--node', fake.url, '--json']);
    expect(JSON.parse(j.io.stdout)).toMatchObject({ ok: false, error: { code: 'TX_BAD_SEQ' } });
  });

  it('--wait polls until committed and prints the result code', async () => {
    const { code, io } = await run([
      ...defineClass,
      '--key',
      key,
      '--seq',
      '2',
      '--node',
      fake.url,
      '--wait',
      '--json',
    ]);
    expect(code).toBe(0);
    const doc = JSON.parse(io.stdout);
    expect(doc).toMatchObject({
      ok: true,
      status: 'committed',
      ledger: 17,
      resultCode: 'TX_SUCCESS',
      seq: '2',
    });
    expect(fake.polls).toBeGreaterThanOrEqual(2);
  });

  /** Defines the item class with sequence 3 against the fake node and waits for the ledger. */
  const defineClassAndWait = () =>
    run([...defineClass, '--key', key, '--seq', '3', '--node', fake.url, '--wait']);

  it('--wait on a failed transaction exits 1 and names the failing operation', async () => {
    fake.resultCode = 'TX_FAILED';
    const { code, io } = await defineClassAndWait();
    expect(code).toBe(1);
    expect(io.stdout).toContain('failed in ledger #17: TX_FAILED');
    expect(io.stdout).toContain('operation 0 failed: ITEM_CLASS_EXISTS');
    // TX_FAILED consumed the sequence number.
    expect(readFileSync(`${key}.seq`, 'utf8').trim()).toBe('4');
  });

  it('--wait hands the sequence number back when the ledger rejects the transaction', async () => {
    fake.resultCode = 'TX_BAD_SEQ';
    const { code, io } = await defineClassAndWait();
    expect(code).toBe(1);
    expect(io.stdout).toContain('failed in ledger #17: TX_BAD_SEQ');
    expect(readFileSync(`${key}.seq`, 'utf8').trim()).toBe('3');
  });

  it('--wait gives up with TX_WAIT_TIMEOUT after --timeout', async () => {
    fake.pendingPolls = 1000;
    const argv = [
      ...defineClass,
      '--key',
      key,
      '--seq',
      '2',
      '--node',
      fake.url,
      '--wait',
      '--timeout',
      '0.3',
    ];
    const { code, io } = await run(argv);
    expect(code).toBe(1);
    expect(io.stderr).toMatch(/^qm: error TX_WAIT_TIMEOUT: transaction [0-9a-f]{64} is pending after 0\.3 s/);
    // It was accepted all the same: the next sequence is recorded.
    expect(readFileSync(`${key}.seq`, 'utf8').trim()).toBe('3');
  });

  it('builds register-item, offer, accept and move operations', async () => {
    const common = ['--key', key, '--seq', '1', '--node', fake.url];
    await run([
      'tx',
      'register-item',
      '--uii',
      'd1abc123',
      '--nsn',
      '5820-01-234-5678',
      '--serial',
      '123',
      '--cage',
      '1abc2',
      '--lat',
      '38.8977',
      '--lon',
      '-77.0365',
      ...common,
    ]);
    await run(['tx', 'offer', '--uii', 'D1ABC123', '--to', 'ORG-B', '--ownership', ...common]);
    fake.item = { item: { uii: 'D1ABC123', pendingOffer: 'offer-1' }, history: [] };
    await run(['tx', 'accept', '--uii', 'D1ABC123', ...common]);
    await run(['tx', 'move', '--uii', 'D1ABC123', '--site', 'FT-BRAGG', ...common]);
    const ops = fake.posted.map((b) => decodeEnvelope(b).operations[0]);
    expect(ops).toEqual([
      {
        type: 'registerItem',
        uii: 'D1ABC123',
        nsn: '5820012345678',
        serial: '123',
        cage: '1ABC2',
        condition: 'A',
        location: { latE6: 38_897_700, lonE6: -77_036_500 },
      },
      { type: 'offerCustody', uii: 'D1ABC123', to: 'ORG-B', ownership: true },
      { type: 'acceptCustody', uii: 'D1ABC123', offerId: 'offer-1' },
      { type: 'moveItem', uii: 'D1ABC123', location: { site: 'FT-BRAGG' } },
    ]);
  });

  it('submit --ops sends operations from JSON and refuses floats', async () => {
    const ops = join(dir, 'ops.json');
    writeFileSync(ops, JSON.stringify([{ type: 'moveItem', uii: 'X1', location: { latE6: 1, lonE6: 2 } }]));
    const { code } = await run([
      'tx',
      'submit',
      '--ops',
      ops,
      '--key',
      key,
      '--seq',
      '4',
      '--node',
      fake.url,
    ]);
    expect(code).toBe(0);
    expect(decodeEnvelope(fake.posted[0]!).operations).toEqual([
      { type: 'moveItem', uii: 'X1', location: { latE6: 1, lonE6: 2 } },
    ]);
    writeFileSync(
      ops,
      JSON.stringify({ operations: [{ type: 'moveItem', uii: 'X1', location: { lat: 1.5 } }] }),
    );
    await expect(
      run(['tx', 'submit', '--ops', ops, '--key', key, '--seq', '4', '--node', fake.url]),
    ).rejects.toMatchObject({
      code: 'BAD_ARGUMENT',
      message: expect.stringContaining('operations[0].location.lat'),
    });
  });

  it('reports a bad key file with its code', async () => {
    const bad = join(dir, 'bad.key');
    writeFileSync(bad, 'not a key\n');
    const { code, io } = await run([...defineClass, '--key', bad, '--seq', '1', '--node', fake.url]);
    expect(code).toBe(1);
    expect(io.stderr).toMatch(/^qm: error KEY_FILE_INVALID/);
  });
});
