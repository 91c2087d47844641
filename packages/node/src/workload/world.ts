/**
 * The workload's picture of the ledger state: what it believes exists, who holds it and what is in
 * flight. It is updated optimistically when a transaction is generated and rolled back if the ledger
 * says otherwise, so that the next transactions are built on what will actually be there.
 */
import type { SerializedKind } from './catalog.js';

export interface ItemModel {
  uii: string;
  kind: SerializedKind;
  nsn: string;
  owner: string;
  custodian: string;
  site: string;
  condition: string;
  /** Parent assembly, when installed. */
  parent?: string;
  children: string[];
  hours: number;
  cycles: number;
  /** A pending custody offer; its id (ledger.tx.op) is known only once the offer is in a ledger. */
  offer?: { to: string; ownership: boolean; id?: string };
  /** Custody accepted; the receiver has not yet booked the item in at one of its sites. */
  awaitingReceipt?: boolean;
  /** Where and when (unix seconds) it was last read by an RFID reader. */
  lastScan?: { latE6: number; lonE6: number; time: number };
}

export interface StockModel {
  key: string;
  nsn: string;
  site: string;
  org: string;
  lot: string;
  condition: string;
  quantity: number;
}

export const stockKey = (nsn: string, site: string, lot: string, condition: string): string =>
  `${nsn}/${site}/${lot}/${condition}`;

const cloneItem = (i: ItemModel): ItemModel => ({
  ...i,
  children: [...i.children],
  ...(i.lastScan !== undefined && { lastScan: { ...i.lastScan } }),
  ...(i.offer !== undefined && { offer: { ...i.offer } }),
});

/** Entities as they were before a transaction touched them (undefined: it did not exist). */
export interface Snapshot {
  items: Map<string, ItemModel | undefined>;
  stock: Map<string, StockModel | undefined>;
}

export class World {
  readonly items = new Map<string, ItemModel>();
  readonly stock = new Map<string, StockModel>();
  /** Entity -> hash of the one unsettled transaction touching it. One at a time keeps rollback exact. */
  readonly itemLocks = new Map<string, string>();
  readonly stockLocks = new Map<string, string>();

  snapshot(itemUiis: readonly string[], stockKeys: readonly string[]): Snapshot {
    const items = new Map<string, ItemModel | undefined>();
    for (const u of itemUiis) {
      const i = this.items.get(u);
      items.set(u, i && cloneItem(i));
    }
    const stock = new Map<string, StockModel | undefined>();
    for (const k of stockKeys) {
      const s = this.stock.get(k);
      stock.set(k, s && { ...s });
    }
    return { items, stock };
  }

  restore(s: Snapshot): void {
    for (const [u, i] of s.items) {
      if (i === undefined) this.items.delete(u);
      else this.items.set(u, cloneItem(i));
    }
    for (const [k, v] of s.stock) {
      if (v === undefined) this.stock.delete(k);
      else this.stock.set(k, { ...v });
    }
  }

  lock(s: Snapshot, hash: string): void {
    for (const u of s.items.keys()) this.itemLocks.set(u, hash);
    for (const k of s.stock.keys()) this.stockLocks.set(k, hash);
  }

  unlock(s: Snapshot, hash: string): void {
    for (const u of s.items.keys()) if (this.itemLocks.get(u) === hash) this.itemLocks.delete(u);
    for (const k of s.stock.keys()) if (this.stockLocks.get(k) === hash) this.stockLocks.delete(k);
  }

  /** The item and everything installed in it, top first. */
  subtree(uii: string): ItemModel[] {
    const out: ItemModel[] = [];
    const walk = (u: string) => {
      const i = this.items.get(u);
      if (!i) return;
      out.push(i);
      for (const c of i.children) walk(c);
    };
    walk(uii);
    return out;
  }

  /** No unsettled transaction touches the item or any of its components. */
  isFree(uii: string): boolean {
    return this.subtree(uii).every((i) => !this.itemLocks.has(i.uii));
  }

  /** Installs `child` in `parent`: it takes the assembly's place. */
  attach(child: ItemModel, parent: ItemModel): void {
    child.parent = parent.uii;
    parent.children = [...parent.children, child.uii].sort();
    child.site = parent.site;
  }
}
