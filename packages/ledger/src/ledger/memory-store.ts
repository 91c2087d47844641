/**
 * An in-memory LedgerStore: tests, the simulator, and the reference a persistent store is checked
 * against (the SQLite crash test replays ledgers here and compares commitments).
 *
 * putClosedLedger validates first and then mutates; nothing in between can throw, so the write is atomic
 * in the only sense that matters in memory.
 */
import { parseNsn } from '../domain/identifiers.js';
import { type Alert, type CustodyOffer, type Item, K, type StockRecord } from '../domain/state.js';
import { MemoryStore } from '../domain/store.js';
import { MemoryMerkleStore } from '../merkle/store.js';
import type { LedgerCloseResult } from './close.js';
import type { LedgerHeader } from './header.js';
import {
  type AlertQuery,
  checkExtends,
  type HistoryEntry,
  hex,
  historyOf,
  type LedgerStore,
  MAX_QUERY_ROWS,
  type StoredTx,
} from './storage.js';

interface StoredLedger {
  header: LedgerHeader;
  txSet: Uint8Array[];
  results: Uint8Array[];
  scp: Uint8Array[];
}

/** The stored form of an NSN (13 characters, no dashes); input may be dashed. */
export function nsnKey(nsn: string): string {
  const p = parseNsn(nsn);
  return p.ok ? p.value.nsn : nsn;
}

export class MemoryLedgerStore implements LedgerStore {
  readonly #state = new MemoryStore();
  readonly #log = new MemoryMerkleStore();
  readonly #ledgers: StoredLedger[] = [];
  readonly #txs = new Map<string, StoredTx>();
  readonly #history = new Map<string, HistoryEntry[]>();

  get merkle(): MemoryMerkleStore {
    return this.#log;
  }

  lastClosed(): LedgerHeader | null {
    return this.#ledgers.at(-1)?.header ?? null;
  }

  getHeader(sequence: number): LedgerHeader | undefined {
    return this.#ledgers[sequence]?.header;
  }

  getTxSet(sequence: number): Uint8Array[] | undefined {
    const l = this.#ledgers[sequence];
    return l && [...l.txSet];
  }

  getResults(sequence: number): Uint8Array[] | undefined {
    const l = this.#ledgers[sequence];
    return l && [...l.results];
  }

  getScpEnvelopes(sequence: number): Uint8Array[] | undefined {
    const l = this.#ledgers[sequence];
    return l && [...l.scp];
  }

  getTx(txHash: Uint8Array): StoredTx | undefined {
    return this.#txs.get(hex(txHash));
  }

  putClosedLedger(close: LedgerCloseResult, scpEnvelopes: readonly Uint8Array[]): void {
    checkExtends(this.lastClosed(), close);
    const seq = close.header.sequence;
    // State values are stored as independent copies so later mutation of the close result cannot
    // reach the store (the domain already clones on read).
    for (const c of close.stateChanges) {
      if (c.value === null) this.#state.delete(c.key);
      else this.#state.put(c.key, structuredClone(c.value));
    }
    this.#log.append(close.logNodes);
    for (const tx of close.applied) {
      this.#txs.set(hex(tx.txHash), {
        ledgerSeq: seq,
        txIndex: tx.txIndex,
        txHash: tx.txHash,
        envelope: tx.envelope,
        // What a persistent store can give back: the stored (consensus) form, without messages.
        result: JSON.parse(Buffer.from(tx.resultBytes).toString('utf8')),
        resultBytes: tx.resultBytes,
        leafIndex: tx.leafIndex,
      });
    }
    for (const h of historyOf(close)) {
      const list = this.#history.get(h.event.subject) ?? [];
      list.push(h);
      this.#history.set(h.event.subject, list);
    }
    this.#ledgers.push({
      header: close.header,
      txSet: [...close.txSet],
      results: [...close.resultBytes],
      scp: [...scpEnvelopes],
    });
  }

  get(key: string): unknown | undefined {
    return this.#state.get(key);
  }

  keys(prefix = ''): string[] {
    return this.#state.keys(prefix);
  }

  itemByUii(uii: string): { item: Item; history: HistoryEntry[] } | undefined {
    const item = this.#state.get(K.item(uii)) as Item | undefined;
    if (item === undefined) return undefined;
    return { item: structuredClone(item), history: [...(this.#history.get(uii) ?? [])] };
  }

  stockByNsn(nsn: string, site?: string): StockRecord[] {
    const prefix = site === undefined ? `stock/${nsnKey(nsn)}/` : `stock/${nsnKey(nsn)}/${site}/`;
    return this.#values<StockRecord>(prefix);
  }

  itemsByCustodian(org: string): Item[] {
    return this.#values<Item>('item/')
      .filter((i) => i.custodian === org)
      .slice(0, MAX_QUERY_ROWS);
  }

  pendingOffers(toOrg?: string): CustodyOffer[] {
    return this.#values<CustodyOffer>('offer/')
      .filter((o) => o.status === 'pending' && (toOrg === undefined || o.to === toOrg))
      .slice(0, MAX_QUERY_ROWS);
  }

  alerts(q: AlertQuery = {}): Alert[] {
    const limit = Math.min(q.limit ?? MAX_QUERY_ROWS, MAX_QUERY_ROWS);
    return this.#values<Alert>('alert/')
      .filter(
        (a) =>
          (q.kind === undefined || a.kind === q.kind) &&
          (q.subject === undefined || a.subject === q.subject) &&
          (q.afterId === undefined || a.id > q.afterId),
      )
      .slice(0, limit);
  }

  close(): void {}

  #values<T>(prefix: string): T[] {
    return this.#state.keys(prefix).map((k) => structuredClone(this.#state.get(k)) as T);
  }
}
