import type { Ballot, Value } from './types.js';

/** The counter of the "infinite" ballot that CONFIRM and EXTERNALIZE statements stand for. */
export const INFINITE_COUNTER = 0xffffffff;

/** Bytewise order of opaque values (shorter first on a common prefix). */
export function compareValues(a: Value, b: Value): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

export const valuesEqual = (a: Value, b: Value): boolean => compareValues(a, b) === 0;

/** Total order on ballots: counter, then value; a missing ballot sorts first. */
export function compareBallots(a: Ballot | null, b: Ballot | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  if (a.counter !== b.counter) return a.counter < b.counter ? -1 : 1;
  return compareValues(a.value, b.value);
}

/** Two ballots are compatible when they carry the same value (the paper's b ~ b'). */
export const areBallotsCompatible = (a: Ballot, b: Ballot): boolean => valuesEqual(a.value, b.value);

/** a <= b and a ~ b. */
export const areBallotsLessAndCompatible = (a: Ballot, b: Ballot): boolean =>
  compareBallots(a, b) <= 0 && areBallotsCompatible(a, b);

/** a <= b and a !~ b. */
export const areBallotsLessAndIncompatible = (a: Ballot, b: Ballot): boolean =>
  compareBallots(a, b) <= 0 && !areBallotsCompatible(a, b);

export const makeBallot = (counter: number, value: Value): Ballot => ({ counter, value });

/** Binary search in an ascending list: where `v` is, or where it would be inserted. */
export function locateValue(sorted: readonly Value[], v: Value): { found: boolean; index: number } {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const c = compareValues(sorted[mid]!, v);
    if (c === 0) return { found: true, index: mid };
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return { found: false, index: lo };
}

/** Membership in an ascending list of values. */
export const sortedIncludes = (sorted: readonly Value[], v: Value): boolean => locateValue(sorted, v).found;

/** A sorted set of values without duplicates (nomination votes, accepted values, candidates). */
export class ValueSet {
  private readonly items: Value[] = [];

  /** Adds `v`; returns false when it was already present. */
  add(v: Value): boolean {
    const { found, index } = locateValue(this.items, v);
    if (!found) this.items.splice(index, 0, v);
    return !found;
  }

  has(v: Value): boolean {
    return locateValue(this.items, v).found;
  }

  get size(): number {
    return this.items.length;
  }

  /** The values in ascending order (a copy). */
  toArray(): Value[] {
    return [...this.items];
  }

  [Symbol.iterator](): Iterator<Value> {
    return this.items[Symbol.iterator]();
  }
}

/** True when `values` is strictly ascending: sorted and free of duplicates. */
export function isStrictlySorted(values: readonly Value[]): boolean {
  for (let i = 1; i < values.length; i++) if (compareValues(values[i - 1]!, values[i]!) >= 0) return false;
  return true;
}
