import { describe, expect, it } from 'vitest';
import {
  ed25519,
  getSuite,
  LruCache,
  listSuites,
  registerSuite,
  type SignatureSuite,
  sha256,
  signingPayload,
} from '../../src/crypto/index.js';
import { decode } from '../../src/encoding/index.js';
import { expectCode, hex, toHex } from '../encoding/helpers.js';

describe('suite registry', () => {
  it('lists the built-in suites and rejects unknown names', () => {
    expect(listSuites()).toEqual(expect.arrayContaining(['ed25519', 'ecdsa-p256']));
    expectCode(() => getSuite('rsa'), 'CRYPTO_UNKNOWN_SUITE');
  });

  it('accepts a new suite once and refuses to replace an existing one', () => {
    const fake: SignatureSuite = { ...ed25519, name: 'test-suite-registry' };
    registerSuite(fake);
    expect(getSuite('test-suite-registry')).toBe(fake);
    expectCode(() => registerSuite(fake), 'CRYPTO_SUITE_EXISTS');
    expectCode(() => registerSuite({ ...ed25519 }), 'CRYPTO_SUITE_EXISTS');
  });
});

describe('sha256', () => {
  it('matches FIPS 180-4 examples and hashes the concatenation of its parts', () => {
    expect(toHex(sha256())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    const abc = new TextEncoder().encode('abc');
    expect(toHex(sha256(abc))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256(abc.subarray(0, 1), abc.subarray(1))).toEqual(sha256(abc));
  });
});

describe('signingPayload', () => {
  const netA = new Uint8Array(32).fill(1);
  const netB = new Uint8Array(32).fill(2);
  const body = hex('a16161' + '01');

  it('frames version, network id, domain tag and bytes as deterministic CBOR', () => {
    const p = signingPayload(netA, 'qm/tx/v1', body);
    expect(decode(p)).toEqual(['qm-sig-v1', netA, 'qm/tx/v1', body]);
  });

  it('a signature for one network or domain does not verify for another', () => {
    const { publicKey, privateKey } = ed25519.generateKeyPair(new Uint8Array(32).fill(7));
    const sig = ed25519.sign(privateKey, signingPayload(netA, 'qm/tx/v1', body));
    expect(ed25519.verify(publicKey, signingPayload(netA, 'qm/tx/v1', body), sig)).toBe(true);
    expect(ed25519.verify(publicKey, signingPayload(netB, 'qm/tx/v1', body), sig)).toBe(false);
    expect(ed25519.verify(publicKey, signingPayload(netA, 'qm/scan/v1', body), sig)).toBe(false);
    expect(ed25519.verify(publicKey, body, sig)).toBe(false);
  });

  it('rejects malformed network ids and domain tags', () => {
    expectCode(() => signingPayload(new Uint8Array(31), 'qm/tx/v1', body), 'CRYPTO_BAD_NETWORK_ID');
    for (const tag of ['', 'Upper', ' qm', 'x'.repeat(65), 'qm tx']) {
      expectCode(() => signingPayload(netA, tag, body), 'CRYPTO_BAD_DOMAIN_TAG');
    }
  });
});

describe('LruCache', () => {
  it('evicts the least recently used entry beyond capacity', () => {
    const c = new LruCache<string, number>(2);
    c.set('a', 1);
    c.set('b', 2);
    expect(c.get('a')).toBe(1);
    c.set('c', 3);
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBe(1);
    expect(c.get('c')).toBe(3);
    expect(c.size).toBe(2);
    expect(() => new LruCache(0)).toThrow(RangeError);
  });
});
