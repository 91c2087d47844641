import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { headerHash, MemoryLedgerStore } from '@qm/ledger';
import { afterAll, describe, expect, it } from 'vitest';
import { catchUpNode, HistoryArchiveWriter, HistoryError, LEDGER_DB_FILE } from '../../src/history/index.js';
import { SqliteLedgerStore } from '../../src/store/index.js';
import { closeUpTo, genesis, networkId } from './fixture.js';

const root = mkdtempSync(join(tmpdir(), 'qm-history-node-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('catchUpNode', () => {
  const source = new MemoryLedgerStore();
  closeUpTo(source, 40);
  const archive = join(root, 'archive');
  new HistoryArchiveWriter(archive, networkId, { checkpointSize: 16 }).publish(source);

  it('creates the data directory of a node that never ran and fills its store', () => {
    const dataDir = join(root, 'new-node', 'data');
    const r = catchUpNode({ dataDir, archiveDir: archive, genesis });
    expect(r).toMatchObject({ lastClosed: 32, applied: 32, dbFile: join(dataDir, LEDGER_DB_FILE) });
    const store = new SqliteLedgerStore(r.dbFile);
    expect(headerHash(store.lastClosed()!)).toEqual(headerHash(source.getHeader(32)!));
    store.close();
  });

  it('refuses a store a running node holds open: HISTORY_STORE_LOCKED, and writes nothing', () => {
    const dataDir = join(root, 'running-node');
    catchUpNode({ dataDir, archiveDir: archive, genesis, to: 10 });
    const running = new SqliteLedgerStore(join(dataDir, LEDGER_DB_FILE));
    try {
      let caught: unknown;
      try {
        catchUpNode({ dataDir, archiveDir: archive, genesis });
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(HistoryError);
      expect((caught as HistoryError).code).toBe('HISTORY_STORE_LOCKED');
      expect(running.lastClosed()!.sequence).toBe(10);
    } finally {
      running.close();
    }
    // Stopped: now it proceeds, resuming at 11.
    expect(catchUpNode({ dataDir, archiveDir: archive, genesis })).toMatchObject({
      startedAt: 10,
      lastClosed: 32,
    });
  });
});
