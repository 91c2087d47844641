/**
 * Where closed ledgers live. A node has exactly one LedgerStore (SQLite by default, packages/node); the
 * in-memory one (memory-store.ts) backs tests, the simulator and replay checks.
 *
 * Contract:
 * - putClosedLedger is the only write and it is atomic: the header, the tx set, the results, the
 *   applied transactions, the state changes, the new log nodes and the SCP statements of one ledger
 *   become visible together or not at all, so a crash at any instant restarts at the last closed ledger.
 * - Ledgers are written in order: the first is a genesis ledger (sequence 0), then each next one must
 *   name the last one's hash as previousHash (LEDGER_STORE_OUT_OF_ORDER otherwise).
 * - Reads see the last closed ledger only; closeLedger reads state and log through `get` and `merkle`.
 */

import { equalBytes } from '../crypto/bytes.js';
import type { DomainEvent } from '../domain/exec.js';
import type { Alert, CustodyOffer, Item, StockRecord } from '../domain/state.js';
import { LedgerError } from '../errors.js';
import type { LedgerCloseResult } from './close.js';
import { headerHash, type LedgerHeader } from './header.js';
import type { MerkleReader } from './merkle-overlay.js';
import type { LedgerTxResult } from './result.js';

export interface StoredTx {
  readonly ledgerSeq: number;
  readonly txIndex: number;
  readonly txHash: Uint8Array;
  readonly envelope: Uint8Array;
  readonly result: LedgerTxResult;
  readonly resultBytes: Uint8Array;
  readonly leafIndex: number;
}

/** One event in an item's (or any subject's) history, in ledger order. */
export interface HistoryEntry {
  readonly ledgerSeq: number;
  readonly txIndex: number;
  readonly opIndex: number;
  /** Hex txHash. */
  readonly txHash: string;
  readonly event: DomainEvent;
}

export interface AlertQuery {
  kind?: Alert['kind'];
  subject?: string;
  /** Only alerts with id > afterId (for paging). */
  afterId?: number;
  /** At most this many (default and maximum 1000). */
  limit?: number;
}

export const MAX_QUERY_ROWS = 1000;

export interface LedgerStore {
  /** The last closed header, or null for an empty store (before genesis). */
  lastClosed(): LedgerHeader | null;
  getHeader(sequence: number): LedgerHeader | undefined;
  getTxSet(sequence: number): Uint8Array[] | undefined;
  /** Canonical result bytes, one per envelope of the tx set. */
  getResults(sequence: number): Uint8Array[] | undefined;
  getScpEnvelopes(sequence: number): Uint8Array[] | undefined;
  /** An applied transaction by its txHash. */
  getTx(txHash: Uint8Array): StoredTx | undefined;
  /** The one write: everything of one closed ledger, atomically. */
  putClosedLedger(close: LedgerCloseResult, scpEnvelopes: readonly Uint8Array[]): void;

  /** State reads (StateStore-compatible) at the last closed ledger. */
  get(key: string): unknown | undefined;
  /** Keys with the prefix, ascending code-unit order. */
  keys(prefix?: string): string[];
  /** The transaction log's stored nodes (for closeLedger, roots and proofs). */
  readonly merkle: MerkleReader;

  /** Current state of a serialized item and every event about it, oldest first. */
  itemByUii(uii: string): { item: Item; history: HistoryEntry[] } | undefined;
  /** Stock records of an NSN (13 digits, no dashes), optionally at one site. */
  stockByNsn(nsn: string, site?: string): StockRecord[];
  itemsByCustodian(org: string): Item[];
  /** Pending custody offers, optionally only those made to `toOrg`. */
  pendingOffers(toOrg?: string): CustodyOffer[];
  alerts(query?: AlertQuery): Alert[];

  close(): void;
}

/** Rejects a close result that does not extend the store's last closed ledger. */
export function checkExtends(last: LedgerHeader | null, close: LedgerCloseResult): void {
  const h = close.header;
  if (last === null) {
    if (h.sequence !== 0) {
      throw new LedgerError(
        'LEDGER_STORE_OUT_OF_ORDER',
        `empty store: expected genesis, got ledger ${h.sequence}`,
      );
    }
    return;
  }
  if (h.sequence !== last.sequence + 1 || !equalBytes(h.previousHash, headerHash(last))) {
    throw new LedgerError(
      'LEDGER_STORE_OUT_OF_ORDER',
      `ledger ${h.sequence} does not extend last closed ledger ${last.sequence}`,
      { sequence: h.sequence, last: last.sequence },
    );
  }
  if (!equalBytes(h.networkId, last.networkId)) {
    throw new LedgerError('LEDGER_STORE_OUT_OF_ORDER', 'ledger of another network');
  }
}

/** The history rows a closed ledger adds: every event of every successful operation. */
export function historyOf(close: LedgerCloseResult): HistoryEntry[] {
  const out: HistoryEntry[] = [];
  for (const tx of close.applied) {
    if (tx.result.code !== 'TX_SUCCESS') continue;
    const ops = tx.result.operations ?? [];
    ops.forEach((op, opIndex) => {
      if (!op.ok) return;
      for (const event of op.events ?? []) {
        out.push({
          ledgerSeq: close.header.sequence,
          txIndex: tx.txIndex,
          opIndex,
          txHash: Buffer.from(tx.txHash).toString('hex'),
          event,
        });
      }
    });
  }
  return out;
}

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
