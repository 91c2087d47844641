/**
 * The demo data, as plans in dependency phases: the catalogue and sites, then readers, items and
 * opening stock, then fan disks installed in engines with their flying history.
 */
import { deriveUii, type TxOperation } from '@qm/ledger';
import type { ActorDirectory } from './actors.js';
import { BULK, SERIALIZED } from './catalog.js';
import type { Plan, SiteInfo } from './plan.js';
import { type ItemModel, type StockModel, stockKey, type World } from './world.js';

/**
 * `allSites` are the sites the workload means to use; those of an organization without an admin are
 * removed from it (nobody could register them).
 */
export function planSeed(world: World, directory: ActorDirectory, allSites: SiteInfo[]): Plan[][] {
  const orgs = directory.orgCodes;
  const phase1: Plan[] = [];
  const phase2: Plan[] = [];
  const phase3: Plan[] = [];
  // Phase 1: the catalogue (one supply clerk defines it for everyone) and each organization's sites.
  const cataloguer = orgs.map((o) => directory.withRole(o, 'supply')).find((m) => m !== undefined);
  if (cataloguer) {
    const ops = [...SERIALIZED, ...BULK].map((c) => ({
      type: 'defineItemClass',
      nsn: c.nsn,
      nomenclature: c.nomenclature,
      unitOfIssue: c.unitOfIssue,
      tracking: SERIALIZED.some((s) => s.nsn === c.nsn) ? 'serialized' : 'bulk',
      ...(c.lifeLimits !== undefined && { lifeLimits: c.lifeLimits }),
    }));
    phase1.push({ kind: 'seed', signer: cataloguer, ops, items: [], stock: [], apply: () => {} });
  }
  for (const org of orgs) {
    const admin = directory.withRole(org, 'admin');
    const sites = allSites.filter((s) => s.org === org);
    if (!admin) {
      // Without an admin the organization has no sites, so the demo leaves it out.
      allSites.splice(0, allSites.length, ...allSites.filter((s) => s.org !== org));
      continue;
    }
    const ops = sites.map((s) => ({
      type: 'registerSite',
      site: s.id,
      name: s.name,
      org,
      latE6: s.latE6,
      lonE6: s.lonE6,
    }));
    phase1.push({ kind: 'seed', signer: admin, ops, items: [], stock: [], apply: () => {} });
  }
  if (!cataloguer) return [phase1];
  // Phase 2: readers at every site, then each organization's serialized items and opening stock.
  orgs.forEach((org, orgIndex) => {
    const sites = allSites.filter((s) => s.org === org);
    if (sites.length === 0) return;
    const operator = directory.withRole(org, 'device-operator');
    if (operator) {
      const ops = sites
        .filter((s) => s.device)
        .map((s) => ({ type: 'registerDevice', device: s.device!.id, org, location: { site: s.id } }));
      phase2.push({ kind: 'seed', signer: operator, ops, items: [], stock: [], apply: () => {} });
    }
    const supply = directory.withRole(org, 'supply');
    if (!supply) return;
    const depot = sites[0]!;
    const line = sites[1] ?? depot;
    const ops: TxOperation[] = [];
    const items: ItemModel[] = [];
    for (const t of SERIALIZED) {
      for (let n = 0; n < t.perOrg; n++) {
        const serial = t.serial(orgIndex, n);
        const uii = deriveUii({ qualifier: 'D', enterpriseId: t.cage, serial });
        if (!uii.ok) throw new Error(`demo UII for ${serial}: ${uii.message}`);
        // Engines and blades sit on the flight line; spare disks wait in the depot.
        const site =
          t.kind === 'disk' && n >= 2 ? depot.id : t.kind === 'blade' && n % 2 === 1 ? depot.id : line.id;
        ops.push({
          type: 'registerItem',
          uii: uii.value,
          nsn: t.nsn,
          serial,
          cage: t.cage,
          condition: 'A',
          location: { site },
        });
        items.push({
          uii: uii.value,
          kind: t.kind,
          nsn: t.nsn,
          owner: org,
          custodian: org,
          site,
          condition: 'A',
          children: [],
          hours: 0,
          cycles: 0,
        });
      }
    }
    const stock: StockModel[] = [];
    for (const b of BULK) {
      const lot = b.lot(orgIndex);
      ops.push({
        type: 'receiveStock',
        nsn: b.nsn,
        site: depot.id,
        lot,
        condition: 'A',
        quantity: b.initial,
      });
      stock.push({
        key: stockKey(b.nsn, depot.id, lot, 'A'),
        nsn: b.nsn,
        site: depot.id,
        org,
        lot,
        condition: 'A',
        quantity: b.initial,
      });
    }
    phase2.push({
      kind: 'seed',
      signer: supply,
      ops,
      items: items.map((i) => i.uii),
      stock: stock.map((s) => s.key),
      apply: () => {
        for (const i of items) world.items.set(i.uii, i);
        for (const s of stock) world.stock.set(s.key, s);
      },
    });
    // Phase 3: a fan disk in each engine, and flying hours already on the books; the first engine's
    // disk is close to its cycle limit, so usage soon raises a life-limit alert.
    const maintainer = directory.withRole(org, 'maintainer');
    const engines = items.filter((i) => i.kind === 'engine');
    const disks = items.filter((i) => i.kind === 'disk');
    if (!maintainer || engines.length === 0) return;
    const mops: TxOperation[] = [];
    const history = [
      { hours: 5_890, cycles: 3_985 },
      { hours: 1_240, cycles: 910 },
    ];
    engines.forEach((e, k) => {
      const d = disks[k];
      if (d) mops.push({ type: 'installItem', uii: d.uii, parent: e.uii });
      const h = history[k % history.length]!;
      mops.push({ type: 'recordUsage', uii: e.uii, hours: h.hours, cycles: h.cycles });
    });
    phase3.push({
      kind: 'seed',
      signer: maintainer,
      ops: mops,
      items: [...engines, ...disks].map((i) => i.uii),
      stock: [],
      apply: () => {
        engines.forEach((e, k) => {
          const d = disks[k];
          if (d) world.attach(d, e);
          const h = history[k % history.length]!;
          for (const i of world.subtree(e.uii)) {
            i.hours += h.hours;
            i.cycles += h.cycles;
          }
        });
      },
    });
  });
  return [phase1, phase2, phase3].filter((p) => p.length > 0);
}
