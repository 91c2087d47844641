/**
 * ECDSA over NIST P-256 with SHA-256 (FIPS 186-5), on node:crypto.
 *
 * Formats (our choice, documented in docs/formats.md):
 * - private key: the 32-byte big-endian scalar d, 1 <= d < n;
 * - public key: the 33-byte SEC1 compressed point (0x02/0x03 || x);
 * - signature: fixed 64 bytes r || s (big-endian, 32 bytes each), not DER, with s <= n/2 ("low-S").
 *
 * ECDSA is malleable: (r, n - s) is also valid for (r, s). A ledger that hashes signed envelopes must
 * not accept two encodings of one signature, so `sign` normalizes to low-S and `verify` rejects high-S,
 * as Bitcoin (BIP 62/146) and Ethereum (EIP-2) do. `sign` uses OpenSSL's random k, so signatures are
 * not reproducible; `verify` accepts any valid low-S signature, deterministic (RFC 6979) or not.
 */
import {
  createECDH,
  createPrivateKey,
  createPublicKey,
  ECDH,
  type KeyObject,
  randomBytes,
  sign,
  verify,
} from 'node:crypto';
import { LedgerError } from '../errors.js';
import { bigIntToBytes, bytesToBigInt, cacheKey, toBytes } from './bytes.js';
import { LruCache } from './lru.js';
import { type KeyPair, PRIVATE_KEY_CACHE_SIZE, PUBLIC_KEY_CACHE_SIZE, type SignatureSuite } from './suite.js';

/** Order of the P-256 base point (FIPS 186-5 / SEC 2). */
export const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const HALF_N = P256_N >> 1n;
const CURVE = 'prime256v1';
// SubjectPublicKeyInfo header for id-ecPublicKey / prime256v1 with a 33-byte compressed point (RFC 5480).
const SPKI_COMPRESSED_PREFIX = Buffer.from('3039301306072a8648ce3d020106082a8648ce3d030107032200', 'hex');

const publicKeys = new LruCache<string, KeyObject>(PUBLIC_KEY_CACHE_SIZE);
const privateKeys = new LruCache<string, KeyObject>(PRIVATE_KEY_CACHE_SIZE);

function checkScalar(privateKey: Uint8Array): void {
  if (privateKey.length !== 32)
    throw new LedgerError('CRYPTO_BAD_PRIVATE_KEY', 'P-256 private key must be 32 bytes');
  const d = bytesToBigInt(privateKey);
  if (d === 0n || d >= P256_N)
    throw new LedgerError('CRYPTO_BAD_PRIVATE_KEY', 'P-256 private key out of range');
}

function ecdhFor(privateKey: Uint8Array): ECDH {
  checkScalar(privateKey);
  const ecdh = createECDH(CURVE);
  ecdh.setPrivateKey(privateKey);
  return ecdh;
}

function privateKeyObject(privateKey: Uint8Array): KeyObject {
  const k = cacheKey(privateKey);
  let obj = privateKeys.get(k);
  if (obj === undefined) {
    const point = ecdhFor(privateKey).getPublicKey(null, 'uncompressed');
    const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64url');
    obj = createPrivateKey({
      key: {
        kty: 'EC',
        crv: 'P-256',
        d: b64(privateKey),
        x: b64(point.subarray(1, 33)),
        y: b64(point.subarray(33, 65)),
      },
      format: 'jwk',
    });
    privateKeys.set(k, obj);
  }
  return obj;
}

function publicKeyObject(publicKey: Uint8Array): KeyObject | undefined {
  if (publicKey.length !== 33 || (publicKey[0] !== 0x02 && publicKey[0] !== 0x03)) return undefined;
  const k = cacheKey(publicKey);
  let obj = publicKeys.get(k);
  if (obj === undefined) {
    try {
      // convertKey rejects x coordinates that are not on the curve before OpenSSL sees them.
      ECDH.convertKey(publicKey, CURVE);
      obj = createPublicKey({
        key: Buffer.concat([SPKI_COMPRESSED_PREFIX, publicKey]),
        format: 'der',
        type: 'spki',
      });
    } catch {
      return undefined;
    }
    publicKeys.set(k, obj);
  }
  return obj;
}

/** Maps any 32 bytes to a valid scalar: in-range values are used as is, others reduced into [1, n-1]. */
function scalarFromSeed(seed: Uint8Array): Uint8Array {
  if (seed.length !== 32) throw new LedgerError('CRYPTO_BAD_SEED', 'P-256 seed must be 32 bytes');
  const d = bytesToBigInt(seed);
  if (d > 0n && d < P256_N) return toBytes(seed);
  return bigIntToBytes((d % (P256_N - 1n)) + 1n, 32);
}

export const ecdsaP256: SignatureSuite = Object.freeze({
  name: 'ecdsa-p256',
  publicKeyBytes: 33,
  privateKeyBytes: 32,
  signatureBytes: 64,

  generateKeyPair(seed?: Uint8Array): KeyPair {
    const privateKey = scalarFromSeed(seed ?? toBytes(randomBytes(32)));
    return { publicKey: ecdsaP256.publicKeyFromPrivate(privateKey), privateKey };
  },

  publicKeyFromPrivate(privateKey: Uint8Array): Uint8Array {
    return toBytes(ecdhFor(privateKey).getPublicKey(null, 'compressed'));
  },

  sign(privateKey: Uint8Array, message: Uint8Array): Uint8Array {
    const sig = sign('sha256', message, { key: privateKeyObject(privateKey), dsaEncoding: 'ieee-p1363' });
    const s = bytesToBigInt(sig.subarray(32, 64));
    if (s <= HALF_N) return toBytes(sig);
    const out = new Uint8Array(64);
    out.set(sig.subarray(0, 32), 0);
    out.set(bigIntToBytes(P256_N - s, 32), 32);
    return out;
  },

  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
    if (signature.length !== 64) return false;
    const r = bytesToBigInt(signature.subarray(0, 32));
    const s = bytesToBigInt(signature.subarray(32, 64));
    if (r === 0n || r >= P256_N || s === 0n || s > HALF_N) return false;
    const key = publicKeyObject(publicKey);
    if (key === undefined) return false;
    try {
      return verify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, signature);
    } catch {
      return false;
    }
  },
});
