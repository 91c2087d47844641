/**
 * Serialized items: registration, receipt, movement, condition, maintenance, quarantine and disposal.
 * The custodian organization's staff act on an item; the owner decides its disposal.
 */
import { type Exec, fail } from '../exec.js';
import { location, str, text } from '../fields.js';
import {
  CONDEMNED_CONDITION,
  isCage,
  isConditionCode,
  isSerial,
  parseNsn,
  validateUii,
} from '../identifiers.js';
import type { Item, Location } from '../state.js';
import { loadItem, requireInService, requireNotInstalled, updateAssembly } from './common.js';
import { withdrawPendingOffer } from './custody.js';

export interface RegisterItem {
  type: 'registerItem';
  uii: string;
  nsn: string;
  serial: string;
  /** CAGE of the manufacturer. */
  cage: string;
  /** Original part number (MIL-STD-130 construct 2), when marked. */
  partNumber?: string;
  condition: string;
  location: Location;
}
export interface RecordReceipt {
  type: 'recordReceipt';
  uii: string;
  location: Location;
  /** Condition found on receipt inspection, when it differs. */
  condition?: string;
}
export interface MoveItem {
  type: 'moveItem';
  uii: string;
  location: Location;
}
export interface ChangeCondition {
  type: 'changeCondition';
  uii: string;
  condition: string;
  reason: string;
}
export interface RecordMaintenance {
  type: 'recordMaintenance';
  uii: string;
  /** What was done, e.g. "borescope inspection", "replaced seal kit". */
  action: string;
  /** Condition after the action, when it changes. */
  condition?: string;
}
export interface Quarantine {
  type: 'quarantine';
  uii: string;
  reason: string;
}
export interface Release {
  type: 'release';
  uii: string;
  reason: string;
}
export interface Dispose {
  type: 'dispose';
  uii: string;
  /** e.g. "DEMIL", "scrap", "transfer to DLA Disposition Services". */
  method: string;
}

export type ItemOperation =
  | RegisterItem
  | RecordReceipt
  | MoveItem
  | ChangeCondition
  | RecordMaintenance
  | Quarantine
  | Release
  | Dispose;

function condition(op: object, field: string): string {
  const c = (op as Record<string, unknown>)[field];
  if (!isConditionCode(c)) fail('CONDITION_INVALID', `${JSON.stringify(c)} is not a supply condition code`);
  return c;
}

/** Status follows condition H (condemned); a quarantined item stays quarantined until released. */
function withCondition(item: Item, cond: string): Item {
  if (item.status === 'condemned')
    fail('ITEM_CONDEMNED', `item ${item.uii} is condemned; its condition is final`);
  const status = cond === CONDEMNED_CONDITION && item.status === 'active' ? 'condemned' : item.status;
  return { ...item, condition: cond, status };
}

export function registerItem(x: Exec, op: RegisterItem): void {
  const uii = str(op, 'uii');
  const v = validateUii(uii);
  if (!v.ok) fail('UII_MALFORMED', v.message);
  const serial = op.serial;
  if (!isSerial(serial)) fail('SERIAL_INVALID', `serial ${JSON.stringify(serial)} is malformed`);
  if (!isCage(op.cage)) fail('CAGE_INVALID', `CAGE ${JSON.stringify(op.cage)} must be 5 letters or digits`);
  const partNumber = op.partNumber === undefined ? undefined : op.partNumber;
  if (partNumber !== undefined && !isSerial(partNumber)) fail('OP_MALFORMED', 'partNumber is malformed');
  const nsn = parseNsn(op.nsn);
  if (!nsn.ok) fail('NSN_MALFORMED', nsn.message);
  const cond = condition(op, 'condition');
  const loc = location(op, 'location');
  const m = x.actorWith(['supply']);
  // Both constructs end with the serial; construct 2 has the part number right before it.
  const tail = (partNumber ?? '') + serial;
  if (!uii.endsWith(tail)) fail('UII_SERIAL_MISMATCH', `UII ${uii} does not end with ${tail}`);
  const existing = x.state.item(uii);
  if (existing) {
    // A UII is unique for the life of the item and never reused: a second registration is evidence
    // of a cloned mark. The operation fails, and the alert is kept even though the tx is discarded.
    fail('UII_DUPLICATE', `UII ${uii} is already registered (owner ${existing.owner})`, [
      {
        kind: 'suspect-counterfeit',
        subject: uii,
        details: {
          attemptedBy: m.id,
          attemptedOrg: m.org,
          attemptedNsn: nsn.value.nsn,
          attemptedCage: op.cage,
          existingOwner: existing.owner,
          existingCustodian: existing.custodian,
          existingStatus: existing.status,
        },
      },
    ]);
  }
  const cls = x.state.itemClass(nsn.value.nsn);
  if (!cls) fail('ITEM_CLASS_NOT_FOUND', `no item class ${nsn.value.nsn}`);
  if (cls.tracking !== 'serialized') fail('ITEM_CLASS_NOT_SERIALIZED', `item class ${cls.nsn} is bulk`);
  x.position(loc);
  const item: Item = {
    uii,
    nsn: cls.nsn,
    serial,
    cage: op.cage,
    ...(partNumber !== undefined && { partNumber }),
    condition: cond,
    location: loc,
    owner: m.org,
    custodian: m.org,
    status: cond === CONDEMNED_CONDITION ? 'condemned' : 'active',
    usage: { hours: 0, cycles: 0 },
    children: [],
    lifeAlerts: [],
    registeredAt: x.now,
  };
  x.state.putItem(item);
  x.emit('itemRegistered', uii, { nsn: cls.nsn, org: m.org, condition: cond });
}

export function recordReceipt(x: Exec, op: RecordReceipt): void {
  const item = loadItem(x, op);
  const loc = location(op, 'location');
  const cond = op.condition === undefined ? undefined : condition(op, 'condition');
  x.actorWith(['supply'], item.custodian);
  requireNotInstalled(item);
  x.position(loc);
  updateAssembly(x, cond === undefined ? item : withCondition(item, cond), (it) => ({
    ...it,
    location: loc,
  }));
  x.emit('itemReceived', item.uii, { org: item.custodian, ...(cond !== undefined && { condition: cond }) });
}

export function moveItem(x: Exec, op: MoveItem): void {
  const item = loadItem(x, op);
  const loc = location(op, 'location');
  x.actorWith(['supply'], item.custodian);
  requireNotInstalled(item);
  x.position(loc);
  updateAssembly(x, item, (it) => ({ ...it, location: loc }));
  x.emit('itemMoved', item.uii, { location: loc });
}

export function changeCondition(x: Exec, op: ChangeCondition): void {
  const item = loadItem(x, op);
  const cond = condition(op, 'condition');
  const reason = text(op, 'reason');
  x.actorWith(['supply', 'maintainer'], item.custodian);
  x.state.putItem(withCondition(item, cond));
  x.emit('conditionChanged', item.uii, { from: item.condition, to: cond, reason });
}

export function recordMaintenance(x: Exec, op: RecordMaintenance): void {
  const item = loadItem(x, op);
  const action = text(op, 'action');
  const cond = op.condition === undefined ? undefined : condition(op, 'condition');
  x.actorWith(['maintainer'], item.custodian);
  if (cond !== undefined) x.state.putItem(withCondition(item, cond));
  else if (item.status === 'condemned') fail('ITEM_CONDEMNED', `item ${item.uii} is condemned`);
  x.emit('maintenanceRecorded', item.uii, { action, ...(cond !== undefined && { condition: cond }) });
}

export function quarantine(x: Exec, op: Quarantine): void {
  const item = loadItem(x, op);
  const reason = text(op, 'reason');
  x.actorWith(['supply', 'maintainer'], item.custodian);
  requireInService(item);
  // A suspect item must not change hands: quarantine withdraws a pending custody offer.
  withdrawPendingOffer(x, item, 'quarantined');
  x.state.putItem({ ...x.state.item(item.uii)!, status: 'quarantined' });
  x.emit('itemQuarantined', item.uii, { reason });
}

export function release(x: Exec, op: Release): void {
  const item = loadItem(x, op);
  const reason = text(op, 'reason');
  x.actorWith(['maintainer', 'admin'], item.custodian);
  if (item.status !== 'quarantined') fail('ITEM_NOT_QUARANTINED', `item ${item.uii} is ${item.status}`);
  const status = item.condition === CONDEMNED_CONDITION ? 'condemned' : 'active';
  x.state.putItem({ ...item, status });
  x.emit('itemReleased', item.uii, { reason, status });
}

export function dispose(x: Exec, op: Dispose): void {
  const item = loadItem(x, op);
  const method = text(op, 'method');
  // Disposal is the owner's decision, carried out while the owner also holds the item.
  x.actorWith(['supply'], item.owner, 'NOT_OWNER');
  if (item.custodian !== item.owner) {
    fail('NOT_CUSTODIAN', `item ${item.uii} is held by ${item.custodian}; custody must return to the owner`);
  }
  requireNotInstalled(item);
  if (item.children.length > 0) fail('ITEM_HAS_COMPONENTS', `item ${item.uii} has installed components`);
  if (item.pendingOffer !== undefined)
    fail('OFFER_PENDING', `item ${item.uii} has pending offer ${item.pendingOffer}`);
  x.state.putItem({ ...item, status: 'disposed' });
  x.emit('itemDisposed', item.uii, { method });
}
