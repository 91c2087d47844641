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
  isJsonExact,
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
import type Database from 'better-sqlite3';
import { openStoreDatabase } from './open-database.js';
import { BATCH, QUERIES, SCHEMA, SCHEMA_VERSION } from './schema.js';

export interface SqliteLedgerStoreOptions {
  /** 'FULL' (default) or 'NORMAL'; see the module comment for the trade-off. */
  synchronous?: 'FULL' | 'NORMAL';
}

type Row = Record<string, unknown>;
const bytes = (b: unknown): Uint8Array => new Uint8Array(b as Buffer);
/** Bound on the parsed-value cache (principle 4); cleared wholesale when full, which is rare and cheap. */
const STATE_CACHE_ENTRIES = 50_000;
/** Rows per multi-row statement (a power of two): fewer, larger statements per ledger (each call into SQLite costs). */
const ROWS_PER_STATEMENT = 64;
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
   * Decoded state values by key (undefined = known absent). closeLedger reads the same records (members,
   * params, item classes, the items a ledger touches again) for every transaction; reading and parsing
   * them from SQLite each time costs as much as the rest of apply. After each committed close (never
   * before: a failed write must not leave the cache ahead of the database) the changed keys take their
   * new values: a value whose stored JSON parses back to exactly it (isJsonExact) is cached as is, any
   * other as the parse of the text just written. So the cache always equals what a reopened store would
   * read. Cached values are shared with callers and deep-frozen, so that nothing can change them behind
   * the database's back (the domain copies on read; a caller that wants to edit one must copy it).
   */
  readonly #cache = new Map<string, unknown>();
  readonly #batch = new Map<string, Database.Statement>();
  readonly merkle: MerkleReader;

  constructor(path: string, opts: SqliteLedgerStoreOptions = {}) {
    this.#db = openStoreDatabase(path, opts.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL');
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
    const seq = close.header.sequence;
    // Rows are gathered first (serializing may throw: nothing is written then), then written with
    // multi-row statements inside ONE SQLite transaction.
    const txSet: unknown[] = [];
    close.txSet.forEach((env, i) => {
      txSet.push(seq, i, env, close.resultBytes[i]);
    });
    const txs: unknown[] = [];
    for (const tx of close.applied) txs.push(tx.txHash, seq, tx.txIndex, tx.leafIndex);
    const scp: unknown[] = [];
    scpEnvelopes.forEach((env, i) => {
      scp.push(seq, i, env);
    });
    const puts: unknown[] = [];
    const deletes: unknown[] = [];
    const idx: IndexRows = {
      items: [],
      itemsGone: [],
      offers: [],
      offersGone: [],
      alerts: [],
      alertsGone: [],
    };
    const texts: (string | undefined)[] = [];
    for (const c of close.stateChanges) {
      if (c.value === null) {
        deletes.push(c.key);
        texts.push(undefined);
      } else {
        const text = c.json ?? canonicalJson(c.value);
        puts.push(c.key, text);
        texts.push(text);
      }
      indexRows(idx, c.key, c.value);
    }
    const merkle: unknown[] = [];
    for (const n of close.logNodes) merkle.push(n.level, n.index, n.hash);
    const history: unknown[] = [];
    const evIdx = new Map<string, number>();
    for (const h of historyOf(close)) {
      const pos = `${h.txIndex}.${h.opIndex}.${h.event.subject}`;
      const e = evIdx.get(pos) ?? 0;
      evIdx.set(pos, e + 1);
      history.push(h.event.subject, seq, h.txIndex, h.opIndex, e, h.txHash, canonicalJson(h.event));
    }
    const write = this.#db.transaction(() => {
      this.#q.insertLedger.run(seq, close.headerHash, close.header.closeTime, encodeHeader(close.header));
      this.#insert('insertTxSet', txSet);
      this.#insert('insertTx', txs);
      this.#insert('insertScp', scp);
      this.#insert('deleteState', deletes);
      this.#insert('putState', puts);
      this.#insert('deleteItemIdx', idx.itemsGone);
      this.#insert('upsertItemIdx', idx.items);
      this.#insert('deleteOfferIdx', idx.offersGone);
      this.#insert('upsertOfferIdx', idx.offers);
      this.#insert('deleteAlertIdx', idx.alertsGone);
      this.#insert('upsertAlertIdx', idx.alerts);
      this.#insert('insertMerkle', merkle);
      this.#insert('insertHistory', history);
    });
    write.immediate();
    this.#last = close.header;
    if (this.#cache.size + close.stateChanges.length > STATE_CACHE_ENTRIES) this.#cache.clear();
    close.stateChanges.forEach((c, i) => {
      // Exactly what get() would read back: the value itself when it round-trips through JSON exactly,
      // else the parse of the text just written.
      const text = texts[i];
      const v = text === undefined ? undefined : isJsonExact(c.value) ? c.value : JSON.parse(text);
      this.#cache.set(c.key, deepFreeze(v));
    });
  }

  /**
   * Runs statement `name` over `params` (its rows, flattened): ROWS_PER_STATEMENT rows per call, the rest
   * in power-of-two groups, so that a table needs at most 7 prepared shapes (64, 32, ..., 1 rows).
   */
  #insert(name: keyof typeof BATCH, params: unknown[]): void {
    const { columns } = BATCH[name];
    let at = 0;
    let rows = (params.length / columns) | 0;
    for (let size = ROWS_PER_STATEMENT; rows > 0; size >>= 1) {
      while (rows >= size) {
        const n = size * columns;
        this.#statement(name, size).run(at === 0 && n === params.length ? params : params.slice(at, at + n));
        at += n;
        rows -= size;
      }
    }
  }

  /** The prepared statement of `name` for `rows` rows, prepared once per store. */
  #statement(name: keyof typeof BATCH, rows: number): Database.Statement {
    const id = `${name}/${rows}`;
    let st = this.#batch.get(id);
    if (st === undefined) {
      st = this.#db.prepare(batchSql(name, rows));
      this.#batch.set(id, st);
    }
    return st;
  }

  get(key: string): unknown | undefined {
    const known = this.#cache.get(key);
    if (known !== undefined || this.#cache.has(key)) return known;
    const r = this.#q.getState.get(key) as Row | undefined;
    const value = r === undefined ? undefined : deepFreeze(JSON.parse(r.value as string));
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

interface IndexRows {
  items: unknown[];
  itemsGone: unknown[];
  offers: unknown[];
  offersGone: unknown[];
  alerts: unknown[];
  alertsGone: unknown[];
}

/** The derived query-table rows of one state change. */
function indexRows(idx: IndexRows, key: string, value: unknown | null): void {
  if (key.startsWith('item/')) {
    const uii = key.slice(5);
    if (value === null) idx.itemsGone.push(uii);
    else {
      const it = value as Item;
      idx.items.push(uii, it.custodian, it.nsn, it.status);
    }
  } else if (key.startsWith('offer/')) {
    const id = key.slice(6);
    if (value === null) idx.offersGone.push(id);
    else {
      const o = value as CustodyOffer;
      idx.offers.push(id, o.to, o.status);
    }
  } else if (key.startsWith('alert/')) {
    const id = Number(key.slice(6));
    if (value === null) idx.alertsGone.push(id);
    else {
      const a = value as Alert;
      idx.alerts.push(id, a.kind, a.subject);
    }
  }
}

/** BATCH[name]'s SQL for `rows` rows: `%` becomes (?, ...) per row, or the ? list of an IN (...). */
function batchSql(name: keyof typeof BATCH, rows: number): string {
  const b = BATCH[name];
  const one = b.columns === 1 ? '?' : `(${Array.from({ length: b.columns }, () => '?').join(',')})`;
  return b.sql.replace('%', Array.from({ length: rows }, () => one).join(','));
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

function prepare(db: Database.Database) {
  const out = {} as { -readonly [K in keyof typeof QUERIES]: Database.Statement };
  for (const name of Object.keys(QUERIES) as (keyof typeof QUERIES)[]) out[name] = db.prepare(QUERIES[name]);
  return out;
}
