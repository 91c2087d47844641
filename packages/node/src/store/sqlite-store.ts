/**
 * The node's ledger store on SQLite (better-sqlite3): the embedded default (DESIGN.md principle 6).
 *
 * Durability: WAL journal; each ledger close is ONE SQLite transaction, so after a crash at any instant
 * (kill -9, power loss) the database holds exactly the ledgers whose transaction committed, and reopening
 * finds the last closed ledger complete. `synchronous` decides what "committed" survives:
 * - 'FULL' (default): the WAL is fsynced at every commit; a closed ledger survives power loss.
 * - 'NORMAL': fsync only at checkpoints (~10x cheaper commits); a process crash loses nothing, but power
 *   loss may roll the store back by the last few ledgers, which the node then re-applies from its peers
 *   (catch-up). The store is never corrupt or half-written either way.
 * At one commit per ledger (seconds apart) FULL costs nothing that matters, hence the default.
 *
 * Reads serve closeLedger (state and log) and the queries; they always see the last closed ledger,
 * because nothing else writes.
 */
import {
  type Alert,
  type AlertQuery,
  type CustodyOffer,
  canonicalJson,
  checkExtends,
  compareKeys,
  decodeHeader,
  encodeHeader,
  type HistoryEntry,
  historyOf,
  type Item,
  type LedgerCloseResult,
  LedgerError,
  type LedgerHeader,
  type LedgerStore,
  type LedgerTxResult,
  MAX_QUERY_ROWS,
  type MerkleReader,
  nsnKey,
  type StockRecord,
  type StoredTx,
} from '@qm/ledger';
import Database from 'better-sqlite3';
import { QUERIES, SCHEMA, SCHEMA_VERSION } from './schema.js';

export interface SqliteLedgerStoreOptions {
  /** 'FULL' (default) or 'NORMAL'; see the module comment for the trade-off. */
  synchronous?: 'FULL' | 'NORMAL';
}

type Row = Record<string, unknown>;
const bytes = (b: unknown): Uint8Array => new Uint8Array(b as Buffer);
/** Bound on the parsed-value cache (principle 4); cleared wholesale when full, which is rare and cheap. */
const STATE_CACHE_ENTRIES = 20_000;
/** Above every UTF-8 continuation of a prefix that a key can have (keys are valid UTF-16 text). */
const PREFIX_END = '\u{10ffff}';

function corrupt(message: string, details?: Record<string, unknown>): never {
  throw new LedgerError('STORE_CORRUPT', message, details);
}

export class SqliteLedgerStore implements LedgerStore {
  readonly #db: Database.Database;
  readonly #q: ReturnType<typeof prepare>;
  #last: LedgerHeader | null;
  /**
   * Parsed state values by key. closeLedger reads the same records (members, params, item classes) for
   * every transaction; parsing JSON each time costs as much as the rest of apply. Entries of changed keys
   * are dropped after each committed close (never before: a failed write must not leave the cache ahead
   * of the database). Values are shared with callers, who must not mutate them (the domain copies on read).
   */
  readonly #cache = new Map<string, unknown>();
  readonly merkle: MerkleReader;

  constructor(path: string, opts: SqliteLedgerStoreOptions = {}) {
    this.#db = new Database(path);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma(`synchronous = ${opts.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL'}`);
    this.#db.pragma('foreign_keys = OFF');
    this.#db.exec(SCHEMA);
    const version = this.#db.prepare('SELECT value FROM meta WHERE key = ?').get('schema_version') as
      | Row
      | undefined;
    if (version === undefined) {
      this.#db
        .prepare('INSERT INTO meta (key, value) VALUES (?, ?)')
        .run('schema_version', String(SCHEMA_VERSION));
    } else if (version.value !== String(SCHEMA_VERSION)) {
      throw new LedgerError(
        'STORE_SCHEMA_MISMATCH',
        `store schema ${version.value}, this node knows ${SCHEMA_VERSION}`,
      );
    }
    this.#q = prepare(this.#db);
    const row = this.#q.lastHeader.get() as Row | undefined;
    this.#last = row === undefined ? null : decodeHeader(bytes(row.header));
    // Invariant: the log holds exactly the leaves of the last closed ledger (one transaction wrote both).
    const leaves = (this.#q.logSize.get() as Row).n as number;
    if (leaves !== (this.#last?.logSize ?? 0)) {
      corrupt(`log has ${leaves} leaves, last closed header says ${this.#last?.logSize ?? 0}`);
    }
    const q = this.#q;
    this.merkle = {
      size: () => this.#last?.logSize ?? 0,
      node: (level, index) => {
        const r = q.merkleNode.get(level, index) as Row | undefined;
        return r === undefined ? undefined : bytes(r.hash);
      },
    };
  }

  lastClosed(): LedgerHeader | null {
    return this.#last;
  }

  getHeader(sequence: number): LedgerHeader | undefined {
    const r = this.#q.header.get(sequence) as Row | undefined;
    return r === undefined ? undefined : decodeHeader(bytes(r.header));
  }

  getTxSet(sequence: number): Uint8Array[] | undefined {
    if (this.getHeader(sequence) === undefined) return undefined;
    return (this.#q.txSet.all(sequence) as Row[]).map((r) => bytes(r.envelope));
  }

  getResults(sequence: number): Uint8Array[] | undefined {
    if (this.getHeader(sequence) === undefined) return undefined;
    return (this.#q.txSet.all(sequence) as Row[]).map((r) => bytes(r.result));
  }

  getScpEnvelopes(sequence: number): Uint8Array[] | undefined {
    if (this.getHeader(sequence) === undefined) return undefined;
    return (this.#q.scp.all(sequence) as Row[]).map((r) => bytes(r.envelope));
  }

  getTx(txHash: Uint8Array): StoredTx | undefined {
    const r = this.#q.tx.get(txHash) as Row | undefined;
    if (r === undefined) return undefined;
    const resultBytes = bytes(r.result);
    return {
      ledgerSeq: r.seq as number,
      txIndex: r.idx as number,
      txHash: new Uint8Array(txHash),
      envelope: bytes(r.envelope),
      result: JSON.parse(Buffer.from(resultBytes).toString('utf8')) as LedgerTxResult,
      resultBytes,
      leafIndex: r.leaf_index as number,
    };
  }

  putClosedLedger(close: LedgerCloseResult, scpEnvelopes: readonly Uint8Array[]): void {
    checkExtends(this.#last, close);
    const q = this.#q;
    const seq = close.header.sequence;
    const write = this.#db.transaction(() => {
      q.insertLedger.run(seq, close.headerHash, close.header.closeTime, encodeHeader(close.header));
      close.txSet.forEach((env, i) => {
        q.insertTxSet.run(seq, i, env, close.resultBytes[i]);
      });
      for (const tx of close.applied) q.insertTx.run(tx.txHash, seq, tx.txIndex, tx.leafIndex);
      scpEnvelopes.forEach((env, i) => {
        q.insertScp.run(seq, i, env);
      });
      for (const c of close.stateChanges) {
        if (c.value === null) q.deleteState.run(c.key);
        else q.putState.run(c.key, canonicalJson(c.value));
        this.#index(c.key, c.value);
      }
      for (const n of close.logNodes) q.insertMerkle.run(n.level, n.index, n.hash);
      const evIdx = new Map<string, number>();
      for (const h of historyOf(close)) {
        const pos = `${h.txIndex}.${h.opIndex}.${h.event.subject}`;
        const e = evIdx.get(pos) ?? 0;
        evIdx.set(pos, e + 1);
        q.insertHistory.run(h.event.subject, seq, h.txIndex, h.opIndex, e, h.txHash, canonicalJson(h.event));
      }
    });
    write.immediate();
    this.#last = close.header;
    for (const c of close.stateChanges) this.#cache.delete(c.key);
  }

  /** Keeps the derived query tables in step with one state change. */
  #index(key: string, value: unknown | null): void {
    const q = this.#q;
    if (key.startsWith('item/')) {
      const uii = key.slice(5);
      q.deleteItemIdx.run(uii);
      if (value !== null) {
        const it = value as Item;
        q.insertItemIdx.run(uii, it.custodian, it.nsn, it.status);
      }
    } else if (key.startsWith('offer/')) {
      const id = key.slice(6);
      q.deleteOfferIdx.run(id);
      if (value !== null) {
        const o = value as CustodyOffer;
        q.insertOfferIdx.run(id, o.to, o.status);
      }
    } else if (key.startsWith('alert/')) {
      const id = Number(key.slice(6));
      q.deleteAlertIdx.run(id);
      if (value !== null) {
        const a = value as Alert;
        q.insertAlertIdx.run(id, a.kind, a.subject);
      }
    }
  }

  get(key: string): unknown | undefined {
    if (this.#cache.has(key)) return this.#cache.get(key);
    const r = this.#q.getState.get(key) as Row | undefined;
    const value = r === undefined ? undefined : JSON.parse(r.value as string);
    if (this.#cache.size >= STATE_CACHE_ENTRIES) this.#cache.clear();
    this.#cache.set(key, value);
    return value;
  }

  keys(prefix = ''): string[] {
    const rows = this.#q.keys.all(prefix, prefix + PREFIX_END) as Row[];
    // SQLite orders TEXT by UTF-8 bytes, the domain by UTF-16 code units: sort again to be exact.
    return rows
      .map((r) => r.key as string)
      .filter((k) => k.startsWith(prefix))
      .sort(compareKeys);
  }

  #values<T>(prefix: string): T[] {
    // Query results leave the store: copies, so a caller cannot reach into the cache.
    return this.keys(prefix).map((k) => structuredClone(this.get(k)) as T);
  }

  itemByUii(uii: string): { item: Item; history: HistoryEntry[] } | undefined {
    const cached = this.get(`item/${uii}`) as Item | undefined;
    if (cached === undefined) return undefined;
    const item = structuredClone(cached);
    const history = (this.#q.history.all(uii) as Row[]).map((r) => ({
      ledgerSeq: r.seq as number,
      txIndex: r.tx_idx as number,
      opIndex: r.op_idx as number,
      txHash: r.tx_hash as string,
      event: JSON.parse(r.event as string),
    }));
    return { item, history };
  }

  stockByNsn(nsn: string, site?: string): StockRecord[] {
    const n = nsnKey(nsn);
    return this.#values<StockRecord>(site === undefined ? `stock/${n}/` : `stock/${n}/${site}/`);
  }

  itemsByCustodian(org: string): Item[] {
    return (this.#q.itemsByCustodian.all(org, MAX_QUERY_ROWS) as Row[]).map((r) =>
      JSON.parse(r.value as string),
    );
  }

  pendingOffers(toOrg?: string): CustodyOffer[] {
    const rows = (
      toOrg === undefined
        ? this.#q.pendingOffers.all(MAX_QUERY_ROWS)
        : this.#q.pendingOffersTo.all(toOrg, MAX_QUERY_ROWS)
    ) as Row[];
    return rows.map((r) => JSON.parse(r.value as string));
  }

  alerts(query: AlertQuery = {}): Alert[] {
    const limit = Math.min(query.limit ?? MAX_QUERY_ROWS, MAX_QUERY_ROWS);
    const after = query.afterId ?? 0;
    // One statement per filter shape, so that each uses its index (an "x IS NULL OR" filter cannot).
    const rows = (
      query.subject !== undefined
        ? this.#q.alertsBySubject.all(query.subject, after, query.kind ?? null, query.kind ?? null, limit)
        : query.kind !== undefined
          ? this.#q.alertsByKind.all(query.kind, after, limit)
          : this.#q.alerts.all(after, limit)
    ) as Row[];
    return rows.map((r) => JSON.parse(r.value as string));
  }

  close(): void {
    this.#db.close();
  }
}

function prepare(db: Database.Database) {
  const out = {} as { -readonly [K in keyof typeof QUERIES]: Database.Statement };
  for (const name of Object.keys(QUERIES) as (keyof typeof QUERIES)[]) out[name] = db.prepare(QUERIES[name]);
  return out;
}
