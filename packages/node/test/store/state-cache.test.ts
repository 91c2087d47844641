/**
 * SqliteLedgerStore keeps decoded state values in memory across closes. What it serves must be exactly
 * what a reopened store reads from disk: same values, same key order, -0 as 0, undefined fields absent.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryLedgerStore } from '@qm/ledger';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteLedgerStore } from '../../src/store/index.js';
import { closeNext, workloadGenesis } from './workload.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'qm-store-cache-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Every state value as text that also shows key order (JSON.stringify keeps insertion order). */
const dump = (s: SqliteLedgerStore) => s.keys().map((k) => `${k}=${JSON.stringify(s.get(k))}`);

describe('SqliteLedgerStore state cache', () => {
  it('serves exactly what a reopened store reads, frozen', () => {
    const path = join(dir, 'ledger.db');
    const sql = new SqliteLedgerStore(path);
    const mem = new MemoryLedgerStore();
    const g = workloadGenesis();
    sql.putClosedLedger(g, []);
    mem.putClosedLedger(g, []);
    for (let i = 0; i < 8; i++) {
      const next = closeNext(mem, g.networkId);
      sql.putClosedLedger(next, []);
      // Every key read once after each close: cached values from the close or the database alike.
      for (const k of sql.keys()) {
        const v = sql.get(k);
        if (typeof v === 'object' && v !== null) expect(Object.isFrozen(v)).toBe(true);
      }
    }
    const live = dump(sql);
    sql.close();
    const again = new SqliteLedgerStore(path);
    expect(dump(again)).toEqual(live);
    again.close();
  });

  it('caches a value that does not round-trip through JSON as it reads back', () => {
    const path = join(dir, 'ledger.db');
    const sql = new SqliteLedgerStore(path);
    const mem = new MemoryLedgerStore();
    const g = workloadGenesis();
    sql.putClosedLedger(g, []);
    mem.putClosedLedger(g, []);
    const next = closeNext(mem, g.networkId);
    const odd = { z: 1, a: -0, m: { y: undefined, x: [1, 2] } };
    sql.putClosedLedger({ ...next, stateChanges: [...next.stateChanges, { key: 'zz/odd', value: odd }] }, []);
    const cached = sql.get('zz/odd') as Record<string, unknown>;
    expect(JSON.stringify(cached)).toBe('{"a":0,"m":{"x":[1,2]},"z":1}');
    expect(Object.is(cached.a, 0)).toBe(true);
    expect(cached).not.toBe(odd);
    sql.close();
    const again = new SqliteLedgerStore(path);
    expect(JSON.stringify(again.get('zz/odd'))).toBe(JSON.stringify(cached));
    again.close();
  });
});
