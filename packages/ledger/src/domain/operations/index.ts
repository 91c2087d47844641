/**
 * The Operation union and its handler table. The table's type maps every `type` to its handler, so an
 * operation added to the union without a handler is a compile error.
 */
import type { Exec } from '../exec.js';
import { type AssemblyOperation, installItem, recordUsage, removeItem } from './assembly.js';
import { type CatalogOperation, defineItemClass } from './catalog.js';
import {
  acceptCustody,
  type CustodyOperation,
  offerCustody,
  rejectCustody,
  withdrawCustodyOffer,
} from './custody.js';
import {
  addMember,
  type GovernanceOperation,
  registerDevice,
  registerOrganization,
  registerSite,
  revokeDevice,
  revokeMember,
  setParameter,
} from './governance.js';
import { type IotOperation, recordScan } from './iot.js';
import {
  changeCondition,
  dispose,
  type ItemOperation,
  moveItem,
  quarantine,
  recordMaintenance,
  recordReceipt,
  registerItem,
  release,
} from './items.js';
import { adjustStock, issueStock, receiveStock, type StockOperation } from './stock.js';

export type Operation =
  | GovernanceOperation
  | CatalogOperation
  | ItemOperation
  | CustodyOperation
  | AssemblyOperation
  | StockOperation
  | IotOperation;

export type OperationType = Operation['type'];

type Handlers = { readonly [T in OperationType]: (x: Exec, op: Extract<Operation, { type: T }>) => void };

export const HANDLERS: Handlers = {
  registerOrganization,
  addMember,
  revokeMember,
  registerDevice,
  revokeDevice,
  registerSite,
  setParameter,
  defineItemClass,
  registerItem,
  recordReceipt,
  moveItem,
  changeCondition,
  recordMaintenance,
  quarantine,
  release,
  dispose,
  offerCustody,
  acceptCustody,
  rejectCustody,
  withdrawCustodyOffer,
  installItem,
  removeItem,
  recordUsage,
  receiveStock,
  issueStock,
  adjustStock,
  recordScan,
};

type AllFields<T extends OperationType> = Exclude<keyof Extract<Operation, { type: T }>, 'type'>;

/**
 * The fields each operation may carry. Anything else is rejected (OP_MALFORMED): a misspelt optional
 * field ("ownershp") must not silently turn into a different operation from the one the signer meant.
 */
export const OPERATION_FIELDS = {
  registerOrganization: ['code', 'name', 'parent'],
  addMember: ['member', 'org', 'roles'],
  revokeMember: ['member'],
  registerDevice: ['device', 'org', 'location'],
  revokeDevice: ['device'],
  registerSite: ['site', 'name', 'org', 'lat', 'lon', 'latE6', 'lonE6'],
  setParameter: ['name', 'value'],
  defineItemClass: ['nsn', 'nomenclature', 'unitOfIssue', 'tracking', 'lifeLimits'],
  registerItem: ['uii', 'nsn', 'serial', 'cage', 'partNumber', 'condition', 'location'],
  recordReceipt: ['uii', 'location', 'condition'],
  moveItem: ['uii', 'location'],
  changeCondition: ['uii', 'condition', 'reason'],
  recordMaintenance: ['uii', 'action', 'condition'],
  quarantine: ['uii', 'reason'],
  release: ['uii', 'reason'],
  dispose: ['uii', 'method'],
  offerCustody: ['uii', 'to', 'ownership'],
  acceptCustody: ['uii', 'offerId'],
  rejectCustody: ['uii', 'offerId', 'reason'],
  withdrawCustodyOffer: ['uii', 'offerId'],
  installItem: ['uii', 'parent'],
  removeItem: ['uii'],
  recordUsage: ['uii', 'hours', 'cycles'],
  receiveStock: ['nsn', 'site', 'lot', 'condition', 'quantity'],
  issueStock: ['nsn', 'site', 'lot', 'condition', 'quantity', 'issuedTo'],
  adjustStock: ['nsn', 'site', 'lot', 'condition', 'delta', 'reason'],
  recordScan: ['device', 'uii', 'time', 'location'],
} as const satisfies { readonly [T in OperationType]: readonly AllFields<T>[] };

// Compile-time completeness: a field added to an operation's interface but not listed above is an error.
type Unlisted = {
  [T in OperationType]: Exclude<AllFields<T>, (typeof OPERATION_FIELDS)[T][number]>;
}[OperationType];
const _everyFieldListed: [Unlisted] extends [never] ? true : never = true;
void _everyFieldListed;

/** The first field of op that its operation type does not define, if any. */
export function unknownField(type: OperationType, op: object): string | undefined {
  const allowed: readonly string[] = OPERATION_FIELDS[type];
  for (const key of Object.keys(op).sort()) if (key !== 'type' && !allowed.includes(key)) return key;
  return undefined;
}

export const OPERATION_TYPES = Object.keys(HANDLERS).sort() as OperationType[];

export const isOperationType = (t: unknown): t is OperationType =>
  typeof t === 'string' && Object.hasOwn(HANDLERS, t);

export type * from './assembly.js';
export type * from './catalog.js';
export type * from './custody.js';
export type * from './governance.js';
export type * from './iot.js';
export type * from './items.js';
export type * from './stock.js';
