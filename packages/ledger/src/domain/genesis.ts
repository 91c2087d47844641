/**
 * The first state of a network: its founding organizations, members and parameters. Governance needs
 * admins to approve anything, so they cannot come from an operation; they come from the genesis file.
 */
import { LedgerError } from '../errors.js';
import { isKeyId } from './fields.js';
import { isCage, isDodaac } from './identifiers.js';
import { defaultParams, isParamName, isValidParamValue, type NetworkParams } from './params.js';
import { isRole, K, type Role, State } from './state.js';
import type { StateStore } from './store.js';

export interface GenesisState {
  organizations: { code: string; name: string; parent?: string }[];
  members: { id: string; org: string; roles: Role[] }[];
  params?: Partial<NetworkParams>;
  /** Unix seconds recorded as registration time. */
  time: number;
}

/** Writes the genesis state into an empty store. Throws LedgerError('GENESIS_INVALID') on bad input. */
export function initGenesis(store: StateStore, g: GenesisState): void {
  const bad = (msg: string): never => {
    throw new LedgerError('GENESIS_INVALID', msg);
  };
  if (store.get(K.genesis) !== undefined) bad('the store already holds a genesis state');
  const state = new State(store);
  const params = defaultParams();
  for (const name of Object.keys(g.params ?? {}).sort()) {
    if (!isParamName(name)) bad(`unknown parameter ${name}`);
    const value = (g.params as Record<string, unknown>)[name];
    if (!isValidParamValue(name as keyof NetworkParams, value)) bad(`parameter ${name} out of range`);
    params[name as keyof NetworkParams] = value as number;
  }
  for (const o of g.organizations) {
    const kind = isDodaac(o.code) ? 'dodaac' : isCage(o.code) ? 'cage' : bad(`org code ${o.code} is invalid`);
    if (state.org(o.code)) bad(`org ${o.code} twice`);
    if (o.parent !== undefined && !state.org(o.parent)) bad(`parent ${o.parent} must come before ${o.code}`);
    state.putOrg({
      code: o.code,
      kind,
      name: o.name,
      ...(o.parent !== undefined && { parent: o.parent }),
      registeredAt: g.time,
    });
  }
  let admins = 0;
  for (const m of g.members) {
    if (!isKeyId(m.id) || state.member(m.id)) bad(`member id ${m.id} is invalid or repeated`);
    if (!state.org(m.org)) bad(`member ${m.id}: no org ${m.org}`);
    if (m.roles.length === 0 || !m.roles.every(isRole) || new Set(m.roles).size !== m.roles.length) {
      bad(`member ${m.id}: bad roles`);
    }
    const roles = [...m.roles].sort();
    if (roles.includes('admin')) admins++;
    state.putMember({ id: m.id, org: m.org, roles, status: 'active', addedAt: g.time });
  }
  if (admins < params.adminApprovals)
    bad(`${admins} admin(s) cannot meet adminApprovals ${params.adminApprovals}`);
  state.setActiveAdmins(admins);
  state.putParams(params);
  store.put(K.genesis, { time: g.time });
}
