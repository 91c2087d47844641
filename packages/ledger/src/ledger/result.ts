/**
 * The result a ledger records for each envelope of its transaction set, and the log leaf of each
 * applied transaction.
 */

import type { OpResult } from '../domain/exec.js';
import type { Alert } from '../domain/state.js';
import { encode } from '../encoding/encode.js';
import type { TxVerifyCode } from '../tx/envelope.js';
import { canonicalJsonBytes } from './canonical-json.js';

/**
 * Stable per-transaction codes. TX_SUCCESS and TX_FAILED mean the transaction was applied: its source's
 * sequence number was consumed and it has a log leaf (TX_FAILED: an operation failed, so none took
 * effect). Every other code means the envelope was rejected as a whole: no state change, no leaf.
 */
export const LEDGER_TX_CODES = {
  TX_SUCCESS: 'Every operation succeeded and the transaction took effect.',
  TX_FAILED: 'An operation failed (see operations); the sequence number was consumed, nothing else changed.',
  TX_MALFORMED: 'The envelope bytes do not decode as a canonical transaction envelope.',
  TX_WRONG_NETWORK: 'The transaction names another network id.',
  TX_BAD_TIME_BOUNDS: 'minTime is after maxTime: no ledger can include the transaction.',
  TX_TOO_EARLY: "The ledger's close time is before the transaction's minTime.",
  TX_TOO_LATE: "The ledger's close time is after the transaction's maxTime.",
  TX_NO_SIGNATURES: 'The envelope carries no signature.',
  TX_DUPLICATE_SIGNER: 'One key signed the envelope twice.',
  TX_BAD_SIGNATURE: 'A signature does not verify under the network suite.',
  TX_SOURCE_NOT_SIGNED: "The source's key did not sign the envelope.",
  TX_SOURCE_UNKNOWN: 'The source key is neither a registered member nor a registered device.',
  TX_BAD_SEQ: "The sequence number is not the source's next one (replayed or out of order).",
} as const satisfies Record<string, string> & Record<TxVerifyCode, string>;

export type LedgerTxCode = keyof typeof LEDGER_TX_CODES;

export interface LedgerTxResult {
  code: LedgerTxCode;
  /** Hex txHash (SHA-256 of the transaction body), when the envelope decoded. */
  txHash?: string;
  /** Human-readable detail of a rejection (not part of any contract, not hashed or stored; the code is). */
  message?: string;
  /** One result per operation, when the transaction was applied. */
  operations?: OpResult[];
  /** Alerts the transaction recorded. */
  alerts?: Alert[];
}

export const isApplied = (r: LedgerTxResult): boolean => r.code === 'TX_SUCCESS' || r.code === 'TX_FAILED';

/**
 * The form of a result that is hashed and stored: everything but the human-readable messages. Messages
 * may be reworded in any release (errors.ts), and a reworded message must not change a results hash
 * and so split nodes running different releases; codes, events and alerts are the contract.
 */
export function consensusResult(r: LedgerTxResult): LedgerTxResult {
  // Built with keys in code-unit order, so that canonical JSON takes its native fast path.
  const out = {} as LedgerTxResult;
  if (r.alerts !== undefined) out.alerts = r.alerts;
  out.code = r.code;
  if (r.operations !== undefined) out.operations = r.operations.map(withoutMessage);
  if (r.txHash !== undefined) out.txHash = r.txHash;
  return out;
}

/** An operation result without its message, keys in code-unit order. */
function withoutMessage(o: OpResult): OpResult {
  const src = o as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(src).sort()) if (k !== 'message') out[k] = src[k];
  return out as unknown as OpResult;
}

/**
 * The canonical bytes of a result: RFC 8785 JSON (results carry coordinates, see canonical-json.ts) of
 * its consensus form (no messages).
 */
export function encodeResult(r: LedgerTxResult): Uint8Array {
  return canonicalJsonBytes(consensusResult(r));
}

export const LEAF_TAG = 'qm/leaf/v1';

/**
 * The data of the transaction-log leaf of an applied transaction:
 *
 *   CBOR([LEAF_TAG, ledgerSequence, txIndex, envelopeBytes, resultBytes])
 *
 * and its RFC 9162 leaf hash is SHA-256(0x00 || that). The leaf holds the whole envelope (so an
 * auditor can re-verify its signatures) and the canonical result (so a receipt proves the outcome, not
 * only the submission); the position pins where in history it was applied.
 */
export function encodeLeaf(
  ledgerSequence: number,
  txIndex: number,
  envelope: Uint8Array,
  result: Uint8Array,
): Uint8Array {
  return encode([LEAF_TAG, ledgerSequence, txIndex, envelope, result]);
}
