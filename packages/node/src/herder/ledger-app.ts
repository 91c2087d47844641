// What the herder needs from the ledger and its store, so that consensus and the state machine stay
// apart: the node wires the real ledger (packages/ledger + the SQLite store) behind this interface.
import type { SlotIndex } from '@qm/scp';

export interface LastClosed {
  readonly seq: number;
  readonly hash: Uint8Array;
  readonly txSetHash: Uint8Array;
  /** Unix seconds. */
  readonly closeTime: number;
}

/** A transaction set: the transactions of one ledger, in apply order, and its hash. */
export interface TxSetData {
  readonly hash: Uint8Array;
  readonly bytes: Uint8Array;
  readonly txCount: number;
  /** The ledger it builds on. */
  readonly previousLedgerHash: Uint8Array;
}

export interface ClosedLedger {
  readonly seq: number;
  readonly hash: Uint8Array;
  /** Hashes of the transactions the ledger included (applied or failed). */
  readonly txHashes: readonly Uint8Array[];
}

export interface LedgerApp {
  lastClosed(): LastClosed;
  /** The tx set for the next ledger from admitted transactions, in the ledger's canonical order. */
  buildTxSet(txs: readonly Uint8Array[]): TxSetData;
  /** Parses a tx set received from a peer; null when malformed. (The herder checks which ledger it builds on.) */
  parseTxSet(bytes: Uint8Array): TxSetData | null;
  /**
   * Applies the next ledger and persists it in one atomic write, with the SCP statements that
   * externalized it. With `expectedHash` (a ledger proven by the quorum, fetched while catching up), a
   * different result throws before anything is written.
   */
  close(
    txSet: TxSetData,
    closeTime: number,
    scpEnvelopes: readonly Uint8Array[],
    expectedHash?: Uint8Array,
  ): ClosedLedger;
  /** A source's next expected sequence number (null: not a registered member or device). */
  nextSequence(source: Uint8Array): bigint | null;
  /**
   * Persists one of our own SCP statements before it goes out (docs/scp.md), with the tx sets its values
   * name, so that after a restart the node can restore it and still close the ledger it voted for.
   */
  saveScpState(slot: SlotIndex, envelope: Uint8Array, txSets: readonly Uint8Array[]): void;
  loadScpState(slot: SlotIndex): { envelopes: Uint8Array[]; txSets: Uint8Array[] };
}
