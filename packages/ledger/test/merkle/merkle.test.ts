import { describe, expect, it } from 'vitest';
import {
  EMPTY_ROOT,
  leafHash,
  MerkleLog,
  type MerkleNode,
  type MerkleStore,
  nodeHash,
  verifyConsistency,
  verifyInclusion,
} from '../../src/merkle/index.js';
import { expectCode, hex, toHex } from '../encoding/helpers.js';

// The 8-leaf reference tree of the Certificate Transparency / transparency-dev test suites.
const CT_LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map(hex);
const CT_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

/** RFC 9162 §2.1 definitions, transcribed over arrays with no caching: the reference to compare to. */
const naive = {
  k: (n: number) => 2 ** Math.ceil(Math.log2(n) - 1),
  mth(d: Uint8Array[]): Uint8Array {
    if (d.length === 0) return EMPTY_ROOT;
    if (d.length === 1) return d[0]!;
    const k = naive.k(d.length);
    return nodeHash(naive.mth(d.slice(0, k)), naive.mth(d.slice(k)));
  },
  path(m: number, d: Uint8Array[]): Uint8Array[] {
    if (d.length <= 1) return [];
    const k = naive.k(d.length);
    return m < k
      ? [...naive.path(m, d.slice(0, k)), naive.mth(d.slice(k))]
      : [...naive.path(m - k, d.slice(k)), naive.mth(d.slice(0, k))];
  },
  subproof(m: number, d: Uint8Array[], b: boolean): Uint8Array[] {
    if (m === d.length) return b ? [] : [naive.mth(d)];
    const k = naive.k(d.length);
    return m <= k
      ? [...naive.subproof(m, d.slice(0, k), b), naive.mth(d.slice(k))]
      : [...naive.subproof(m - k, d.slice(k), false), naive.mth(d.slice(0, k))];
  },
};

const MAX = 64;
const leafData = (i: number) => new TextEncoder().encode(`leaf ${i}`);
const hashes = Array.from({ length: MAX }, (_, i) => leafHash(leafData(i)));
const log = new MerkleLog();
for (let i = 0; i < MAX; i++) log.append(leafData(i));

function flipped(proof: Uint8Array[], i: number): Uint8Array[] {
  return proof.map((p, j) => {
    if (j !== i) return p;
    const q = p.slice();
    q[0]! ^= 1;
    return q;
  });
}

describe('RFC 9162 hashing: the CT reference tree', () => {
  it('computes the published roots for sizes 1 to 8, and the empty root', () => {
    const ct = new MerkleLog();
    expect(toHex(ct.root())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    for (let i = 0; i < CT_LEAVES.length; i++) {
      expect(ct.append(CT_LEAVES[i]!)).toBe(i);
      expect(toHex(ct.root())).toBe(CT_ROOTS[i]);
    }
    CT_ROOTS.forEach((r, i) => {
      expect(toHex(ct.root(i + 1))).toBe(r);
    });
  });
});

describe('MerkleLog against the naive RFC 9162 definitions, all sizes up to 64', () => {
  it('roots agree for every size', () => {
    for (let n = 0; n <= MAX; n++) expect(log.root(n)).toEqual(naive.mth(hashes.slice(0, n)));
  });

  it('inclusion proofs agree and verify for every (index, size)', () => {
    for (let n = 1; n <= MAX; n++) {
      const root = log.root(n);
      for (let m = 0; m < n; m++) {
        const proof = log.inclusionProof(m, n);
        expect(proof).toEqual(naive.path(m, hashes.slice(0, n)));
        expect(verifyInclusion(hashes[m]!, m, n, proof, root)).toBe(true);
      }
    }
  });

  it('consistency proofs agree and verify for every (m, n)', () => {
    for (let n = 1; n <= MAX; n++) {
      const rootN = log.root(n);
      for (let m = 1; m <= n; m++) {
        const proof = log.consistencyProof(m, n);
        expect(proof).toEqual(naive.subproof(m, hashes.slice(0, n), true));
        expect(verifyConsistency(m, n, proof, log.root(m), rootN)).toBe(true);
      }
    }
  });
});

describe('tampered proofs fail', () => {
  it('inclusion: any flipped hash, dropped or extra element, wrong leaf, index, size or root', () => {
    for (let n = 1; n <= 33; n++) {
      const root = log.root(n);
      for (let m = 0; m < n; m++) {
        const proof = log.inclusionProof(m, n);
        for (let i = 0; i < proof.length; i++) {
          expect(verifyInclusion(hashes[m]!, m, n, flipped(proof, i), root)).toBe(false);
        }
        if (proof.length > 0) expect(verifyInclusion(hashes[m]!, m, n, proof.slice(0, -1), root)).toBe(false);
        expect(verifyInclusion(hashes[m]!, m, n, [...proof, root], root)).toBe(false);
        expect(verifyInclusion(hashes[(m + 1) % MAX]!, m, n, proof, root)).toBe(false);
        if (n > 1) expect(verifyInclusion(hashes[m]!, (m + 1) % n, n, proof, root)).toBe(false);
        expect(verifyInclusion(hashes[m]!, m, n + 1, proof, log.root(n + 1))).toBe(false);
        expect(verifyInclusion(hashes[m]!, m, n, proof, log.root(n - 1 || 2))).toBe(false);
        expect(verifyInclusion(hashes[m]!, n, n, proof, root)).toBe(false);
      }
    }
  });

  it('consistency: any flipped hash, dropped or extra element, wrong sizes or roots', () => {
    for (let n = 2; n <= 33; n++) {
      for (let m = 1; m < n; m++) {
        const proof = log.consistencyProof(m, n);
        const [rm, rn] = [log.root(m), log.root(n)];
        for (let i = 0; i < proof.length; i++) {
          expect(verifyConsistency(m, n, flipped(proof, i), rm, rn)).toBe(false);
        }
        expect(verifyConsistency(m, n, proof.slice(0, -1), rm, rn)).toBe(false);
        expect(verifyConsistency(m, n, [...proof, rn], rm, rn)).toBe(false);
        expect(verifyConsistency(m, n, [], rm, rn)).toBe(false);
        expect(verifyConsistency(m, n, proof, rn, rn)).toBe(false);
        expect(verifyConsistency(m, n, proof, rm, rm)).toBe(false);
        expect(verifyConsistency(m, n + 1, proof, rm, log.root(n + 1))).toBe(false);
        expect(verifyConsistency(n, m, proof, rn, rm)).toBe(false);
      }
    }
  });

  it('degenerate sizes: equal sizes need an empty proof and equal roots; size 0 needs the empty root', () => {
    const r5 = log.root(5);
    expect(log.consistencyProof(5, 5)).toEqual([]);
    expect(verifyConsistency(5, 5, [], r5, r5)).toBe(true);
    expect(verifyConsistency(5, 5, [r5], r5, r5)).toBe(false);
    expect(verifyConsistency(5, 5, [], r5, log.root(6))).toBe(false);
    expect(log.consistencyProof(0, 5)).toEqual([]);
    expect(verifyConsistency(0, 5, [], EMPTY_ROOT, r5)).toBe(true);
    expect(verifyConsistency(0, 5, [], r5, r5)).toBe(false);
  });

  it('returns false, never throws, on malformed inputs', () => {
    const root = log.root(4);
    const proof = log.inclusionProof(1, 4);
    expect(verifyInclusion(hashes[1]!, -1, 4, proof, root)).toBe(false);
    expect(verifyInclusion(hashes[1]!, 1.5, 4, proof, root)).toBe(false);
    expect(verifyInclusion(hashes[1]!, 1, 4, [new Uint8Array(31), ...proof.slice(1)], root)).toBe(false);
    expect(verifyInclusion(hashes[1]!.subarray(1), 1, 4, proof, root)).toBe(false);
    expect(verifyInclusion(hashes[1]!, 1, 4, 'x' as unknown as Uint8Array[], root)).toBe(false);
    expect(verifyConsistency(2, 4, [new Uint8Array(3)], log.root(2), root)).toBe(false);
    expect(verifyConsistency(Number.NaN, 4, [], log.root(2), root)).toBe(false);
  });

  it('handles sizes beyond 2^32 in verification without 32-bit truncation', () => {
    // A right-most leaf of a tree of 2^32 + 1 leaves: its path is one hash (the left 2^32 subtree).
    const size = 2 ** 32 + 1;
    const left = hashes[0]!;
    const leaf = hashes[1]!;
    expect(verifyInclusion(leaf, size - 1, size, [left], nodeHash(left, leaf))).toBe(true);
    expect(verifyInclusion(leaf, 0, size, [left], nodeHash(left, leaf))).toBe(false);
  });
});

describe('MerkleLog storage and ranges', () => {
  it('works over a store that keeps only leaf hashes', () => {
    const leaves: Uint8Array[] = [];
    const leafOnly: MerkleStore = {
      size: () => leaves.length,
      node: (level, index) => (level === 0 ? leaves[index] : undefined),
      append: (nodes: readonly MerkleNode[]) => {
        leaves.push(nodes[0]!.hash);
      },
    };
    const slow = new MerkleLog(leafOnly);
    for (let i = 0; i < 20; i++) slow.append(leafData(i));
    expect(slow.root()).toEqual(log.root(20));
    expect(slow.inclusionProof(13)).toEqual(log.inclusionProof(13, 20));
    expect(slow.consistencyProof(7)).toEqual(log.consistencyProof(7, 20));
    expect(slow.leafHash(3)).toEqual(hashes[3]);
  });

  it('rejects out-of-range sizes and indexes with MERKLE_BAD_RANGE', () => {
    expectCode(() => log.root(MAX + 1), 'MERKLE_BAD_RANGE');
    expectCode(() => log.inclusionProof(4, 4), 'MERKLE_BAD_RANGE');
    expectCode(() => log.inclusionProof(-1, 4), 'MERKLE_BAD_RANGE');
    expectCode(() => log.consistencyProof(5, 4), 'MERKLE_BAD_RANGE');
    expectCode(() => log.leafHash(MAX), 'MERKLE_BAD_RANGE');
    expectCode(() => new MerkleLog().appendLeafHash(new Uint8Array(31)), 'MERKLE_BAD_HASH');
  });

  it('stops on a store that lost a leaf instead of guessing', () => {
    const broken: MerkleStore = { size: () => 2, node: () => undefined, append: () => {} };
    expectCode(() => new MerkleLog(broken).root(), 'MERKLE_STORE_CORRUPT');
  });

  it('hashes leaves and nodes under distinct prefixes', () => {
    const a = hashes[0]!;
    const b = hashes[1]!;
    expect(leafHash(new Uint8Array([...a, ...b]))).not.toEqual(nodeHash(a, b));
  });
});
