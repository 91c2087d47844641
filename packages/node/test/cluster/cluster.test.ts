// Real validator processes on 127.0.0.1 (issue 4's multi-process checks): a 4-validator network closes
// ledgers; stopping 2 of 4 (threshold 3) halts it and the survivors name the missing nodes and what
// would restore progress; restarting them resumes it with no manual step; a kill -9'd validator restarts
// and is back in sync.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeEnvelope, getSuite, networkIdOf, signTransaction, type Transaction } from '@qm/ledger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genesisDescription, loadGenesis, readSecretKey } from '../../src/config/index.js';
import { verifyReceiptOffline } from '../../src/receipt/index.js';
import { LocalCluster } from '../../src/run/local-cluster.js';

interface Status {
  state: string;
  ledger: { seq: number; hash: string };
}
interface Quorum {
  stuck: boolean;
  members: { node: string; status: string }[];
  restoreSets: string[][];
  summary: string;
}

let dir: string;
let c: LocalCluster;
const ALL = [0, 1, 2, 3];
const ledgers = () => Promise.all(ALL.map((i) => c.ledgerOf(i)));
const minLedger = async (nodes: number[]) =>
  Math.min(...(await Promise.all(nodes.map(async (i) => (await c.ledgerOf(i)) ?? -1))));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'qm-cluster-'));
  // One organization: a flat 3-of-4 quorum set.
  c = LocalCluster.open(dir, {
    validators: 4,
    organizations: 1,
    // A port range of its own per test process, so concurrent runs on one machine do not collide.
    basePort: 20_000 + (process.pid % 250) * 40,
    seed: new Uint8Array(32).fill(3),
  });
  for (const i of ALL) c.start(i);
});

afterAll(async () => {
  await c.stopAll();
  rmSync(dir, { recursive: true, force: true });
});

describe('a 4-validator network of processes', () => {
  it('closes the same ledgers on every validator', async () => {
    await c.waitFor('every validator at ledger 3', async () => (await minLedger(ALL)) >= 3, 60_000);
    const hashes = await Promise.all(ALL.map((i) => c.get<{ hash: string }>(i, '/v1/ledgers/3')));
    expect(new Set(hashes.map((h) => h?.hash)).size).toBe(1);
  }, 90_000);

  it('halts with 2 of 4 stopped, says who is missing, and resumes when they return', async () => {
    await Promise.all([c.stop(2), c.stop(3)]);
    const names = c.nodes.map((n) => n.name);
    await c.waitFor(
      'the survivors to report stuck',
      async () => {
        const q = await Promise.all([0, 1].map((i) => c.get<Quorum>(i, '/v1/quorum')));
        return q.every(
          (x) => x?.stuck === true && x.members.filter((m) => m.status === 'missing').length === 2,
        );
      },
      30_000,
    );
    const stuckAt = await minLedger([0, 1]);
    const network = await c.get<{ validators: { nodeId: string; name: string }[] }>(0, '/v1/network');
    const idOf = (name: string) => network!.validators.find((v) => v.name === name)!.nodeId;
    for (const i of [0, 1]) {
      const q = (await c.get<Quorum>(i, '/v1/quorum'))!;
      const missing = q.members
        .filter((m) => m.status === 'missing')
        .map((m) => m.node)
        .sort();
      expect(missing).toEqual([idOf(names[2]!), idOf(names[3]!)].sort());
      // Either one coming back restores a quorum of 3.
      expect(q.restoreSets.map((s) => s.join()).sort()).toEqual([idOf(names[2]!), idOf(names[3]!)].sort());
      expect(q.summary).toMatch(/stuck/);
      expect((await c.get<Status>(i, '/v1/status'))!.state).toBe('stuck');
    }
    // No ledger closes while the quorum is gone.
    await new Promise((r) => setTimeout(r, 3000));
    expect(await minLedger([0, 1])).toBe(stuckAt);
    expect(Math.max(...(await Promise.all([0, 1].map(async (i) => (await c.ledgerOf(i)) ?? 0))))).toBe(
      stuckAt,
    );

    c.start(2);
    c.start(3);
    await c.waitFor('the network to resume', async () => (await minLedger(ALL)) >= stuckAt + 2, 60_000);
    const states = await Promise.all(ALL.map((i) => c.get<Status>(i, '/v1/status')));
    expect(states.every((s) => s?.state === 'synced')).toBe(true);
  }, 150_000);

  it('a kill -9 validator restarts from its disk and is back in sync', async () => {
    await c.stop(1, 'SIGKILL');
    const before = await minLedger([0, 2, 3]);
    await c.waitFor(
      'the other three to go on',
      async () => (await minLedger([0, 2, 3])) >= before + 2,
      30_000,
    );
    c.start(1);
    await c.waitFor(
      'the restarted validator to catch up',
      async () => {
        const [l1, others] = [await c.ledgerOf(1), await minLedger([0, 2, 3])];
        return l1 !== null && l1 >= others - 1;
      },
      60_000,
    );
    const seq = (await minLedger(ALL)) - 1;
    const hashes = await Promise.all(ALL.map((i) => c.get<{ hash: string }>(i, `/v1/ledgers/${seq}`)));
    expect(new Set(hashes.map((h) => h?.hash)).size).toBe(1);
    expect((await ledgers()).every((l) => l !== null)).toBe(true);
  }, 120_000);

  it("commits a client's transaction, and its receipt verifies offline with only the genesis", async () => {
    const genesis = loadGenesis(join(dir, 'genesis.json'));
    const supply = genesis.members.find((m) => m.roles.includes('supply'))!;
    const seed = readSecretKey(join(dir, 'members', `${supply.name}.key`));
    const suite = getSuite(genesis.suite);
    const keys = suite.generateKeyPair(seed);
    const description = genesisDescription(genesis);
    const body: Transaction = {
      networkId: networkIdOf(description),
      source: keys.publicKey,
      seq: 1n,
      timeBounds: { minTime: 0, maxTime: 0 },
      operations: [
        {
          type: 'defineItemClass',
          nsn: '2840-01-523-4567',
          nomenclature: 'ENGINE, TURBOFAN',
          unitOfIssue: 'EA',
          tracking: 'serialized',
        },
      ],
    };
    const tx = encodeEnvelope({ ...body, signatures: [signTransaction(body, suite, keys.privateKey)] });
    const res = await fetch(`${c.nodes[0]!.httpUrl}/v1/transactions`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: tx,
    });
    expect(res.status).toBe(202);
    const { hash } = (await res.json()) as { hash: string };
    await c.waitFor(
      'the transaction to commit',
      async () => {
        const t = await c.get<{ status: string }>(3, `/v1/transactions/${hash}`);
        return t?.status === 'committed';
      },
      30_000,
    );
    const served = (await c.get<{ receipt: string }>(3, `/v1/receipts/${hash}`))!;
    const result = verifyReceiptOffline(new Uint8Array(Buffer.from(served.receipt, 'hex')), description);
    expect(result).toMatchObject({ ok: true });
    expect(result.ok && result.anchoredBy).toContain('scp');
  }, 60_000);
});
