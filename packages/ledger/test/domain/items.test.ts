import { describe, expect, it } from 'vitest';
import {
  AIRCRAFT_NSN,
  CONTRACTOR,
  DEPOT,
  DISK_NSN,
  ENGINE_NSN,
  expectFail,
  expectOk,
  M,
  ORING_NSN,
  registerAt,
  uii,
  WING,
  world,
} from './fixtures.js';

describe('defineItemClass', () => {
  it('defines a class by NSN in canonical form', () => {
    const w = world();
    expect(w.state.itemClass(ENGINE_NSN)).toMatchObject({
      nsn: ENGINE_NSN,
      tracking: 'serialized',
      lifeLimits: { hours: 12_000 },
      unitOfIssue: 'EA',
    });
    expect(w.state.itemClass(AIRCRAFT_NSN)?.lifeLimits).toEqual({});
  });

  it('fails NSN_MALFORMED, ITEM_CLASS_EXISTS, ROLE_REQUIRED and OP_MALFORMED', () => {
    const w = world();
    const def = (source: string, over: object) =>
      w.op(source, {
        type: 'defineItemClass',
        nsn: '6135-01-234-5678',
        nomenclature: 'BATTERY',
        unitOfIssue: 'EA',
        tracking: 'bulk',
        ...over,
      });
    expectFail(def(M.supplyA, { nsn: '6135-01-234-567' }), 'NSN_MALFORMED');
    expectFail(def(M.supplyA, { nsn: ORING_NSN }), 'ITEM_CLASS_EXISTS');
    expectFail(def(M.maintA, {}), 'ROLE_REQUIRED');
    expectFail(def(M.auditor, {}), 'ROLE_REQUIRED');
    expectFail(def(M.supplyA, { unitOfIssue: 'each' }), 'OP_MALFORMED');
    expectFail(def(M.supplyA, { tracking: 'lots' }), 'OP_MALFORMED');
    expectFail(def(M.supplyA, { lifeLimits: { hours: 0 } }), 'OP_MALFORMED');
    expectFail(def(M.supplyA, { lifeLimits: { miles: 5 } }), 'OP_MALFORMED');
    expectFail(def(M.supplyA, { lifeLimits: [] }), 'OP_MALFORMED');
    expectOk(def(M.admin, { lifeLimits: { days: 730 } }));
  });
});

describe('registerItem', () => {
  it('registers a serialized item owned and held by the registering organization', () => {
    const w = world();
    const r = registerAt(w, '674A36458');
    expectOk(r);
    expect(w.state.item('D0CVA5674A36458')).toMatchObject({
      nsn: ENGINE_NSN,
      serial: '674A36458',
      cage: CONTRACTOR,
      condition: 'A',
      owner: DEPOT,
      custodian: DEPOT,
      status: 'active',
      usage: { hours: 0, cycles: 0 },
      location: { site: 'DEPOT-A' },
    });
  });

  it('accepts construct 2 (part number before the serial)', () => {
    const w = world();
    const op = {
      type: 'registerItem',
      uii: 'D0CVA5PN-77S1',
      nsn: ENGINE_NSN,
      serial: 'S1',
      partNumber: 'PN-77',
      cage: CONTRACTOR,
      condition: 'B',
      location: { lat: 41, lon: -75 },
    };
    expectOk(w.op(M.supplyA, op));
    expect(w.state.item('D0CVA5PN-77S1')?.partNumber).toBe('PN-77');
  });

  it.each([
    [{ uii: 'd0cva5x1' }, 'UII_MALFORMED'],
    [{ uii: `D0CVA5${'9'.repeat(45)}` }, 'UII_MALFORMED'],
    [{ serial: 'x 1' }, 'SERIAL_INVALID'],
    [{ cage: '0CVA' }, 'CAGE_INVALID'],
    [{ nsn: '2840-01-523-456' }, 'NSN_MALFORMED'],
    [{ condition: 'I' }, 'CONDITION_INVALID'],
    [{ location: { site: 'nowhere at all' } }, 'LOCATION_INVALID'],
    [{ location: { site: 'NOWHERE' } }, 'SITE_NOT_FOUND'],
    [{ serial: 'OTHER' }, 'UII_SERIAL_MISMATCH'],
    [{ nsn: '2840-01-999-9999' }, 'ITEM_CLASS_NOT_FOUND'],
    [{ nsn: ORING_NSN }, 'ITEM_CLASS_NOT_SERIALIZED'],
  ])('%j fails %s', (over, code) => {
    const w = world();
    const op = {
      type: 'registerItem',
      uii: uii('S1'),
      nsn: ENGINE_NSN,
      serial: 'S1',
      cage: CONTRACTOR,
      condition: 'A',
      location: { site: 'DEPOT-A' },
      ...over,
    };
    expectFail(w.op(M.supplyA, op), code);
    expect(w.state.item(uii('S1'))).toBeUndefined();
  });

  it('needs the supply role', () => {
    const w = world();
    expectFail(registerAt(w, 'S1', ENGINE_NSN, 'DEPOT-A', M.maintA), 'ROLE_REQUIRED');
    expectFail(registerAt(w, 'S1', ENGINE_NSN, 'DEPOT-A', M.auditor), 'ROLE_REQUIRED');
  });

  it('registering condition H makes the item condemned', () => {
    const w = world();
    expectOk(
      w.op(M.supplyA, {
        type: 'registerItem',
        uii: uii('S9'),
        nsn: ENGINE_NSN,
        serial: 'S9',
        cage: CONTRACTOR,
        condition: 'H',
        location: { site: 'DEPOT-A' },
      }),
    );
    expect(w.state.item(uii('S9'))?.status).toBe('condemned');
  });
});

describe('receipt, move, condition, maintenance', () => {
  it('the custodian’s supply staff record receipt and moves', () => {
    const w = world();
    registerAt(w, 'S1');
    const r = w.op(M.supplyA, {
      type: 'recordReceipt',
      uii: uii('S1'),
      location: { site: 'EDWARDS' },
      condition: 'B',
    });
    expectOk(r);
    expect(w.state.item(uii('S1'))).toMatchObject({ location: { site: 'EDWARDS' }, condition: 'B' });
    // Degrees are stored as integer micro-degrees; CBOR clients send micro-degrees directly.
    expectOk(
      w.op(M.supplyA, { type: 'moveItem', uii: uii('S1'), location: { lat: 40.123456789, lon: -75 } }),
    );
    expect(w.state.item(uii('S1'))?.location).toEqual({ latE6: 40_123_457, lonE6: -75_000_000 });
    expectOk(
      w.op(M.supplyA, { type: 'moveItem', uii: uii('S1'), location: { latE6: -1, lonE6: 179_999_999 } }),
    );
    expect(w.state.item(uii('S1'))?.location).toEqual({ latE6: -1, lonE6: 179_999_999 });
    for (const bad of [
      { latE6: 1.5, lonE6: 0 },
      { latE6: 90_000_001, lonE6: 0 },
      { lat: 1, lonE6: 0 },
    ]) {
      expectFail(w.op(M.supplyA, { type: 'moveItem', uii: uii('S1'), location: bad }), 'LOCATION_INVALID');
    }
  });

  it('receipt and move fail NOT_CUSTODIAN, ROLE_REQUIRED, ITEM_NOT_FOUND, UII_MALFORMED', () => {
    const w = world();
    registerAt(w, 'S1');
    for (const type of ['recordReceipt', 'moveItem']) {
      const op = (u: string) => ({ type, uii: u, location: { site: 'EDWARDS' } });
      expectFail(w.op(M.supplyB, op(uii('S1'))), 'NOT_CUSTODIAN');
      expectFail(w.op(M.maintA, op(uii('S1'))), 'ROLE_REQUIRED');
      expectFail(w.op(M.supplyA, op(uii('S2'))), 'ITEM_NOT_FOUND');
      expectFail(w.op(M.supplyA, op('bad uii')), 'UII_MALFORMED');
    }
  });

  it('changes condition; condition H condemns, and a condemned item’s condition is final', () => {
    const w = world();
    registerAt(w, 'S1');
    const ch = (source: string, condition: unknown, reason = 'inspection') =>
      w.op(source, { type: 'changeCondition', uii: uii('S1'), condition, reason });
    expectFail(ch(M.supplyA, 'Z'), 'CONDITION_INVALID');
    expectFail(ch(M.supplyA, 'F', ''), 'TEXT_INVALID');
    expectFail(ch(M.auditor, 'F'), 'ROLE_REQUIRED');
    expectFail(ch(M.maintB, 'F'), 'NOT_CUSTODIAN');
    const r = ch(M.maintA, 'F');
    expectOk(r);
    expect(r.ok && r.events?.[0]).toEqual({
      type: 'conditionChanged',
      subject: uii('S1'),
      data: { from: 'A', to: 'F', reason: 'inspection' },
    });
    expectOk(ch(M.supplyA, 'H'));
    expect(w.state.item(uii('S1'))?.status).toBe('condemned');
    expectFail(ch(M.supplyA, 'A'), 'ITEM_CONDEMNED');
  });

  it('maintainers record maintenance, optionally with the resulting condition', () => {
    const w = world();
    registerAt(w, 'S1');
    const mx = (source: string, over: object = {}) =>
      w.op(source, { type: 'recordMaintenance', uii: uii('S1'), action: 'borescope inspection', ...over });
    expectOk(mx(M.maintA));
    expectOk(mx(M.maintA, { condition: 'F' }));
    expect(w.state.item(uii('S1'))?.condition).toBe('F');
    expectFail(mx(M.supplyA), 'ROLE_REQUIRED');
    expectFail(mx(M.maintB), 'NOT_CUSTODIAN');
    expectFail(mx(M.maintA, { action: '' }), 'TEXT_INVALID');
    expectFail(mx(M.maintA, { condition: 'ZZ' }), 'CONDITION_INVALID');
    expectOk(mx(M.maintA, { condition: 'H' }));
    expectFail(mx(M.maintA), 'ITEM_CONDEMNED');
  });
});

describe('quarantine and release', () => {
  it('quarantines an item, blocks it, and releases it', () => {
    const w = world();
    registerAt(w, 'S1');
    const q = { type: 'quarantine', uii: uii('S1'), reason: 'suspect counterfeit' };
    expectFail(w.op(M.auditor, q), 'ROLE_REQUIRED');
    expectOk(w.op(M.supplyA, q));
    expect(w.state.item(uii('S1'))?.status).toBe('quarantined');
    expectFail(w.op(M.supplyA, q), 'ITEM_QUARANTINED');
    expectFail(w.op(M.supplyA, { type: 'offerCustody', uii: uii('S1'), to: WING }), 'ITEM_QUARANTINED');
    const rel = { type: 'release', uii: uii('S1'), reason: 'cleared by lab' };
    expectFail(w.op(M.supplyA, rel), 'ROLE_REQUIRED');
    expectOk(w.op(M.maintA, rel));
    expect(w.state.item(uii('S1'))?.status).toBe('active');
    expectFail(w.op(M.maintA, rel), 'ITEM_NOT_QUARANTINED');
  });

  it('quarantine withdraws a pending custody offer; release of a condition-H item condemns it', () => {
    const w = world();
    registerAt(w, 'S1');
    const offer = w.ok(M.supplyA, { type: 'offerCustody', uii: uii('S1'), to: WING });
    const offerId = offer.events![0]!.data!.offerId as string;
    expectOk(w.op(M.maintA, { type: 'quarantine', uii: uii('S1'), reason: 'leak' }));
    expect(w.state.offer(offerId)?.status).toBe('withdrawn');
    expect(w.state.item(uii('S1'))?.pendingOffer).toBeUndefined();
    expectFail(w.op(M.supplyB, { type: 'acceptCustody', uii: uii('S1'), offerId }), 'OFFER_SUPERSEDED');
    expectOk(w.op(M.maintA, { type: 'changeCondition', uii: uii('S1'), condition: 'H', reason: 'cracked' }));
    expect(w.state.item(uii('S1'))?.status).toBe('quarantined');
    expectOk(w.op(M.admin, { type: 'release', uii: uii('S1'), reason: 'lab done' }));
    expect(w.state.item(uii('S1'))?.status).toBe('condemned');
    expectFail(w.op(M.maintA, { type: 'quarantine', uii: uii('S1'), reason: 'again' }), 'ITEM_CONDEMNED');
  });
});

describe('dispose', () => {
  it('the owner disposes of an item it holds; nothing happens to it afterwards', () => {
    const w = world();
    registerAt(w, 'S1');
    const d = { type: 'dispose', uii: uii('S1'), method: 'DEMIL' };
    expectFail(w.op(M.maintA, d), 'ROLE_REQUIRED');
    expectFail(w.op(M.supplyB, d), 'NOT_OWNER');
    expectFail(w.op(M.supplyA, { ...d, method: '' }), 'TEXT_INVALID');
    expectOk(w.op(M.supplyA, d));
    expect(w.state.item(uii('S1'))?.status).toBe('disposed');
    expectFail(w.op(M.supplyA, d), 'ITEM_DISPOSED');
    expectFail(
      w.op(M.supplyA, { type: 'moveItem', uii: uii('S1'), location: { site: 'DEPOT-A' } }),
      'ITEM_DISPOSED',
    );
    expectFail(registerAt(w, 'S1'), 'UII_DUPLICATE'); // UIIs are never reused
  });

  it('fails NOT_CUSTODIAN, OFFER_PENDING, ITEM_HAS_COMPONENTS and ITEM_INSTALLED', () => {
    const w = world();
    registerAt(w, 'S1');
    registerAt(w, 'D1', DISK_NSN);
    const d = (u: string) => ({ type: 'dispose', uii: u, method: 'scrap' });
    // Custody (not ownership) moved to the wing: the depot must get it back first.
    const o = w.ok(M.supplyA, { type: 'offerCustody', uii: uii('S1'), to: WING });
    expectFail(w.op(M.supplyA, d(uii('S1'))), 'OFFER_PENDING');
    w.ok(M.supplyB, { type: 'acceptCustody', uii: uii('S1'), offerId: o.events![0]!.data!.offerId });
    expectFail(w.op(M.supplyA, d(uii('S1'))), 'NOT_CUSTODIAN');
    registerAt(w, 'S2');
    w.ok(M.maintA, { type: 'installItem', uii: uii('D1'), parent: uii('S2') });
    expectFail(w.op(M.supplyA, d(uii('S2'))), 'ITEM_HAS_COMPONENTS');
    expectFail(w.op(M.supplyA, d(uii('D1'))), 'ITEM_INSTALLED');
  });
});

describe('auditors read all but write nothing', () => {
  it('every write by an auditor fails', () => {
    const w = world();
    registerAt(w, 'S1');
    const u = uii('S1');
    const ops = [
      { type: 'registerOrganization', code: 'N00421', name: 'x' },
      { type: 'addMember', member: 'k', org: DEPOT, roles: ['supply'] },
      { type: 'setParameter', name: 'maxOpsPerTx', value: 5 },
      { type: 'registerDevice', device: 'd2', org: DEPOT, location: { site: 'DEPOT-A' } },
      { type: 'registerSite', site: 'X', name: 'x', org: DEPOT, lat: 0, lon: 0 },
      {
        type: 'defineItemClass',
        nsn: '6135-01-234-5678',
        nomenclature: 'B',
        unitOfIssue: 'EA',
        tracking: 'bulk',
      },
      {
        type: 'registerItem',
        uii: uii('S7'),
        nsn: ENGINE_NSN,
        serial: 'S7',
        cage: CONTRACTOR,
        condition: 'A',
        location: { site: 'DEPOT-A' },
      },
      { type: 'offerCustody', uii: u, to: WING },
      { type: 'recordReceipt', uii: u, location: { site: 'DEPOT-A' } },
      { type: 'moveItem', uii: u, location: { site: 'DEPOT-A' } },
      { type: 'changeCondition', uii: u, condition: 'B', reason: 'r' },
      { type: 'recordMaintenance', uii: u, action: 'a' },
      { type: 'recordUsage', uii: u, hours: 1, cycles: 0 },
      { type: 'quarantine', uii: u, reason: 'r' },
      { type: 'dispose', uii: u, method: 'm' },
      { type: 'receiveStock', nsn: ORING_NSN, site: 'DEPOT-A', lot: '', condition: 'A', quantity: 1 },
    ];
    for (const op of ops) {
      const r = w.op(M.auditor, op);
      expect(r.ok ? 'SUCCESS' : r.code, op.type).toMatch(/^(ROLE_REQUIRED|APPROVALS_INSUFFICIENT)$/);
    }
  });
});
