// The herder's LedgerApp over the real ledger: tx sets in their wire form, closeLedger (packages/ledger)
// applied to the store's state, and one atomic store write per close.
import {
  closeLedger,
  encode,
  equalBytes,
  headerHash,
  LedgerError,
  type LedgerStore,
  type LedgerTxResult,
  MAX_ENVELOPE_BYTES,
  MAX_TX_SET_SIZE,
  nextSeq,
  type SignatureSuite,
  schema,
  sourceIdOf,
  type TransactionEnvelope,
  txSetHash,
} from '@qm/ledger';
import type { SlotIndex } from '@qm/scp';
import type { ClosedLedger, LastClosed, LedgerApp, TxSetData } from '../herder/ledger-app.js';
import type { ScpStateStore } from '../herder/scp-state-store.js';

/** Wire form of a tx set: CBOR {prev: previous ledger hash, txs: [envelope bytes]} (docs/formats.md). */
export const txSetSchema = schema.record({
  prev: schema.bytes({ length: 32 }),
  txs: schema.array(schema.bytes({ maxLength: MAX_ENVELOPE_BYTES }), { maxLength: MAX_TX_SET_SIZE }),
});
export const TX_SET_LIMITS = {
  maxBytes: 4 * 1024 * 1024,
  maxItems: MAX_TX_SET_SIZE * 2 + 16,
  maxStringBytes: MAX_ENVELOPE_BYTES,
};

/** SCP state older than this many slots behind the last closed ledger is dropped. */
const KEEP_SCP_SLOTS = 16;

export class StoreLedgerApp implements LedgerApp {
  constructor(
    private readonly store: LedgerStore,
    private readonly scpState: ScpStateStore,
    private readonly networkId: Uint8Array,
    private readonly suite: SignatureSuite,
    /** Envelopes whose signatures were already verified (on admission to the tx queue). */
    private readonly alreadyVerified?: (envelope: Uint8Array, env: TransactionEnvelope) => boolean,
  ) {}

  lastClosed(): LastClosed {
    const h = this.store.lastClosed();
    if (!h) throw new RangeError('the ledger store holds no genesis ledger');
    return { seq: h.sequence, hash: headerHash(h), txSetHash: h.txSetHash, closeTime: h.closeTime };
  }

  buildTxSet(txs: readonly Uint8Array[]): TxSetData {
    const prev = this.lastClosed().hash;
    return {
      hash: txSetHash(prev, txs),
      bytes: encode({ prev, txs: [...txs] }),
      txCount: txs.length,
      previousLedgerHash: prev,
    };
  }

  parseTxSet(bytes: Uint8Array): TxSetData | null {
    try {
      const t = schema.decodeWith(txSetSchema, bytes, TX_SET_LIMITS);
      return { hash: txSetHash(t.prev, t.txs), bytes, txCount: t.txs.length, previousLedgerHash: t.prev };
    } catch {
      return null;
    }
  }

  close(
    txSet: TxSetData,
    closeTime: number,
    scpEnvelopes: readonly Uint8Array[],
    expectedHash?: Uint8Array,
  ): ClosedLedger {
    const prev = this.store.lastClosed()!;
    const txs = schema.decodeWith(txSetSchema, txSet.bytes, TX_SET_LIMITS).txs;
    const result = closeLedger(
      {
        prev,
        txSet: txs,
        closeTime,
        networkId: this.networkId,
        suite: this.suite,
        ...(this.alreadyVerified && { alreadyVerified: this.alreadyVerified }),
      },
      this.store,
      this.store.merkle,
    );
    if (expectedHash && !equalBytes(result.headerHash, expectedHash)) {
      // Deterministic apply of the inputs a quorum agreed on gave another ledger than the quorum's:
      // this node's state or code differs from the network's, and writing it would fork the node.
      throw new LedgerError(
        'LEDGER_HASH_MISMATCH',
        `ledger ${result.header.sequence} applied to another header`,
        {
          sequence: result.header.sequence,
          computed: Buffer.from(result.headerHash).toString('hex'),
          expected: Buffer.from(expectedHash).toString('hex'),
        },
      );
    }
    this.store.putClosedLedger(result, scpEnvelopes);
    this.scpState.purgeBelow(result.header.sequence - KEEP_SCP_SLOTS);
    return {
      seq: result.header.sequence,
      hash: result.headerHash,
      txHashes: includedTxHashes(result.results),
    };
  }

  nextSequence(source: Uint8Array): bigint | null {
    const id = sourceIdOf(this.store, source);
    return id === undefined ? null : nextSeq(this.store, id);
  }

  saveScpState(slot: SlotIndex, envelope: Uint8Array, txSets: readonly Uint8Array[]): void {
    this.scpState.save(slot, envelope, txSets);
  }

  loadScpState(slot: SlotIndex) {
    return this.scpState.load(slot);
  }
}

/** Transaction hashes of a tx set's envelopes, from their results (whatever the result: they leave the queue). */
function includedTxHashes(results: readonly LedgerTxResult[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  // An undecodable envelope has no hash in its result, and was never in anyone's queue.
  for (const r of results) if (r.txHash !== undefined) out.push(Buffer.from(r.txHash, 'hex'));
  return out;
}
