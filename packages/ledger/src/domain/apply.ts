/**
 * Applying operations. One operation or a whole transaction runs against a write overlay; the overlay
 * is committed only if everything succeeded, so a failed transaction changes nothing, with one
 * exception: alerts a failure carries (a duplicate UII is evidence of a counterfeit) are recorded.
 */
import { type ApplyContext, Exec, OpFailure, type OpResult } from './exec.js';
import { HANDLERS, isOperationType, type Operation, unknownField } from './operations/index.js';
import { type Alert, State } from './state.js';
import { OverlayStore, type StateStore } from './store.js';

export interface TxResult {
  /** True when every operation succeeded and the transaction's writes were committed. */
  ok: boolean;
  /** One result per operation. After a failure, later operations are NOT_APPLIED. */
  results: OpResult[];
  /** Alerts recorded by the transaction (those of the failing operation, when it failed). */
  alerts: Alert[];
}

/** Runs one operation against `store` (an overlay); never commits. Throws only on a broken invariant. */
function run(store: StateStore, op: unknown, ctx: ApplyContext): OpResult | OpFailure {
  if (typeof op !== 'object' || op === null || Array.isArray(op)) {
    return new OpFailure('OP_MALFORMED', 'an operation must be an object');
  }
  const type = (op as { type?: unknown }).type;
  if (!isOperationType(type))
    return new OpFailure('OP_UNKNOWN', `unknown operation type ${JSON.stringify(type)}`);
  const extra = unknownField(type, op);
  if (extra !== undefined)
    return new OpFailure('OP_MALFORMED', `${type} has no field ${JSON.stringify(extra)}`);
  const x = new Exec(new State(store), ctx);
  try {
    (HANDLERS[type] as (x: Exec, op: Operation) => void)(x, op as Operation);
  } catch (e) {
    if (e instanceof OpFailure) return e;
    throw e;
  }
  const result: OpResult = { ok: true };
  if (x.events.length > 0) result.events = x.events;
  if (x.alerts.length > 0) result.alerts = x.alerts;
  return result;
}

/** Records a failure's alerts in the base store (after the overlay was discarded). */
function failed(base: StateStore, f: OpFailure, ctx: ApplyContext): OpResult & { ok: false } {
  const state = new State(base);
  const alerts = f.alerts.map((a) => state.recordAlert(a, ctx.ledgerSeq, ctx.closeTime));
  return alerts.length > 0
    ? { ok: false, code: f.code, message: f.message, alerts }
    : { ok: false, code: f.code, message: f.message };
}

/** Applies one operation all-or-nothing. Returns a coded result; never throws on any input. */
export function applyOperation(store: StateStore, op: unknown, ctx: ApplyContext): OpResult {
  const overlay = new OverlayStore(store);
  const r = run(overlay, op, ctx);
  if (r instanceof OpFailure) {
    overlay.discard();
    return failed(store, r, ctx);
  }
  overlay.commit();
  return r;
}

/** Applies a transaction's operations in order, all-or-nothing. */
export function applyOperations(store: StateStore, ops: unknown, ctx: ApplyContext): TxResult {
  if (!Array.isArray(ops)) {
    return {
      ok: false,
      results: [{ ok: false, code: 'OP_MALFORMED', message: 'operations must be a list' }],
      alerts: [],
    };
  }
  if (ops.length === 0) {
    return { ok: false, results: [{ ok: false, code: 'TX_EMPTY', message: 'no operations' }], alerts: [] };
  }
  const max = new State(store).params().maxOpsPerTx;
  if (ops.length > max) {
    const r: OpResult = {
      ok: false,
      code: 'TX_TOO_LARGE',
      message: `${ops.length} operations; at most ${max}`,
    };
    return { ok: false, results: ops.map(() => r), alerts: [] };
  }
  const overlay = new OverlayStore(store);
  const results: OpResult[] = [];
  for (let i = 0; i < ops.length; i++) {
    const r = run(overlay, ops[i], { ...ctx, opIndex: i });
    if (r instanceof OpFailure) {
      overlay.discard();
      const f = failed(store, r, ctx);
      // Earlier operations took no effect: keep their success, drop their events and alerts.
      const earlier: OpResult[] = results.map(() => ({ ok: true }));
      const rest: OpResult[] = ops.slice(i + 1).map(() => ({
        ok: false,
        code: 'NOT_APPLIED',
        message: `operation ${i} failed with ${r.code}`,
      }));
      return { ok: false, results: [...earlier, f, ...rest], alerts: f.alerts ?? [] };
    }
    results.push(r);
  }
  overlay.commit();
  return { ok: true, results, alerts: results.flatMap((r) => r.alerts ?? []) };
}
