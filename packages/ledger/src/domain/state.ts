/**
 * The logistics state model and its key layout in a StateStore.
 *
 * Records are plain data: optional fields are omitted (never undefined), integers are numbers, lists
 * that act as sets are kept sorted. Reads return copies, so that a handler mutating a record it read
 * can never reach into the base store behind an overlay.
 */
import type { Position } from './geo.js';
import { defaultParams, type NetworkParams } from './params.js';
import type { StateStore } from './store.js';

export const ROLES = ['admin', 'supply', 'maintainer', 'auditor', 'device-operator'] as const;
export type Role = (typeof ROLES)[number];
export const isRole = (r: unknown): r is Role =>
  typeof r === 'string' && (ROLES as readonly string[]).includes(r);

export interface Organization {
  /** DoDAAC (6) for government activities, CAGE (5) for contractors. */
  code: string;
  kind: 'dodaac' | 'cage';
  name: string;
  parent?: string;
  registeredAt: number;
}

export interface Member {
  /** The member's public key id, as verified by the caller. */
  id: string;
  org: string;
  roles: Role[];
  status: 'active' | 'revoked';
  addedAt: number;
  revokedAt?: number;
}

export interface Device {
  id: string;
  org: string;
  /** Where a fixed reader stands; a scan without a location is taken there. */
  location: Location;
  status: 'active' | 'revoked';
  registeredAt: number;
  revokedAt?: number;
}

export interface Site {
  id: string;
  name: string;
  org: string;
  latE6: number;
  lonE6: number;
}

/** A named site (registered with coordinates) or a raw position in micro-degrees. */
export type Location = { site: string } | Position;

export interface LifeLimits {
  hours?: number;
  cycles?: number;
  days?: number;
}

export interface ItemClass {
  nsn: string;
  nomenclature: string;
  unitOfIssue: string;
  tracking: 'serialized' | 'bulk';
  lifeLimits: LifeLimits;
  definedBy: string;
  definedAt: number;
}

export interface Usage {
  hours: number;
  cycles: number;
}

export type ItemStatus = 'active' | 'quarantined' | 'condemned' | 'disposed';

export interface InstallRecord {
  parent: string;
  installedAt: number;
  /** The parent's usage at install: the base the replacement due point is counted from. */
  parentUsage: Usage;
  /** In the parent's usage frame: parentUsage + the smallest remaining life in this item's subtree. */
  replacementDue: { hours?: number; cycles?: number };
}

export interface ScanRecord {
  position: Position;
  time: number;
  device: string;
  /** This reading was already reported away from the recorded location. */
  mismatched: boolean;
}

export interface Item {
  uii: string;
  nsn: string;
  serial: string;
  cage: string;
  partNumber?: string;
  condition: string;
  location: Location;
  owner: string;
  custodian: string;
  status: ItemStatus;
  usage: Usage;
  /** Sorted UIIs of directly installed components. */
  children: string[];
  install?: InstallRecord;
  pendingOffer?: string;
  lastScan?: ScanRecord;
  /** Life limits already reported past ('hours' | 'cycles' | 'days'), so an alert fires once. */
  lifeAlerts: string[];
  registeredAt: number;
}

export type OfferStatus = 'pending' | 'accepted' | 'rejected' | 'withdrawn' | 'expired';

export interface CustodyOffer {
  id: string;
  uii: string;
  from: string;
  to: string;
  /** Ownership moves with custody on accept. */
  ownership: boolean;
  offeredBy: string;
  offeredAt: number;
  expiresAt: number;
  status: OfferStatus;
  closedAt?: number;
}

export interface StockRecord {
  nsn: string;
  site: string;
  lot: string;
  condition: string;
  quantity: number;
}

export const ALERT_KINDS = [
  'suspect-counterfeit',
  'scan-location-mismatch',
  'scan-impossible-travel',
  'life-limit-exceeded',
  'custody-offer-expired',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export interface AlertDraft {
  kind: AlertKind;
  /** The UII (or offer id) the alert is about. */
  subject: string;
  details: Record<string, string | number | boolean>;
}

export interface Alert extends AlertDraft {
  /** Sequential from 1 in ledger order; also the key suffix. */
  id: number;
  ledgerSeq: number;
  closeTime: number;
}

export interface PendingOfferRef {
  expiresAt: number;
  offerId: string;
  uii: string;
}

/** Key layout. Member/device/site ids and NSNs never contain '/', so prefixes cannot collide. */
export const K = {
  params: 'meta/params',
  genesis: 'meta/genesis',
  alertCount: 'meta/alert-count',
  activeAdmins: 'meta/active-admins',
  pendingOffers: 'index/pending-offers',
  org: (code: string) => `org/${code}`,
  member: (id: string) => `member/${id}`,
  device: (id: string) => `device/${id}`,
  site: (id: string) => `site/${id}`,
  itemClass: (nsn: string) => `class/${nsn}`,
  item: (uii: string) => `item/${uii}`,
  offer: (id: string) => `offer/${id}`,
  stock: (nsn: string, site: string, lot: string, condition: string) =>
    `stock/${nsn}/${site}/${lot}/${condition}`,
  alert: (id: number) => `alert/${String(id).padStart(12, '0')}`,
};

/** Typed access to the state. Reads are copies; writes replace whole records. */
export class State {
  constructor(readonly store: StateStore) {}

  #read<T>(key: string): T | undefined {
    const v = this.store.get(key);
    return v === undefined ? undefined : (copyPlain(v) as T);
  }

  params(): NetworkParams {
    return { ...defaultParams(), ...this.#read<Partial<NetworkParams>>(K.params) };
  }
  putParams(p: NetworkParams): void {
    this.store.put(K.params, { ...p });
  }

  org(code: string): Organization | undefined {
    return this.#read(K.org(code));
  }
  putOrg(o: Organization): void {
    this.store.put(K.org(o.code), o);
  }

  member(id: string): Member | undefined {
    return this.#read(K.member(id));
  }
  putMember(m: Member): void {
    this.store.put(K.member(m.id), m);
  }

  device(id: string): Device | undefined {
    return this.#read(K.device(id));
  }
  putDevice(d: Device): void {
    this.store.put(K.device(d.id), d);
  }

  site(id: string): Site | undefined {
    return this.#read(K.site(id));
  }
  putSite(s: Site): void {
    this.store.put(K.site(s.id), s);
  }

  itemClass(nsn: string): ItemClass | undefined {
    return this.#read(K.itemClass(nsn));
  }
  putItemClass(c: ItemClass): void {
    this.store.put(K.itemClass(c.nsn), c);
  }

  item(uii: string): Item | undefined {
    return this.#read(K.item(uii));
  }
  putItem(i: Item): void {
    this.store.put(K.item(i.uii), i);
  }

  offer(id: string): CustodyOffer | undefined {
    return this.#read(K.offer(id));
  }
  putOffer(o: CustodyOffer): void {
    this.store.put(K.offer(o.id), o);
  }

  stockQuantity(nsn: string, site: string, lot: string, condition: string): number {
    return this.#read<StockRecord>(K.stock(nsn, site, lot, condition))?.quantity ?? 0;
  }
  /** Zero quantities are deleted so that state holds only stock that exists. */
  putStock(s: StockRecord): void {
    const key = K.stock(s.nsn, s.site, s.lot, s.condition);
    if (s.quantity === 0) this.store.delete(key);
    else this.store.put(key, s);
  }

  activeAdmins(): number {
    return (this.store.get(K.activeAdmins) as number | undefined) ?? 0;
  }
  setActiveAdmins(n: number): void {
    this.store.put(K.activeAdmins, n);
  }

  pendingOffers(): PendingOfferRef[] {
    return this.#read<PendingOfferRef[]>(K.pendingOffers) ?? [];
  }
  putPendingOffers(list: PendingOfferRef[]): void {
    if (list.length === 0) this.store.delete(K.pendingOffers);
    else this.store.put(K.pendingOffers, list);
  }

  alertCount(): number {
    return (this.store.get(K.alertCount) as number | undefined) ?? 0;
  }
  alert(id: number): Alert | undefined {
    return this.#read(K.alert(id));
  }
  /** Appends an alert; ids follow ledger order because apply is sequential. */
  recordAlert(draft: AlertDraft, ledgerSeq: number, closeTime: number): Alert {
    const id = this.alertCount() + 1;
    // Keys in code-unit order: canonical JSON then takes its native fast path (canonical-json.ts).
    const alert: Alert = {
      closeTime,
      details: withSortedKeys(draft.details),
      id,
      kind: draft.kind,
      ledgerSeq,
      subject: draft.subject,
    };
    this.store.put(K.alert(id), alert);
    this.store.put(K.alertCount, id);
    return copyPlain(alert);
  }
}

/**
 * `o` itself when its own keys are already in code-unit order, else a shallow copy with them in that order.
 * Records built this way serialize through canonical JSON's native fast path (ledger/canonical-json.ts).
 */
export function withSortedKeys<T extends object>(o: T): T {
  let prev: string | undefined;
  for (const k in o) {
    if (prev !== undefined && !(prev < k)) {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(o).sort()) {
        const v = (o as Record<string, unknown>)[key];
        if (key === '__proto__')
          Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
        else out[key] = v;
      }
      return out as T;
    }
    prev = k;
  }
  return o;
}

/**
 * A deep copy of a state value, as structuredClone gives, but several times faster for what state
 * holds: plain objects, arrays and primitives are copied here; anything else (typed arrays, maps, dates,
 * objects of other prototypes or with accessors) goes to structuredClone.
 */
export function copyPlain<T>(v: T): T {
  if (typeof v !== 'object' || v === null) return v;
  return copyValue(v, 0) as T;
}

function copyValue(v: object, depth: number): unknown {
  // Deep data is left to structuredClone, which has its own limits and errors.
  if (depth > 64) return structuredClone(v);
  if (Array.isArray(v)) {
    const n = v.length;
    const out: unknown[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const x = v[i];
      out[i] = typeof x === 'object' && x !== null ? copyValue(x, depth + 1) : x;
    }
    return out;
  }
  if (Object.getPrototypeOf(v) !== Object.prototype) return structuredClone(v);
  const out: Record<string, unknown> = {};
  for (const k in v) {
    const x = (v as Record<string, unknown>)[k];
    const c = typeof x === 'object' && x !== null ? copyValue(x, depth + 1) : x;
    // An own "__proto__" key (JSON.parse makes one) must stay a key, not become the prototype.
    if (k === '__proto__')
      Object.defineProperty(out, k, { value: c, enumerable: true, writable: true, configurable: true });
    else out[k] = c;
  }
  return out;
}

/** Orders pending-offer refs by expiry, then offer id: the order checkExpiredOffers walks them in. */
export function comparePendingOffers(a: PendingOfferRef, b: PendingOfferRef): number {
  if (a.expiresAt !== b.expiresAt) return a.expiresAt - b.expiresAt;
  return a.offerId < b.offerId ? -1 : a.offerId > b.offerId ? 1 : 0;
}
