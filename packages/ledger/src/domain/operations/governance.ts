/**
 * Governance: organizations, members, devices, sites and network parameters.
 * Network-wide changes need adminApprovals distinct admin signatures; changes inside one organization
 * need those approvals to include an admin of that organization; devices are registered by the
 * organization's device-operators.
 */

import { decodeId, encodeId } from '../../ids/index.js';
import { type Exec, fail, invariant } from '../exec.js';
import { coordinates, isKeyId, isSiteId, location, safeInt, str, text } from '../fields.js';
import { isCage, isDodaac } from '../identifiers.js';
import { isParamName, isValidParamValue } from '../params.js';
import { isRole, type Location, type Role } from '../state.js';

export interface RegisterOrganization {
  type: 'registerOrganization';
  code: string;
  name: string;
  parent?: string;
}
export interface AddMember {
  type: 'addMember';
  member: string;
  org: string;
  roles: Role[];
}
export interface RevokeMember {
  type: 'revokeMember';
  member: string;
}
export interface RegisterDevice {
  type: 'registerDevice';
  device: string;
  org: string;
  location: Location;
}
export interface RevokeDevice {
  type: 'revokeDevice';
  device: string;
}
export interface RegisterSite {
  type: 'registerSite';
  site: string;
  name: string;
  org: string;
  /** Either lat and lon in degrees, or latE6 and lonE6 in integer micro-degrees. */
  lat?: number;
  lon?: number;
  latE6?: number;
  lonE6?: number;
}
export interface SetParameter {
  type: 'setParameter';
  name: string;
  value: number;
}

export type GovernanceOperation =
  | RegisterOrganization
  | AddMember
  | RevokeMember
  | RegisterDevice
  | RevokeDevice
  | RegisterSite
  | SetParameter;

function requireOrg(x: Exec, code: string): void {
  if (!x.state.org(code)) fail('ORG_NOT_FOUND', `organization ${code} is not registered`);
}

/** The ids one public key has as a member and as a device (typed ids differ by kind; the key does not). */
function idsOfSameKey(id: string): string[] {
  try {
    const { kind, bytes } = decodeId(id);
    if (kind === 'member') return [id, encodeId('device', bytes)];
    if (kind === 'device') return [id, encodeId('member', bytes)];
  } catch {
    // not a typed id (tests use plain names): compare as written
  }
  return [id];
}

function requireFreshKey(x: Exec, id: string, code: 'MEMBER_EXISTS' | 'DEVICE_EXISTS'): void {
  // One key, one identity: a device key must never also act as a member (or the reverse).
  for (const same of idsOfSameKey(id)) {
    if (x.state.member(same) || x.state.device(same)) fail(code, `key ${id} is already registered`);
  }
}

export function registerOrganization(x: Exec, op: RegisterOrganization): void {
  const code = str(op, 'code');
  const kind = isDodaac(code) ? 'dodaac' : isCage(code) ? 'cage' : undefined;
  if (!kind)
    fail('ORG_CODE_INVALID', `organization code ${JSON.stringify(code)} is neither a DoDAAC nor a CAGE`);
  const name = text(op, 'name', 128);
  const parent = op.parent === undefined ? undefined : str(op, 'parent');
  x.requireAdmins();
  if (x.state.org(code)) fail('ORG_EXISTS', `organization ${code} is already registered`);
  if (parent !== undefined) requireOrg(x, parent);
  x.state.putOrg({ code, kind, name, ...(parent !== undefined && { parent }), registeredAt: x.now });
  x.emit('organizationRegistered', code, { name });
}

export function addMember(x: Exec, op: AddMember): void {
  const member = str(op, 'member');
  if (!isKeyId(member))
    fail('MEMBER_ID_INVALID', 'member id must be 1..128 printable characters without "/"');
  const org = str(op, 'org');
  const roles = op.roles as unknown;
  if (
    !Array.isArray(roles) ||
    roles.length === 0 ||
    !roles.every(isRole) ||
    new Set(roles).size !== roles.length
  ) {
    fail(
      'ROLES_INVALID',
      `roles must be distinct values of admin, supply, maintainer, auditor, device-operator`,
    );
  }
  requireOrg(x, org);
  x.requireAdmins(org);
  requireFreshKey(x, member, 'MEMBER_EXISTS');
  const sorted = [...(roles as Role[])].sort();
  x.state.putMember({ id: member, org, roles: sorted, status: 'active', addedAt: x.now });
  if (sorted.includes('admin')) x.state.setActiveAdmins(x.state.activeAdmins() + 1);
  x.emit('memberAdded', member, { org, roles: sorted });
}

export function revokeMember(x: Exec, op: RevokeMember): void {
  const id = str(op, 'member');
  const m = x.state.member(id);
  if (!m) fail('MEMBER_NOT_FOUND', `member ${id} is not registered`);
  x.requireAdmins(m.org);
  if (m.status !== 'active') fail('MEMBER_REVOKED', `member ${id} is already revoked`);
  if (m.roles.includes('admin')) {
    const left = x.state.activeAdmins() - 1;
    invariant(left >= 0, 'active admin count went negative');
    // Governance must stay possible: never fall below the approvals a governance operation needs.
    if (left < x.params().adminApprovals) {
      fail('LAST_ADMINS', `revoking ${id} would leave ${left} admin(s), below adminApprovals`);
    }
    x.state.setActiveAdmins(left);
  }
  x.state.putMember({ ...m, status: 'revoked', revokedAt: x.now });
  x.emit('memberRevoked', id, { org: m.org });
}

export function registerDevice(x: Exec, op: RegisterDevice): void {
  const device = str(op, 'device');
  if (!isKeyId(device))
    fail('MEMBER_ID_INVALID', 'device id must be 1..128 printable characters without "/"');
  const org = str(op, 'org');
  const loc = location(op, 'location');
  requireOrg(x, org);
  x.actorWith(['device-operator'], org, 'NOT_ORG_MEMBER');
  requireFreshKey(x, device, 'DEVICE_EXISTS');
  x.position(loc);
  x.state.putDevice({ id: device, org, location: loc, status: 'active', registeredAt: x.now });
  x.emit('deviceRegistered', device, { org });
}

export function revokeDevice(x: Exec, op: RevokeDevice): void {
  const id = str(op, 'device');
  const d = x.state.device(id);
  if (!d) fail('DEVICE_NOT_FOUND', `device ${id} is not registered`);
  x.actorWith(['device-operator', 'admin'], d.org, 'NOT_ORG_MEMBER');
  if (d.status !== 'active') fail('DEVICE_REVOKED', `device ${id} is already revoked`);
  x.state.putDevice({ ...d, status: 'revoked', revokedAt: x.now });
  x.emit('deviceRevoked', id, { org: d.org });
}

export function registerSite(x: Exec, op: RegisterSite): void {
  const site = str(op, 'site');
  if (!isSiteId(site))
    fail('SITE_ID_INVALID', `site id ${JSON.stringify(site)} must be 1..32 of A-Z, 0-9, "-"`);
  const name = text(op, 'name', 128);
  const org = str(op, 'org');
  const given = op as unknown as Record<string, unknown>;
  const coordKeys = ['lat', 'latE6', 'lon', 'lonE6'].filter((k) => given[k] !== undefined);
  const pos = coordinates(given, coordKeys);
  if (!pos)
    fail('LOCATION_INVALID', 'give lat and lon in degrees, or latE6 and lonE6 in micro-degrees, in range');
  requireOrg(x, org);
  x.actorWith(['admin'], org, 'NOT_ORG_MEMBER');
  if (x.state.site(site)) fail('SITE_EXISTS', `site ${site} is already registered`);
  x.state.putSite({ id: site, name, org, ...pos });
  x.emit('siteRegistered', site, { org });
}

export function setParameter(x: Exec, op: SetParameter): void {
  const name = str(op, 'name');
  if (!isParamName(name)) fail('PARAMETER_UNKNOWN', `no network parameter ${JSON.stringify(name)}`);
  const value = safeInt(op, 'value');
  if (!isValidParamValue(name, value)) fail('PARAMETER_INVALID', `${value} is out of range for ${name}`);
  x.requireAdmins();
  if (name === 'adminApprovals' && value > x.state.activeAdmins()) {
    // More approvals than admins would lock governance for good.
    fail('PARAMETER_INVALID', `adminApprovals ${value} exceeds the ${x.state.activeAdmins()} active admins`);
  }
  const params = { ...x.params(), [name]: value };
  x.state.putParams(params);
  x.emit('parameterSet', name, { value });
}
