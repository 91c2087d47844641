/**
 * txHash of a decoded envelope is computed from the envelope's own bytes (the body is the envelope map
 * without its signatures entry) and the signing payload from a cached prefix. Both must equal the
 * defining computations, SHA-256(encodeTransaction(tx)) and signingPayload(networkId, tag, hash), on any
 * envelope: any operations, any number of signatures, large sequence numbers.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ed25519, sha256, signingPayload } from '../../src/crypto/index.js';
import {
  decodeEnvelope,
  encodeEnvelope,
  encodeTransaction,
  type TransactionEnvelope,
  TX_DOMAIN_TAG,
  txHash,
  txSigningPayload,
  verifyEnvelope,
} from '../../src/tx/index.js';
import { cborValue } from '../encoding/arbitrary.js';

const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const text = fc.string({ maxLength: 12 });
const operation = fc
  .dictionary(text, cborValue, { maxKeys: 6 })
  .chain((fields) => fc.string({ minLength: 1, maxLength: 20 }).map((type) => ({ ...fields, type })));

const envelope: fc.Arbitrary<TransactionEnvelope> = fc.record({
  networkId: bytes(32),
  source: fc.oneof(bytes(32), bytes(33)),
  seq: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
  timeBounds: fc.record({ minTime: fc.nat(), maxTime: fc.nat() }),
  operations: fc.array(operation, { minLength: 1, maxLength: 4 }),
  signatures: fc.array(
    fc.record({
      publicKey: fc.oneof(bytes(32), bytes(33)),
      signature: fc.uint8Array({ minLength: 1, maxLength: 128 }),
    }),
    { maxLength: 4 },
  ),
});

describe('txHash and signing payload of decoded envelopes', () => {
  it('equal the defining encodings on any envelope', () => {
    let checked = 0;
    fc.assert(
      fc.property(envelope, (env) => {
        let encoded: Uint8Array;
        try {
          encoded = encodeEnvelope(env);
        } catch {
          return; // not encodable (e.g. an operation holding a value the profile rejects)
        }
        const decoded = decodeEnvelope(encoded, { maxBytes: 1 << 20, maxItems: 1 << 16, maxDepth: 64 });
        const defined = sha256(encodeTransaction(decoded));
        expect(txHash(decoded)).toEqual(defined);
        expect(txHash(decoded)).toEqual(sha256(encodeTransaction(env)));
        expect(txSigningPayload(decoded)).toEqual(signingPayload(env.networkId, TX_DOMAIN_TAG, defined));
        checked++;
      }),
      { numRuns: 400 },
    );
    expect(checked).toBeGreaterThan(200);
  });

  it('an edited copy of a decoded envelope is hashed by its content, not its origin', () => {
    const kp = ed25519.generateKeyPair(new Uint8Array(32).fill(7));
    const env: TransactionEnvelope = {
      networkId: new Uint8Array(32).fill(1),
      source: kp.publicKey,
      seq: 1n,
      timeBounds: { minTime: 0, maxTime: 0 },
      operations: [{ type: 'x', a: 1 }],
      signatures: [],
    };
    const decoded = decodeEnvelope(encodeEnvelope(env));
    const edited = { ...decoded, seq: 2n };
    expect(txHash(edited)).toEqual(sha256(encodeTransaction(edited)));
    expect(txHash(edited)).not.toEqual(txHash(decoded));
    // The cached hash is handed out as a copy.
    const h = txHash(decoded);
    h.fill(0);
    expect(txHash(decoded)).toEqual(sha256(encodeTransaction(env)));
    expect(verifyEnvelope(decoded, ed25519)).toMatchObject({ ok: false, code: 'TX_NO_SIGNATURES' });
  });

  it('a reused input buffer does not change the hash of what was decoded from it', () => {
    const env: TransactionEnvelope = {
      networkId: new Uint8Array(32).fill(3),
      source: new Uint8Array(32).fill(4),
      seq: 9n,
      timeBounds: { minTime: 1, maxTime: 2 },
      operations: [{ type: 'scan', uii: 'D0CVA5674A36458' }],
      signatures: [{ publicKey: new Uint8Array(32).fill(4), signature: new Uint8Array(64) }],
    };
    const buffer = encodeEnvelope(env);
    const decoded = decodeEnvelope(buffer);
    buffer.fill(0xff);
    expect(txHash(decoded)).toEqual(sha256(encodeTransaction(env)));
  });
});
