/**
 * Whole-state invariants. Cheap enough for tests and for a node's periodic self-check; each violation is
 * described in words. The property test runs this after every random operation.
 */

import type { CustodyOffer, Item, Member, PendingOfferRef, StockRecord } from './state.js';
import { comparePendingOffers, K } from './state.js';
import { compareKeys, type ListableStore } from './store.js';

/**
 * True when v is what a store may hold: strings, booleans, finite numbers (integers stay safe), arrays
 * and plain objects of those. No undefined, null, Map, Date, bigint or class instance.
 */
export function isPlainData(v: unknown, depth = 0): boolean {
  if (depth > 32) return false;
  if (typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v) && (!Number.isInteger(v) || Number.isSafeInteger(v));
  if (Array.isArray(v)) return v.every((x) => isPlainData(x, depth + 1));
  if (typeof v !== 'object' || v === null || Object.getPrototypeOf(v) !== Object.prototype) return false;
  return Object.values(v).every((x) => isPlainData(x, depth + 1));
}

export function checkInvariants(store: ListableStore): string[] {
  const problems: string[] = [];
  for (const key of store.keys()) {
    if (!isPlainData(store.get(key))) problems.push(`${key}: not plain data`);
  }
  const items = new Map<string, Item>();
  for (const key of store.keys('item/')) {
    const it = store.get(key) as Item;
    items.set(it.uii, it);
  }
  const orgExists = (code: string) => store.get(K.org(code)) !== undefined;

  for (const it of items.values()) {
    // One custodian and one owner, both registered organizations.
    if (typeof it.custodian !== 'string' || !orgExists(it.custodian))
      problems.push(`${it.uii}: bad custodian`);
    if (typeof it.owner !== 'string' || !orgExists(it.owner)) problems.push(`${it.uii}: bad owner`);
    if (!Number.isSafeInteger(it.usage.hours) || it.usage.hours < 0) problems.push(`${it.uii}: bad hours`);
    if (!Number.isSafeInteger(it.usage.cycles) || it.usage.cycles < 0) problems.push(`${it.uii}: bad cycles`);
    const sorted = [...it.children].sort(compareKeys);
    if (sorted.join('\n') !== it.children.join('\n')) problems.push(`${it.uii}: children not sorted`);
    if (it.install) {
      const parent = items.get(it.install.parent);
      if (!parent) problems.push(`${it.uii}: installed in missing ${it.install.parent}`);
      else {
        if (!parent.children.includes(it.uii)) problems.push(`${it.uii}: not listed by its parent`);
        if (parent.custodian !== it.custodian)
          problems.push(`${it.uii}: custodian differs from its assembly's`);
        if (parent.status === 'disposed') problems.push(`${it.uii}: installed in a disposed item`);
      }
    }
    for (const c of it.children) {
      if (items.get(c)?.install?.parent !== it.uii)
        problems.push(`${it.uii}: component ${c} does not point back`);
    }
    if (it.status === 'disposed' && (it.install || it.children.length > 0 || it.pendingOffer)) {
      problems.push(`${it.uii}: disposed but still attached or offered`);
    }
    if (it.pendingOffer !== undefined) {
      const o = store.get(K.offer(it.pendingOffer)) as CustodyOffer | undefined;
      if (o?.status !== 'pending' || o.uii !== it.uii)
        problems.push(`${it.uii}: pending offer is not pending`);
      else if (o.from !== it.custodian) problems.push(`${it.uii}: pending offer not from the custodian`);
    }
    // No cycles: walking up ends.
    let cur: Item | undefined = it;
    for (let steps = 0; cur?.install; steps++) {
      if (steps > items.size) {
        problems.push(`${it.uii}: assembly cycle`);
        break;
      }
      cur = items.get(cur.install.parent);
    }
  }

  let pending = 0;
  for (const key of store.keys('offer/')) {
    const o = store.get(key) as CustodyOffer;
    if (o.status !== 'pending') continue;
    pending++;
    if (items.get(o.uii)?.pendingOffer !== o.id) problems.push(`offer ${o.id}: pending but not on its item`);
  }
  const index = (store.get(K.pendingOffers) as PendingOfferRef[] | undefined) ?? [];
  if (index.length !== pending)
    problems.push(`expiry index holds ${index.length} offers; ${pending} pending`);
  for (let i = 1; i < index.length; i++) {
    if (comparePendingOffers(index[i - 1]!, index[i]!) >= 0) problems.push('expiry index out of order');
  }

  for (const key of store.keys('stock/')) {
    const s = store.get(key) as StockRecord;
    if (!Number.isSafeInteger(s.quantity) || s.quantity <= 0) problems.push(`${key}: quantity ${s.quantity}`);
  }

  let admins = 0;
  for (const key of store.keys('member/')) {
    const m = store.get(key) as Member;
    if (m.status === 'active' && m.roles.includes('admin')) admins++;
  }
  if (admins !== ((store.get(K.activeAdmins) as number | undefined) ?? 0))
    problems.push('active admin count drifted');

  const alertCount = (store.get(K.alertCount) as number | undefined) ?? 0;
  if (store.keys('alert/').length !== alertCount) problems.push('alert count drifted');
  return problems;
}
