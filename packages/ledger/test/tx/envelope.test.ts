import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ecdsaP256, ed25519, sha256, signingPayload } from '../../src/crypto/index.js';
import { decode, encode } from '../../src/encoding/index.js';
import { DecodeError, LedgerError } from '../../src/errors.js';
import {
  addSignature,
  checkTimeBounds,
  decodeEnvelope,
  encodeEnvelope,
  encodeTransaction,
  MAX_OPERATIONS,
  signTransaction,
  type Transaction,
  type TransactionEnvelope,
  TX_DOMAIN_TAG,
  txHash,
  verifyEnvelope,
  withinTimeBounds,
} from '../../src/tx/index.js';
import { cborValue } from '../encoding/arbitrary.js';
import { expectCode } from '../encoding/helpers.js';

const NETWORK = sha256(new TextEncoder().encode('qm test network'));
const OTHER_NETWORK = sha256(new TextEncoder().encode('qm other network'));
const alice = ed25519.generateKeyPair(new Uint8Array(32).fill(1));
const bob = ed25519.generateKeyPair(new Uint8Array(32).fill(2));

const tx: Transaction = {
  networkId: NETWORK,
  source: alice.publicKey,
  seq: 1n,
  timeBounds: { minTime: 0, maxTime: 0 },
  operations: [{ type: 'transferOffer', uii: 'D0CVA5674A36458', to: 'DODAAC' }],
};

function signed(t: Transaction, ...keys: Uint8Array[]): TransactionEnvelope {
  let env: TransactionEnvelope = { ...t, signatures: [] };
  for (const k of keys) env = addSignature(env, ed25519, k);
  return env;
}

describe('transaction envelope', () => {
  it('round-trips through canonical bytes, seq as bigint', () => {
    const env = signed({ ...tx, seq: 2n ** 63n + 5n }, alice.privateKey);
    const bytes = encodeEnvelope(env);
    const back = decodeEnvelope(bytes);
    expect(back).toEqual(env);
    expect(encodeEnvelope(back)).toEqual(bytes);
    expect(decodeEnvelope(encodeEnvelope(signed(tx, alice.privateKey))).seq).toBe(1n);
  });

  it('hashes the body only: signatures do not change the tx hash', () => {
    const one = signed(tx, alice.privateKey);
    const two = signed(tx, alice.privateKey, bob.privateKey);
    expect(txHash(one)).toEqual(txHash(two));
    expect(txHash(one)).toEqual(sha256(encodeTransaction(tx)));
    expect(txHash({ ...tx, seq: 2n })).not.toEqual(txHash(tx));
  });

  it('verifies single and multiple signatures and reports the signers', () => {
    const env = signed(tx, alice.privateKey, bob.privateKey);
    const r = verifyEnvelope(env, ed25519);
    expect(r).toMatchObject({ ok: true, signers: [alice.publicKey, bob.publicKey] });
    expect(r.hash).toEqual(txHash(tx));
  });

  it('a signature covers the network id and the tx domain tag', () => {
    const sig = signTransaction(tx, ed25519, alice.privateKey);
    expect(
      ed25519.verify(alice.publicKey, signingPayload(NETWORK, TX_DOMAIN_TAG, txHash(tx)), sig.signature),
    ).toBe(true);
    // Replayed on another network (same body otherwise): the signature no longer verifies.
    const replay: TransactionEnvelope = { ...tx, networkId: OTHER_NETWORK, signatures: [sig] };
    expect(verifyEnvelope(replay, ed25519)).toMatchObject({ ok: false, code: 'TX_BAD_SIGNATURE', index: 0 });
    // The same key signing the same hash under another domain tag produces a different signature.
    expect(
      ed25519.verify(alice.publicKey, signingPayload(NETWORK, 'qm/scan/v1', txHash(tx)), sig.signature),
    ).toBe(false);
  });

  it('rejects tampering, missing, duplicate and unsourced signatures with stable codes', () => {
    const env = signed(tx, alice.privateKey);
    expect(verifyEnvelope({ ...env, seq: 2n }, ed25519)).toMatchObject({
      ok: false,
      code: 'TX_BAD_SIGNATURE',
    });
    expect(verifyEnvelope({ ...env, operations: [{ type: 'dispose' }] }, ed25519)).toMatchObject({
      ok: false,
      code: 'TX_BAD_SIGNATURE',
    });
    expect(verifyEnvelope({ ...tx, signatures: [] }, ed25519)).toMatchObject({
      ok: false,
      code: 'TX_NO_SIGNATURES',
    });
    expect(
      verifyEnvelope({ ...env, signatures: [env.signatures[0]!, env.signatures[0]!] }, ed25519),
    ).toMatchObject({ ok: false, code: 'TX_DUPLICATE_SIGNER', index: 1 });
    expect(verifyEnvelope(signed(tx, bob.privateKey), ed25519)).toMatchObject({
      ok: false,
      code: 'TX_SOURCE_NOT_SIGNED',
    });
    const forged = { ...env, signatures: [{ publicKey: alice.publicKey, signature: new Uint8Array(64) }] };
    expect(verifyEnvelope(forged, ed25519)).toMatchObject({ ok: false, code: 'TX_BAD_SIGNATURE', index: 0 });
  });

  it('addSignature replaces an earlier signature by the same key', () => {
    const env = addSignature(signed(tx, alice.privateKey), ed25519, alice.privateKey);
    expect(env.signatures).toHaveLength(1);
  });

  it('works with the ecdsa-p256 suite (33-byte keys)', () => {
    const carol = ecdsaP256.generateKeyPair(new Uint8Array(32).fill(3));
    const t = { ...tx, source: carol.publicKey };
    const env = addSignature({ ...t, signatures: [] }, ecdsaP256, carol.privateKey);
    const back = decodeEnvelope(encodeEnvelope(env));
    expect(verifyEnvelope(back, ecdsaP256).ok).toBe(true);
    expect(verifyEnvelope(back, ed25519).ok).toBe(false);
  });

  it('time bounds: 0 as maxTime means unbounded; impossible bounds are rejected', () => {
    expect(withinTimeBounds({ minTime: 10, maxTime: 0 }, 1e9)).toBe(true);
    expect(withinTimeBounds({ minTime: 10, maxTime: 20 }, 20)).toBe(true);
    expect(withinTimeBounds({ minTime: 10, maxTime: 20 }, 21)).toBe(false);
    expect(withinTimeBounds({ minTime: 10, maxTime: 20 }, 9)).toBe(false);
    expect(() => checkTimeBounds({ minTime: 10, maxTime: 0 })).not.toThrow();
    expectCode(() => checkTimeBounds({ minTime: 21, maxTime: 20 }), 'TX_BAD_TIME_BOUNDS');
  });
});

describe('envelope decoding rejects malformed input with DecodeError codes', () => {
  const good = decode(encodeEnvelope(signed(tx, alice.privateKey))) as Record<string, unknown>;
  const bad = (patch: Record<string, unknown>) => encode({ ...good, ...patch });

  it.each([
    ['unknown field', { memo: 'x' }, 'DECODE_UNKNOWN_FIELD'],
    ['short network id', { networkId: new Uint8Array(31) }, 'DECODE_OUT_OF_RANGE'],
    ['negative seq', { seq: -1 }, 'DECODE_OUT_OF_RANGE'],
    ['text seq', { seq: '1' }, 'DECODE_WRONG_TYPE'],
    ['no operations', { operations: [] }, 'DECODE_OUT_OF_RANGE'],
    ['operation without type', { operations: [{ uii: 'x' }] }, 'DECODE_WRONG_TYPE'],
    ['operation not a record', { operations: [[1]] }, 'DECODE_WRONG_TYPE'],
    [
      'too many operations',
      { operations: Array.from({ length: MAX_OPERATIONS + 1 }, () => ({ type: 'x' })) },
      'DECODE_OUT_OF_RANGE',
    ],
    [
      'unknown time bound field',
      { timeBounds: { minTime: 0, maxTime: 0, slack: 1 } },
      'DECODE_UNKNOWN_FIELD',
    ],
    ['signature not a record', { signatures: [1] }, 'DECODE_WRONG_TYPE'],
  ])('%s', (_, patch, code) => {
    expectCode(() => decodeEnvelope(bad(patch)), code, DecodeError);
  });

  it('applies the transaction limits', () => {
    const big = bad({ operations: [{ type: 'x', blob: new Uint8Array(70_000) }] });
    expectCode(() => decodeEnvelope(big), 'DECODE_TOO_LARGE', DecodeError);
    const deep = bad({ operations: [{ type: 'x', n: [[[[[[1]]]]]] }] });
    expectCode(() => decodeEnvelope(deep), 'DECODE_TOO_DEEP', DecodeError);
  });

  it('fuzz: arbitrary CBOR and mutated envelopes decode or throw DecodeError, nothing else', () => {
    const base = encodeEnvelope(signed(tx, alice.privateKey));
    fc.assert(
      fc.property(
        fc.oneof(
          cborValue.map((v) => encode(v)),
          fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })).map(([i, b]) => {
            const m = base.slice();
            m[i] = b;
            return m;
          }),
        ),
        (bytes) => {
          try {
            const env = decodeEnvelope(bytes);
            expect(encodeEnvelope(env)).toEqual(bytes);
          } catch (e) {
            expect(e).toBeInstanceOf(DecodeError);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('encoding rejects operations outside the CBOR data model with a LedgerError', () => {
    expect(() => encodeTransaction({ ...tx, operations: [{ type: 'x', f: 1.5 }] })).toThrow(LedgerError);
  });
});
