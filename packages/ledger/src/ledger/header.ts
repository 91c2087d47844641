/**
 * The ledger header: everything a closed ledger commits to, in 32-byte hashes.
 *
 *   headerHash = SHA-256(CBOR(header))          (deterministic CBOR, docs/formats.md)
 *
 * Ledger 0 is the genesis ledger (no transactions; its state is the genesis state); ledger n >= 1
 * applies the transaction set SCP externalized for slot n. previousHash links each header to the one
 * before, so one trusted header hash vouches for the whole chain below it.
 */
import { sha256 } from '../crypto/hash.js';
import { encode } from '../encoding/encode.js';
import type { DecodeLimits } from '../encoding/limits.js';
import * as s from '../encoding/schema.js';

/** Bumped whenever apply rules or any hashed format change; nodes refuse headers of another version. */
export const PROTOCOL_VERSION = 1;
export const HASH_BYTES = 32;
export const ZERO_HASH: Uint8Array = new Uint8Array(HASH_BYTES);

export interface LedgerHeader {
  readonly protocolVersion: number;
  /** The network this ledger belongs to (hash of its genesis description). */
  readonly networkId: Uint8Array;
  /** 0 for genesis, then +1 per closed ledger. */
  readonly sequence: number;
  /** headerHash of ledger sequence - 1; all zeroes for genesis. */
  readonly previousHash: Uint8Array;
  /** Unix seconds agreed through SCP; strictly increasing. */
  readonly closeTime: number;
  /** See txSetHash(): the ordered envelopes applied, bound to previousHash. */
  readonly txSetHash: Uint8Array;
  /** See resultsHash(): one canonical result per envelope of the set. */
  readonly resultsHash: Uint8Array;
  /** See stateCommitment(): the chained hash of every state change since genesis. */
  readonly stateCommitment: Uint8Array;
  /** RFC 9162 root of the transaction log after this ledger. */
  readonly logRoot: Uint8Array;
  /** Number of leaves in the transaction log after this ledger. */
  readonly logSize: number;
}

const hash = s.bytes({ length: HASH_BYTES });

export const headerSchema: s.Schema<LedgerHeader> = s.record({
  protocolVersion: s.uint(),
  networkId: hash,
  sequence: s.uint(),
  previousHash: hash,
  closeTime: s.uint(),
  txSetHash: hash,
  resultsHash: hash,
  stateCommitment: hash,
  logRoot: hash,
  logSize: s.uint(),
});

const HEADER_LIMITS: Partial<DecodeLimits> = { maxBytes: 1024, maxDepth: 2, maxItems: 64 };

/** The header as a plain record with exactly the fields above (what is encoded). */
export function headerRecord(h: LedgerHeader): Record<string, number | Uint8Array> {
  return {
    protocolVersion: h.protocolVersion,
    networkId: h.networkId,
    sequence: h.sequence,
    previousHash: h.previousHash,
    closeTime: h.closeTime,
    txSetHash: h.txSetHash,
    resultsHash: h.resultsHash,
    stateCommitment: h.stateCommitment,
    logRoot: h.logRoot,
    logSize: h.logSize,
  };
}

/** The canonical bytes of a header: a CBOR map with exactly the fields above. */
export function encodeHeader(h: LedgerHeader): Uint8Array {
  return encode(headerRecord(h));
}

/** Decodes header bytes; throws DecodeError (non-canonical, unknown or missing fields, bad sizes). */
export function decodeHeader(bytes: Uint8Array): LedgerHeader {
  return s.decodeWith(headerSchema, bytes, HEADER_LIMITS);
}

export function headerHash(h: LedgerHeader): Uint8Array {
  return sha256(encodeHeader(h));
}
