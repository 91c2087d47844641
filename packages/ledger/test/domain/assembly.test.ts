import { describe, expect, it } from 'vitest';
import { lifeStatus } from '../../src/domain/index.js';
import {
  AIRCRAFT_NSN,
  CONTRACTOR,
  DISK_NSN,
  ENGINE_NSN,
  expectFail,
  expectOk,
  M,
  registerAt,
  uii,
  WING,
  type World,
  world,
} from './fixtures.js';

const usage = (w: World, serial: string, hours: number, cycles = 0) =>
  w.op(M.maintA, { type: 'recordUsage', uii: uii(serial), hours, cycles });
const install = (w: World, child: string, parent: string, source: string = M.maintA) =>
  w.op(source, { type: 'installItem', uii: uii(child), parent: uii(parent) });

/** Aircraft AC1 at 8,975 h; engine E1 at 2,000 h holding disk D1 at 3,300 h (limit 5,000: 1,700 left). */
function fleet(): World {
  const w = world();
  registerAt(w, 'AC1', AIRCRAFT_NSN);
  registerAt(w, 'E1', ENGINE_NSN);
  registerAt(w, 'D1', DISK_NSN);
  expectOk(usage(w, 'D1', 1_300, 400));
  expectOk(install(w, 'D1', 'E1'));
  expectOk(usage(w, 'E1', 2_000, 600));
  expectOk(usage(w, 'AC1', 8_975, 3_000));
  return w;
}

describe('install and replacement due (DESIGN.md: 8,975 h + 1,700 h -> 10,675 h)', () => {
  it('usage flows down to installed components', () => {
    const w = fleet();
    expect(w.state.item(uii('E1'))?.usage).toEqual({ hours: 2_000, cycles: 600 });
    expect(w.state.item(uii('D1'))?.usage).toEqual({ hours: 3_300, cycles: 1_000 });
  });

  it('due = parent usage at install + the smallest remaining life in the component’s subtree', () => {
    const w = fleet();
    const r = install(w, 'E1', 'AC1');
    expectOk(r);
    const due = { hours: 10_675, cycles: 3_000 + (20_000 - 1_000) };
    expect(w.state.item(uii('E1'))?.install).toMatchObject({
      parent: uii('AC1'),
      parentUsage: { hours: 8_975, cycles: 3_000 },
      replacementDue: due,
    });
    expect(r.ok && r.events?.[0]?.data?.replacementDue).toEqual(due);
    expect(w.state.item(uii('AC1'))?.children).toEqual([uii('E1')]);
    expect(w.state.item(uii('D1'))?.location).toEqual(w.state.item(uii('AC1'))?.location);
  });

  it('lifeStatus reports the same due point for the assembly, and nothing for an unknown UII', () => {
    const w = fleet();
    expectOk(install(w, 'E1', 'AC1'));
    expect(lifeStatus(w.store, uii('AC1'), w.time)).toEqual({
      uii: uii('AC1'),
      usage: { hours: 8_975, cycles: 3_000 },
      remaining: { hours: 1_700, cycles: 19_000 },
      due: { hours: 10_675, cycles: 22_000 },
    });
    expect(lifeStatus(w.store, uii('E1'), w.time)?.remaining).toEqual({ hours: 1_700, cycles: 19_000 });
    expect(lifeStatus(w.store, uii('NOPE'), w.time)).toBeUndefined();
  });

  it('flying past the disk’s limit raises one life-limit-exceeded alert for the disk', () => {
    const w = fleet();
    expectOk(install(w, 'E1', 'AC1'));
    const atLimit = usage(w, 'AC1', 1_700);
    expect(atLimit.ok && atLimit.alerts).toBeFalsy(); // 5,000 h: at, not past, the limit
    const past = usage(w, 'AC1', 1);
    expect(past.ok && past.alerts?.map((a) => [a.kind, a.subject, a.details])).toEqual([
      ['life-limit-exceeded', uii('D1'), { nsn: DISK_NSN, limit: 'hours', max: 5_000, value: 5_001 }],
    ]);
    expect(w.state.item(uii('AC1'))?.usage.hours).toBe(10_676);
    const again = usage(w, 'AC1', 10);
    expect(again.ok && again.alerts).toBeFalsy();
    expect(w.state.item(uii('D1'))?.lifeAlerts).toEqual(['hours']);
  });

  it('a calendar-day limit is checked on usage update', () => {
    const w = world();
    w.ok(M.supplyA, {
      type: 'defineItemClass',
      nsn: '1560-01-000-0001',
      nomenclature: 'CARTRIDGE, EJECTION SEAT',
      unitOfIssue: 'EA',
      tracking: 'serialized',
      lifeLimits: { days: 730 },
    });
    expectOk(
      w.op(M.supplyA, {
        type: 'registerItem',
        uii: uii('C1'),
        nsn: '1560-01-000-0001',
        serial: 'C1',
        cage: CONTRACTOR,
        condition: 'A',
        location: { site: 'DEPOT-A' },
      }),
    );
    w.time += 731 * 86_400;
    expect(lifeStatus(w.store, uii('C1'), w.time)?.daysRemaining).toBe(-1);
    const r = usage(w, 'C1', 1);
    expect(r.ok && r.alerts?.map((a) => a.details.limit)).toEqual(['days']);
  });
});

describe('install failures', () => {
  it('ROLE_REQUIRED, NOT_CUSTODIAN, ITEM_INSTALLED, INSTALL_SELF', () => {
    const w = fleet();
    expectFail(install(w, 'E1', 'AC1', M.supplyA), 'ROLE_REQUIRED');
    expectFail(install(w, 'E1', 'AC1', M.maintB), 'NOT_CUSTODIAN');
    expectFail(install(w, 'D1', 'AC1'), 'ITEM_INSTALLED');
    expectFail(install(w, 'E1', 'E1'), 'INSTALL_SELF');
    registerAt(w, 'X1', ENGINE_NSN);
    expectOk(install(w, 'X1', 'AC1'));
    expectOk(install(w, 'E1', 'AC1'));
    // AC1 > E1 > D1: putting the aircraft into its own disk would make a cycle.
    expectFail(install(w, 'AC1', 'D1'), 'INSTALL_SELF');
  });

  it('the parent must be held by the same organization', () => {
    const w = fleet();
    const o = w.ok(M.supplyA, { type: 'offerCustody', uii: uii('AC1'), to: WING });
    expectFail(install(w, 'E1', 'AC1'), 'OFFER_PENDING');
    w.ok(M.supplyB, { type: 'acceptCustody', uii: uii('AC1'), offerId: o.events![0]!.data!.offerId });
    expectFail(install(w, 'E1', 'AC1'), 'NOT_CUSTODIAN');
  });

  it('INSTALL_UNSERVICEABLE, ITEM_QUARANTINED, ITEM_CONDEMNED', () => {
    const w = fleet();
    w.ok(M.maintA, { type: 'changeCondition', uii: uii('E1'), condition: 'F', reason: 'FOD' });
    expectFail(install(w, 'E1', 'AC1'), 'INSTALL_UNSERVICEABLE');
    w.ok(M.maintA, { type: 'changeCondition', uii: uii('E1'), condition: 'A', reason: 'repaired' });
    w.ok(M.maintA, { type: 'quarantine', uii: uii('E1'), reason: 'records gap' });
    expectFail(install(w, 'E1', 'AC1'), 'ITEM_QUARANTINED');
    w.ok(M.maintA, { type: 'release', uii: uii('E1'), reason: 'found' });
    w.ok(M.maintA, { type: 'changeCondition', uii: uii('AC1'), condition: 'H', reason: 'crash' });
    expectFail(install(w, 'E1', 'AC1'), 'ITEM_CONDEMNED');
  });

  it('INSTALL_LIMIT on depth and component count', () => {
    const w = fleet();
    w.ok(M.admin, { type: 'setParameter', name: 'maxAssemblyDepth', value: 2 });
    expectFail(install(w, 'E1', 'AC1'), 'INSTALL_LIMIT'); // AC1 > E1 > D1 is three levels
    w.ok(M.admin, { type: 'setParameter', name: 'maxAssemblyDepth', value: 8 });
    w.ok(M.admin, { type: 'setParameter', name: 'maxComponents', value: 1 });
    expectOk(install(w, 'E1', 'AC1'));
    registerAt(w, 'E2', ENGINE_NSN);
    expectFail(install(w, 'E2', 'AC1'), 'INSTALL_LIMIT');
  });
});

describe('remove and usage failures', () => {
  it('removes a component; it keeps its usage and location', () => {
    const w = fleet();
    expectOk(install(w, 'E1', 'AC1'));
    expectFail(w.op(M.supplyA, { type: 'removeItem', uii: uii('E1') }), 'ROLE_REQUIRED');
    expectOk(w.op(M.maintA, { type: 'removeItem', uii: uii('E1') }));
    expect(w.state.item(uii('E1'))?.install).toBeUndefined();
    expect(w.state.item(uii('AC1'))?.children).toEqual([]);
    expectFail(w.op(M.maintA, { type: 'removeItem', uii: uii('E1') }), 'ITEM_NOT_INSTALLED');
  });

  it('USAGE_INVALID, OP_MALFORMED, ITEM_INSTALLED, ROLE_REQUIRED', () => {
    const w = fleet();
    expectFail(usage(w, 'E1', 0, 0), 'USAGE_INVALID');
    expectFail(usage(w, 'E1', -1, 5), 'USAGE_INVALID');
    expectFail(usage(w, 'E1', 1.5), 'OP_MALFORMED');
    expectFail(usage(w, 'D1', 1), 'ITEM_INSTALLED');
    expectFail(
      w.op(M.supplyA, { type: 'recordUsage', uii: uii('E1'), hours: 1, cycles: 0 }),
      'ROLE_REQUIRED',
    );
    expectFail(usage(w, 'E1', Number.MAX_SAFE_INTEGER), 'USAGE_INVALID');
  });
});
