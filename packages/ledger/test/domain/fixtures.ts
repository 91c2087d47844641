import { expect } from 'vitest';
/** A small network for domain tests: a depot, an air wing, a navy activity and a contractor. */
import {
  type ApplyContext,
  applyOperation,
  applyOperations,
  initGenesis,
  MemoryStore,
  type OpResult,
  State,
  type TxResult,
} from '../../src/domain/index.js';

export const T0 = 1_800_000_000; // 2027-01-15

export const DEPOT = 'W56HZV';
export const WING = 'FA8571';
export const NAVY = 'N00019';
export const CONTRACTOR = '0CVA5';

export const ENGINE_NSN = '2840015234567';
export const DISK_NSN = '2840015230001';
export const AIRCRAFT_NSN = '1510015550001';
export const ORING_NSN = '5330001234567';

export const M = {
  admin: 'admin-depot',
  admin2: 'admin-wing',
  supplyA: 'supply-depot',
  supplyB: 'supply-wing',
  supplyN: 'supply-navy',
  maintA: 'maint-depot',
  maintB: 'maint-wing',
  auditor: 'auditor-depot',
  devop: 'devop-depot',
} as const;

export const DEVICE = 'reader-depot-1';

export class World {
  readonly store = new MemoryStore();
  readonly state = new State(this.store);
  time = T0;
  seq = 1;

  ctx(source: string, extraSigners: string[] = []): ApplyContext {
    return {
      signers: [source, ...extraSigners],
      source,
      closeTime: this.time,
      ledgerSeq: this.seq,
      txIndex: 0,
    };
  }

  /** Applies one operation as `source` in the next ledger. */
  op(source: string, op: unknown, extraSigners: string[] = []): OpResult {
    const r = applyOperation(this.store, op, this.ctx(source, extraSigners));
    this.seq++;
    return r;
  }

  tx(source: string, ops: unknown[], extraSigners: string[] = []): TxResult {
    const r = applyOperations(this.store, ops, this.ctx(source, extraSigners));
    this.seq++;
    return r;
  }

  /** Applies and insists on success (for setting the scene). */
  ok(source: string, op: unknown, extraSigners: string[] = []): OpResult & { ok: true } {
    const r = this.op(source, op, extraSigners);
    if (!r.ok) throw new Error(`setup failed: ${r.code} ${r.message}`);
    return r;
  }
}

export function genesisWorld(): World {
  const w = new World();
  initGenesis(w.store, {
    time: T0,
    organizations: [
      { code: DEPOT, name: 'Tobyhanna Army Depot' },
      { code: WING, name: '412th Test Wing' },
      { code: NAVY, name: 'NAVAIR' },
      { code: CONTRACTOR, name: 'Engine Works Inc.' },
    ],
    members: [
      { id: M.admin, org: DEPOT, roles: ['admin'] },
      { id: M.admin2, org: WING, roles: ['admin'] },
      { id: M.supplyA, org: DEPOT, roles: ['supply'] },
      { id: M.supplyB, org: WING, roles: ['supply'] },
      { id: M.supplyN, org: NAVY, roles: ['supply'] },
      { id: M.maintA, org: DEPOT, roles: ['maintainer'] },
      { id: M.maintB, org: WING, roles: ['maintainer'] },
      { id: M.auditor, org: DEPOT, roles: ['auditor'] },
      { id: M.devop, org: DEPOT, roles: ['device-operator'] },
    ],
  });
  return w;
}

/** Genesis plus sites, item classes and a fixed reader at the depot. */
export function world(): World {
  const w = genesisWorld();
  w.ok(M.admin, {
    type: 'registerSite',
    site: 'DEPOT-A',
    name: 'Depot A',
    org: DEPOT,
    lat: 41.18,
    lon: -75.42,
  });
  w.ok(M.admin2, {
    type: 'registerSite',
    site: 'EDWARDS',
    name: 'Edwards AFB',
    org: WING,
    lat: 34.9,
    lon: -117.88,
  });
  w.ok(M.supplyA, {
    type: 'defineItemClass',
    nsn: '1510-01-555-0001',
    nomenclature: 'AIRCRAFT, FIXED WING',
    unitOfIssue: 'EA',
    tracking: 'serialized',
  });
  w.ok(M.supplyA, {
    type: 'defineItemClass',
    nsn: '2840-01-523-4567',
    nomenclature: 'ENGINE, AIRCRAFT, TURBOFAN',
    unitOfIssue: 'EA',
    tracking: 'serialized',
    lifeLimits: { hours: 12_000 },
  });
  w.ok(M.supplyA, {
    type: 'defineItemClass',
    nsn: '2840-01-523-0001',
    nomenclature: 'DISK, TURBINE ROTOR',
    unitOfIssue: 'EA',
    tracking: 'serialized',
    lifeLimits: { hours: 5_000, cycles: 20_000 },
  });
  w.ok(M.supplyA, {
    type: 'defineItemClass',
    nsn: '5330-00-123-4567',
    nomenclature: 'O-RING',
    unitOfIssue: 'EA',
    tracking: 'bulk',
  });
  w.ok(M.devop, { type: 'registerDevice', device: DEVICE, org: DEPOT, location: { site: 'DEPOT-A' } });
  return w;
}

export const uii = (serial: string) => `D${CONTRACTOR}${serial}`;

/** Registers a serialized item held by the depot. */
export function registerAt(
  w: World,
  serial: string,
  nsn = ENGINE_NSN,
  site = 'DEPOT-A',
  by: string = M.supplyA,
) {
  return w.op(by, {
    type: 'registerItem',
    uii: uii(serial),
    nsn,
    serial,
    cage: CONTRACTOR,
    condition: 'A',
    location: { site },
  });
}

export function expectFail(r: OpResult, code: string): void {
  expect(r.ok ? 'SUCCESS' : r.code, r.ok ? 'operation succeeded' : r.message).toBe(code);
}

export function expectOk(r: OpResult): void {
  expect(r.ok ? 'SUCCESS' : `${r.code}: ${r.message}`).toBe('SUCCESS');
}

/** Every key and value, in key order: two equal snapshots mean two equal states. */
export function snapshot(w: World): string {
  return JSON.stringify(w.store.keys().map((k) => [k, w.store.get(k)]));
}
