/**
 * What an operation handler works with: the state (behind an overlay), the ledger context, the
 * events and alerts it produces, and the checks every handler shares (who signed, which role).
 *
 * A handler rejects by throwing OpFailure; applyOperation catches exactly that class and turns it into
 * a coded result. Anything else thrown is a bug (a violated invariant) and propagates, so that a node
 * stops instead of writing a wrong state (DESIGN.md, principle 5).
 */
import { LedgerError } from '../errors.js';
import type { ResultCode } from './codes.js';
import type { Position } from './geo.js';
import type { NetworkParams } from './params.js';
import {
  type Alert,
  type AlertDraft,
  type AlertKind,
  type Location,
  type Member,
  type Role,
  type State,
  withSortedKeys,
} from './state.js';

export interface ApplyContext {
  /** Member and device ids whose signatures the caller verified. */
  signers: readonly string[];
  /** The transaction's source member (or device, for a scan). */
  source: string;
  /** Unix seconds: the ledger's close time, the only clock the domain sees. */
  closeTime: number;
  ledgerSeq: number;
  txIndex: number;
  /**
   * Position in the transaction; applyOperations sets it. (ledgerSeq, txIndex, opIndex) must be unique
   * per applied operation: it names what the operation creates (a custody offer's id).
   */
  opIndex?: number;
}

export interface DomainEvent {
  type: string;
  /** The UII, NSN, organization, member ... the event is about. */
  subject: string;
  data?: Record<string, unknown>;
}

export type OpResult =
  | { ok: true; events?: DomainEvent[]; alerts?: Alert[] }
  | { ok: false; code: ResultCode; message: string; alerts?: Alert[] };

/** A rejection. Not an Error subclass: no stack is captured for an ordinary coded rejection. */
export class OpFailure {
  constructor(
    readonly code: ResultCode,
    readonly message: string,
    /** Alerts that must be recorded even though the operation fails (e.g. a duplicate UII). */
    readonly alerts: AlertDraft[] = [],
  ) {}
}

export function fail(code: ResultCode, message: string, alerts?: AlertDraft[]): never {
  throw new OpFailure(code, message, alerts);
}

/** A broken invariant: a bug, never bad input. */
export function invariant(cond: unknown, message: string): asserts cond {
  if (!cond) throw new LedgerError('INVARIANT_VIOLATED', message);
}

export class Exec {
  readonly events: DomainEvent[] = [];
  readonly alerts: Alert[] = [];
  #params: NetworkParams | undefined;

  constructor(
    readonly state: State,
    readonly ctx: ApplyContext,
  ) {}

  get now(): number {
    return this.ctx.closeTime;
  }

  /** A deterministic id for things this operation creates (custody offers): ledger.tx.op. */
  get positionId(): string {
    return `${this.ctx.ledgerSeq}.${this.ctx.txIndex}.${this.ctx.opIndex ?? 0}`;
  }

  params(): NetworkParams {
    this.#params ??= this.state.params();
    return this.#params;
  }

  emit(type: string, subject: string, data?: Record<string, unknown>): void {
    // Keys in code-unit order: canonical JSON then takes its native fast path (canonical-json.ts).
    this.events.push(data === undefined ? { subject, type } : { data: withSortedKeys(data), subject, type });
  }

  raise(kind: AlertKind, subject: string, details: AlertDraft['details']): void {
    this.alerts.push(
      this.state.recordAlert({ kind, subject, details }, this.ctx.ledgerSeq, this.ctx.closeTime),
    );
  }

  /** The source, checked to have signed and to be an active member. */
  actor(): Member {
    const { source, signers } = this.ctx;
    if (!signers.includes(source)) fail('SOURCE_NOT_SIGNER', `source ${source} did not sign`);
    const m = this.state.member(source);
    if (!m) fail('SOURCE_UNKNOWN', `source ${source} is not a registered member`);
    if (m.status !== 'active') fail('SOURCE_REVOKED', `member ${source} is revoked`);
    return m;
  }

  /** The source holding one of roles; when org is given, acting for it (else `notOrgCode`). */
  actorWith(roles: readonly Role[], org?: string, notOrgCode: ResultCode = 'NOT_CUSTODIAN'): Member {
    const m = this.actor();
    if (!roles.some((r) => m.roles.includes(r))) {
      fail('ROLE_REQUIRED', `member ${m.id} (${m.roles.join(', ')}) needs one of: ${roles.join(', ')}`);
    }
    if (org !== undefined && m.org !== org) {
      fail(notOrgCode, `member ${m.id} acts for ${m.org}, not ${org}`);
    }
    return m;
  }

  /**
   * Governance approval: the source is an active member who signed, and at least adminApprovals
   * distinct active admins signed (one of them of `org`, when given).
   */
  requireAdmins(org?: string): Member[] {
    this.actor();
    const admins: Member[] = [];
    const seen = new Set<string>();
    for (const id of this.ctx.signers) {
      if (seen.has(id)) continue;
      seen.add(id);
      const m = this.state.member(id);
      if (m && m.status === 'active' && m.roles.includes('admin')) admins.push(m);
    }
    const need = this.params().adminApprovals;
    if (admins.length < need) {
      fail('APPROVALS_INSUFFICIENT', `${admins.length} active admin signature(s); ${need} required`);
    }
    if (org !== undefined && !admins.some((a) => a.org === org)) {
      fail('NOT_ORG_MEMBER', `an admin of ${org} must be among the approvers`);
    }
    return admins;
  }

  /** Resolves a location to its position (named sites must be registered). */
  position(loc: Location): Position {
    if ('site' in loc) {
      const s = this.state.site(loc.site);
      if (!s) fail('SITE_NOT_FOUND', `site ${loc.site} is not registered`);
      return { latE6: s.latE6, lonE6: s.lonE6 };
    }
    return { latE6: loc.latE6, lonE6: loc.lonE6 };
  }
}
