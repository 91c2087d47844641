/**
 * An append-only Merkle log with RFC 9162 (Certificate Transparency v2) tree hashes, inclusion
 * proofs (§2.1.3.1) and consistency proofs (§2.1.4.1). The recursive definitions are followed
 * literally over leaf ranges [start, end); complete subtrees are read from the store when it has them.
 */
import { LedgerError } from '../errors.js';
import { EMPTY_ROOT, HASH_BYTES, leafHash, nodeHash, splitPoint } from './hash.js';
import { MemoryMerkleStore, type MerkleNode, type MerkleStore } from './store.js';

function isPowerOfTwo(n: number): boolean {
  let p = 1;
  while (p < n) p *= 2;
  return p === n;
}

function log2(n: number): number {
  let l = 0;
  for (let p = 1; p < n; p *= 2) l++;
  return l;
}

function badRange(message: string, details: Record<string, unknown>): never {
  throw new LedgerError('MERKLE_BAD_RANGE', message, details);
}

export class MerkleLog {
  constructor(private readonly store: MerkleStore = new MemoryMerkleStore()) {}

  get size(): number {
    return this.store.size();
  }

  /** Appends a leaf's data (hashed as SHA-256(0x00 || data)) and returns its index. */
  append(leaf: Uint8Array): number {
    return this.appendLeafHash(leafHash(leaf));
  }

  /** Appends an already computed leaf hash and returns its index. */
  appendLeafHash(hash: Uint8Array): number {
    if (hash.length !== HASH_BYTES) throw new LedgerError('MERKLE_BAD_HASH', 'leaf hash must be 32 bytes');
    const index = this.store.size();
    // Copy: the store keeps this array, and the caller may reuse its buffer.
    const nodes: MerkleNode[] = [{ level: 0, index, hash: hash.slice() }];
    let h = nodes[0]!.hash;
    // Each time the new node is a right child, it completes its parent's subtree.
    let level = 0;
    let i = index;
    while (i % 2 === 1) {
      const width = 2 ** level;
      const leftStart = (i - 1) * width;
      h = nodeHash(this.subtree(leftStart, leftStart + width), h);
      level++;
      i = (i - 1) / 2;
      nodes.push({ level, index: i, hash: h });
    }
    this.store.append(nodes);
    return index;
  }

  leafHash(index: number): Uint8Array {
    this.checkSize(index + 1, 'leaf index');
    return this.subtree(index, index + 1).slice();
  }

  /** MTH(D[0:size]), RFC 9162 §2.1.1. */
  root(size: number = this.size): Uint8Array {
    this.checkSize(size, 'tree size');
    // Copies here and below: results leave the log, and must not alias the hashes the store keeps.
    return this.subtree(0, size).slice();
  }

  /** PATH(index, D[0:size]), RFC 9162 §2.1.3.1: sibling hashes from the leaf up. */
  inclusionProof(index: number, size: number = this.size): Uint8Array[] {
    this.checkSize(size, 'tree size');
    if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
      badRange(`leaf index ${index} not in tree of size ${size}`, { index, size });
    }
    const out: Uint8Array[] = [];
    this.path(index, 0, size, out);
    return out.map((h) => h.slice());
  }

  /**
   * PROOF(m, D[0:n]), RFC 9162 §2.1.4.1. For m = n (and for m = 0, where every tree is consistent
   * with the empty one) the proof is empty.
   */
  consistencyProof(m: number, n: number = this.size): Uint8Array[] {
    this.checkSize(n, 'tree size');
    if (!Number.isSafeInteger(m) || m < 0 || m > n) badRange(`old size ${m} not in [0, ${n}]`, { m, n });
    const out: Uint8Array[] = [];
    if (m > 0) this.subproof(m, 0, n, true, out);
    return out.map((h) => h.slice());
  }

  private checkSize(size: number, what: string): void {
    if (!Number.isSafeInteger(size) || size < 0 || size > this.store.size()) {
      badRange(`${what} ${size} not in [0, ${this.store.size()}]`, { size });
    }
  }

  /** MTH(D[start:end]). */
  private subtree(start: number, end: number): Uint8Array {
    const n = end - start;
    if (n === 0) return EMPTY_ROOT;
    if (isPowerOfTwo(n) && start % n === 0) {
      const level = log2(n);
      const cached = this.store.node(level, start / n);
      if (cached !== undefined) return cached;
      if (level === 0) {
        // Invariant: the store returns every leaf below its size. Never guess a hash.
        throw new LedgerError('MERKLE_STORE_CORRUPT', `store has no leaf hash at index ${start}`, {
          index: start,
        });
      }
    }
    const k = splitPoint(n);
    return nodeHash(this.subtree(start, start + k), this.subtree(start + k, end));
  }

  private path(m: number, start: number, end: number, out: Uint8Array[]): void {
    const n = end - start;
    if (n <= 1) return;
    const k = splitPoint(n);
    if (m < k) {
      this.path(m, start, start + k, out);
      out.push(this.subtree(start + k, end));
    } else {
      this.path(m - k, start + k, end, out);
      out.push(this.subtree(start, start + k));
    }
  }

  /** SUBPROOF(m, D[start:end], b). */
  private subproof(m: number, start: number, end: number, b: boolean, out: Uint8Array[]): void {
    const n = end - start;
    if (m === n) {
      if (!b) out.push(this.subtree(start, end));
      return;
    }
    const k = splitPoint(n);
    if (m <= k) {
      this.subproof(m, start, start + k, b, out);
      out.push(this.subtree(start + k, end));
    } else {
      this.subproof(m - k, start + k, end, false, out);
      out.push(this.subtree(start, start + k));
    }
  }
}
