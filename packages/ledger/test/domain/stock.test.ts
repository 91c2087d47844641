import { describe, expect, it } from 'vitest';
import { ENGINE_NSN, expectFail, expectOk, M, ORING_NSN, type World, world } from './fixtures.js';

const key = { nsn: '5330-00-123-4567', site: 'DEPOT-A', lot: 'LOT-7', condition: 'A' };
const qty = (w: World, over: Partial<typeof key> = {}) => {
  const k = { ...key, ...over };
  return w.state.stockQuantity(k.nsn.replaceAll('-', ''), k.site, k.lot, k.condition);
};

describe('bulk stock', () => {
  it('receives, issues and adjusts by NSN, site, lot and condition', () => {
    const w = world();
    expectOk(w.op(M.supplyA, { type: 'receiveStock', ...key, quantity: 500 }));
    expectOk(w.op(M.supplyA, { type: 'receiveStock', ...key, condition: 'F', quantity: 7 }));
    expect(qty(w)).toBe(500);
    expect(qty(w, { condition: 'F' })).toBe(7);
    const r = w.op(M.supplyA, { type: 'issueStock', ...key, quantity: 120, issuedTo: 'FA8571' });
    expectOk(r);
    expect(r.ok && r.events?.[0]?.data).toMatchObject({ nsn: ORING_NSN, quantity: 120, onHand: 380 });
    expectOk(w.op(M.supplyA, { type: 'adjustStock', ...key, delta: -5, reason: 'inventory count' }));
    expectOk(w.op(M.supplyA, { type: 'adjustStock', ...key, delta: 2, reason: 'found in bin' }));
    expect(qty(w)).toBe(377);
  });

  it('a quantity never goes negative: INSUFFICIENT_STOCK', () => {
    const w = world();
    w.ok(M.supplyA, { type: 'receiveStock', ...key, quantity: 10 });
    expectFail(w.op(M.supplyA, { type: 'issueStock', ...key, quantity: 11 }), 'INSUFFICIENT_STOCK');
    expectFail(
      w.op(M.supplyA, { type: 'issueStock', ...key, lot: 'LOT-8', quantity: 1 }),
      'INSUFFICIENT_STOCK',
    );
    expectFail(
      w.op(M.supplyA, { type: 'adjustStock', ...key, delta: -11, reason: 'count' }),
      'INSUFFICIENT_STOCK',
    );
    expectOk(w.op(M.supplyA, { type: 'issueStock', ...key, quantity: 10 }));
    expect(w.store.keys('stock/')).toEqual([]); // zero stock is not stored
  });

  it('fails QUANTITY_INVALID, QUANTITY_OVERFLOW, LOT_INVALID and the key codes', () => {
    const w = world();
    const rcv = (over: object, source: string = M.supplyA) =>
      w.op(source, { type: 'receiveStock', ...key, quantity: 1, ...over });
    expectFail(rcv({ quantity: 0 }), 'QUANTITY_INVALID');
    expectFail(rcv({ quantity: -3 }), 'QUANTITY_INVALID');
    expectFail(rcv({ quantity: 2.5 }), 'QUANTITY_INVALID');
    expectFail(rcv({ quantity: '5' }), 'QUANTITY_INVALID');
    expectFail(w.op(M.supplyA, { type: 'adjustStock', ...key, delta: 0, reason: 'x' }), 'QUANTITY_INVALID');
    expectFail(w.op(M.supplyA, { type: 'adjustStock', ...key, delta: 3, reason: '' }), 'TEXT_INVALID');
    expectOk(rcv({ quantity: Number.MAX_SAFE_INTEGER }));
    expectFail(rcv({ quantity: 1 }), 'QUANTITY_OVERFLOW');
    expectFail(rcv({ lot: 'lot 7' }), 'LOT_INVALID');
    expectFail(rcv({ lot: 'A/B' }), 'LOT_INVALID');
    expectFail(rcv({ nsn: '5330' }), 'NSN_MALFORMED');
    expectFail(rcv({ condition: 'W' }), 'CONDITION_INVALID');
    expectFail(rcv({ site: 'NOWHERE' }), 'SITE_NOT_FOUND');
    expectFail(rcv({ nsn: '5330-00-999-9999' }), 'ITEM_CLASS_NOT_FOUND');
    expectFail(rcv({ nsn: ENGINE_NSN }), 'ITEM_CLASS_NOT_BULK');
    expectFail(rcv({}, M.maintA), 'ROLE_REQUIRED');
    expectFail(rcv({}, M.supplyB), 'NOT_CUSTODIAN'); // the site belongs to the depot
    expectOk(rcv({ lot: '' }));
  });
});
