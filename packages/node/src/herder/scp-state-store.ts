// Our own SCP statements, written durably before they leave the node (docs/scp.md: a restarted
// validator restores them and never contradicts what it signed), with the tx sets they name.

import type { SlotIndex } from '@qm/scp';
import type Database from 'better-sqlite3';
import { openStoreDatabase } from '../store/open-database.js';

export interface ScpStateStore {
  save(slot: SlotIndex, envelope: Uint8Array, txSets: readonly Uint8Array[]): void;
  load(slot: SlotIndex): { envelopes: Uint8Array[]; txSets: Uint8Array[] };
  /** Forgets slots below `slot` (closed long ago: the ledger store keeps what proves them). */
  purgeBelow(slot: SlotIndex): void;
  close(): void;
}

/**
 * SQLite with synchronous=FULL: each save is on disk before the statement is sent. A node saves a few
 * statements per ledger, so the fsync per save is affordable; losing one would let a restarted node
 * contradict itself, which is how forks start.
 */
export class SqliteScpStateStore implements ScpStateStore {
  private readonly db: Database.Database;
  private readonly insertEnvelope: Database.Statement;
  private readonly insertTxSet: Database.Statement;
  private readonly saveTx: (slot: SlotIndex, envelope: Uint8Array, txSets: readonly Uint8Array[]) => void;

  constructor(path: string) {
    this.db = openStoreDatabase(path);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS scp_envelope (slot INTEGER NOT NULL, seq INTEGER PRIMARY KEY AUTOINCREMENT, bytes BLOB NOT NULL);
      CREATE INDEX IF NOT EXISTS scp_envelope_slot ON scp_envelope (slot);
      CREATE TABLE IF NOT EXISTS scp_txset (slot INTEGER NOT NULL, bytes BLOB NOT NULL, UNIQUE (slot, bytes));
    `);
    this.insertEnvelope = this.db.prepare('INSERT INTO scp_envelope (slot, bytes) VALUES (?, ?)');
    this.insertTxSet = this.db.prepare('INSERT OR IGNORE INTO scp_txset (slot, bytes) VALUES (?, ?)');
    this.saveTx = this.db.transaction(
      (slot: SlotIndex, envelope: Uint8Array, txSets: readonly Uint8Array[]) => {
        this.insertEnvelope.run(slot, envelope);
        for (const t of txSets) this.insertTxSet.run(slot, t);
      },
    );
  }

  save(slot: SlotIndex, envelope: Uint8Array, txSets: readonly Uint8Array[]): void {
    this.saveTx(slot, envelope, txSets);
  }

  load(slot: SlotIndex): { envelopes: Uint8Array[]; txSets: Uint8Array[] } {
    const rows = (sql: string) =>
      (this.db.prepare(sql).all(slot) as { bytes: Buffer }[]).map((r) => new Uint8Array(r.bytes));
    return {
      envelopes: rows('SELECT bytes FROM scp_envelope WHERE slot = ? ORDER BY seq'),
      txSets: rows('SELECT bytes FROM scp_txset WHERE slot = ?'),
    };
  }

  purgeBelow(slot: SlotIndex): void {
    this.db.prepare('DELETE FROM scp_envelope WHERE slot < ?').run(slot);
    this.db.prepare('DELETE FROM scp_txset WHERE slot < ?').run(slot);
  }

  close(): void {
    this.db.close();
  }
}

export class MemoryScpStateStore implements ScpStateStore {
  private readonly slots = new Map<SlotIndex, { envelopes: Uint8Array[]; txSets: Uint8Array[] }>();
  save(slot: SlotIndex, envelope: Uint8Array, txSets: readonly Uint8Array[]): void {
    const s = this.slots.get(slot) ?? { envelopes: [], txSets: [] };
    s.envelopes.push(envelope);
    s.txSets.push(...txSets);
    this.slots.set(slot, s);
  }
  load(slot: SlotIndex) {
    const s = this.slots.get(slot);
    return { envelopes: [...(s?.envelopes ?? [])], txSets: [...(s?.txSets ?? [])] };
  }
  purgeBelow(slot: SlotIndex): void {
    for (const k of [...this.slots.keys()]) if (k < slot) this.slots.delete(k);
  }
  close(): void {}
}
