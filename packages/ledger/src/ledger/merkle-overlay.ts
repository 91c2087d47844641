/**
 * A MerkleStore that buffers appends over a base store which it never writes, so that closeLedger can
 * compute the new log root and hand back the new nodes for the caller's single atomic write.
 */
import type { MerkleNode, MerkleStore } from '../merkle/store.js';

/** The reads a Merkle log needs; every MerkleStore provides them. */
export type MerkleReader = Pick<MerkleStore, 'size' | 'node'>;

export class MerkleOverlay implements MerkleStore {
  readonly #base: MerkleReader;
  readonly #baseSize: number;
  readonly #added: MerkleNode[] = [];
  readonly #index = new Map<string, Uint8Array>();
  #leaves = 0;

  constructor(base: MerkleReader) {
    this.#base = base;
    this.#baseSize = base.size();
  }

  size(): number {
    return this.#baseSize + this.#leaves;
  }

  node(level: number, index: number): Uint8Array | undefined {
    return this.#index.get(`${level}/${index}`) ?? this.#base.node(level, index);
  }

  append(nodes: readonly MerkleNode[]): void {
    for (const n of nodes) {
      this.#added.push(n);
      this.#index.set(`${n.level}/${n.index}`, n.hash);
    }
    this.#leaves++;
  }

  /** The nodes appended, in append order (a leaf, then the complete subtrees it closed). */
  added(): MerkleNode[] {
    return [...this.#added];
  }
}
