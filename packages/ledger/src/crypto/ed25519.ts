/**
 * Ed25519 (RFC 8032, PureEdDSA) on node:crypto.
 *
 * Private key = the 32-byte RFC 8032 secret seed; public key = the 32-byte encoded point.
 * OpenSSL's verify rejects S >= L (RFC 8032 §5.1.7), so signatures are non-malleable.
 */
import { createPrivateKey, createPublicKey, type KeyObject, randomBytes, sign, verify } from 'node:crypto';
import { LedgerError } from '../errors.js';
import { cacheKey, toBytes } from './bytes.js';
import { LruCache } from './lru.js';
import { type KeyPair, PRIVATE_KEY_CACHE_SIZE, PUBLIC_KEY_CACHE_SIZE, type SignatureSuite } from './suite.js';

// DER prefixes wrapping raw keys (RFC 8410): PKCS#8 for the seed, SubjectPublicKeyInfo for the point.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

const publicKeys = new LruCache<string, KeyObject>(PUBLIC_KEY_CACHE_SIZE);
const privateKeys = new LruCache<string, KeyObject>(PRIVATE_KEY_CACHE_SIZE);

function privateKeyObject(privateKey: Uint8Array): KeyObject {
  if (privateKey.length !== 32) {
    throw new LedgerError('CRYPTO_BAD_PRIVATE_KEY', 'ed25519 private key must be 32 bytes');
  }
  const k = cacheKey(privateKey);
  let obj = privateKeys.get(k);
  if (obj === undefined) {
    obj = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, privateKey]), format: 'der', type: 'pkcs8' });
    privateKeys.set(k, obj);
  }
  return obj;
}

function publicKeyObject(publicKey: Uint8Array): KeyObject | undefined {
  if (publicKey.length !== 32) return undefined;
  const k = cacheKey(publicKey);
  let obj = publicKeys.get(k);
  if (obj === undefined) {
    try {
      obj = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
    } catch {
      return undefined;
    }
    publicKeys.set(k, obj);
  }
  return obj;
}

/** Derived public keys by private key: signing a transaction names its signer, and deriving costs an export. */
const derivedPublicKeys = new LruCache<string, Uint8Array>(PRIVATE_KEY_CACHE_SIZE);

function publicKeyFromPrivate(privateKey: Uint8Array): Uint8Array {
  const k = cacheKey(privateKey);
  let pk = derivedPublicKeys.get(k);
  if (pk === undefined) {
    const spki = createPublicKey(privateKeyObject(privateKey)).export({ format: 'der', type: 'spki' });
    pk = toBytes(spki.subarray(SPKI_PREFIX.length));
    derivedPublicKeys.set(k, pk);
  }
  return pk.slice();
}

export const ed25519: SignatureSuite = Object.freeze({
  name: 'ed25519',
  publicKeyBytes: 32,
  privateKeyBytes: 32,
  signatureBytes: 64,

  generateKeyPair(seed?: Uint8Array): KeyPair {
    const privateKey = seed === undefined ? toBytes(randomBytes(32)) : toBytes(seed);
    if (privateKey.length !== 32) throw new LedgerError('CRYPTO_BAD_SEED', 'ed25519 seed must be 32 bytes');
    return { publicKey: publicKeyFromPrivate(privateKey), privateKey };
  },

  publicKeyFromPrivate,

  sign(privateKey: Uint8Array, message: Uint8Array): Uint8Array {
    return toBytes(sign(null, message, privateKeyObject(privateKey)));
  },

  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
    if (signature.length !== 64) return false;
    const key = publicKeyObject(publicKey);
    if (key === undefined) return false;
    try {
      return verify(null, message, key, signature);
    } catch {
      return false;
    }
  },
});
