import { describe, expect, it } from 'vitest';
import { ed25519 } from '../../src/crypto/index.js';
import { applyOperation, initGenesis, MemoryStore } from '../../src/domain/index.js';
import { encodeId } from '../../src/ids/index.js';
import { DEPOT, DEVICE, expectFail, expectOk, genesisWorld, M, NAVY, WING, world } from './fixtures.js';

describe('genesis', () => {
  it('refuses a second genesis and a genesis that cannot govern', () => {
    const w = genesisWorld();
    expect(() => initGenesis(w.store, { time: 0, organizations: [], members: [] })).toThrow(/genesis/);
    expect(() => initGenesis(new MemoryStore(), { time: 0, organizations: [], members: [] })).toThrow(
      /adminApprovals/,
    );
    expect(() =>
      initGenesis(new MemoryStore(), { time: 0, organizations: [{ code: 'bad', name: 'x' }], members: [] }),
    ).toThrow(/invalid/);
  });
});

describe('envelope checks', () => {
  it('the source must have signed, be registered and be active', () => {
    const w = genesisWorld();
    const op = { type: 'registerOrganization', code: 'N00421', name: 'NAS Pax River' };
    expectFail(applyOperation(w.store, op, { ...w.ctx(M.admin), signers: [] }), 'SOURCE_NOT_SIGNER');
    expectFail(w.op('stranger', op), 'SOURCE_UNKNOWN');
    expectOk(w.op(M.admin, { type: 'revokeMember', member: M.supplyA }));
    // Fields are validated before authority: a malformed operation fails the same for everyone.
    expectFail(w.op(M.supplyA, { type: 'defineItemClass' }), 'NSN_MALFORMED');
    expectFail(
      w.op(M.supplyA, {
        type: 'defineItemClass',
        nsn: '5330-00-123-4567',
        nomenclature: 'O-RING',
        unitOfIssue: 'EA',
        tracking: 'bulk',
      }),
      'SOURCE_REVOKED',
    );
  });

  it('rejects unknown and malformed operations with a code', () => {
    const w = genesisWorld();
    expectFail(w.op(M.admin, { type: 'launchMissiles' }), 'OP_UNKNOWN');
    expectFail(w.op(M.admin, { type: 'toString' }), 'OP_UNKNOWN');
    expectFail(w.op(M.admin, null), 'OP_MALFORMED');
    expectFail(w.op(M.admin, [1]), 'OP_MALFORMED');
    expectFail(w.op(M.admin, { type: 'registerOrganization', code: 7, name: 'x' }), 'OP_MALFORMED');
    expectFail(w.op(M.admin, { type: 'registerOrganization', code: 'N00421', name: '' }), 'TEXT_INVALID');
    // A misspelt or unknown field is rejected, not ignored.
    expectFail(
      w.op(M.admin, { type: 'registerOrganization', code: 'N00421', name: 'x', parnet: NAVY }),
      'OP_MALFORMED',
    );
    expect(w.state.org('N00421')).toBeUndefined();
  });
});

describe('registerOrganization', () => {
  it('registers a DoDAAC or CAGE organization with a parent', () => {
    const w = genesisWorld();
    const r = w.op(M.admin, {
      type: 'registerOrganization',
      code: 'N00421',
      name: 'NAS Pax River',
      parent: NAVY,
    });
    expectOk(r);
    expect(r.ok && r.events).toEqual([
      { type: 'organizationRegistered', subject: 'N00421', data: { name: 'NAS Pax River' } },
    ]);
    expect(w.state.org('N00421')).toMatchObject({ kind: 'dodaac', parent: NAVY });
    expectOk(w.op(M.admin, { type: 'registerOrganization', code: '1ABC2', name: 'Contractor' }));
    expect(w.state.org('1ABC2')?.kind).toBe('cage');
  });

  it('fails ORG_CODE_INVALID, ORG_EXISTS, ORG_NOT_FOUND and APPROVALS_INSUFFICIENT', () => {
    const w = genesisWorld();
    expectFail(
      w.op(M.admin, { type: 'registerOrganization', code: 'TOOLONG1', name: 'x' }),
      'ORG_CODE_INVALID',
    );
    expectFail(w.op(M.admin, { type: 'registerOrganization', code: DEPOT, name: 'x' }), 'ORG_EXISTS');
    expectFail(
      w.op(M.admin, { type: 'registerOrganization', code: 'N00421', name: 'x', parent: 'NOPE00' }),
      'ORG_NOT_FOUND',
    );
    expectFail(
      w.op(M.supplyA, { type: 'registerOrganization', code: 'N00421', name: 'x' }),
      'APPROVALS_INSUFFICIENT',
    );
    expectFail(
      w.op(M.auditor, { type: 'registerOrganization', code: 'N00421', name: 'x' }),
      'APPROVALS_INSUFFICIENT',
    );
  });

  it('needs adminApprovals distinct admin signatures once the parameter is raised', () => {
    const w = genesisWorld();
    expectOk(w.op(M.admin, { type: 'setParameter', name: 'adminApprovals', value: 2 }));
    const op = { type: 'registerOrganization', code: 'N00421', name: 'x' };
    expectFail(w.op(M.admin, op), 'APPROVALS_INSUFFICIENT');
    expectFail(w.op(M.admin, op, [M.admin, M.supplyA]), 'APPROVALS_INSUFFICIENT'); // duplicates and non-admins
    expectOk(w.op(M.admin, op, [M.admin2]));
  });
});

describe('members', () => {
  it('adds a member with sorted roles; the org needs one of its admins among the approvers', () => {
    const w = genesisWorld();
    expectOk(
      w.op(M.admin, { type: 'addMember', member: 'new-key', org: DEPOT, roles: ['supply', 'maintainer'] }),
    );
    expect(w.state.member('new-key')).toMatchObject({
      org: DEPOT,
      roles: ['maintainer', 'supply'],
      status: 'active',
    });
    expectFail(
      w.op(M.admin, { type: 'addMember', member: 'k2', org: WING, roles: ['supply'] }),
      'NOT_ORG_MEMBER',
    );
    expectFail(
      w.op(M.supplyA, { type: 'addMember', member: 'k2', org: DEPOT, roles: ['supply'] }),
      'APPROVALS_INSUFFICIENT',
    );
  });

  it('fails MEMBER_ID_INVALID, ROLES_INVALID, ORG_NOT_FOUND and MEMBER_EXISTS (also for device keys)', () => {
    const w = world();
    const add = (member: unknown, roles: unknown, org = DEPOT) =>
      w.op(M.admin, { type: 'addMember', member, org, roles });
    expectFail(add('has/slash', ['supply']), 'MEMBER_ID_INVALID');
    expectFail(add('', ['supply']), 'MEMBER_ID_INVALID');
    expectFail(add('k', []), 'ROLES_INVALID');
    expectFail(add('k', ['general']), 'ROLES_INVALID');
    expectFail(add('k', ['supply', 'supply']), 'ROLES_INVALID');
    expectFail(add('k', 'supply'), 'ROLES_INVALID');
    expectFail(add('k', ['supply'], 'NOPE00'), 'ORG_NOT_FOUND');
    expectFail(add(M.supplyB, ['supply']), 'MEMBER_EXISTS');
    expectFail(add(DEVICE, ['supply']), 'MEMBER_EXISTS');
  });

  it('revokes a member; fails MEMBER_NOT_FOUND, MEMBER_REVOKED and LAST_ADMINS', () => {
    const w = genesisWorld();
    expectOk(w.op(M.admin, { type: 'revokeMember', member: M.maintA }));
    expect(w.state.member(M.maintA)?.status).toBe('revoked');
    expectFail(w.op(M.admin, { type: 'revokeMember', member: M.maintA }), 'MEMBER_REVOKED');
    expectFail(w.op(M.admin, { type: 'revokeMember', member: 'ghost' }), 'MEMBER_NOT_FOUND');
    expectFail(
      w.op(M.admin, { type: 'addMember', member: M.maintA, org: DEPOT, roles: ['supply'] }),
      'MEMBER_EXISTS',
    );
    expectOk(w.op(M.admin, { type: 'revokeMember', member: M.admin2 }, [M.admin2]));
    expectFail(w.op(M.admin, { type: 'revokeMember', member: M.admin }), 'LAST_ADMINS');
  });
});

describe('devices', () => {
  it('device-operators register and revoke their own organization’s devices', () => {
    const w = world();
    const reg = { type: 'registerDevice', device: 'gate-2', org: DEPOT, location: { lat: 41.2, lon: -75.4 } };
    expectOk(w.op(M.devop, reg));
    expect(w.state.device('gate-2')).toMatchObject({ org: DEPOT, status: 'active' });
    expectOk(w.op(M.devop, { type: 'revokeDevice', device: 'gate-2' }));
    expect(w.state.device('gate-2')?.status).toBe('revoked');
    expectFail(w.op(M.admin, { type: 'revokeDevice', device: 'gate-2' }), 'DEVICE_REVOKED');
    expectFail(w.op(M.devop, { type: 'revokeDevice', device: 'gate-9' }), 'DEVICE_NOT_FOUND');
  });

  it('fails ROLE_REQUIRED, NOT_ORG_MEMBER, DEVICE_EXISTS, MEMBER_ID_INVALID and location codes', () => {
    const w = world();
    const reg = (source: string, over: object) =>
      w.op(source, {
        type: 'registerDevice',
        device: 'gate-2',
        org: DEPOT,
        location: { site: 'DEPOT-A' },
        ...over,
      });
    expectFail(reg(M.supplyA, {}), 'ROLE_REQUIRED');
    expectFail(reg(M.auditor, {}), 'ROLE_REQUIRED');
    expectFail(reg(M.devop, { org: WING }), 'NOT_ORG_MEMBER');
    expectFail(reg(M.devop, { org: 'NOPE00' }), 'ORG_NOT_FOUND');
    expectFail(reg(M.devop, { device: DEVICE }), 'DEVICE_EXISTS');
    expectFail(reg(M.devop, { device: M.supplyA }), 'DEVICE_EXISTS');
    expectFail(reg(M.devop, { device: 'a/b' }), 'MEMBER_ID_INVALID');
    expectFail(reg(M.devop, { location: { site: 'NOWHERE' } }), 'SITE_NOT_FOUND');
    expectFail(reg(M.devop, { location: { lat: 91, lon: 0 } }), 'LOCATION_INVALID');
    expectFail(reg(M.devop, { location: { lat: 1, lon: 2, alt: 3 } }), 'LOCATION_INVALID');
    expectFail(reg(M.devop, { location: 'DEPOT-A' }), 'LOCATION_INVALID');
    expectFail(w.op(M.supplyB, { type: 'revokeDevice', device: DEVICE }), 'ROLE_REQUIRED');
    expectFail(w.op(M.admin2, { type: 'revokeDevice', device: DEVICE }), 'NOT_ORG_MEMBER');
  });
});

describe('sites', () => {
  it('an admin of the organization registers a site; codes for bad ids, duplicates and coordinates', () => {
    const w = world();
    const site = (source: string, over: object) =>
      w.op(source, {
        type: 'registerSite',
        site: 'HANGAR-3',
        name: 'Hangar 3',
        org: DEPOT,
        lat: 41.1,
        lon: -75.3,
        ...over,
      });
    expectFail(site(M.supplyA, {}), 'ROLE_REQUIRED');
    expectFail(site(M.admin2, {}), 'NOT_ORG_MEMBER');
    expectFail(site(M.admin, { site: 'hangar 3' }), 'SITE_ID_INVALID');
    expectFail(site(M.admin, { lon: 200 }), 'LOCATION_INVALID');
    expectFail(site(M.admin, { lat: Number.NaN }), 'LOCATION_INVALID');
    expectFail(site(M.admin, { site: 'DEPOT-A' }), 'SITE_EXISTS');
    expectFail(site(M.admin, { lat: undefined, latE6: 41_100_000 }), 'LOCATION_INVALID'); // mixed forms
    expectFail(site(M.admin, { lat: undefined, lon: undefined }), 'LOCATION_INVALID');
    expectOk(site(M.admin, {}));
    expect(w.state.site('HANGAR-3')).toEqual({
      id: 'HANGAR-3',
      name: 'Hangar 3',
      org: DEPOT,
      latE6: 41_100_000,
      lonE6: -75_300_000,
    });
    expectOk(
      site(M.admin, {
        site: 'HANGAR-4',
        lat: undefined,
        lon: undefined,
        latE6: 41_100_001,
        lonE6: -75_300_000,
      }),
    );
    expect(w.state.site('HANGAR-4')?.latE6).toBe(41_100_001);
  });
});

describe('setParameter', () => {
  it('sets a parameter within its bounds', () => {
    const w = genesisWorld();
    expectOk(w.op(M.admin, { type: 'setParameter', name: 'scanDistanceMaxMeters', value: 250 }));
    expect(w.state.params().scanDistanceMaxMeters).toBe(250);
  });

  it('fails PARAMETER_UNKNOWN, PARAMETER_INVALID and APPROVALS_INSUFFICIENT', () => {
    const w = genesisWorld();
    expectFail(w.op(M.admin, { type: 'setParameter', name: 'warpFactor', value: 9 }), 'PARAMETER_UNKNOWN');
    expectFail(w.op(M.admin, { type: 'setParameter', name: 'constructor', value: 9 }), 'PARAMETER_UNKNOWN');
    expectFail(
      w.op(M.admin, { type: 'setParameter', name: 'adminApprovals', value: 0 }),
      'PARAMETER_INVALID',
    );
    expectFail(w.op(M.admin, { type: 'setParameter', name: 'maxOpsPerTx', value: 1.5 }), 'OP_MALFORMED');
    // Two admins exist; requiring three would lock governance.
    expectFail(
      w.op(M.admin, { type: 'setParameter', name: 'adminApprovals', value: 3 }),
      'PARAMETER_INVALID',
    );
    expectFail(
      w.op(M.maintA, { type: 'setParameter', name: 'maxOpsPerTx', value: 5 }),
      'APPROVALS_INSUFFICIENT',
    );
  });
});

describe('one key, one identity', () => {
  it('refuses a device whose key is already a member (typed ids of one key differ by kind)', () => {
    const w = world();
    const key = ed25519.generateKeyPair(new Uint8Array(32).fill(9)).publicKey;
    expectOk(
      w.op(M.admin, { type: 'addMember', member: encodeId('member', key), org: DEPOT, roles: ['supply'] }),
    );
    const again = {
      type: 'registerDevice',
      device: encodeId('device', key),
      org: DEPOT,
      location: { site: 'DEPOT-A' },
    };
    expectFail(w.op(M.devop, again), 'DEVICE_EXISTS');
  });
});
