/**
 * The signature-suite interface. A network picks one suite at genesis (DESIGN.md, "Crypto agility");
 * everything above this layer handles keys and signatures as opaque byte strings of the suite's sizes.
 *
 * Keys are raw bytes, not KeyObjects, so that they can be encoded, hashed and compared; each suite
 * keeps its own bounded cache of parsed node:crypto KeyObjects for the hot path.
 */
export interface KeyPair {
  readonly publicKey: Uint8Array;
  readonly privateKey: Uint8Array;
}

/** Known suite names; GOST R 34.10-2012 (256-bit, Streebog) and SM2 (SM3) are reserved for later. */
export type SuiteName = 'ed25519' | 'ecdsa-p256' | 'gost-2012-256' | 'sm2';

export interface SignatureSuite {
  readonly name: string;
  readonly publicKeyBytes: number;
  readonly privateKeyBytes: number;
  readonly signatureBytes: number;
  /**
   * Derives a key pair from a `privateKeyBytes`-long seed (same seed, same pair), or draws a fresh one
   * from the system CSPRNG when no seed is given. This is the only place the ledger uses randomness.
   */
  generateKeyPair(seed?: Uint8Array): KeyPair;
  publicKeyFromPrivate(privateKey: Uint8Array): Uint8Array;
  sign(privateKey: Uint8Array, message: Uint8Array): Uint8Array;
  /**
   * True only for a valid signature in the suite's canonical form. Never throws: malformed keys and
   * signatures (attacker-controlled input) simply fail verification.
   */
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
}

/** Size of the bounded public-key KeyObject cache per suite. */
export const PUBLIC_KEY_CACHE_SIZE = 4096;
/** Private keys are few per process (a node's own key, a CLI's key); keep a small cache. */
export const PRIVATE_KEY_CACHE_SIZE = 16;
