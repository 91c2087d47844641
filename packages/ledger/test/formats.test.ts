import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ed25519 } from '../src/crypto/index.js';
import { decodeId } from '../src/ids/index.js';
import { leafHash, MerkleLog, verifyConsistency, verifyInclusion } from '../src/merkle/index.js';
import { decodeEnvelope, verifyEnvelope } from '../src/tx/index.js';
import { formatVectors } from './format-vectors.js';

const DOC = readFileSync(new URL('../../../docs/formats.md', import.meta.url), 'utf8');
const hex = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));

/** `<!-- vector: NAME -->` followed by a fenced block; whitespace inside the block is not significant. */
function documentedVectors(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of DOC.matchAll(/<!-- vector: ([a-z0-9-]+) -->\n```\n([\s\S]*?)\n```/g)) {
    out[m[1]!] = m[2]!.replace(/\s+/g, '');
  }
  return out;
}

describe('docs/formats.md test vectors', () => {
  const code = Object.fromEntries(
    Object.entries(formatVectors()).map(([k, v]) => [k, v.replace(/\s+/g, '')]),
  );
  const doc = documentedVectors();

  it('documents exactly the vectors the code produces, with the same values', () => {
    expect(Object.keys(doc).sort()).toEqual(Object.keys(code).sort());
    expect(doc).toEqual(code);
  });

  it('the documented transaction decodes and verifies, and its key is RFC 8032 TEST 1', () => {
    const env = decodeEnvelope(hex(doc['tx-envelope']!));
    expect(Buffer.from(env.source).toString('hex')).toBe(
      'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    );
    const r = verifyEnvelope(env, ed25519);
    expect(r.ok).toBe(true);
    expect(Buffer.from(r.hash).toString('hex')).toBe(doc['tx-hash']);
    expect(decodeId(doc['tx-id']!, 'tx').bytes).toEqual(r.hash);
    expect(decodeId(doc['tx-source-member-id']!, 'member').bytes).toEqual(env.source);
  });

  it('the documented Merkle proofs verify against the documented root', () => {
    const root = hex(doc['merkle-root-8']!);
    const split = (s: string) => s.match(/.{64}/g)!.map(hex);
    // Leaf 5 of the reference tree is 40414243; its leaf hash is SHA-256(0x00 || 40414243).
    const log = new MerkleLog();
    for (const h of ['', '00', '10']) log.append(hex(h));
    expect(verifyInclusion(leafHash(hex('40414243')), 5, 8, split(doc['merkle-inclusion-5-8']!), root)).toBe(
      true,
    );
    expect(verifyConsistency(3, 8, split(doc['merkle-consistency-3-8']!), log.root(), root)).toBe(true);
  });
});
