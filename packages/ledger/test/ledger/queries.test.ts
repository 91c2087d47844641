import { describe, expect, it } from 'vitest';
import { closeLedger, MemoryLedgerStore, partsNearLifeLimit } from '../../src/ledger/index.js';
import type { TxOperation } from '../../src/tx/index.js';
import { defineEngine, genesis, registerItem, registerSite, T0, tx, uii, type Who } from './helpers.js';

describe('partsNearLifeLimit', () => {
  it('reports parts within the margin of a limit, and every part past one', () => {
    const g = genesis();
    const store = new MemoryLedgerStore();
    store.putClosedLedger(g, []);
    let time = T0;
    const close = (txs: [Who, number, TxOperation[]][]) => {
      time += 10;
      const txSet = txs.map(([who, seq, ops]) => tx(g.networkId, who, seq, ops));
      const r = closeLedger(
        { prev: store.lastClosed()!, txSet, closeTime: time, networkId: g.networkId, suite: 'ed25519' },
        store,
        store.merkle,
      );
      store.putClosedLedger(r, []);
      return r.results.map((x) => x.code);
    };
    const usage = (hours: number): TxOperation => ({
      type: 'recordUsage',
      uii: uii('SN1'),
      hours,
      cycles: 0,
    });
    expect(
      close([
        ['admin', 1, [registerSite]],
        ['supplyA', 1, [defineEngine, registerItem('SN1'), registerItem('SN2')]],
        ['maint', 1, [usage(11_950)]],
      ]),
    ).toEqual(['TX_SUCCESS', 'TX_SUCCESS', 'TX_SUCCESS']);
    // 50 h left on SN1 (limit 12,000 h); SN2 is new.
    expect(partsNearLifeLimit(store, { hours: 100 }).map((s) => [s.uii, s.remaining.hours])).toEqual([
      [uii('SN1'), 50],
    ]);
    expect(partsNearLifeLimit(store)).toEqual([]);
    expect(close([['maint', 2, [usage(60)]]])).toEqual(['TX_SUCCESS']);
    expect(partsNearLifeLimit(store).map((s) => [s.uii, s.remaining.hours])).toEqual([[uii('SN1'), -10]]);
    expect(partsNearLifeLimit(store, { hours: 20_000 }).map((s) => s.uii)).toEqual([uii('SN1'), uii('SN2')]);
  });
});
