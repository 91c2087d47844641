/**
 * Walking assemblies: an item's installed components, its depth below the top assembly, the height of
 * its own component tree. Children lists are sorted, so every walk visits items in the same order.
 */
import { invariant } from './exec.js';
import type { Item, State } from './state.js';

/** Bound on any walk; maxAssemblyDepth (at most 64) keeps real trees below it. */
const WALK_LIMIT = 64;

/** The item's installed components, depth first in sorted order, not including the item. */
export function descendants(state: State, item: Item): Item[] {
  const out: Item[] = [];
  const walk = (it: Item, depth: number): void => {
    invariant(depth <= WALK_LIMIT, `assembly ${item.uii} nests deeper than any allowed depth`);
    for (const uii of it.children) {
      const child = state.item(uii);
      invariant(
        child !== undefined && child.install?.parent === it.uii,
        `component ${uii} of ${it.uii} is broken`,
      );
      out.push(child);
      walk(child, depth + 1);
    }
  };
  walk(item, 1);
  return out;
}

/** Number of ancestors above the item (0 for a top-level item). */
export function depthOf(state: State, item: Item): number {
  let depth = 0;
  let cur = item;
  while (cur.install) {
    const parent = state.item(cur.install.parent);
    invariant(parent !== undefined, `parent ${cur.install.parent} of ${cur.uii} is missing`);
    depth++;
    invariant(depth <= WALK_LIMIT, `ancestry of ${item.uii} is too deep`);
    cur = parent;
  }
  return depth;
}

/** Height of the item's component tree (1 for an item without components). */
export function heightOf(state: State, item: Item, depth = 1): number {
  invariant(depth <= WALK_LIMIT, `assembly ${item.uii} is too deep`);
  let h = 1;
  for (const uii of item.children) {
    const child = state.item(uii);
    invariant(child !== undefined, `component ${uii} of ${item.uii} is missing`);
    h = Math.max(h, 1 + heightOf(state, child, depth + 1));
  }
  return h;
}
