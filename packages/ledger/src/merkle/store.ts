/**
 * Storage behind a Merkle log. The log only ever needs leaf hashes; a store may additionally keep
 * the hashes of complete ("perfect") subtrees it is handed, which makes roots and proofs O(log n)
 * instead of O(n). A store that keeps only leaf hashes is correct, just slower.
 */
export interface MerkleNode {
  /** 0 for a leaf hash; a node at `level` covers 2^level leaves. */
  readonly level: number;
  /** Position among the nodes of its level: covers leaves [index * 2^level, (index + 1) * 2^level). */
  readonly index: number;
  readonly hash: Uint8Array;
}

export interface MerkleStore {
  /** Number of leaves appended so far. */
  size(): number;
  /**
   * The hash of a complete subtree, or undefined if the store does not keep it.
   * Must return the leaf hash for every level-0 index below size().
   */
  node(level: number, index: number): Uint8Array | undefined;
  /**
   * Appends one leaf: `nodes[0]` is the new leaf hash (level 0, index = size()); the rest are the
   * complete subtrees it closes, bottom-up. Must be atomic: size() grows by exactly one.
   */
  append(nodes: readonly MerkleNode[]): void;
}

/** In-memory store keeping every complete subtree (about 2 hashes per leaf). */
export class MemoryMerkleStore implements MerkleStore {
  private readonly levels: Uint8Array[][] = [[]];

  size(): number {
    return this.levels[0]!.length;
  }

  node(level: number, index: number): Uint8Array | undefined {
    return this.levels[level]?.[index];
  }

  append(nodes: readonly MerkleNode[]): void {
    for (const n of nodes) {
      const level = (this.levels[n.level] ??= []);
      level[n.index] = n.hash;
    }
  }
}
