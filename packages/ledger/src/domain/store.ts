/**
 * The key-value interface the domain state lives behind, so that SQLite or PostgreSQL can back it later,
 * plus an in-memory store and a write overlay that makes a transaction all-or-nothing.
 *
 * Keys are strings ('item/D0CVA5674A36458'); values are plain JSON/CBOR-able data (no Maps, Dates or
 * undefined). The store never interprets values.
 */

export interface StateStore {
  get(key: string): unknown | undefined;
  put(key: string, value: unknown): void;
  delete(key: string): void;
}

/** A store whose keys can be listed: the in-memory store, and what invariant checks and queries need. */
export interface ListableStore extends StateStore {
  /** Keys starting with prefix, in ascending code-unit order (so iteration is deterministic). */
  keys(prefix?: string): string[];
}

export class MemoryStore implements ListableStore {
  readonly #map = new Map<string, unknown>();

  get(key: string): unknown | undefined {
    return this.#map.get(key);
  }

  put(key: string, value: unknown): void {
    this.#map.set(key, value);
  }

  delete(key: string): void {
    this.#map.delete(key);
  }

  keys(prefix = ''): string[] {
    const out: string[] = [];
    for (const k of this.#map.keys()) if (k.startsWith(prefix)) out.push(k);
    // Map order is insertion order, which differs between nodes that applied the same history through
    // different paths (e.g. catch-up); sort so that nothing depends on it.
    return out.sort(compareKeys);
  }

  get size(): number {
    return this.#map.size;
  }
}

/** Plain code-unit comparison, identical on every node (localeCompare is not). */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const DELETED: unique symbol = Symbol('deleted');

/**
 * Buffers writes over a base store. `commit()` writes them through in sorted key order; dropping the
 * overlay discards them, which is how a failed transaction changes nothing.
 */
export class OverlayStore implements StateStore {
  readonly #base: StateStore;
  readonly #writes = new Map<string, unknown>();

  constructor(base: StateStore) {
    this.#base = base;
  }

  get(key: string): unknown | undefined {
    if (this.#writes.has(key)) {
      const v = this.#writes.get(key);
      return v === DELETED ? undefined : v;
    }
    return this.#base.get(key);
  }

  put(key: string, value: unknown): void {
    this.#writes.set(key, value);
  }

  delete(key: string): void {
    this.#writes.set(key, DELETED);
  }

  /** The keys written (put or deleted) so far, sorted. */
  writtenKeys(): string[] {
    return [...this.#writes.keys()].sort(compareKeys);
  }

  commit(): void {
    for (const key of this.writtenKeys()) {
      const v = this.#writes.get(key);
      if (v === DELETED) this.#base.delete(key);
      else this.#base.put(key, v);
    }
    this.#writes.clear();
  }

  discard(): void {
    this.#writes.clear();
  }
}
