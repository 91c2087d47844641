/**
 * The hashes a header commits to. Each hashes a deterministic CBOR array whose first element is a
 * version tag, so a hash of one kind can never be reinterpreted as another kind.
 */
import { sha256 } from '../crypto/hash.js';
import { encode } from '../encoding/encode.js';
import { canonicalJson } from './canonical-json.js';

export const TX_SET_TAG = 'qm/txset/v1';
export const RESULTS_TAG = 'qm/results/v1';
export const STATE_TAG = 'qm/state/v1';

/**
 * SHA-256 of the exact envelope bytes (signatures included). The tx set pins bytes, not transaction
 * hashes (txHash covers the body only), because two envelopes of one transaction may carry different
 * signature sets and a ledger must say exactly which bytes it applied.
 */
export function envelopeHash(envelope: Uint8Array): Uint8Array {
  return sha256(envelope);
}

/** SHA-256(CBOR([TX_SET_TAG, previousLedgerHash, [envelopeHash(e) for e in txSet, in order]])). */
export function txSetHash(previousHash: Uint8Array, txSet: readonly Uint8Array[]): Uint8Array {
  return sha256(encode([TX_SET_TAG, previousHash, txSet.map(envelopeHash)]));
}

/** SHA-256(CBOR([RESULTS_TAG, [SHA-256(resultBytes) for each envelope, in order]])). */
export function resultsHash(resultBytes: readonly Uint8Array[]): Uint8Array {
  return sha256(encode([RESULTS_TAG, resultBytes.map((r) => sha256(r))]));
}

/** One state change: the new value of a key, or null when the key was deleted. */
export interface StateChange {
  readonly key: string;
  readonly value: unknown | null;
  /**
   * canonicalJson(value), when the producer already wrote it (closeLedger does, once per change, for the
   * state commitment and the store's write alike). Must be exactly that text; absent for a deletion.
   */
  readonly json?: string;
}

const utf8 = new TextEncoder();

/**
 * stateCommitment(n) = SHA-256(CBOR([STATE_TAG, stateCommitment(n-1), sequence, [[key, JCS(value) | null]...]]))
 * over this ledger's changes in ascending key order; stateCommitment(-1) is 32 zero bytes and the genesis
 * ledger's "changes" are its whole initial state.
 *
 * Why a chain and not a state Merkle tree: a tree over every key costs a rehash of O(changes * log n)
 * nodes and its own storage; the chain costs one pass over the changes the ledger already has to write.
 * Two nodes with equal commitments applied byte-identical change sets ever since genesis, so their
 * states are equal; what a chain cannot do is prove one key's value to a light client (that needs the
 * tree, future work).
 */
export function stateCommitment(
  previous: Uint8Array,
  sequence: number,
  changes: readonly StateChange[],
): Uint8Array {
  return sha256(
    encode([
      STATE_TAG,
      previous,
      sequence,
      changes.map((c) => [c.key, c.value === null ? null : utf8.encode(c.json ?? canonicalJson(c.value))]),
    ]),
  );
}
