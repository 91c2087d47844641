/**
 * The transaction envelope: what a client signs and submits.
 *
 *   Transaction  = { networkId, source, seq, timeBounds, operations }
 *   Envelope     = Transaction + { signatures }
 *   txHash       = SHA-256(CBOR(Transaction))                      (the signatures are not hashed)
 *   signature    = sign(key, signingPayload(networkId, 'qm/tx/v1', txHash))
 *
 * The hash covers the network id, and so does the signature (twice: in the body and in the payload
 * framing), so a transaction cannot be replayed on another network; `seq` (checked against the source
 * member's sequence by the node) prevents replay on the same network. Signing the 32-byte hash rather
 * than the body keeps multi-signature verification at one hash per transaction.
 *
 * Operations are opaque here: plain CBOR-able objects with a `type` text field, defined and validated
 * by the domain (src/domain). Decoding checks structure and limits only.
 */
import { cacheKey, equalBytes } from '../crypto/bytes.js';
import { sha256 } from '../crypto/hash.js';
import { LruCache } from '../crypto/lru.js';
import { signingPayload } from '../crypto/signing-payload.js';
import type { SignatureSuite } from '../crypto/suite.js';
import { encode } from '../encoding/encode.js';
import { type DecodeLimits, resolveLimits } from '../encoding/limits.js';
import * as s from '../encoding/schema.js';
import { DecodeError, LedgerError } from '../errors.js';

/** Domain separation tag for transaction signatures (see signingPayload). */
export const TX_DOMAIN_TAG = 'qm/tx/v1';
export const MAX_OPERATIONS = 100;
export const MAX_SIGNATURES = 20;

/** Limits for decoding a submitted envelope; far below the generic CBOR defaults. */
export const TX_DECODE_LIMITS: DecodeLimits = Object.freeze({
  maxBytes: 64 * 1024,
  maxDepth: 8,
  maxItems: 4096,
  maxStringBytes: 16 * 1024,
});

export interface TimeBounds {
  /** Unix seconds; the transaction is invalid in a ledger closing before this. */
  readonly minTime: number;
  /** Unix seconds; invalid in a ledger closing after this. 0 means no upper bound (as in Stellar). */
  readonly maxTime: number;
}

/** An operation as the envelope sees it; the domain defines the concrete shapes. */
export interface TxOperation {
  readonly type: string;
  readonly [field: string]: unknown;
}

export interface Transaction {
  /** 32 bytes: the network's id (hash of its genesis). */
  readonly networkId: Uint8Array;
  /** Public key of the source member (or device), in the network suite's format. */
  readonly source: Uint8Array;
  /** The source's next sequence number. */
  readonly seq: bigint;
  readonly timeBounds: TimeBounds;
  readonly operations: readonly TxOperation[];
}

export interface TxSignature {
  readonly publicKey: Uint8Array;
  readonly signature: Uint8Array;
}

export interface TransactionEnvelope extends Transaction {
  readonly signatures: readonly TxSignature[];
}

const operation: s.Schema<TxOperation> = {
  kind: 'operation',
  parse(v, path = '') {
    if (
      typeof v !== 'object' ||
      v === null ||
      Array.isArray(v) ||
      v instanceof Uint8Array ||
      v instanceof Map
    ) {
      throw new DecodeError('DECODE_WRONG_TYPE', `expected an operation record at ${path}`, { path });
    }
    const type = (v as { type?: unknown }).type;
    if (typeof type !== 'string' || type.length === 0 || type.length > 64) {
      throw new DecodeError('DECODE_WRONG_TYPE', `operation at ${path} needs a text "type"`, { path });
    }
    return v as TxOperation;
  },
};

const publicKey = s.bytes({ minLength: 32, maxLength: 33 });
const unixSeconds = s.uint();

const transactionFields = {
  networkId: s.bytes({ length: 32 }),
  source: publicKey,
  seq: s.uint64(),
  timeBounds: s.record({ minTime: unixSeconds, maxTime: unixSeconds }),
  operations: s.array(operation, { minLength: 1, maxLength: MAX_OPERATIONS }),
};

const envelopeSchema = s.record({
  ...transactionFields,
  signatures: s.array(s.record({ publicKey, signature: s.bytes({ minLength: 1, maxLength: 128 }) }), {
    maxLength: MAX_SIGNATURES,
  }),
});

function body(tx: Transaction): Record<string, unknown> {
  return {
    networkId: tx.networkId,
    source: tx.source,
    seq: tx.seq,
    timeBounds: { minTime: tx.timeBounds.minTime, maxTime: tx.timeBounds.maxTime },
    operations: tx.operations,
  };
}

/** Deterministic CBOR of the transaction body (everything but the signatures). */
export function encodeTransaction(tx: Transaction): Uint8Array {
  return encode(body(tx));
}

export function encodeEnvelope(env: TransactionEnvelope): Uint8Array {
  return encode({
    ...body(env),
    signatures: env.signatures.map((x) => ({ publicKey: x.publicKey, signature: x.signature })),
  });
}

/**
 * Decodes a submitted envelope under TX_DECODE_LIMITS (or tighter/looser `limits`). Throws only
 * DecodeError: structure, sizes and unknown fields; not signatures, sequence or domain rules.
 */
export function decodeEnvelope(
  bytes: Uint8Array,
  limits: Partial<DecodeLimits> = TX_DECODE_LIMITS,
): TransactionEnvelope {
  const env = s.decodeWith(envelopeSchema, bytes, resolveLimits(limits, TX_DECODE_LIMITS));
  decodedHashes.set(env, bodyHashOf(bytes));
  return env;
}

/**
 * txHash of envelopes this module decoded, computed at decode time from the envelope's own bytes.
 *
 * Why that equals SHA-256(encodeTransaction(env)): the decoder accepts only deterministic CBOR, so the
 * envelope bytes are exactly encodeEnvelope(env), a map of six entries; the body is the same map without
 * its "signatures" entry, and a CBOR map's encoding is its head followed by its entries' encodings in key
 * order. So the body is the head of a five-entry map (0xa5) followed by the envelope's bytes minus its
 * head and minus the signatures entry: hashed in place, never re-encoded. (Tests check the equality on
 * generated envelopes.) Hashing at decode time, not later, means a caller reusing its input buffer
 * cannot make the hash disagree with the decoded value; decoded envelopes are read-only (their type says
 * so), and an edited copy ({ ...env }) is not in the map and gets hashed by encoding.
 */
const decodedHashes = new WeakMap<object, Uint8Array>();
const MAP5_HEAD = new Uint8Array([0xa5]);
/** The encoded key "signatures": head 0x6a (text, length 10), then its ASCII. */
const SIGNATURES_KEY = new Uint8Array([0x6a, ...new TextEncoder().encode('signatures')]);

/** Offset just past the CBOR item at `pos` of bytes already checked by the decoder. */
function skipItem(b: Uint8Array, pos: number): number {
  let pending = 1;
  while (pending > 0) {
    pending--;
    const initial = b[pos++]!;
    const major = initial >> 5;
    const info = initial & 0x1f;
    let arg = info;
    if (info === 24) arg = b[pos++]!;
    else if (info === 25) {
      arg = (b[pos]! << 8) | b[pos + 1]!;
      pos += 2;
    } else if (info === 26) {
      arg = b[pos]! * 0x1000000 + ((b[pos + 1]! << 16) | (b[pos + 2]! << 8) | b[pos + 3]!);
      pos += 4;
    } else if (info === 27) {
      // Only integers can be this large in a decoded envelope (lengths are bounded by its size).
      arg = 0;
      pos += 8;
    }
    if (major === 2 || major === 3) pos += arg;
    else if (major === 4) pending += arg;
    else if (major === 5) pending += 2 * arg;
  }
  return pos;
}

function bodyHashOf(env: Uint8Array): Uint8Array {
  if (env[0] !== 0xa6) throw new LedgerError('INVARIANT_VIOLATED', 'decoded envelope is not a 6-entry map');
  let pos = 1;
  for (let i = 0; i < 6; i++) {
    const start = pos;
    const keyEnd = skipItem(env, pos);
    pos = skipItem(env, keyEnd);
    if (keyEnd - start === SIGNATURES_KEY.length && equalBytes(env.subarray(start, keyEnd), SIGNATURES_KEY)) {
      return sha256(MAP5_HEAD, env.subarray(1, start), env.subarray(pos));
    }
  }
  throw new LedgerError('INVARIANT_VIOLATED', 'decoded envelope has no signatures entry');
}

/** SHA-256 of the encoded transaction body: the transaction's identity in the ledger. */
export function txHash(tx: Transaction): Uint8Array {
  const known = decodedHashes.get(tx);
  return known !== undefined ? known.slice() : sha256(encodeTransaction(tx));
}

/** CBOR ["qm-sig-v1", networkId, "qm/tx/v1", h] up to h's bytes, by network id: h is always 32 bytes. */
const payloadPrefixes = new LruCache<string, Uint8Array>(16);

/** The exact bytes a transaction signature covers. */
export function txSigningPayload(tx: Transaction, hash: Uint8Array = txHash(tx)): Uint8Array {
  if (hash.length !== 32) return signingPayload(tx.networkId, TX_DOMAIN_TAG, hash);
  const id = cacheKey(tx.networkId);
  let prefix = payloadPrefixes.get(id);
  if (prefix === undefined) {
    // The same encoder call with a zero hash, less those 32 bytes: the head of a 32-byte string is fixed.
    const full = signingPayload(tx.networkId, TX_DOMAIN_TAG, new Uint8Array(32));
    prefix = full.slice(0, full.length - 32);
    payloadPrefixes.set(id, prefix);
  }
  const out = new Uint8Array(prefix.length + 32);
  out.set(prefix);
  out.set(hash, prefix.length);
  return out;
}

/** Signs `tx` with `privateKey`; returns the signature to attach. */
export function signTransaction(tx: Transaction, suite: SignatureSuite, privateKey: Uint8Array): TxSignature {
  return {
    publicKey: suite.publicKeyFromPrivate(privateKey),
    signature: suite.sign(privateKey, txSigningPayload(tx)),
  };
}

/** Returns a new envelope with one more signature (replacing an earlier one by the same key). */
export function addSignature(
  env: TransactionEnvelope,
  suite: SignatureSuite,
  privateKey: Uint8Array,
): TransactionEnvelope {
  const sig = signTransaction(env, suite, privateKey);
  const others = env.signatures.filter((x) => !equalBytes(x.publicKey, sig.publicKey));
  return { ...env, signatures: [...others, sig] };
}

export type VerifyEnvelopeResult =
  | { readonly ok: true; readonly hash: Uint8Array; readonly signers: readonly Uint8Array[] }
  | { readonly ok: false; readonly hash: Uint8Array; readonly code: TxVerifyCode; readonly index?: number };

export type TxVerifyCode =
  | 'TX_NO_SIGNATURES'
  | 'TX_DUPLICATE_SIGNER'
  | 'TX_BAD_SIGNATURE'
  | 'TX_SOURCE_NOT_SIGNED';

/**
 * Checks every attached signature (all must be valid: an invalid one is an error, not ignored, so the
 * set of signers is exactly what the envelope claims), that no key signs twice and that the source
 * signed. Which other signers an operation needs is the domain's business.
 */
export function verifyEnvelope(env: TransactionEnvelope, suite: SignatureSuite): VerifyEnvelopeResult {
  const hash = txHash(env);
  if (env.signatures.length === 0) return { ok: false, hash, code: 'TX_NO_SIGNATURES' };
  const payload = txSigningPayload(env, hash);
  const sigs = env.signatures;
  let sourceSigned = false;
  for (let i = 0; i < sigs.length; i++) {
    const { publicKey: pk, signature } = sigs[i]!;
    // At most MAX_SIGNATURES (20) keys: comparing with each earlier one beats hashing them into a set.
    for (let j = 0; j < i; j++) {
      if (equalBytes(sigs[j]!.publicKey, pk))
        return { ok: false, hash, code: 'TX_DUPLICATE_SIGNER', index: i };
    }
    if (!suite.verify(pk, payload, signature)) return { ok: false, hash, code: 'TX_BAD_SIGNATURE', index: i };
    if (!sourceSigned && equalBytes(pk, env.source)) sourceSigned = true;
  }
  if (!sourceSigned) return { ok: false, hash, code: 'TX_SOURCE_NOT_SIGNED' };
  return { ok: true, hash, signers: sigs.map((x) => x.publicKey) };
}

/** True when a ledger closing at `closeTime` (unix seconds) may include the transaction. */
export function withinTimeBounds(tb: TimeBounds, closeTime: number): boolean {
  return closeTime >= tb.minTime && (tb.maxTime === 0 || closeTime <= tb.maxTime);
}

/** Throws TX_BAD_TIME_BOUNDS for bounds no ledger can satisfy (min after max). */
export function checkTimeBounds(tb: TimeBounds): void {
  if (tb.maxTime !== 0 && tb.minTime > tb.maxTime) {
    throw new LedgerError('TX_BAD_TIME_BOUNDS', `minTime ${tb.minTime} is after maxTime ${tb.maxTime}`);
  }
}
