/**
 * Assemblies and usage: install a component into a parent, remove it, and record usage on the top
 * assembly. Usage flows down to every installed component (flying the aircraft ages its engine and the
 * engine's parts), and each one that passes a life limit raises an alert.
 */
import { type Exec, fail } from '../exec.js';
import { safeInt } from '../fields.js';
import { isServiceable } from '../identifiers.js';
import { checkLifeLimits, remainingLife, replacementDue } from '../life.js';
import { depthOf, descendants, heightOf } from '../tree.js';
import { insertSorted, loadItem, requireInService, requireNotInstalled } from './common.js';

export interface InstallItem {
  type: 'installItem';
  /** The component. */
  uii: string;
  /** The assembly it goes into. */
  parent: string;
}
export interface RemoveItem {
  type: 'removeItem';
  uii: string;
}
export interface RecordUsage {
  type: 'recordUsage';
  /** A top-level item (an installed component takes its usage from its assembly). */
  uii: string;
  /** Whole hours added. */
  hours: number;
  /** Cycles added. */
  cycles: number;
}

export type AssemblyOperation = InstallItem | RemoveItem | RecordUsage;

export function installItem(x: Exec, op: InstallItem): void {
  const child = loadItem(x, op);
  const parent = loadItem(x, op, 'parent');
  x.actorWith(['maintainer'], child.custodian);
  if (parent.custodian !== child.custodian) {
    fail('NOT_CUSTODIAN', `assembly ${parent.uii} is held by ${parent.custodian}, not ${child.custodian}`);
  }
  requireInService(child);
  if (parent.status === 'condemned') fail('ITEM_CONDEMNED', `assembly ${parent.uii} is condemned`);
  requireNotInstalled(child);
  if (child.pendingOffer !== undefined || parent.pendingOffer !== undefined) {
    fail('OFFER_PENDING', 'an item with a pending custody offer cannot be installed or receive components');
  }
  if (!isServiceable(child.condition)) {
    fail('INSTALL_UNSERVICEABLE', `item ${child.uii} is in condition ${child.condition}`);
  }
  if (child.uii === parent.uii || descendants(x.state, child).some((d) => d.uii === parent.uii)) {
    fail('INSTALL_SELF', `item ${child.uii} cannot be installed into itself or its own component`);
  }
  const p = x.params();
  if (parent.children.length >= p.maxComponents) fail('INSTALL_LIMIT', `assembly ${parent.uii} is full`);
  if (depthOf(x.state, parent) + 1 + heightOf(x.state, child) > p.maxAssemblyDepth) {
    fail('INSTALL_LIMIT', `installing ${child.uii} would nest deeper than ${p.maxAssemblyDepth}`);
  }
  const due = replacementDue(parent.usage, remainingLife(x.state, child));
  x.state.putItem({ ...parent, children: insertSorted(parent.children, child.uii) });
  // Components take the assembly's location: they are wherever it is.
  const install = {
    parent: parent.uii,
    installedAt: x.now,
    parentUsage: { ...parent.usage },
    replacementDue: due,
  };
  const moved = { ...child, install, location: parent.location };
  x.state.putItem(moved);
  for (const d of descendants(x.state, moved)) x.state.putItem({ ...d, location: parent.location });
  x.emit('itemInstalled', child.uii, {
    parent: parent.uii,
    parentUsage: install.parentUsage,
    replacementDue: due,
  });
}

export function removeItem(x: Exec, op: RemoveItem): void {
  const child = loadItem(x, op);
  x.actorWith(['maintainer'], child.custodian);
  if (!child.install) fail('ITEM_NOT_INSTALLED', `item ${child.uii} is not installed`);
  const parent = x.state.item(child.install.parent)!;
  x.state.putItem({ ...parent, children: parent.children.filter((u) => u !== child.uii) });
  const { install, ...rest } = child;
  x.state.putItem(rest);
  x.emit('itemRemoved', child.uii, { parent: install.parent, parentUsage: { ...parent.usage } });
}

export function recordUsage(x: Exec, op: RecordUsage): void {
  const item = loadItem(x, op);
  const hours = safeInt(op, 'hours');
  const cycles = safeInt(op, 'cycles');
  if (hours < 0 || cycles < 0 || hours + cycles === 0)
    fail('USAGE_INVALID', 'usage must be >= 0 and not both 0');
  x.actorWith(['maintainer'], item.custodian);
  requireNotInstalled(item);
  const all = [item, ...descendants(x.state, item)];
  for (const it of all) {
    const h = it.usage.hours + hours;
    const c = it.usage.cycles + cycles;
    if (!Number.isSafeInteger(h) || !Number.isSafeInteger(c)) fail('USAGE_INVALID', 'usage would overflow');
    x.state.putItem(checkLifeLimits(x, { ...it, usage: { hours: h, cycles: c } }));
  }
  x.emit('usageRecorded', item.uii, { hours, cycles, components: all.length - 1 });
}
