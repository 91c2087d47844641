/**
 * Bulk stock by NSN, site, lot and condition. The site's organization holds the stock; its supply
 * staff receive, issue and adjust it. A quantity is never negative and never leaves the safe integers.
 */
import { type Exec, fail, invariant } from '../exec.js';
import { safeInt, str, text } from '../fields.js';
import { isConditionCode, parseNsn } from '../identifiers.js';

interface StockKey {
  nsn: string;
  site: string;
  /** Lot or batch number; '' when the stock is not lot-controlled. */
  lot: string;
  condition: string;
}

export interface ReceiveStock extends StockKey {
  type: 'receiveStock';
  quantity: number;
}
export interface IssueStock extends StockKey {
  type: 'issueStock';
  quantity: number;
  /** The organization or document the stock was issued to. */
  issuedTo?: string;
}
export interface AdjustStock extends StockKey {
  type: 'adjustStock';
  /** Signed correction found by inventory. */
  delta: number;
  reason: string;
}

export type StockOperation = ReceiveStock | IssueStock | AdjustStock;

const LOT_RE = /^[A-Z0-9-]{0,20}$/;

/** Validates the stock key and the actor (supply of the site's organization); returns the key. */
function stockKey(x: Exec, op: ReceiveStock | IssueStock | AdjustStock): StockKey {
  const nsn = parseNsn(op.nsn);
  if (!nsn.ok) fail('NSN_MALFORMED', nsn.message);
  const site = str(op, 'site');
  const lot = str(op, 'lot');
  if (!LOT_RE.test(lot)) fail('LOT_INVALID', `lot ${JSON.stringify(lot)} must be 0..20 of A-Z, 0-9, "-"`);
  if (!isConditionCode(op.condition))
    fail('CONDITION_INVALID', `${JSON.stringify(op.condition)} is not a condition`);
  const s = x.state.site(site);
  if (!s) fail('SITE_NOT_FOUND', `site ${site} is not registered`);
  x.actorWith(['supply'], s.org);
  const cls = x.state.itemClass(nsn.value.nsn);
  if (!cls) fail('ITEM_CLASS_NOT_FOUND', `no item class ${nsn.value.nsn}`);
  if (cls.tracking !== 'bulk') fail('ITEM_CLASS_NOT_BULK', `item class ${cls.nsn} is serialized`);
  return { nsn: cls.nsn, site, lot, condition: op.condition };
}

function setQuantity(x: Exec, k: StockKey, delta: number): number {
  const before = x.state.stockQuantity(k.nsn, k.site, k.lot, k.condition);
  const after = before + delta;
  if (after < 0)
    fail('INSUFFICIENT_STOCK', `${before} on hand at ${k.site} (lot '${k.lot}', ${k.condition})`);
  if (!Number.isSafeInteger(after))
    fail('QUANTITY_OVERFLOW', `quantity would exceed ${Number.MAX_SAFE_INTEGER}`);
  invariant(after >= 0, 'stock quantity negative');
  x.state.putStock({ ...k, quantity: after });
  return after;
}

function positive(op: object, field: string): number {
  const q = (op as Record<string, unknown>)[field];
  if (!Number.isSafeInteger(q) || (q as number) <= 0)
    fail('QUANTITY_INVALID', `${field} must be a positive integer`);
  return q as number;
}

export function receiveStock(x: Exec, op: ReceiveStock): void {
  const quantity = positive(op, 'quantity');
  const k = stockKey(x, op);
  const onHand = setQuantity(x, k, quantity);
  x.emit('stockReceived', k.nsn, { ...k, quantity, onHand });
}

export function issueStock(x: Exec, op: IssueStock): void {
  const quantity = positive(op, 'quantity');
  const issuedTo = op.issuedTo === undefined ? undefined : text(op, 'issuedTo', 128);
  const k = stockKey(x, op);
  const onHand = setQuantity(x, k, -quantity);
  x.emit('stockIssued', k.nsn, { ...k, quantity, onHand, ...(issuedTo !== undefined && { issuedTo }) });
}

export function adjustStock(x: Exec, op: AdjustStock): void {
  const delta = safeInt(op, 'delta');
  if (delta === 0) fail('QUANTITY_INVALID', 'an adjustment must be non-zero');
  const reason = text(op, 'reason');
  const k = stockKey(x, op);
  const onHand = setQuantity(x, k, delta);
  x.emit('stockAdjusted', k.nsn, { ...k, delta, onHand, reason });
}
