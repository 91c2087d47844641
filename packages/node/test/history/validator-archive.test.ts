// End to end: a validator of a running (in-memory) network publishes its history through the listener
// the validator wires up, and a fresh store catches up from it, proving each ledger with the SCP
// statements the real herder stored.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { headerHash, MemoryLedgerStore } from '@qm/ledger';
import { afterAll, describe, expect, it } from 'vitest';
import { catchUp, historyPublisher, readIndex } from '../../src/history/index.js';
import { testNetwork } from '../validator/fixture.js';

const root = mkdtempSync(join(tmpdir(), 'qm-history-validator-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const settle = () => new Promise((r) => setImmediate(r));

describe('a validator publishing its history', () => {
  it('writes checkpoints a fresh node catches up from', async () => {
    const net = testNetwork();
    const archive = join(root, 'archive');
    for (let i = 0; i < 4; i++) await net.boot(i);
    const v0 = net.validators[0]!;
    v0.herder.onLedgerClosed(
      historyPublisher(net.disks[0]!.store, archive, v0.networkId, undefined, { checkpointSize: 4 }),
    );
    v0.submitTransaction(
      net.tx([
        {
          type: 'defineItemClass',
          nsn: '2840-01-523-4567',
          nomenclature: 'ENGINE, TURBOFAN',
          unitOfIssue: 'EA',
          tracking: 'serialized',
        },
      ]),
    );
    for (let step = 0; step < 400 && net.disks[0]!.store.lastClosed()!.sequence < 13; step++) {
      net.clock.advance(100);
      await settle();
    }
    for (let i = 0; i < 4; i++) await net.halt(i);
    expect(readIndex(archive).latest).toBeGreaterThanOrEqual(12);

    const fresh = new MemoryLedgerStore();
    const summary = catchUp({ store: fresh, archiveDir: archive, genesis: net.genesis });
    expect(summary.lastClosed).toBe(readIndex(archive).latest);
    expect(summary.transactions).toBe(1);
    for (let s = 0; s <= summary.lastClosed; s++) {
      expect(hex(headerHash(fresh.getHeader(s)!))).toBe(hex(headerHash(net.disks[0]!.store.getHeader(s)!)));
    }
  });
});
