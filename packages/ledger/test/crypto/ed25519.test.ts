import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ed25519, getSuite } from '../../src/crypto/index.js';
import { expectCode, hex, toHex } from '../encoding/helpers.js';

// RFC 8032 §7.1, TEST 1-3.
const RFC8032: { secret: string; publicKey: string; message: string; signature: string }[] = [
  {
    secret: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature:
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    secret: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    publicKey: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature:
      '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
  {
    secret: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
    publicKey: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
    message: 'af82',
    signature:
      '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
  },
];

// L, the order of the Ed25519 base point (RFC 8032 §5.1).
const L = 2n ** 252n + 27742317777372353535851937790883648493n;

describe('ed25519 (RFC 8032 §7.1)', () => {
  it('is the default suite', () => {
    expect(getSuite()).toBe(ed25519);
  });

  it.each(RFC8032.map((v, i) => [i + 1, v] as const))('TEST %i: key, signature and verification', (_, v) => {
    const pair = ed25519.generateKeyPair(hex(v.secret));
    expect(toHex(pair.publicKey)).toBe(v.publicKey);
    expect(toHex(ed25519.publicKeyFromPrivate(hex(v.secret)))).toBe(v.publicKey);
    expect(toHex(ed25519.sign(hex(v.secret), hex(v.message)))).toBe(v.signature);
    expect(ed25519.verify(hex(v.publicKey), hex(v.message), hex(v.signature))).toBe(true);
  });

  it('rejects a vector signature on another message, key or with a flipped bit', () => {
    const [v1, v2] = RFC8032 as [(typeof RFC8032)[0], (typeof RFC8032)[0]];
    expect(ed25519.verify(hex(v1.publicKey), hex('00'), hex(v1.signature))).toBe(false);
    expect(ed25519.verify(hex(v2.publicKey), hex(v1.message), hex(v1.signature))).toBe(false);
    const sig = hex(v1.signature);
    sig[10]! ^= 1;
    expect(ed25519.verify(hex(v1.publicKey), hex(v1.message), sig)).toBe(false);
  });

  it('rejects the malleated signature (R, S + L)', () => {
    const v = RFC8032[0]!;
    const sig = hex(v.signature);
    let s = 0n;
    for (let i = 31; i >= 0; i--) s = (s << 8n) | BigInt(sig[32 + i]!);
    let t = s + L;
    for (let i = 0; i < 32; i++) {
      sig[32 + i] = Number(t & 0xffn);
      t >>= 8n;
    }
    expect(ed25519.verify(hex(v.publicKey), hex(v.message), sig)).toBe(false);
  });

  it('returns false, never throws, for malformed keys and signatures', () => {
    const v = RFC8032[0]!;
    expect(ed25519.verify(hex(v.publicKey).subarray(1), hex(v.message), hex(v.signature))).toBe(false);
    expect(ed25519.verify(hex(v.publicKey), hex(v.message), hex(v.signature).subarray(1))).toBe(false);
    expect(ed25519.verify(new Uint8Array(32).fill(0xff), hex(v.message), hex(v.signature))).toBe(false);
  });

  it('sign then verify holds for random seeds and messages', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ maxLength: 200 }),
        (seed, msg) => {
          const { publicKey, privateKey } = ed25519.generateKeyPair(seed);
          expect(ed25519.verify(publicKey, msg, ed25519.sign(privateKey, msg))).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('generates distinct random key pairs without a seed, and rejects bad seeds', () => {
    const a = ed25519.generateKeyPair();
    const b = ed25519.generateKeyPair();
    expect(a.publicKey).toHaveLength(32);
    expect(toHex(a.privateKey)).not.toBe(toHex(b.privateKey));
    expectCode(() => ed25519.generateKeyPair(new Uint8Array(31)), 'CRYPTO_BAD_SEED');
    expectCode(() => ed25519.sign(new Uint8Array(31), new Uint8Array()), 'CRYPTO_BAD_PRIVATE_KEY');
  });
});
