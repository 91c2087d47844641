/**
 * Storage must not change outcomes: random histories closed on the in-memory store and on SQLite give
 * the same header hashes (so the same results, state changes and log) and the same state.
 */
import { closeLedger, type LedgerStore, MemoryLedgerStore, type TxOperation } from '@qm/ledger';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SqliteLedgerStore } from '../../src/store/index.js';
import { signAs, T0, txSetFor, workloadGenesis } from './workload.js';

const ENGINE = '2840-01-523-4567';
const ORING = '5330-00-123-4567';
const item = (n: number): TxOperation => ({
  type: 'registerItem',
  uii: `D0CVA5R${n}`,
  nsn: ENGINE,
  serial: `R${n}`,
  cage: '0CVA5',
  condition: 'A',
  location: { site: 'DEPOT-A' },
});
const POOL: TxOperation[] = [
  item(1),
  item(2),
  item(1),
  { type: 'offerCustody', uii: 'D0CVA5R1', to: 'FA8571', ownership: true },
  { type: 'acceptCustody', uii: 'D0CVA5R1', offerId: '2.0.0' },
  { type: 'acceptCustody', uii: 'D0CVA5R1', offerId: '3.0.0' },
  { type: 'rejectCustody', uii: 'D0CVA5R1', offerId: '3.0.0', reason: 'not expected' },
  { type: 'moveItem', uii: 'D0CVA5R2', location: { lat: 12, lon: 40 } },
  { type: 'changeCondition', uii: 'D0CVA5R2', condition: 'F' },
  { type: 'receiveStock', nsn: ORING, site: 'DEPOT-A', lot: 'L1', condition: 'A', quantity: 7 },
  { type: 'issueStock', nsn: ORING, site: 'DEPOT-A', lot: 'L1', condition: 'A', quantity: 5 },
  { type: 'quarantine', uii: 'D0CVA5R2', reason: 'inspection' },
  { type: 'release', uii: 'D0CVA5R2' },
];
type Who = 'supplyA' | 'supplyB' | 'admin';

const history = fc.array(
  fc.record({
    advance: fc.integer({ min: 1, max: 400_000 }),
    txs: fc.array(
      fc.record({
        who: fc.constantFrom<Who>('supplyA', 'supplyA', 'supplyB', 'admin'),
        ops: fc.array(fc.nat(POOL.length - 1), { minLength: 1, maxLength: 3 }),
        replay: fc.boolean(),
      }),
      { maxLength: 5 },
    ),
  }),
  { minLength: 1, maxLength: 5 },
);

function run(store: LedgerStore, sets: { txSet: Uint8Array[]; time: number }[]): string[] {
  const g = workloadGenesis();
  store.putClosedLedger(g, []);
  const out: string[] = [];
  for (const { txSet, time } of sets) {
    const prev = store.lastClosed()!;
    const r = closeLedger(
      { prev, txSet, closeTime: time, networkId: g.networkId, suite: 'ed25519' },
      store,
      store.merkle,
    );
    store.putClosedLedger(r, []);
    out.push(Buffer.from(r.headerHash).toString('hex'));
  }
  return out;
}

describe('memory and SQLite stores', () => {
  it('close the same random histories to the same headers and state', () => {
    const g = workloadGenesis();
    fc.assert(
      fc.property(history, (spec) => {
        // Ledger 1 of the workload sets up the site, the item classes and a device.
        const sets = [{ txSet: txSetFor(g.networkId, 1), time: T0 + 5 }];
        const seqs = new Map<Who, number>([
          ['admin', 1],
          ['supplyA', 1],
        ]);
        let time = T0 + 5;
        for (const l of spec) {
          time += l.advance;
          const txSet = l.txs.map((t) => {
            const seq = (seqs.get(t.who) ?? 0) + (t.replay ? 0 : 1);
            seqs.set(t.who, seq);
            return signAs(
              g.networkId,
              t.who,
              seq,
              t.ops.map((i) => POOL[i]!),
            );
          });
          sets.push({ txSet, time });
        }
        const mem = new MemoryLedgerStore();
        const sql = new SqliteLedgerStore(':memory:');
        expect(run(sql, sets)).toEqual(run(mem, sets));
        expect(sql.keys().map((k) => [k, sql.get(k)])).toEqual(mem.keys().map((k) => [k, mem.get(k)]));
        expect(sql.pendingOffers()).toEqual(mem.pendingOffers());
        expect(sql.alerts()).toEqual(mem.alerts());
        sql.close();
      }),
      { numRuns: 15, seed: 42 },
    );
  });
});
