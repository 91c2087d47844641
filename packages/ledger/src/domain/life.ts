/**
 * Life-limited parts. A part's remaining life is its class limit minus its usage; an assembly's is the
 * smallest remaining life among itself and its tracked components, because the first part to run out
 * forces the assembly off the wing. Installed at 8,975 h with 1,700 h remaining -> due at 10,675 h.
 */
import { type Exec, invariant } from './exec.js';
import { type Item, State, type Usage } from './state.js';
import type { StateStore } from './store.js';
import { descendants } from './tree.js';

const DAY_SECONDS = 86_400;

export interface RemainingLife {
  hours?: number;
  cycles?: number;
}

/** Remaining hours/cycles of the item's own class limits (negative once past the limit). */
function ownRemaining(state: State, item: Item): RemainingLife {
  const cls = state.itemClass(item.nsn);
  invariant(cls !== undefined, `item ${item.uii} has no class ${item.nsn}`);
  const out: RemainingLife = {};
  if (cls.lifeLimits.hours !== undefined) out.hours = cls.lifeLimits.hours - item.usage.hours;
  if (cls.lifeLimits.cycles !== undefined) out.cycles = cls.lifeLimits.cycles - item.usage.cycles;
  return out;
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

/** The smallest remaining life among the item and all its installed components. */
export function remainingLife(state: State, item: Item): RemainingLife {
  let hours: number | undefined;
  let cycles: number | undefined;
  for (const it of [item, ...descendants(state, item)]) {
    const o = ownRemaining(state, it);
    hours = minDefined(hours, o.hours);
    cycles = minDefined(cycles, o.cycles);
  }
  return { ...(hours !== undefined && { hours }), ...(cycles !== undefined && { cycles }) };
}

/** Replacement due point in the frame of `base` usage (the parent's usage at install). */
export function replacementDue(base: Usage, remaining: RemainingLife): RemainingLife {
  const out: RemainingLife = {};
  if (remaining.hours !== undefined) out.hours = base.hours + remaining.hours;
  if (remaining.cycles !== undefined) out.cycles = base.cycles + remaining.cycles;
  return out;
}

export interface LifeStatus {
  uii: string;
  usage: Usage;
  /** Smallest remaining life in the item's subtree (negative: past a limit). */
  remaining: RemainingLife;
  /** Where that runs out, in the item's own usage: usage + remaining. */
  due: RemainingLife;
  /** Calendar days the item has left, when its class has a day limit (negative: past it). */
  daysRemaining?: number;
}

/** Life status of an item, for "parts near or past their limits" queries. Pure; reads only. */
export function lifeStatus(store: StateStore, uii: string, closeTime: number): LifeStatus | undefined {
  const state = new State(store);
  const item = state.item(uii);
  if (!item) return undefined;
  const remaining = remainingLife(state, item);
  const days = state.itemClass(item.nsn)?.lifeLimits.days;
  const status: LifeStatus = {
    uii,
    usage: item.usage,
    remaining,
    due: replacementDue(item.usage, remaining),
  };
  if (days !== undefined)
    status.daysRemaining = days - Math.floor((closeTime - item.registeredAt) / DAY_SECONDS);
  return status;
}

/**
 * Raises a life-limit-exceeded alert for each limit the item has passed and not yet reported; returns
 * the item with its reported limits updated (the caller writes it).
 */
export function checkLifeLimits(x: Exec, item: Item): Item {
  const cls = x.state.itemClass(item.nsn);
  invariant(cls !== undefined, `item ${item.uii} has no class ${item.nsn}`);
  const { hours, cycles, days } = cls.lifeLimits;
  const passed: [string, number, number][] = [];
  if (hours !== undefined && item.usage.hours > hours) passed.push(['hours', hours, item.usage.hours]);
  if (cycles !== undefined && item.usage.cycles > cycles) passed.push(['cycles', cycles, item.usage.cycles]);
  // Calendar life counts from registration: the ledger does not know the date of manufacture.
  const ageDays = Math.floor((x.now - item.registeredAt) / DAY_SECONDS);
  if (days !== undefined && ageDays > days) passed.push(['days', days, ageDays]);
  let lifeAlerts = item.lifeAlerts;
  for (const [limit, max, value] of passed) {
    if (lifeAlerts.includes(limit)) continue;
    x.raise('life-limit-exceeded', item.uii, { nsn: item.nsn, limit, max, value });
    lifeAlerts = [...lifeAlerts, limit].sort();
  }
  return lifeAlerts === item.lifeAlerts ? item : { ...item, lifeAlerts };
}
