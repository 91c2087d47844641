/**
 * A receipt: everything an auditor needs to check, offline and with nothing but the network's genesis
 * file, that a transaction was applied in a given ledger with a given result.
 *
 *   tx envelope --hash--> txHash          (signatures checked under the network's suite)
 *   [LEAF_TAG, seq, txIndex, envelope, result] --RFC 9162 leaf hash--> leaf
 *   leaf + inclusionProof --RFC 9162 §2.1.3.2--> header.logRoot at header.logSize
 *   header --SHA-256(CBOR)--> headerHash
 *   headerChain: trusted header (genesis) -> ... -> header, each previousHash = hash of the one before
 *   scp: the signed statements that externalized the ledger (checked by a caller-supplied verifier,
 *        because packages/ledger does not depend on packages/scp)
 */
import { encode } from '../encoding/encode.js';
import type { DecodeLimits } from '../encoding/limits.js';
import * as s from '../encoding/schema.js';
import { LedgerError } from '../errors.js';
import { headerHash, headerRecord, headerSchema, type LedgerHeader } from '../ledger/header.js';
import type { LedgerStore } from '../ledger/storage.js';
import { MerkleLog } from '../merkle/log.js';

export const RECEIPT_VERSION = 1;
/** Headers in a receipt's chain; a longer gap needs a nearer trusted header (or SCP statements). */
export const MAX_RECEIPT_CHAIN = 10_000;
export const MAX_RECEIPT_SCP_ENVELOPES = 1_000;

export interface Receipt {
  readonly version: number;
  readonly networkId: Uint8Array;
  /** The transaction envelope, exactly as applied. */
  readonly envelope: Uint8Array;
  /** The canonical result bytes (RFC 8785 JSON, see ledger/result.ts). */
  readonly result: Uint8Array;
  readonly ledgerSeq: number;
  readonly txIndex: number;
  readonly leafIndex: number;
  readonly header: LedgerHeader;
  /** SHA-256 of the header's CBOR, stated so a human can compare it with a node's or a peer's. */
  readonly headerHash: Uint8Array;
  /** RFC 9162 PATH(leafIndex, D[0:header.logSize]). */
  readonly inclusionProof: readonly Uint8Array[];
  /**
   * Optional: consecutive headers, ascending, from a header the verifier trusts (ledger 0, the genesis
   * header, by default) up to the one before `header`.
   */
  readonly headerChain?: readonly LedgerHeader[];
  /** Optional: the SCP envelopes (opaque signed statements) that externalized this ledger. */
  readonly scpEnvelopes?: readonly Uint8Array[];
}

const hash = s.bytes({ length: 32 });

export const receiptSchema: s.Schema<Receipt> = s.record({
  version: s.literal(RECEIPT_VERSION),
  networkId: hash,
  envelope: s.bytes({ minLength: 1, maxLength: 64 * 1024 }),
  result: s.bytes({ minLength: 2, maxLength: 1024 * 1024 }),
  ledgerSeq: s.uint(),
  txIndex: s.uint(),
  leafIndex: s.uint(),
  header: headerSchema,
  headerHash: hash,
  inclusionProof: s.array(hash, { maxLength: 64 }),
  headerChain: s.optional(s.array(headerSchema, { maxLength: MAX_RECEIPT_CHAIN })),
  scpEnvelopes: s.optional(
    s.array(s.bytes({ maxLength: 64 * 1024 }), { maxLength: MAX_RECEIPT_SCP_ENVELOPES }),
  ),
});

export const RECEIPT_DECODE_LIMITS: DecodeLimits = Object.freeze({
  maxBytes: 16 * 1024 * 1024,
  maxDepth: 6,
  maxItems: 1_000_000,
  maxStringBytes: 1024 * 1024,
});

export function encodeReceipt(r: Receipt): Uint8Array {
  return encode({
    version: r.version,
    networkId: r.networkId,
    envelope: r.envelope,
    result: r.result,
    ledgerSeq: r.ledgerSeq,
    txIndex: r.txIndex,
    leafIndex: r.leafIndex,
    header: headerRecord(r.header),
    headerHash: r.headerHash,
    inclusionProof: [...r.inclusionProof],
    ...(r.headerChain !== undefined && {
      headerChain: r.headerChain.map(headerRecord),
    }),
    ...(r.scpEnvelopes !== undefined && { scpEnvelopes: [...r.scpEnvelopes] }),
  });
}

/** Decodes receipt bytes; throws DecodeError only. */
export function decodeReceipt(bytes: Uint8Array): Receipt {
  return s.decodeWith(receiptSchema, bytes, RECEIPT_DECODE_LIMITS);
}

export interface BuildReceiptOptions {
  /** Include headers from this sequence (default 0: genesis) up to the receipt's ledger; omit for none. */
  chainFrom?: number;
  /** Include the ledger's stored SCP envelopes (default true). */
  includeScp?: boolean;
}

/** Builds a receipt for an applied transaction from a store. Throws RECEIPT_TX_NOT_FOUND. */
export function buildReceipt(
  store: LedgerStore,
  txHash: Uint8Array,
  opts: BuildReceiptOptions = {},
): Receipt {
  const tx = store.getTx(txHash);
  if (tx === undefined) {
    throw new LedgerError('RECEIPT_TX_NOT_FOUND', 'no applied transaction with this hash', {
      txHash: Buffer.from(txHash).toString('hex'),
    });
  }
  const header = store.getHeader(tx.ledgerSeq)!;
  const log = new MerkleLog({
    size: () => store.merkle.size(),
    node: (l, i) => store.merkle.node(l, i),
    append() {},
  });
  let headerChain: LedgerHeader[] | undefined;
  if (opts.chainFrom !== undefined) {
    if (tx.ledgerSeq - opts.chainFrom > MAX_RECEIPT_CHAIN) {
      throw new LedgerError('RECEIPT_CHAIN_TOO_LONG', `more than ${MAX_RECEIPT_CHAIN} headers`);
    }
    headerChain = [];
    for (let q = opts.chainFrom; q < tx.ledgerSeq; q++) headerChain.push(store.getHeader(q)!);
  }
  const scp = opts.includeScp === false ? undefined : store.getScpEnvelopes(tx.ledgerSeq);
  return {
    version: RECEIPT_VERSION,
    networkId: header.networkId,
    envelope: tx.envelope,
    result: tx.resultBytes,
    ledgerSeq: tx.ledgerSeq,
    txIndex: tx.txIndex,
    leafIndex: tx.leafIndex,
    header,
    headerHash: headerHash(header),
    inclusionProof: log.inclusionProof(tx.leafIndex, header.logSize),
    ...(headerChain !== undefined && { headerChain }),
    ...(scp !== undefined && scp.length > 0 && { scpEnvelopes: scp }),
  };
}
