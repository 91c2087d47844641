// Opening one of the node's SQLite files: WAL, the chosen fsync policy, and an integrity check first, so
// that a damaged file stops the node at start with its name in the error instead of being run on (a
// store SQLite calls malformed may still answer some queries, wrongly).
import { LedgerError } from '@qm/ledger';
import Database from 'better-sqlite3';

/** SQLite result codes that mean the file itself is damaged or not a database. */
const DAMAGED = new Set([
  'SQLITE_CORRUPT',
  'SQLITE_NOTADB',
  'SQLITE_CORRUPT_VTAB',
  'SQLITE_CORRUPT_SEQUENCE',
]);

/**
 * Opens (creating if absent) a database for a store. Throws LedgerError STORE_CORRUPT (damaged file,
 * failed quick_check) or STORE_UNAVAILABLE (cannot open it at all), each naming the file in its
 * message and in details.file.
 */
export function openStoreDatabase(path: string, synchronous: 'FULL' | 'NORMAL' = 'FULL'): Database.Database {
  let db: Database.Database | undefined;
  try {
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous}`);
    // quick_check reads every page once (O(file size), a fraction of a second per hundred megabytes on
    // an SSD) and skips the index cross-checks of integrity_check.
    const problems = (db.pragma('quick_check') as { quick_check: string }[])
      .map((r) => r.quick_check)
      .filter((r) => r !== 'ok');
    if (problems.length > 0) {
      throw new LedgerError(
        'STORE_CORRUPT',
        `${path} is damaged (SQLite quick_check: ${problems.slice(0, 3).join('; ')}); restore it from a backup or remove the data directory and let the node catch up from its peers`,
        { file: path, problems: problems.slice(0, 20) },
      );
    }
    return db;
  } catch (e) {
    db?.close();
    if (e instanceof LedgerError) throw e;
    const code = (e as { code?: unknown }).code;
    const sqlite = typeof code === 'string' ? code : 'UNKNOWN';
    const message = e instanceof Error ? e.message : String(e);
    if (DAMAGED.has(sqlite)) {
      throw new LedgerError(
        'STORE_CORRUPT',
        `${path} is damaged (${sqlite}: ${message}); restore it from a backup or remove the data directory and let the node catch up from its peers`,
        { file: path, sqlite },
      );
    }
    throw new LedgerError('STORE_UNAVAILABLE', `cannot open ${path} (${sqlite}: ${message})`, {
      file: path,
      sqlite,
    });
  }
}
