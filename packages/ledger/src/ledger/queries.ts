/**
 * Queries computed the same way over any LedgerStore (they derive from state, not from an index).
 */
import { type LifeStatus, lifeStatus } from '../domain/life.js';
import type { Item, ItemClass } from '../domain/state.js';
import type { StateStore } from '../domain/store.js';
import { LedgerError } from '../errors.js';
import { type LedgerStore, MAX_QUERY_ROWS } from './storage.js';

export interface LifeLimitMargin {
  /** Report parts with at most this many hours left (default 0: only parts at or past a limit). */
  hours?: number;
  cycles?: number;
  days?: number;
}

/**
 * Serialized, not-disposed parts near or past a life limit (their own or a component's), at the last
 * closed ledger's close time, most urgent first by hours, then cycles, then days, then UII. Scans the
 * items of life-limited classes: O(items), fine for a node's API, not for a hot path.
 */
export function partsNearLifeLimit(store: LedgerStore, margin: LifeLimitMargin = {}): LifeStatus[] {
  const last = store.lastClosed();
  if (last === null) return [];
  const limited = new Set(
    store
      .keys('class/')
      .map((k) => store.get(k) as ItemClass)
      .filter((c) => Object.keys(c.lifeLimits ?? {}).length > 0)
      .map((c) => c.nsn),
  );
  const readOnly: StateStore = {
    get: (k) => store.get(k),
    put: () => {
      throw new LedgerError('INVARIANT_VIOLATED', 'a query wrote to the state');
    },
    delete: () => {
      throw new LedgerError('INVARIANT_VIOLATED', 'a query wrote to the state');
    },
  };
  const near = (v: number | undefined, m: number | undefined) => v !== undefined && v <= (m ?? 0);
  const out: LifeStatus[] = [];
  for (const key of store.keys('item/')) {
    const item = store.get(key) as Item;
    if (item.status === 'disposed') continue;
    // An assembly inherits its components' limits, so an item of an unlimited class may still qualify.
    if (!limited.has(item.nsn) && item.children.length === 0) continue;
    const s = lifeStatus(readOnly, item.uii, last.closeTime);
    if (s === undefined) continue;
    if (
      near(s.remaining.hours, margin.hours) ||
      near(s.remaining.cycles, margin.cycles) ||
      near(s.daysRemaining, margin.days)
    ) {
      out.push(s);
    }
  }
  const inf = Number.POSITIVE_INFINITY;
  out.sort(
    (a, b) =>
      (a.remaining.hours ?? inf) - (b.remaining.hours ?? inf) ||
      (a.remaining.cycles ?? inf) - (b.remaining.cycles ?? inf) ||
      (a.daysRemaining ?? inf) - (b.daysRemaining ?? inf) ||
      (a.uii < b.uii ? -1 : a.uii > b.uii ? 1 : 0),
  );
  return out.slice(0, MAX_QUERY_ROWS);
}
