import { describe, expect, it } from 'vitest';
import { checkInvariants, K } from '../../src/domain/index.js';
import { DISK_NSN, M, registerAt, uii, WING, world } from './fixtures.js';

/** A world with an assembly, a pending offer and stock: every invariant has something to check. */
function busy() {
  const w = world();
  registerAt(w, 'E1');
  registerAt(w, 'D1', DISK_NSN);
  registerAt(w, 'S1');
  w.ok(M.maintA, { type: 'installItem', uii: uii('D1'), parent: uii('E1') });
  w.ok(M.supplyA, { type: 'offerCustody', uii: uii('S1'), to: WING });
  w.ok(M.supplyA, {
    type: 'receiveStock',
    nsn: '5330001234567',
    site: 'DEPOT-A',
    lot: '',
    condition: 'A',
    quantity: 5,
  });
  return w;
}

describe('checkInvariants', () => {
  it('holds on a consistent state', () => {
    expect(checkInvariants(busy().store)).toEqual([]);
  });

  it.each([
    [
      'negative stock',
      (w: ReturnType<typeof busy>) => {
        const key = w.store.keys('stock/')[0]!;
        w.store.put(key, { ...(w.store.get(key) as object), quantity: -1 });
      },
      /quantity -1/,
    ],
    [
      'a component whose parent is gone',
      (w: ReturnType<typeof busy>) => w.store.delete(K.item(uii('E1'))),
      /missing/,
    ],
    [
      'an unknown custodian',
      (w: ReturnType<typeof busy>) => {
        w.state.putItem({ ...w.state.item(uii('S1'))!, custodian: 'NOPE00' });
      },
      /bad custodian/,
    ],
    [
      'an offer missing from the expiry index',
      (w: ReturnType<typeof busy>) => w.store.delete(K.pendingOffers),
      /expiry index/,
    ],
    [
      'undefined in a record',
      (w: ReturnType<typeof busy>) => {
        w.store.put(K.item(uii('S1')), { ...(w.store.get(K.item(uii('S1'))) as object), note: undefined });
      },
      /not plain data/,
    ],
    ['a drifting admin count', (w: ReturnType<typeof busy>) => w.state.setActiveAdmins(7), /admin count/],
  ])('detects %s', (_name, corrupt, expected) => {
    const w = busy();
    corrupt(w);
    expect(checkInvariants(w.store).join('\n')).toMatch(expected);
  });
});
