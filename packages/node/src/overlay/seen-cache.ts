/**
 * A bounded LRU of message digests seen by the flooder, each with the peers known to have the message
 * (they sent it to us), so a re-flood skips them. Map iteration order is insertion order, which makes
 * "delete and re-insert" an O(1) move-to-front.
 */
export class SeenCache {
  private readonly entries = new Map<string, Set<string>>();

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  has(digest: string): boolean {
    return this.entries.has(digest);
  }

  /** Peers known to hold the message; undefined if the digest is not (or no longer) remembered. */
  holders(digest: string): ReadonlySet<string> | undefined {
    return this.entries.get(digest);
  }

  /**
   * Records the digest (and optionally a peer that holds it). Returns true when it was new.
   * The entry becomes the most recently used; the least recently used is evicted past capacity.
   */
  add(digest: string, holder?: string): boolean {
    const existing = this.entries.get(digest);
    if (existing) {
      this.entries.delete(digest);
      this.entries.set(digest, existing);
      if (holder !== undefined) existing.add(holder);
      return false;
    }
    this.entries.set(digest, holder === undefined ? new Set() : new Set([holder]));
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value!;
      this.entries.delete(oldest);
    }
    return true;
  }
}
