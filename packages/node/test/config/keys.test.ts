import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ed25519, encodeId, getSuite } from '@qm/ledger';
import { afterAll, describe, expect, it } from 'vitest';
import {
  deriveTransportSeed,
  nodeKeyPair,
  publicIdOf,
  readSecretKey,
  transportKeyPair,
  transportPublicKeyHex,
  writeSecretKey,
} from '../../src/config/index.js';

const dir = mkdtempSync(join(tmpdir(), 'qm-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const seed = new Uint8Array(32).map((_, i) => i);

describe('secret key files', () => {
  it('round-trip a seed in a file only the owner can read', () => {
    const file = join(dir, 'node.key');
    writeSecretKey(file, seed);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readSecretKey(file)).toEqual(seed);
  });

  it('tighten the mode of an existing file when overwriting it', () => {
    const file = join(dir, 'loose.key');
    writeFileSync(file, 'x', { mode: 0o644 });
    writeSecretKey(file, seed);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('never replace an existing file when asked to be exclusive', () => {
    const file = join(dir, 'exclusive.key');
    writeFileSync(file, 'precious');
    expect(() => writeSecretKey(file, seed, { exclusive: true })).toThrow(
      expect.objectContaining({ code: 'CONFIG_EXISTS', file }),
    );
    expect(readFileSync(file, 'utf8')).toBe('precious');
  });

  it('reject a public id, a typo and garbage with KEY_FILE_INVALID', () => {
    const cases: [string, RegExp][] = [
      [publicIdOf('node', 'ed25519', seed), /public id/],
      [encodeId('secret', seed).replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')), /checksum/],
      ['hello', /not a secret key id/],
    ];
    for (const [text, message] of cases) {
      const file = join(dir, 'bad.key');
      writeFileSync(file, text);
      expect(() => readSecretKey(file)).toThrow(
        expect.objectContaining({ code: 'KEY_FILE_INVALID', message: expect.stringMatching(message) }),
      );
    }
  });
});

describe('key derivation', () => {
  it('derives the transport key from sha256(label || seed), independent of the node key', () => {
    const t = deriveTransportSeed(seed);
    expect(t).toHaveLength(32);
    expect(t).not.toEqual(seed);
    expect(transportKeyPair(seed).publicKey).toEqual(ed25519.generateKeyPair(t).publicKey);
    expect(transportKeyPair(seed).publicKey).not.toEqual(nodeKeyPair('ed25519', seed).publicKey);
    expect(transportPublicKeyHex(seed)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives an ecdsa-p256 node an Ed25519 transport key', () => {
    const node = nodeKeyPair('ecdsa-p256', seed);
    expect(node.publicKey).toHaveLength(33);
    const msg = new Uint8Array([1, 2, 3]);
    expect(
      getSuite('ecdsa-p256').verify(node.publicKey, msg, getSuite('ecdsa-p256').sign(node.privateKey, msg)),
    ).toBe(true);
    const transport = transportKeyPair(seed);
    expect(ed25519.verify(transport.publicKey, msg, ed25519.sign(transport.privateKey, msg))).toBe(true);
  });
});
