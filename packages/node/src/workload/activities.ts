/**
 * The activity planners: each looks at the workload's world for something it can do now (an idle
 * item, an open offer, stock on hand) and returns the transaction that does it, or undefined.
 * They only read the world; the effect is applied when the plan is emitted.
 */
import { distanceMeters, type NetworkParams, type Role, type TxOperation, toLatLon } from '@qm/ledger';
import type { ActorDirectory, Signer } from './actors.js';
import { BULK, DEFECTS, MAINTENANCE_ACTIONS } from './catalog.js';
import type { ActivityKind, Plan, SiteInfo } from './plan.js';
import type { Prng } from './prng.js';
import { type ItemModel, stockKey, type World } from './world.js';

/**
 * Relative weights of the activity mix. A kind with nothing to act on is skipped for that draw, so
 * accept and receipt (which follow an offer) run at the pace offers settle.
 */
export const ACTIVITY_WEIGHTS: Readonly<Record<ActivityKind, number>> = {
  scan: 20,
  usage: 12,
  issue: 10,
  offer: 8,
  accept: 12,
  reject: 1,
  receipt: 10,
  maintenance: 7,
  move: 6,
  condition: 5,
  receive: 5,
  install: 5,
  remove: 4,
  'scan-far': 1,
};

/** The network parameters scans are judged by (their defaults unless the network changed them). */
export type ScanLimits = Pick<NetworkParams, 'scanDistanceMaxMeters' | 'scanSpeedMaxMetersPerSecond'>;

const SERVICEABLE = new Set(['A', 'B', 'C', 'D', 'T']);

export class ActivityPlanner {
  readonly #rng: Prng;
  readonly #sites: SiteInfo[];
  readonly #now: () => number;
  readonly #limits: ScanLimits;

  constructor(
    readonly world: World,
    readonly directory: ActorDirectory,
    rng: Prng,
    sites: SiteInfo[],
    now: () => number,
    limits: ScanLimits,
  ) {
    this.#rng = rng;
    this.#sites = sites;
    this.#now = now;
    this.#limits = limits;
  }

  plan(kind: ActivityKind): Plan | undefined {
    switch (kind) {
      case 'offer':
        return this.#planOffer();
      case 'accept':
        return this.#planResolve(true);
      case 'reject':
        return this.#planResolve(false);
      case 'receipt':
        return this.#planReceipt();
      case 'move':
        return this.#planMove();
      case 'condition':
        return this.#planCondition();
      case 'maintenance':
        return this.#planMaintenance();
      case 'usage':
        return this.#planUsage();
      case 'install':
        return this.#planInstall();
      case 'remove':
        return this.#planRemove();
      case 'scan':
        return this.#planScan(false);
      case 'scan-far':
        return this.#planScan(true);
      case 'issue':
        return this.#planIssue();
      case 'receive':
        return this.#planReceive();
    }
  }
  /** Top-level items nobody is busy with: no unsettled tx, no open offer, not in transit. */
  #idle(filter: (i: ItemModel) => boolean = () => true): ItemModel[] {
    const out: ItemModel[] = [];
    for (const i of this.world.items.values()) {
      if (i.parent !== undefined || i.offer || i.awaitingReceipt) continue;
      if (!this.world.isFree(i.uii) || !filter(i)) continue;
      out.push(i);
    }
    return out;
  }

  #member(org: string, ...roles: Role[]): Signer | undefined {
    for (const r of roles) {
      const m = this.directory.withRole(org, r);
      if (m) return m;
    }
    return undefined;
  }

  #subtreeUiis(uii: string): string[] {
    return this.world.subtree(uii).map((i) => i.uii);
  }

  #planOffer(): Plan | undefined {
    const orgs = this.directory.orgCodes.filter(
      (o) => this.directory.withRole(o, 'supply') && this.#sites.some((s) => s.org === o),
    );
    if (orgs.length < 2) return undefined;
    let open = 0;
    for (const i of this.world.items.values()) if (i.offer || i.awaitingReceipt) open++;
    // Keep most of the fleet at home: a few hand-offs at a time, as a real network would.
    if (open >= Math.max(2, Math.floor(this.world.items.size / 5))) return undefined;
    const candidates = this.#idle((i) => i.kind !== 'disk' && orgs.includes(i.custodian));
    if (candidates.length === 0) return undefined;
    const item = this.#rng.pick(candidates);
    const to = this.#rng.pick(orgs.filter((o) => o !== item.custodian));
    const ownership = item.owner === item.custodian && this.#rng.chance(0.3);
    return {
      kind: 'offer',
      signer: this.directory.withRole(item.custodian, 'supply')!,
      ops: [{ type: 'offerCustody', uii: item.uii, to, ...(ownership && { ownership: true }) }],
      items: this.#subtreeUiis(item.uii),
      stock: [],
      offered: item.uii,
      apply: () => {
        item.offer = { to, ownership };
      },
    };
  }

  #planResolve(accept: boolean): Plan | undefined {
    const candidates: ItemModel[] = [];
    for (const i of this.world.items.values()) {
      if (
        i.offer?.id !== undefined &&
        this.world.isFree(i.uii) &&
        this.directory.withRole(i.offer.to, 'supply')
      )
        candidates.push(i);
    }
    if (candidates.length === 0) return undefined;
    const item = this.#rng.pick(candidates);
    const offer = item.offer!;
    const offerId = offer.id!;
    const ops: TxOperation[] = accept
      ? [{ type: 'acceptCustody', uii: item.uii, offerId }]
      : [{ type: 'rejectCustody', uii: item.uii, offerId, reason: 'Not on the receiving requisition' }];
    return {
      kind: accept ? 'accept' : 'reject',
      signer: this.directory.withRole(offer.to, 'supply')!,
      ops,
      items: this.#subtreeUiis(item.uii),
      stock: [],
      // An offer that expired or was closed meanwhile is gone for good: stop trying to answer it.
      onFailure: (codes) => {
        if (codes.includes('OFFER_EXPIRED') || codes.includes('OFFER_SUPERSEDED')) item.offer = undefined;
      },
      apply: () => {
        item.offer = undefined;
        if (!accept) return;
        for (const i of this.world.subtree(item.uii)) {
          i.custodian = offer.to;
          if (offer.ownership) i.owner = offer.to;
        }
        item.awaitingReceipt = true;
      },
    };
  }

  #planReceipt(): Plan | undefined {
    const candidates = [...this.world.items.values()].filter(
      (i) => i.awaitingReceipt && this.world.isFree(i.uii) && this.directory.withRole(i.custodian, 'supply'),
    );
    if (candidates.length === 0) return undefined;
    const item = this.#rng.pick(candidates);
    const sites = this.#sites.filter((s) => s.org === item.custodian);
    if (sites.length === 0) return undefined;
    const site = this.#rng.pick(sites);
    return {
      kind: 'receipt',
      signer: this.directory.withRole(item.custodian, 'supply')!,
      ops: [{ type: 'recordReceipt', uii: item.uii, location: { site: site.id } }],
      items: this.#subtreeUiis(item.uii),
      stock: [],
      apply: () => {
        for (const i of this.world.subtree(item.uii)) i.site = site.id;
        item.awaitingReceipt = undefined;
      },
    };
  }

  #planMove(): Plan | undefined {
    const candidates = this.#idle(
      (i) =>
        this.directory.withRole(i.custodian, 'supply') !== undefined &&
        this.#sites.filter((s) => s.org === i.custodian && s.id !== i.site).length > 0,
    );
    if (candidates.length === 0) return undefined;
    const item = this.#rng.pick(candidates);
    const site = this.#rng.pick(this.#sites.filter((s) => s.org === item.custodian && s.id !== item.site));
    return {
      kind: 'move',
      signer: this.directory.withRole(item.custodian, 'supply')!,
      ops: [{ type: 'moveItem', uii: item.uii, location: { site: site.id } }],
      items: this.#subtreeUiis(item.uii),
      stock: [],
      apply: () => {
        for (const i of this.world.subtree(item.uii)) i.site = site.id;
      },
    };
  }

  #planCondition(): Plan | undefined {
    const candidates = this.#idle(
      (i) =>
        (i.condition === 'A' || i.condition === 'B') &&
        this.#member(i.custodian, 'maintainer', 'supply') !== undefined,
    );
    if (candidates.length === 0) return undefined;
    const item = this.#rng.pick(candidates);
    let condition: string;
    let reason: string;
    if (item.condition === 'B') {
      condition = 'A';
      reason = 'Restriction lifted after re-inspection';
    } else if (this.#rng.chance(0.5)) {
      condition = 'B';
      reason = 'Serviceable with qualification: minor corrosion within limits';
    } else {
      condition = 'F';
      reason = this.#rng.pick(DEFECTS);
    }
    return {
      kind: 'condition',
      signer: this.#member(item.custodian, 'maintainer', 'supply')!,
      ops: [{ type: 'changeCondition', uii: item.uii, condition, reason }],
      items: [item.uii],
      stock: [],
      apply: () => {
        item.condition = condition;
      },
    };
  }

  #planMaintenance(): Plan | undefined {
    const candidates = this.#idle((i) => this.directory.withRole(i.custodian, 'maintainer') !== undefined);
    if (candidates.length === 0) return undefined;
    // Repairs first: an unserviceable item is what a maintainer works on.
    const broken = candidates.filter((i) => !SERVICEABLE.has(i.condition));
    const engines = candidates.filter((i) => i.kind === 'engine');
    const pool =
      broken.length > 0 && this.#rng.chance(0.6)
        ? broken
        : engines.length > 0 && this.#rng.chance(0.7)
          ? engines
          : candidates;
    const item = this.#rng.pick(pool);
    const repair = !SERVICEABLE.has(item.condition);
    const action = repair
      ? `Repaired: ${this.#rng.pick(MAINTENANCE_ACTIONS[item.kind])}`
      : this.#rng.pick(MAINTENANCE_ACTIONS[item.kind]);
    return {
      kind: 'maintenance',
      signer: this.directory.withRole(item.custodian, 'maintainer')!,
      ops: [{ type: 'recordMaintenance', uii: item.uii, action, ...(repair && { condition: 'A' }) }],
      items: [item.uii],
      stock: [],
      apply: () => {
        if (repair) item.condition = 'A';
      },
    };
  }

  #planUsage(): Plan | undefined {
    const candidates = this.#idle(
      (i) =>
        (i.kind === 'engine' || i.kind === 'blade') &&
        this.directory.withRole(i.custodian, 'maintainer') !== undefined,
    );
    if (candidates.length === 0) return undefined;
    const item = this.#rng.pick(candidates);
    // One sortie: a few flight hours and engine cycles.
    const hours = this.#rng.int(1, 6);
    const cycles = item.kind === 'engine' ? this.#rng.int(1, 4) : 0;
    return {
      kind: 'usage',
      signer: this.directory.withRole(item.custodian, 'maintainer')!,
      ops: [{ type: 'recordUsage', uii: item.uii, hours, cycles }],
      items: this.#subtreeUiis(item.uii),
      stock: [],
      apply: () => {
        for (const i of this.world.subtree(item.uii)) {
          i.hours += hours;
          i.cycles += cycles;
        }
      },
    };
  }

  #planInstall(): Plan | undefined {
    const engines = this.#idle(
      (i) =>
        i.kind === 'engine' &&
        i.children.length === 0 &&
        this.directory.withRole(i.custodian, 'maintainer') !== undefined,
    );
    const pairs: [ItemModel, ItemModel][] = [];
    for (const e of engines) {
      for (const d of this.#idle(
        (i) => i.kind === 'disk' && i.custodian === e.custodian && SERVICEABLE.has(i.condition),
      )) {
        pairs.push([d, e]);
      }
    }
    if (pairs.length === 0) return undefined;
    const [disk, engine] = this.#rng.pick(pairs);
    return {
      kind: 'install',
      signer: this.directory.withRole(engine.custodian, 'maintainer')!,
      ops: [{ type: 'installItem', uii: disk.uii, parent: engine.uii }],
      items: [engine.uii, disk.uii],
      stock: [],
      apply: () => this.world.attach(disk, engine),
    };
  }

  #planRemove(): Plan | undefined {
    const engines = this.#idle(
      (i) =>
        i.kind === 'engine' &&
        i.children.length > 0 &&
        this.directory.withRole(i.custodian, 'maintainer') !== undefined,
    );
    if (engines.length === 0) return undefined;
    const engine = this.#rng.pick(engines);
    const disk = this.world.items.get(engine.children[0]!)!;
    return {
      kind: 'remove',
      signer: this.directory.withRole(engine.custodian, 'maintainer')!,
      ops: [{ type: 'removeItem', uii: disk.uii }],
      items: [engine.uii, disk.uii],
      stock: [],
      apply: () => {
        disk.parent = undefined;
        engine.children = engine.children.filter((u) => u !== disk.uii);
      },
    };
  }

  /**
   * An RFID reading by the fixed reader of the item's site. A reading elsewhere soon after the last
   * one would be "impossible travel" (the item moved faster than any transport), so an ordinary scan
   * waits until the item could have made the trip; a far scan (rare) is meant to raise the alerts.
   */
  #planScan(far: boolean): Plan | undefined {
    const readers = this.#sites.filter((s) => s.device);
    // A reader's clock runs a few seconds behind the ledger's; the scan is stamped when read.
    const time = this.#now() - this.#rng.int(0, 20);
    const readerFor = (i: ItemModel, s: SiteInfo) =>
      far ? s.id !== i.site : s.id === i.site && this.#couldBeAt(i, s, time);
    const candidates = [...this.world.items.values()].filter(
      (i) => !this.world.itemLocks.has(i.uii) && readers.some((s) => readerFor(i, s)),
    );
    if (candidates.length === 0) return undefined;
    const item = this.#rng.pick(candidates);
    const site = this.#rng.pick(readers.filter((s) => readerFor(item, s)));
    const device = site.device!;
    return {
      kind: far ? 'scan-far' : 'scan',
      signer: device,
      ops: [{ type: 'recordScan', device: device.id, uii: item.uii, time }],
      items: [],
      stock: [],
      apply: () => {
        // The ledger keeps the newest reading as the reference for the next one.
        if (!item.lastScan || time >= item.lastScan.time) {
          item.lastScan = { latE6: site.latE6, lonE6: site.lonE6, time };
        }
      },
    };
  }

  #couldBeAt(item: ItemModel, site: SiteInfo, time: number): boolean {
    const last = item.lastScan;
    if (!last) return true;
    const meters = distanceMeters(toLatLon(last), toLatLon(site));
    if (meters <= this.#limits.scanDistanceMaxMeters) return true;
    // 20% margin over the network's speed limit, and never a reading older than the last one.
    return time - last.time > (1.2 * meters) / this.#limits.scanSpeedMaxMetersPerSecond;
  }

  #planIssue(): Plan | undefined {
    const candidates = [...this.world.stock.values()].filter(
      (s) => s.quantity > 0 && !this.world.stockLocks.has(s.key) && this.directory.withRole(s.org, 'supply'),
    );
    if (candidates.length === 0) return undefined;
    const s = this.#rng.pick(candidates);
    const quantity = Math.min(s.quantity, this.#rng.int(1, 12));
    const issuedTo = `${s.org}-MX-${this.#rng.int(1000, 9999)}`;
    return {
      kind: 'issue',
      signer: this.directory.withRole(s.org, 'supply')!,
      ops: [
        {
          type: 'issueStock',
          nsn: s.nsn,
          site: s.site,
          lot: s.lot,
          condition: s.condition,
          quantity,
          issuedTo,
        },
      ],
      items: [],
      stock: [s.key],
      apply: () => {
        s.quantity -= quantity;
      },
    };
  }

  #planReceive(): Plan | undefined {
    const depots = this.#sites.filter((s, i, all) => all.findIndex((t) => t.org === s.org) === i);
    const stocked = depots.filter((d) => this.directory.withRole(d.org, 'supply'));
    if (stocked.length === 0) return undefined;
    const site = this.#rng.pick(stocked);
    const orgIndex = this.directory.orgCodes.indexOf(site.org);
    const b = this.#rng.pick(BULK);
    // Mostly replenishment of the current lot; now and then (or when the current lot is busy) a new lot.
    const current = b.lot(orgIndex);
    let lot = this.#rng.chance(0.8) ? current : `${current || 'N'}-${this.#rng.int(1, 9)}`;
    for (let n = 10; this.world.stockLocks.has(stockKey(b.nsn, site.id, lot, 'A')); n++)
      lot = `${current || 'N'}-${n}`;
    const key = stockKey(b.nsn, site.id, lot, 'A');
    const quantity = this.#rng.int(2, 10) * 12;
    return {
      kind: 'receive',
      signer: this.directory.withRole(site.org, 'supply')!,
      ops: [{ type: 'receiveStock', nsn: b.nsn, site: site.id, lot, condition: 'A', quantity }],
      items: [],
      stock: [key],
      apply: () => {
        const s = this.world.stock.get(key);
        if (s) s.quantity += quantity;
        else
          this.world.stock.set(key, {
            key,
            nsn: b.nsn,
            site: site.id,
            org: site.org,
            lot,
            condition: 'A',
            quantity,
          });
      },
    };
  }
}
