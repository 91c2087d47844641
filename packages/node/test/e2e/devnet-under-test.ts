// The dashboard's end-to-end tests (packages/web/test/e2e) against a real devnet: 4 validator processes
// on 127.0.0.1, the built dashboard served by the first, seeded demo data and a few transactions of
// activity. Selected with QM_E2E_NETWORK=<path of this file>; implements web's NetworkUnderTest.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeEnvelope, encodeEnvelope, getSuite, signTransaction, type Transaction } from '@qm/ledger';
import { LocalCluster } from '../../src/run/local-cluster.js';
import { ActorDirectory, BULK, DemoWorkload, runLoad, seedNetwork } from '../../src/workload/index.js';

export async function startNetworkUnderTest() {
  const dir = mkdtempSync(join(tmpdir(), 'qm-e2e-'));
  const cluster = LocalCluster.open(dir, {
    validators: 4,
    organizations: 4,
    basePort: 30_000 + (process.pid % 200) * 40,
  });
  for (let i = 0; i < cluster.nodes.length; i++) cluster.start(i);
  const all = cluster.nodes.map((_, i) => i);
  await cluster.waitFor(
    'every validator to close a ledger',
    async () => (await Promise.all(all.map((i) => cluster.ledgerOf(i)))).every((l) => (l ?? 0) >= 1),
    90_000,
  );
  const workload = new DemoWorkload({ actors: cluster.actors(), seed: 7 });
  const urls = cluster.nodes.map((n) => n.httpUrl);
  await seedNetwork({ urls, workload, timeoutMs: 120_000 });
  // A little activity, so items have a history beyond their registration.
  await runLoad({ urls, ratePerSec: 5, durationMs: 4000, drainMs: 10_000, workload });

  const registerOp = (bytes: Uint8Array) =>
    decodeEnvelope(bytes).operations.find((o) => o.type === 'registerItem');
  const registration = workload.seedDetails().find((d) => registerOp(d.bytes) !== undefined);
  if (!registration) throw new Error('the demo seed registers no item');
  const op = registerOp(registration.bytes)!;
  // A second registration of the same UII fails and records a suspect-counterfeit alert.
  const source = registration.source;
  const signer = new ActorDirectory(cluster.actors()).members.find((m) => m.id === source)!;
  const body: Transaction = {
    ...decodeEnvelope(registration.bytes),
    seq: workload.nextSeqOf(source),
  };
  const duplicate = encodeEnvelope({
    ...body,
    signatures: [signTransaction(body, getSuite('ed25519'), signer.privateKey)],
  });
  await fetch(`${urls[0]}/v1/transactions`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: duplicate,
  });
  await cluster.waitFor('the counterfeit alert', async () => {
    const alerts = await cluster.get<unknown[]>(0, '/v1/alerts?limit=10');
    return (alerts?.length ?? 0) > 0;
  });
  const network = (await cluster.get<{ validators: { name: string; nodeId: string }[] }>(0, '/v1/network'))!;
  const index = (name: string) => cluster.nodes.findIndex((n) => n.name === name);

  return {
    url: cluster.nodes[0]!.httpUrl,
    validators: network.validators.map((v) => ({ name: v.name, nodeId: v.nodeId })),
    itemUii: String(op.uii),
    receiptTxHash: registration.hash,
    stockNsn: BULK[0]!.nsn,
    genesisFile: readFileSync(join(dir, 'genesis.json'), 'utf8'),
    async stop(names: readonly string[]) {
      await Promise.all(names.map((n) => cluster.stop(index(n))));
    },
    async start(names: readonly string[]) {
      for (const n of names) cluster.start(index(n));
      // Back means caught up: within one ledger of the validators that stayed up.
      await cluster.waitFor(
        'the restarted validators to catch up',
        async () => {
          const ledgers = await Promise.all(all.map((i) => cluster.ledgerOf(i)));
          if (ledgers.some((l) => l === null)) return false;
          const top = Math.max(...(ledgers as number[]));
          return names.every((n) => (ledgers[index(n)] as number) >= top - 1);
        },
        60_000,
      );
    },
    async close() {
      await cluster.stopAll();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
