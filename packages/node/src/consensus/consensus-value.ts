// The value SCP agrees on for each ledger: the hash of a transaction set and a close time (as in
// stellar-core's StellarValue). Deterministic CBOR, decoded strictly.
import { encode, schema } from '@qm/ledger';

export interface ConsensusValue {
  readonly txSetHash: Uint8Array;
  /**
   * Unix seconds, as the ledger header and transaction time bounds count time. Strictly increasing from
   * ledger to ledger, so a network closes at most one ledger per second of close time.
   */
  readonly closeTime: number;
}

const valueSchema = schema.record({ txSetHash: schema.bytes({ length: 32 }), closeTime: schema.uint() });

export const encodeConsensusValue = (v: ConsensusValue): Uint8Array =>
  encode({ txSetHash: v.txSetHash, closeTime: v.closeTime });

/** Throws DecodeError on anything but a canonical encoding. */
export const decodeConsensusValue = (bytes: Uint8Array): ConsensusValue =>
  schema.decodeWith(valueSchema, bytes, { maxBytes: 128 });
