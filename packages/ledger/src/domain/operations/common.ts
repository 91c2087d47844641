/** Helpers the item, custody and assembly operations share. */
import { type Exec, fail } from '../exec.js';
import { str } from '../fields.js';
import { validateUii } from '../identifiers.js';
import type { Item } from '../state.js';
import { descendants } from '../tree.js';

/** Reads and validates op[field] as a UII and loads that item; a disposed item is final. */
export function loadItem(x: Exec, op: object, field = 'uii'): Item {
  const uii = str(op, field);
  const v = validateUii(uii);
  if (!v.ok) fail('UII_MALFORMED', v.message);
  const item = x.state.item(uii);
  if (!item) fail('ITEM_NOT_FOUND', `item ${uii} is not registered`);
  if (item.status === 'disposed') fail('ITEM_DISPOSED', `item ${uii} has been disposed of`);
  return item;
}

/** Fails unless the item is in service (neither quarantined nor condemned). */
export function requireInService(item: Item): void {
  if (item.status === 'quarantined') fail('ITEM_QUARANTINED', `item ${item.uii} is quarantined`);
  if (item.status === 'condemned') fail('ITEM_CONDEMNED', `item ${item.uii} is condemned`);
}

export function requireNotInstalled(item: Item): void {
  if (item.install) fail('ITEM_INSTALLED', `item ${item.uii} is installed in ${item.install.parent}`);
}

/** Applies an update to the item and every installed component (they travel and change hands together). */
export function updateAssembly(x: Exec, item: Item, update: (it: Item) => Item): Item {
  const top = update(item);
  x.state.putItem(top);
  for (const d of descendants(x.state, item)) x.state.putItem(update(d));
  return top;
}

export function insertSorted(list: readonly string[], value: string): string[] {
  const out = [...list, value];
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
