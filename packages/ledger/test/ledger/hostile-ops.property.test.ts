/**
 * Hostile operations: every operation type with fields replaced by arbitrary decoded-CBOR values (big
 * integers, byte strings, nested maps, arrays). Whatever the domain does with them, closing the ledger
 * must not throw (one envelope must never halt the network), every result must be recorded, and two
 * closes must agree.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OPERATION_TYPES } from '../../src/domain/index.js';
import { closeLedger, MemoryLedgerStore } from '../../src/ledger/index.js';
import type { TxOperation } from '../../src/tx/index.js';
import { defineEngine, genesis, registerItem, registerSite, T0, tx, type Who } from './helpers.js';

const FIELDS = [
  'uii',
  'nsn',
  'serial',
  'cage',
  'condition',
  'location',
  'site',
  'to',
  'offerId',
  'quantity',
  'lot',
  'hours',
  'cycles',
  'reason',
  'name',
  'org',
  'lat',
  'lon',
  'roles',
  'member',
  'device',
  'parent',
  'time',
  'value',
  'code',
  'ownership',
  'partNumber',
  'lifeLimits',
  'tracking',
  'action',
  'delta',
];

const leaf = fc.oneof(
  fc.integer(),
  fc.bigInt({ min: 2n ** 53n, max: 2n ** 64n - 1n }),
  fc.constantFrom('DEPOT-A', 'D0CVA5SN1', '2840-01-523-4567', 'A', 'W56HZV', 'FA8571', ''),
  fc.string({ maxLength: 8 }),
  fc.uint8Array({ maxLength: 4 }),
  fc.boolean(),
  fc.constant(null),
);
const value = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...FIELDS), tie('v'), { maxKeys: 3 }),
  ),
})).v;

const op = fc
  .record({
    type: fc.constantFrom(...OPERATION_TYPES),
    fields: fc.dictionary(fc.constantFrom(...FIELDS), value, { maxKeys: 6 }),
  })
  .map(({ type, fields }) => ({ ...fields, type }) as TxOperation);

describe('closeLedger under hostile operations', () => {
  const g = genesis();
  it('never throws and records a result for every envelope', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(op, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 6 }),
        (txs) => {
          const store = new MemoryLedgerStore();
          store.putClosedLedger(g, []);
          const setup = closeLedger(
            {
              prev: g.header,
              txSet: [
                tx(g.networkId, 'admin', 1, [registerSite]),
                tx(g.networkId, 'supplyA', 1, [defineEngine, registerItem('SN1')]),
              ],
              closeTime: T0 + 1,
              networkId: g.networkId,
              suite: 'ed25519',
            },
            store,
            store.merkle,
          );
          store.putClosedLedger(setup, []);
          const who: Who[] = ['admin', 'supplyA', 'supplyB', 'maint'];
          const seqs = new Map<Who, number>([
            ['admin', 1],
            ['supplyA', 1],
          ]);
          const txSet = txs.map((ops, i) => {
            const w = who[i % who.length]!;
            const s = (seqs.get(w) ?? 0) + 1;
            seqs.set(w, s);
            return tx(g.networkId, w, s, ops);
          });
          const input = {
            prev: store.lastClosed()!,
            txSet,
            closeTime: T0 + 100,
            networkId: g.networkId,
            suite: 'ed25519',
          };
          const a = closeLedger(input, store, store.merkle);
          const b = closeLedger(input, store, store.merkle);
          expect(a.results).toHaveLength(txSet.length);
          expect(Buffer.from(a.headerHash).toString('hex')).toBe(Buffer.from(b.headerHash).toString('hex'));
          store.putClosedLedger(a, []);
        },
      ),
      { numRuns: 100, seed: 7 },
    );
  });
});
