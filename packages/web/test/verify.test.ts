import { describe, expect, it } from 'vitest';
import {
  bytesToHex,
  cborEncode,
  encodeLeaf,
  headerHash,
  hexToBytes,
  leafHash,
  verifyHeaderChain,
  verifyInclusion,
} from '../src/verify';
import { buildChain } from './chain-helpers';
import { hex, mth, path, unhex } from './merkle-helpers';

// The 8-leaf reference tree of the CT test suites, with the vectors of docs/formats.md §4.
const LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map(unhex);
const ROOT_8 = '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328';
const PROOF_5_8 = [
  'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
  'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
];

describe('hex', () => {
  it('round-trips and rejects malformed input', () => {
    expect(bytesToHex(hexToBytes('00ff10')!)).toBe('00ff10');
    expect(hexToBytes('0')).toBeNull();
    expect(hexToBytes('zz')).toBeNull();
  });
});

describe('RFC 9162 inclusion proofs', () => {
  it('hashes the empty leaf as the vector says', async () => {
    expect(bytesToHex(await leafHash(new Uint8Array()))).toBe(
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    );
  });

  it('verifies the documented proof for leaf 5 of 8, step by step', async () => {
    expect(hex(mth(LEAVES))).toBe(ROOT_8);
    const r = await verifyInclusion(await leafHash(LEAVES[5]!), 5, 8, PROOF_5_8.map(unhex), unhex(ROOT_8));
    expect(r.ok).toBe(true);
    expect(r.failure).toBeNull();
    expect(r.steps).toHaveLength(3);
    expect(r.steps.map((s) => s.siblingSide)).toEqual(['left', 'right', 'left']);
    expect(r.steps[0]!.fnBefore).toBe(5);
    expect(r.steps[0]!.snBefore).toBe(7);
    expect(r.steps.at(-1)!.after).toBe(ROOT_8);
    expect(r.computedRoot).toBe(ROOT_8);
  });

  it('verifies every leaf of every tree size up to 20 against a reference tree', async () => {
    const leaves = Array.from({ length: 20 }, (_, i) => Uint8Array.of(i, i * 7));
    for (let n = 1; n <= 20; n++) {
      const tree = leaves.slice(0, n);
      const root = mth(tree);
      for (let m = 0; m < n; m++) {
        const r = await verifyInclusion(await leafHash(tree[m]!), m, n, path(m, tree), root);
        expect(r.ok, `leaf ${m} of ${n}`).toBe(true);
      }
    }
  });

  it('fails a tampered sibling, a wrong index, a wrong size, and extra or missing steps', async () => {
    const leaf = await leafHash(LEAVES[5]!);
    const root = unhex(ROOT_8);
    const proof = PROOF_5_8.map(unhex);
    const tampered = proof.map((p) => p.slice());
    tampered[1]![0]! ^= 1;
    const bad = await verifyInclusion(leaf, 5, 8, tampered, root);
    expect(bad.ok).toBe(false);
    expect(bad.failure).toMatch(/differs/);
    expect((await verifyInclusion(leaf, 4, 8, proof, root)).ok).toBe(false);
    expect((await verifyInclusion(leaf, 5, 6, proof, root)).ok).toBe(false);
    expect((await verifyInclusion(leaf, 8, 8, proof, root)).failure).toMatch(/not below/);
    expect((await verifyInclusion(leaf, 5, 8, proof.slice(0, 2), root)).failure).toMatch(/shorter/);
    expect((await verifyInclusion(leaf, 5, 8, [...proof, proof[0]!], root)).failure).toMatch(/longer/);
    expect((await verifyInclusion(leaf, 5, 8, [new Uint8Array(31)], root)).ok).toBe(false);
    expect((await verifyInclusion(leaf.slice(1), 5, 8, proof, root)).ok).toBe(false);
    expect((await verifyInclusion(leaf, -1, 8, proof, root)).ok).toBe(false);
  });

  it('treats a single-leaf tree as leaf = root with an empty proof', async () => {
    const leaf = await leafHash(unhex('ab'));
    expect((await verifyInclusion(leaf, 0, 1, [], leaf)).ok).toBe(true);
  });
});

describe('the leaf entry', () => {
  it('encodes CBOR heads at every width', () => {
    expect(bytesToHex(cborEncode(23))).toBe('17');
    expect(bytesToHex(cborEncode(24))).toBe('1818');
    expect(bytesToHex(cborEncode(1000))).toBe('1903e8');
    expect(bytesToHex(cborEncode(70000))).toBe('1a00011170');
    expect(bytesToHex(cborEncode(5_000_000_000))).toBe('1b000000012a05f200');
    expect(bytesToHex(cborEncode('a'))).toBe('6161');
    expect(bytesToHex(cborEncode([Uint8Array.of(1)]))).toBe('814101');
  });

  // Hashes produced by @qm/ledger's encodeLeaf (packages/ledger/src/ledger/result.ts) for these inputs.
  it('matches the ledger package', async () => {
    const result = new TextEncoder().encode('{"ok":true}');
    const envelope = new Uint8Array(300).map((_, i) => i & 0xff);
    expect(bytesToHex(encodeLeaf(70000, 3, envelope, result)).slice(0, 80)).toBe(
      '856a716d2f6c6561662f76311a000111700359012c000102030405060708090a0b0c0d0e0f101112',
    );
    expect(bytesToHex(await leafHash(encodeLeaf(70000, 3, envelope, result)))).toBe(
      'bf1d88d39f5622358735650d8754710795a31dcba459e1e1f3562879a3bcb9f6',
    );
    expect(bytesToHex(await leafHash(encodeLeaf(5_000_000_000, 300, Uint8Array.of(1, 2), result)))).toBe(
      '97a3d237082a40f7c0d0f28cf78a7160d0588383b7e2054fd9397c2ceb481925',
    );
  });
});

describe('ledger headers', () => {
  const b = (n: number) => new Uint8Array(32).fill(n);
  const header = {
    protocolVersion: 1,
    networkId: b(1),
    sequence: 41,
    previousHash: b(2),
    closeTime: 1_795_000_000,
    txSetHash: b(3),
    resultsHash: b(4),
    stateCommitment: b(5),
    logRoot: b(6),
    logSize: 300,
  };

  it('sorts map keys by their encoding, as deterministic CBOR requires', () => {
    // {"a": 2, "c": 3, "bb": 1}: shorter keys first, then bytewise.
    expect(bytesToHex(cborEncode({ bb: 1, a: 2, c: 3 }))).toBe('a361610261630362626201');
  });

  // The hash @qm/ledger's headerHash gives for this header.
  it('matches the ledger package', async () => {
    expect(bytesToHex(await headerHash(header))).toBe(
      '43cb4830c9defe2a5f5b807da8f308bcbef34430d31d7e40e632dc78190ec30a',
    );
  });

  it('checks that a chain links consecutive headers by hash', async () => {
    const chain = buildChain(5, () => undefined);
    const ok = await verifyHeaderChain(chain.slice(0, 4), chain[4]!);
    expect(ok).toMatchObject({ ok: true, anchorSequence: 0 });
    expect(ok.anchorHash).toBe(bytesToHex(await headerHash(chain[0]!)));
    expect((await verifyHeaderChain([chain[0]!, chain[2]!], chain[3]!)).failure).toMatch(/does not follow/);
    const forged = { ...chain[1]!, closeTime: 1 };
    expect((await verifyHeaderChain([chain[0]!, forged, chain[2]!], chain[3]!)).failure).toMatch(
      /does not link/,
    );
    const other = { ...chain[4]!, networkId: b(9) };
    expect((await verifyHeaderChain(chain.slice(0, 4), other)).failure).toMatch(/another network/);
  });
});
