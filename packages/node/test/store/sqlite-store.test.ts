import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildReceipt,
  closeLedger,
  decodeEnvelope,
  equalBytes,
  type LedgerError,
  type LedgerStore,
  MemoryLedgerStore,
  trustFromGenesis,
  txHash,
  verifyReceipt,
} from '@qm/ledger';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteScpStateStore } from '../../src/herder/scp-state-store.js';
import { SqliteLedgerStore } from '../../src/store/index.js';
import { QUERIES, SCHEMA } from '../../src/store/schema.js';
import { closeNext, signAs, T0, txSetFor, workloadGenesis } from './workload.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'qm-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Everything observable about a store, for comparing two of them. */
function snapshot(s: LedgerStore) {
  const last = s.lastClosed()!;
  const headers = [];
  for (let q = 0; q <= last.sequence; q++) {
    headers.push({
      header: s.getHeader(q),
      txSet: s.getTxSet(q)!.map(hex),
      results: s.getResults(q)!.map(hex),
      scp: s.getScpEnvelopes(q)!.map(hex),
    });
  }
  return {
    headers,
    state: s.keys().map((k) => [k, s.get(k)]),
    item: s.itemByUii('D0CVA5SN6'),
    stock: s.stockByNsn('5330-00-123-4567'),
    stockAtSite: s.stockByNsn('5330001234567', 'DEPOT-A'),
    depot: s.itemsByCustodian('W56HZV').map((i) => i.uii),
    wing: s.itemsByCustodian('FA8571').map((i) => i.uii),
    pending: s.pendingOffers(),
    pendingToWing: s.pendingOffers('FA8571'),
    alerts: s.alerts(),
    logSize: s.merkle.size(),
  };
}

function fill(s: LedgerStore, ledgers: number) {
  const g = workloadGenesis();
  s.putClosedLedger(g, []);
  for (let i = 0; i < ledgers; i++) closeNext(s, g.networkId);
  return g;
}

describe('SqliteLedgerStore', () => {
  it('holds exactly what the in-memory store holds, and again after reopening', () => {
    const path = join(dir, 'ledger.db');
    const sql = new SqliteLedgerStore(path);
    const mem = new MemoryLedgerStore();
    fill(sql, 12);
    fill(mem, 12);
    const expected = snapshot(mem);
    expect(expected.depot.length).toBeGreaterThan(3);
    expect(expected.wing.length).toBeGreaterThan(0);
    expect(expected.pending.length).toBeGreaterThan(0);
    expect(expected.item!.history.map((h) => h.event.type)).toContain('custodyAccepted');
    expect(snapshot(sql)).toEqual(expected);
    sql.close();
    const again = new SqliteLedgerStore(path);
    expect(snapshot(again)).toEqual(expected);
    expect(equalBytes(again.lastClosed()!.stateCommitment, mem.lastClosed()!.stateCommitment)).toBe(true);
    again.close();
  });

  it('refuses to open a damaged file, naming it (never runs on a store SQLite calls corrupt)', () => {
    const path = join(dir, 'ledger.db');
    const sql = new SqliteLedgerStore(path);
    fill(sql, 12);
    sql.close();
    // Overwrite a stretch of pages in the middle of the file (past the header, as a bad sector would).
    const bytes = readFileSync(path);
    expect(bytes.length).toBeGreaterThan(16 * 4096);
    bytes.fill(0x5a, 8 * 4096 + 100, 12 * 4096);
    writeFileSync(path, bytes);
    const err = (() => {
      try {
        new SqliteLedgerStore(path).close();
      } catch (e) {
        return e as LedgerError;
      }
      return null;
    })();
    expect(err?.code).toBe('STORE_CORRUPT');
    expect(err?.message).toContain(path);
    expect(err?.details?.file).toBe(path);
    // Not a database at all.
    const junk = join(dir, 'junk.db');
    writeFileSync(junk, Buffer.alloc(8192, 7));
    expect(() => new SqliteScpStateStore(junk)).toThrow(expect.objectContaining({ code: 'STORE_CORRUPT' }));
  });

  it('refuses a ledger that does not extend the last closed one, writing nothing', () => {
    const sql = new SqliteLedgerStore(join(dir, 'ledger.db'));
    const g = fill(sql, 2);
    const mem = new MemoryLedgerStore();
    fill(mem, 3);
    const before = snapshot(sql);
    const code = (f: () => void) => {
      try {
        f();
        return 'NO ERROR';
      } catch (e) {
        return (e as { code?: string }).code;
      }
    };
    expect(code(() => sql.putClosedLedger(g, []))).toBe('LEDGER_STORE_OUT_OF_ORDER');
    expect(snapshot(sql)).toEqual(before);
    sql.close();
  });

  it('rolls back a close whose write fails midway (one transaction per ledger)', () => {
    const path = join(dir, 'ledger.db');
    const sql = new SqliteLedgerStore(path);
    const g = fill(sql, 3);
    const before = snapshot(sql);
    const mem = new MemoryLedgerStore();
    fill(mem, 3);
    const next = closeNext(mem, g.networkId);
    // A state value that cannot be encoded makes the write fail after several rows were inserted.
    const broken = { ...next, stateChanges: [...next.stateChanges, { key: 'zz/bad', value: Number.NaN }] };
    expect(() => sql.putClosedLedger(broken, [])).toThrow(/non-finite/);
    expect(snapshot(sql)).toEqual(before);
    sql.putClosedLedger(next, [new TextEncoder().encode('scp-externalize-4')]);
    expect(sql.lastClosed()!.sequence).toBe(4);
    sql.close();
  });

  it('serves receipts that verify offline against the genesis trust', () => {
    const sql = new SqliteLedgerStore(join(dir, 'ledger.db'));
    const g = fill(sql, 6);
    const target = txHash(decodeEnvelope(txSetFor(g.networkId, 4)[0]!));
    const receipt = buildReceipt(sql, target, { chainFrom: 0 });
    const trust = { networkId: g.networkId, suite: 'ed25519', trustedHeaderHashes: [g.headerHash] };
    const v = verifyReceipt(receipt, trust);
    expect(v.ok ? 'OK' : `${v.code}: ${v.step}`).toBe('OK');
    expect(sql.getTx(target)?.ledgerSeq).toBe(4);
    expect(trustFromGenesis).toBeTypeOf('function');
    expect(sql.lastClosed()!.closeTime).toBe(T0 + 30);
    sql.close();
  });
});

describe('SqliteLedgerStore queries', () => {
  it('answer from indexes, not table scans', () => {
    const db = new Database(':memory:');
    db.exec(SCHEMA);
    const plan = (name: keyof typeof QUERIES) =>
      (
        db.prepare(`EXPLAIN QUERY PLAN ${QUERIES[name]}`).all(
          ...QUERIES[name]
            .split('?')
            .slice(1)
            .map(() => null),
        ) as {
          detail: string;
        }[]
      )
        .map((r) => r.detail)
        .join('; ');
    for (const q of [
      'itemsByCustodian',
      'pendingOffers',
      'pendingOffersTo',
      'alertsByKind',
      'alertsBySubject',
      'history',
      'tx',
      'getState',
      'keys',
      'merkleNode',
    ] as const) {
      expect(plan(q), q).not.toMatch(/^SCAN|; SCAN/);
    }
    db.close();
  });

  it('filter alerts by kind and subject, and page by id', () => {
    const mem = new MemoryLedgerStore();
    const sql = new SqliteLedgerStore(join(dir, 'ledger.db'));
    const register = (n: number) => ({
      type: 'registerItem',
      uii: `D0CVA5SN${n}`,
      nsn: '2840-01-523-4567',
      serial: `SN${n}`,
      cage: '0CVA5',
      condition: 'A',
      location: { site: 'DEPOT-A' },
    });
    for (const s of [mem, sql]) {
      const g = fill(s, 3);
      const prev = s.lastClosed()!;
      // Two UIIs registered again (suspect counterfeits); eight days later the offer of ledger 3 expires.
      const txSet = [
        signAs(g.networkId, 'supplyA', 4, [register(2)]),
        signAs(g.networkId, 'supplyA', 5, [register(3)]),
      ];
      const r = closeLedger(
        { prev, txSet, closeTime: prev.closeTime + 8 * 86_400, networkId: g.networkId, suite: 'ed25519' },
        s,
        s.merkle,
      );
      expect(r.results.map((x) => x.code)).toEqual(['TX_FAILED', 'TX_FAILED']);
      s.putClosedLedger(r, []);
    }
    expect(mem.alerts().map((a) => a.kind)).toEqual([
      'scan-location-mismatch',
      'suspect-counterfeit',
      'suspect-counterfeit',
      'custody-offer-expired',
    ]);
    const queries = [
      {},
      { kind: 'suspect-counterfeit' as const },
      { subject: 'D0CVA5SN3' },
      { afterId: 1, limit: 1 },
    ];
    for (const q of queries) expect(sql.alerts(q)).toEqual(mem.alerts(q));
    expect(sql.alerts({ subject: 'D0CVA5SN3', kind: 'custody-offer-expired' })).toHaveLength(1);
    expect(sql.pendingOffers()).toEqual([]);
    sql.close();
  });
});
