// Catch-up of a node's own data directory (what `qm catchup` runs): the node's SQLite ledger store,
// opened only if no running node holds it.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { GenesisDescription } from '@qm/ledger';
import Database from 'better-sqlite3';
import { SqliteLedgerStore } from '../store/index.js';
import { type CatchUpProgress, type CatchUpSummary, catchUp } from './catch-up.js';
import { HistoryError } from './errors.js';

/** Where a node keeps its ledgers (start-node.ts opens the same file). */
export const LEDGER_DB_FILE = 'ledger.sqlite';

/**
 * Fails with HISTORY_STORE_LOCKED when another process has the database open. A running node keeps
 * its connection open in WAL mode, which holds a shared lock on the file for as long as it runs, so an
 * exclusive lock attempt (no waiting) fails exactly then. The probe lets go at once: the store opens
 * its own connection. A node started during the catch-up is not excluded; its first write would then
 * fail on the ledger primary key rather than corrupt anything, but the operator should not do that.
 */
export function assertStoreNotInUse(dbFile: string): void {
  if (!existsSync(dbFile)) return;
  let db: Database.Database | undefined;
  try {
    db = new Database(dbFile, { timeout: 0 });
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
      throw new HistoryError(
        'HISTORY_STORE_LOCKED',
        `${dbFile} is in use by another process: stop the node before catching it up`,
        { file: dbFile },
      );
    }
    throw e;
  } finally {
    db?.close();
  }
}

export interface CatchUpNodeOptions {
  /** The node's data directory (node config `dataDir`); created when the node never ran. */
  readonly dataDir: string;
  readonly archiveDir: string;
  readonly genesis: GenesisDescription;
  readonly onProgress?: (p: CatchUpProgress) => void;
  readonly to?: number;
}

/** The node's ledger store in its data directory (the file `qm node run` uses). */
export function openNodeLedgerStore(
  dataDir: string,
  opts: { synchronous?: 'FULL' | 'NORMAL' } = {},
): SqliteLedgerStore {
  return new SqliteLedgerStore(join(dataDir, LEDGER_DB_FILE), opts);
}

/** Opens the node's ledger store, catches it up from the archive, and closes it, even on failure. */
export function catchUpNode(opts: CatchUpNodeOptions): CatchUpSummary & { readonly dbFile: string } {
  mkdirSync(opts.dataDir, { recursive: true });
  const dbFile = join(opts.dataDir, LEDGER_DB_FILE);
  assertStoreNotInUse(dbFile);
  // NORMAL: a power loss may lose the last few replayed ledgers, never corrupt the store; a rerun
  // re-applies them from the archive. FULL would cost one fsync per ledger for nothing more.
  const store = openNodeLedgerStore(opts.dataDir, { synchronous: 'NORMAL' });
  try {
    return {
      ...catchUp({
        store,
        archiveDir: opts.archiveDir,
        genesis: opts.genesis,
        ...(opts.onProgress !== undefined && { onProgress: opts.onProgress }),
        ...(opts.to !== undefined && { to: opts.to }),
      }),
      dbFile,
    };
  } finally {
    store.close();
  }
}
