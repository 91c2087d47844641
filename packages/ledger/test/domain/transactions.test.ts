import { describe, expect, it } from 'vitest';
import { applyOperations, checkInvariants } from '../../src/domain/index.js';
import {
  CONTRACTOR,
  DEPOT,
  ENGINE_NSN,
  expectFail,
  expectOk,
  M,
  registerAt,
  snapshot,
  uii,
  WING,
  world,
} from './fixtures.js';

const stock = { nsn: '5330-00-123-4567', site: 'DEPOT-A', lot: '', condition: 'A' };

describe('applyOperations: all or nothing', () => {
  it('commits every operation when all succeed, with one result each', () => {
    const w = world();
    const t = w.tx(M.supplyA, [
      { type: 'receiveStock', ...stock, quantity: 10 },
      { type: 'issueStock', ...stock, quantity: 4 },
    ]);
    expect(t.ok).toBe(true);
    expect(t.results.map((r) => r.ok)).toEqual([true, true]);
    expect(w.state.stockQuantity('5330001234567', 'DEPOT-A', '', 'A')).toBe(6);
  });

  it('a failing operation discards the earlier ones; later ones are NOT_APPLIED', () => {
    const w = world();
    const before = snapshot(w);
    const t = w.tx(M.supplyA, [
      { type: 'receiveStock', ...stock, quantity: 10 },
      {
        type: 'registerItem',
        uii: uii('S1'),
        nsn: ENGINE_NSN,
        serial: 'S1',
        cage: CONTRACTOR,
        condition: 'A',
        location: { site: 'DEPOT-A' },
      },
      { type: 'issueStock', ...stock, quantity: 11 },
      { type: 'issueStock', ...stock, quantity: 1 },
    ]);
    expect(t.ok).toBe(false);
    expect(t.results.map((r) => (r.ok ? 'ok' : r.code))).toEqual([
      'ok',
      'ok',
      'INSUFFICIENT_STOCK',
      'NOT_APPLIED',
    ]);
    expect(t.results[0]).toEqual({ ok: true }); // no events for effects that did not happen
    expect(snapshot(w)).toBe(before);
  });

  it('a failing single operation changes nothing', () => {
    const w = world();
    registerAt(w, 'S1');
    const before = snapshot(w);
    expectFail(w.op(M.supplyA, { type: 'offerCustody', uii: uii('S1'), to: 'NOPE00' }), 'ORG_NOT_FOUND');
    expect(snapshot(w)).toBe(before);
  });

  it('fails TX_EMPTY, TX_TOO_LARGE and OP_MALFORMED for a bad operation list', () => {
    const w = world();
    const before = snapshot(w);
    expectFail(w.tx(M.supplyA, []).results[0]!, 'TX_EMPTY');
    w.ok(M.admin, { type: 'setParameter', name: 'maxOpsPerTx', value: 2 });
    const big = w.tx(
      M.supplyA,
      [1, 2, 3].map(() => ({ type: 'receiveStock', ...stock, quantity: 1 })),
    );
    expect(big.results.map((r) => (r.ok ? 'ok' : r.code))).toEqual([
      'TX_TOO_LARGE',
      'TX_TOO_LARGE',
      'TX_TOO_LARGE',
    ]);
    expectFail(applyOperations(w.store, 'ops', w.ctx(M.supplyA)).results[0]!, 'OP_MALFORMED');
    expect(w.store.keys('stock/')).toEqual([]);
    expect(before).not.toBe(snapshot(w)); // only the parameter changed
  });

  it('creates deterministic offer ids from the ledger position', () => {
    const w = world();
    registerAt(w, 'S1');
    const seq = w.seq;
    const t = w.tx(M.supplyA, [
      { type: 'moveItem', uii: uii('S1'), location: { site: 'DEPOT-A' } },
      { type: 'offerCustody', uii: uii('S1'), to: WING },
    ]);
    expect(t.results[1]!.ok && t.results[1]!.events?.[0]?.data?.offerId).toBe(`${seq}.0.1`);
  });

  it('the same operations on two stores give byte-identical states', () => {
    const run = () => {
      const w = world();
      registerAt(w, 'S1');
      registerAt(w, 'S2');
      w.tx(M.supplyA, [
        { type: 'offerCustody', uii: uii('S2'), to: WING },
        { type: 'receiveStock', ...stock, quantity: 3 },
      ]);
      w.op('reader-depot-1', { type: 'recordScan', device: 'reader-depot-1', uii: uii('S1'), time: w.time });
      return snapshot(w);
    };
    expect(run()).toBe(run());
  });
});

describe('suspect counterfeit: a UII registered twice', () => {
  it('the second registration fails UII_DUPLICATE and records an alert, even inside a failed transaction', () => {
    const w = world();
    expectOk(registerAt(w, '674A36458'));
    w.ok(M.admin2, {
      type: 'registerSite',
      site: 'EDW-2',
      name: 'Edwards 2',
      org: WING,
      lat: 34.9,
      lon: -117.9,
    });
    const t = w.tx(M.supplyB, [
      { type: 'moveItem', uii: 'D0CVA5674A36458', location: { site: 'EDW-2' } }, // not theirs: would fail anyway
    ]);
    expectFail(t.results[0]!, 'NOT_CUSTODIAN');
    const before = w.state.alertCount();
    const dup = w.tx(M.supplyB, [
      { type: 'receiveStock', ...stock, site: 'EDW-2', quantity: 5 }, // discarded with the tx
      {
        type: 'registerItem',
        uii: 'D0CVA5674A36458',
        nsn: ENGINE_NSN,
        serial: '674A36458',
        cage: CONTRACTOR,
        condition: 'A',
        location: { site: 'EDW-2' },
      },
    ]);
    expect(dup.ok).toBe(false);
    expectFail(dup.results[1]!, 'UII_DUPLICATE');
    expect(dup.alerts.map((a) => [a.kind, a.subject])).toEqual([['suspect-counterfeit', 'D0CVA5674A36458']]);
    expect(dup.alerts[0]!.details).toMatchObject({ attemptedOrg: WING, existingOwner: DEPOT });
    expect(w.state.alertCount()).toBe(before + 1);
    expect(w.state.alert(before + 1)).toEqual(dup.alerts[0]);
    expect(w.store.keys('stock/')).toEqual([]);
    expect(w.state.item('D0CVA5674A36458')?.custodian).toBe(DEPOT);
    expect(checkInvariants(w.store)).toEqual([]);
  });
});
