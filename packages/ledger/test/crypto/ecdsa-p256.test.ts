import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ecdsaP256, getSuite, P256_N } from '../../src/crypto/index.js';
import { expectCode, hex, toHex } from '../encoding/helpers.js';

// RFC 6979 §A.2.5: ECDSA, 256 bits (prime field), key pair and the SHA-256 signatures.
const X = 'c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721';
const UX = '60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6';
const UY = '7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299';
const SAMPLE = {
  r: 'efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716',
  s: 'f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8',
};
const TEST = {
  r: 'f1abb023518351cd71d881567b1ea663ed3efcf6c5132b354f28d3b0b7d38367',
  s: '019f4113742a2b14bd25926b49c649155f267e60d3814b4c0cc84250e46f0083',
};

const msg = (s: string) => new TextEncoder().encode(s);
const big = (h: string) => BigInt(`0x${h}`);
const h32 = (n: bigint) => n.toString(16).padStart(64, '0');
// Uy is odd, so the compressed point starts with 0x03 (SEC 1 §2.3.3).
const PUBLIC = hex(`0${big(UY) & 1n ? 3 : 2}${UX}`);

describe('ecdsa-p256 (RFC 6979 §A.2.5, SHA-256)', () => {
  it('is registered', () => {
    expect(getSuite('ecdsa-p256')).toBe(ecdsaP256);
  });

  it('derives the vector public key from the vector private key', () => {
    expect(toHex(ecdsaP256.publicKeyFromPrivate(hex(X)))).toBe(toHex(PUBLIC));
    expect(toHex(ecdsaP256.generateKeyPair(hex(X)).publicKey)).toBe(toHex(PUBLIC));
  });

  it('verifies the low-S vector signature for "test"', () => {
    expect(ecdsaP256.verify(PUBLIC, msg('test'), hex(TEST.r + TEST.s))).toBe(true);
    expect(ecdsaP256.verify(PUBLIC, msg('sample'), hex(TEST.r + TEST.s))).toBe(false);
  });

  it('rejects the high-S vector signature for "sample" and accepts its low-S twin (r, n - s)', () => {
    expect(big(SAMPLE.s) > P256_N / 2n).toBe(true);
    expect(ecdsaP256.verify(PUBLIC, msg('sample'), hex(SAMPLE.r + SAMPLE.s))).toBe(false);
    const lowS = h32(P256_N - big(SAMPLE.s));
    expect(ecdsaP256.verify(PUBLIC, msg('sample'), hex(SAMPLE.r + lowS))).toBe(true);
  });

  it('signs low-S signatures that verify, with random k', () => {
    const a = ecdsaP256.sign(hex(X), msg('sample'));
    const b = ecdsaP256.sign(hex(X), msg('sample'));
    for (const sig of [a, b]) {
      expect(sig).toHaveLength(64);
      expect(big(toHex(sig.subarray(32))) <= P256_N / 2n).toBe(true);
      expect(ecdsaP256.verify(PUBLIC, msg('sample'), sig)).toBe(true);
    }
  });

  it('rejects out-of-range r and s, wrong lengths and invalid points without throwing', () => {
    const good = hex(TEST.r + TEST.s);
    expect(ecdsaP256.verify(PUBLIC, msg('test'), hex(h32(0n) + TEST.s))).toBe(false);
    expect(ecdsaP256.verify(PUBLIC, msg('test'), hex(TEST.r + h32(0n)))).toBe(false);
    expect(ecdsaP256.verify(PUBLIC, msg('test'), hex(h32(big(TEST.r) + P256_N) + TEST.s))).toBe(false);
    expect(ecdsaP256.verify(PUBLIC, msg('test'), good.subarray(1))).toBe(false);
    expect(ecdsaP256.verify(PUBLIC.subarray(1), msg('test'), good)).toBe(false);
    const uncompressedTag = PUBLIC.slice();
    uncompressedTag[0] = 0x04;
    expect(ecdsaP256.verify(uncompressedTag, msg('test'), good)).toBe(false);
    // x = 1 is not the x coordinate of any P-256 point (1 - 3 + b is a quadratic non-residue mod p).
    expect(ecdsaP256.verify(hex(`02${h32(1n)}`), msg('test'), good)).toBe(false);
  });

  it('maps every 32-byte seed to a valid key pair, deterministically', () => {
    const high = ecdsaP256.generateKeyPair(new Uint8Array(32).fill(0xff));
    const zero = ecdsaP256.generateKeyPair(new Uint8Array(32));
    expect(high.publicKey).toHaveLength(33);
    expect(zero.publicKey).toHaveLength(33);
    expect(ecdsaP256.generateKeyPair(new Uint8Array(32)).publicKey).toEqual(zero.publicKey);
    expectCode(() => ecdsaP256.generateKeyPair(new Uint8Array(16)), 'CRYPTO_BAD_SEED');
    expectCode(() => ecdsaP256.sign(new Uint8Array(32), msg('x')), 'CRYPTO_BAD_PRIVATE_KEY');
  });

  it('sign then verify holds for random seeds and messages', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ maxLength: 100 }),
        (seed, m) => {
          const { publicKey, privateKey } = ecdsaP256.generateKeyPair(seed);
          expect(ecdsaP256.verify(publicKey, m, ecdsaP256.sign(privateKey, m))).toBe(true);
        },
      ),
      { numRuns: 50 },
    );
  });
});
