// The workload against real validators in one process: real SCP, herder, ledger close and HTTP API on
// the system clock; only the network (an in-memory hub) and the disks (memory stores) are stand-ins.
import { encodeId, getSuite, MemoryLedgerStore } from '@qm/ledger';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../../src/api/server.js';
import { MemoryScpStateStore } from '../../src/herder/scp-state-store.js';
import { MemoryHub } from '../../src/overlay/memory-transport.js';
import { Validator } from '../../src/validator.js';
import {
  DemoWorkload,
  type LoadReport,
  runLoad,
  type SeedReport,
  seedNetwork,
} from '../../src/workload/index.js';
import { demoNetwork } from './fixture.js';

describe('DemoWorkload on a live 3-validator network', () => {
  const { actors, genesis, nodeSeeds } = demoNetwork(3, Math.floor(Date.now() / 1000) - 60);
  const hub = new MemoryHub();
  const validators: Validator[] = [];
  const apps: FastifyInstance[] = [];
  const urls: string[] = [];
  const workload = new DemoWorkload({ actors, seed: 1 });
  let seeded: SeedReport;
  let report: LoadReport;

  beforeAll(async () => {
    const suite = getSuite('ed25519');
    for (const seed of nodeSeeds) {
      const id = encodeId('node', suite.generateKeyPair(seed).publicKey);
      const v = new Validator({
        genesis,
        seed,
        store: new MemoryLedgerStore(),
        scpState: new MemoryScpStateStore(),
        transport: hub.transport(id),
        herder: { targetCloseMs: 300 },
      });
      validators.push(v);
    }
    await Promise.all(validators.map((v) => v.start()));
    for (const v of validators) {
      const app = await buildApi(v);
      await app.listen({ port: 0, host: '127.0.0.1' });
      const addr = app.server.address();
      urls.push(`http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`);
      apps.push(app);
    }
    seeded = await seedNetwork({ urls, workload, pollIntervalMs: 100, timeoutMs: 20_000 });
    report = await runLoad({ urls, ratePerSec: 30, durationMs: 2_000, workload, drainMs: 10_000 });
  }, 60_000);

  afterAll(async () => {
    for (const app of apps) await app.close();
    await Promise.all(validators.map((v) => v.stop()));
  });

  it('seeds the demo data phase by phase', () => {
    expect(seeded).toMatchObject({ submitted: 13, committed: 13, failed: 0, rejectedByCode: {} });
  });

  it('keeps realistic activity committing', () => {
    console.log('live load', JSON.stringify(report));
    expect(report.submitted).toBeGreaterThanOrEqual(40);
    expect(report.rejectedByCode).toEqual({});
    expect(report.committed).toBeGreaterThanOrEqual(0.95 * report.accepted);
    expect(report.committed + report.failed + report.lost + report.pending).toBe(report.accepted);
    expect(report.ledgers).toBeGreaterThanOrEqual(2);
    expect(report.latencyMs.p50).toBeGreaterThan(0);
    expect(report.closeIntervalMs.p50).toBeGreaterThan(0);
  });
});
