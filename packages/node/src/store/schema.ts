/**
 * The SQLite schema of a node's ledger store. Every table is written only by putClosedLedger, inside one
 * transaction per ledger close; the derived index tables (item_idx, offer_idx, alert_idx, history) are
 * functions of the ledgers and exist only to answer queries without scanning the state.
 */
export const SCHEMA_VERSION = 1;

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- One row per closed ledger; header = canonical CBOR, hash = SHA-256(header).
CREATE TABLE IF NOT EXISTS ledgers (
  seq INTEGER PRIMARY KEY,
  hash BLOB NOT NULL UNIQUE,
  close_time INTEGER NOT NULL,
  header BLOB NOT NULL
);

-- The tx set of each ledger, in apply order, with each envelope's canonical result.
CREATE TABLE IF NOT EXISTS tx_set (
  seq INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  envelope BLOB NOT NULL,
  result BLOB NOT NULL,
  PRIMARY KEY (seq, idx)
) WITHOUT ROWID;

-- Applied transactions by txHash (body hash) -> position and log leaf.
CREATE TABLE IF NOT EXISTS txs (
  hash BLOB PRIMARY KEY,
  seq INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  leaf_index INTEGER NOT NULL UNIQUE
) WITHOUT ROWID;

-- The SCP envelopes that externalized each ledger (opaque here).
CREATE TABLE IF NOT EXISTS scp (
  seq INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  envelope BLOB NOT NULL,
  PRIMARY KEY (seq, idx)
) WITHOUT ROWID;

-- The state at the last closed ledger: key -> canonical JSON (RFC 8785).
CREATE TABLE IF NOT EXISTS state (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- Transaction-log nodes: leaf hashes (level 0) and complete subtrees.
CREATE TABLE IF NOT EXISTS merkle (
  level INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  hash BLOB NOT NULL,
  PRIMARY KEY (level, idx)
) WITHOUT ROWID;

-- Events of successful operations by subject (UII, NSN, org, ...), for item history.
CREATE TABLE IF NOT EXISTS history (
  subject TEXT NOT NULL,
  seq INTEGER NOT NULL,
  tx_idx INTEGER NOT NULL,
  op_idx INTEGER NOT NULL,
  ev_idx INTEGER NOT NULL,
  tx_hash TEXT NOT NULL,
  event TEXT NOT NULL,
  PRIMARY KEY (subject, seq, tx_idx, op_idx, ev_idx)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS item_idx (
  uii TEXT PRIMARY KEY,
  custodian TEXT NOT NULL,
  nsn TEXT NOT NULL,
  status TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS item_by_custodian ON item_idx (custodian, uii);

CREATE TABLE IF NOT EXISTS offer_idx (
  id TEXT PRIMARY KEY,
  to_org TEXT NOT NULL,
  status TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS offer_by_status ON offer_idx (status, to_org, id);

CREATE TABLE IF NOT EXISTS alert_idx (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  subject TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS alert_by_kind ON alert_idx (kind, id);
CREATE INDEX IF NOT EXISTS alert_by_subject ON alert_idx (subject, id);
`;

/** Every statement the store runs, prepared once at open. Named so tests can check their query plans. */
export const QUERIES = {
  lastHeader: 'SELECT header FROM ledgers ORDER BY seq DESC LIMIT 1',
  logSize: 'SELECT coalesce(max(idx) + 1, 0) AS n FROM merkle WHERE level = 0',
  header: 'SELECT header FROM ledgers WHERE seq = ?',
  txSet: 'SELECT envelope, result FROM tx_set WHERE seq = ? ORDER BY idx',
  scp: 'SELECT envelope FROM scp WHERE seq = ? ORDER BY idx',
  tx: `SELECT t.seq, t.idx, t.leaf_index, s.envelope, s.result FROM txs t
       JOIN tx_set s ON s.seq = t.seq AND s.idx = t.idx WHERE t.hash = ?`,
  merkleNode: 'SELECT hash FROM merkle WHERE level = ? AND idx = ?',
  getState: 'SELECT value FROM state WHERE key = ?',
  keys: 'SELECT key FROM state WHERE key >= ? AND key < ? ORDER BY key',
  insertLedger: 'INSERT INTO ledgers (seq, hash, close_time, header) VALUES (?, ?, ?, ?)',
  insertTxSet: 'INSERT INTO tx_set (seq, idx, envelope, result) VALUES (?, ?, ?, ?)',
  insertTx: 'INSERT INTO txs (hash, seq, idx, leaf_index) VALUES (?, ?, ?, ?)',
  insertScp: 'INSERT INTO scp (seq, idx, envelope) VALUES (?, ?, ?)',
  putState:
    'INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  deleteState: 'DELETE FROM state WHERE key = ?',
  insertMerkle: 'INSERT INTO merkle (level, idx, hash) VALUES (?, ?, ?)',
  insertHistory:
    'INSERT INTO history (subject, seq, tx_idx, op_idx, ev_idx, tx_hash, event) VALUES (?, ?, ?, ?, ?, ?, ?)',
  history:
    'SELECT seq, tx_idx, op_idx, tx_hash, event FROM history WHERE subject = ? ORDER BY seq, tx_idx, op_idx, ev_idx',
  deleteItemIdx: 'DELETE FROM item_idx WHERE uii = ?',
  insertItemIdx: 'INSERT INTO item_idx (uii, custodian, nsn, status) VALUES (?, ?, ?, ?)',
  deleteOfferIdx: 'DELETE FROM offer_idx WHERE id = ?',
  insertOfferIdx: 'INSERT INTO offer_idx (id, to_org, status) VALUES (?, ?, ?)',
  deleteAlertIdx: 'DELETE FROM alert_idx WHERE id = ?',
  insertAlertIdx: 'INSERT INTO alert_idx (id, kind, subject) VALUES (?, ?, ?)',
  itemsByCustodian: `SELECT s.value FROM item_idx i JOIN state s ON s.key = 'item/' || i.uii
       WHERE i.custodian = ? ORDER BY i.uii LIMIT ?`,
  pendingOffers: `SELECT s.value FROM offer_idx o JOIN state s ON s.key = 'offer/' || o.id
       WHERE o.status = 'pending' ORDER BY o.id LIMIT ?`,
  pendingOffersTo: `SELECT s.value FROM offer_idx o JOIN state s ON s.key = 'offer/' || o.id
       WHERE o.status = 'pending' AND o.to_org = ? ORDER BY o.id LIMIT ?`,
  alerts: `SELECT s.value FROM alert_idx a JOIN state s ON s.key = 'alert/' || printf('%012d', a.id)
       WHERE a.id > ? ORDER BY a.id LIMIT ?`,
  alertsByKind: `SELECT s.value FROM alert_idx a JOIN state s ON s.key = 'alert/' || printf('%012d', a.id)
       WHERE a.kind = ? AND a.id > ? ORDER BY a.id LIMIT ?`,
  alertsBySubject: `SELECT s.value FROM alert_idx a JOIN state s ON s.key = 'alert/' || printf('%012d', a.id)
       WHERE a.subject = ? AND a.id > ? AND (? IS NULL OR a.kind = ?) ORDER BY a.id LIMIT ?`,
} as const;

/**
 * The writes of putClosedLedger as multi-row statements: `%` stands for the rows, a (?, ...) group of
 * `columns` parameters per row, or one ? per row in an IN (%). A statement per up to 64 rows cuts the
 * calls into SQLite per ledger by that factor; the effect is that of the single-row QUERIES above.
 */
export const BATCH = {
  insertTxSet: { columns: 4, sql: 'INSERT INTO tx_set (seq, idx, envelope, result) VALUES %' },
  insertTx: { columns: 4, sql: 'INSERT INTO txs (hash, seq, idx, leaf_index) VALUES %' },
  insertScp: { columns: 3, sql: 'INSERT INTO scp (seq, idx, envelope) VALUES %' },
  putState: {
    columns: 2,
    sql: 'INSERT INTO state (key, value) VALUES % ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  },
  deleteState: { columns: 1, sql: 'DELETE FROM state WHERE key IN (%)' },
  insertMerkle: { columns: 3, sql: 'INSERT INTO merkle (level, idx, hash) VALUES %' },
  insertHistory: {
    columns: 7,
    sql: 'INSERT INTO history (subject, seq, tx_idx, op_idx, ev_idx, tx_hash, event) VALUES %',
  },
  deleteItemIdx: { columns: 1, sql: 'DELETE FROM item_idx WHERE uii IN (%)' },
  upsertItemIdx: {
    columns: 4,
    sql: `INSERT INTO item_idx (uii, custodian, nsn, status) VALUES % ON CONFLICT (uii)
       DO UPDATE SET custodian = excluded.custodian, nsn = excluded.nsn, status = excluded.status`,
  },
  deleteOfferIdx: { columns: 1, sql: 'DELETE FROM offer_idx WHERE id IN (%)' },
  upsertOfferIdx: {
    columns: 3,
    sql: `INSERT INTO offer_idx (id, to_org, status) VALUES % ON CONFLICT (id)
       DO UPDATE SET to_org = excluded.to_org, status = excluded.status`,
  },
  deleteAlertIdx: { columns: 1, sql: 'DELETE FROM alert_idx WHERE id IN (%)' },
  upsertAlertIdx: {
    columns: 3,
    sql: `INSERT INTO alert_idx (id, kind, subject) VALUES % ON CONFLICT (id)
       DO UPDATE SET kind = excluded.kind, subject = excluded.subject`,
  },
} as const;
