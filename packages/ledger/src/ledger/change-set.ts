/**
 * A write buffer over a read-only state view. closeLedger applies a whole ledger into one ChangeSet and
 * returns its changes instead of writing them, so that the caller persists header, transactions and
 * state in one atomic write (DESIGN.md principle 7) and the base state is never half-updated.
 */
import { compareKeys, type StateStore } from '../domain/store.js';
import { canonicalJson } from './canonical-json.js';
import type { StateChange } from './hashes.js';

/** What closeLedger needs from the last closed state: reads only. */
export interface StateReader {
  get(key: string): unknown | undefined;
}

const DELETED: unique symbol = Symbol('deleted');

export class ChangeSet implements StateStore {
  readonly #base: StateReader;
  readonly #writes = new Map<string, unknown>();

  constructor(base: StateReader) {
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
    if (value === undefined) this.delete(key);
    else this.#writes.set(key, value);
  }

  delete(key: string): void {
    this.#writes.set(key, DELETED);
  }

  /**
   * Every key written, in ascending key order; a key put and then deleted is a deletion. Each written
   * value comes with its canonical JSON, serialized here once for the commitment and the store.
   */
  changes(): StateChange[] {
    return [...this.#writes.keys()].sort(compareKeys).map((key) => {
      const v = this.#writes.get(key);
      return v === DELETED ? { key, value: null } : { key, value: v, json: canonicalJson(v) };
    });
  }
}
