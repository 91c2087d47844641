/** Catalog: item classes by NSN. Defined by supply staff or admins of any organization. */
import { type Exec, fail } from '../exec.js';
import { str, text } from '../fields.js';
import { parseNsn } from '../identifiers.js';
import type { LifeLimits } from '../state.js';

export interface DefineItemClass {
  type: 'defineItemClass';
  /** 13 characters or 1234-56-789-0123; stored in the 13-character form. */
  nsn: string;
  nomenclature: string;
  /** Unit of issue, e.g. EA, BX, GL (2 letters per DLM 4000.25). */
  unitOfIssue: string;
  tracking: 'serialized' | 'bulk';
  lifeLimits?: LifeLimits;
}

export type CatalogOperation = DefineItemClass;

const UNIT_OF_ISSUE_RE = /^[A-Z]{2}$/;

function lifeLimits(v: unknown): LifeLimits {
  if (v === undefined) return {};
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    fail('OP_MALFORMED', 'lifeLimits must be an object');
  const out: LifeLimits = {};
  for (const key of Object.keys(v).sort()) {
    const n = (v as Record<string, unknown>)[key];
    if (key !== 'hours' && key !== 'cycles' && key !== 'days')
      fail('OP_MALFORMED', `unknown life limit ${key}`);
    if (!Number.isSafeInteger(n) || (n as number) <= 0)
      fail('OP_MALFORMED', `life limit ${key} must be positive`);
    out[key] = n as number;
  }
  return out;
}

export function defineItemClass(x: Exec, op: DefineItemClass): void {
  const parsed = parseNsn(op.nsn);
  if (!parsed.ok) fail('NSN_MALFORMED', parsed.message);
  const nsn = parsed.value.nsn;
  const nomenclature = text(op, 'nomenclature', 128);
  const unitOfIssue = str(op, 'unitOfIssue');
  if (!UNIT_OF_ISSUE_RE.test(unitOfIssue)) fail('OP_MALFORMED', 'unitOfIssue must be 2 upper-case letters');
  if (op.tracking !== 'serialized' && op.tracking !== 'bulk')
    fail('OP_MALFORMED', 'tracking: serialized | bulk');
  const limits = lifeLimits(op.lifeLimits);
  const m = x.actorWith(['supply', 'admin']);
  if (x.state.itemClass(nsn)) fail('ITEM_CLASS_EXISTS', `item class ${nsn} is already defined`);
  x.state.putItemClass({
    nsn,
    nomenclature,
    unitOfIssue,
    tracking: op.tracking,
    lifeLimits: limits,
    definedBy: m.id,
    definedAt: x.now,
  });
  x.emit('itemClassDefined', nsn, { nomenclature });
}
