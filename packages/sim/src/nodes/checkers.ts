// Checkers of a whole-node nemesis run: pure functions of its record, so a synthetic history can prove
// each one fails when it should (test/nodes/checkers.test.ts).

import type { Ack } from './client.js';
import type { ClosedRecord, ExceptionRecord, LogRecord } from './harness.js';

export type NodeCheckerName = 'agreement' | 'durability' | 'halting' | 'recovery' | 'exceptions';
export const NODE_CHECKERS: readonly NodeCheckerName[] = [
  'agreement',
  'durability',
  'halting',
  'recovery',
  'exceptions',
];

export interface NodeViolation {
  readonly checker: NodeCheckerName;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
}

/** An interval with one fault state, and what the quorum analysis predicted for it. */
export interface FaultWindow {
  readonly fromMs: number;
  readonly toMs: number;
  /** Fault kinds active in the window (crash, pause, partition, slow, loss, skew, byzantine). */
  readonly active: readonly string[];
  /** Per running validator: can it close ledgers (analysis)? Validators that are down are absent. */
  readonly predicted: Readonly<Record<string, boolean>>;
  /** Validators predicted to halt in the window just before this one (they are recovering). */
  readonly recovering: readonly string[];
  /** The highest ledger any validator had closed when the window began. */
  readonly frontier: number;
}

export interface RecoveryRecord {
  readonly healAtMs: number;
  /** Highest ledger closed anywhere at the heal. */
  readonly heightAtHeal: number;
  /** When every validator had closed a ledger above heightAtHeal (null: not within the bound). */
  readonly recoveredAtMs: number | null;
  readonly boundMs: number;
  readonly finalHeights: Readonly<Record<string, number>>;
}

export interface NodeRunRecord {
  readonly seed: number;
  readonly kind: string;
  readonly topology: string;
  readonly nodes: readonly string[];
  /** Validators whose key an attacker holds: excluded from agreement (they may be forked away). */
  readonly byzantine: readonly string[];
  readonly closes: readonly ClosedRecord[];
  /** Every stored ledger's header hash at the end, per validator, by sequence. */
  readonly chains: Readonly<Record<string, readonly string[]>>;
  readonly acks: readonly Ack[];
  /** For each acknowledged transaction, per validator: the ledger holding it at the end (null: none). */
  readonly ackedTxs: Readonly<Record<string, Readonly<Record<string, number | null>>>>;
  readonly windows: readonly FaultWindow[];
  readonly recovery: RecoveryRecord;
  readonly exceptions: readonly ExceptionRecord[];
  readonly errorLogs: readonly LogRecord[];
  readonly endMs: number;
}

/**
 * Halting bound: a predicted-live validator closes a ledger within this long of the window start. SCP
 * itself sets it: a crashed or paused validator can be the only nomination leader for several rounds
 * (leaders are drawn per round by hash and accumulate), and round n waits n seconds, so 4 unlucky rounds
 * cost 1+2+3+4 = 10 s before a live leader nominates (seed 803 of the first campaign: 3 rounds).
 */
export const PROGRESS_BOUND_MS = 12_000;
/** A shorter, informational target reported beside the bound (not a violation). */
export const PROGRESS_TARGET_MS = 5000;
const PROGRESS_BLOCKERS = new Set(['slow', 'loss', 'byzantine']);

/**
 * No two validators ever hold different ledgers at one sequence: checked over every close as it
 * happened (also catching a node that closed a sequence twice, e.g. across a restart) and over every
 * ledger stored at the end.
 */
export function checkAgreement(r: NodeRunRecord): NodeViolation[] {
  const skip = new Set(r.byzantine);
  const bySeq = new Map<number, { node: string; hash: string; where: string }>();
  const out: NodeViolation[] = [];
  const reported = new Set<number>();
  const see = (node: string, seq: number, hash: string, where: string) => {
    if (skip.has(node)) return;
    const first = bySeq.get(seq);
    if (!first) {
      bySeq.set(seq, { node, hash, where });
      return;
    }
    if (first.hash !== hash && !reported.has(seq)) {
      reported.add(seq);
      out.push({
        checker: 'agreement',
        message: `ledger ${seq}: ${first.node.slice(0, 12)} holds ${first.hash.slice(0, 12)} (${first.where}), ${node.slice(0, 12)} holds ${hash.slice(0, 12)} (${where})`,
        details: { seq, a: first, b: { node, hash, where } },
      });
    }
  };
  for (const c of r.closes) see(c.node, c.seq, c.hash, `closed at ${c.atMs} ms`);
  for (const [node, chain] of Object.entries(r.chains)) {
    chain.forEach((hash, seq) => {
      if (hash !== '') see(node, seq, hash, 'stored at end');
    });
  }
  return out;
}

/** Every transaction a client saw applied is, at the end, in that same ledger on every validator. */
export function checkDurability(r: NodeRunRecord): NodeViolation[] {
  const out: NodeViolation[] = [];
  for (const ack of r.acks) {
    const where = r.ackedTxs[ack.hash] ?? {};
    for (const node of r.nodes) {
      const got = where[node] ?? null;
      // A validator that never got that far is the recovery checker's finding, not a lost transaction.
      if (got === null && (r.recovery.finalHeights[node] ?? 0) < ack.ledger) continue;
      if (got !== ack.ledger) {
        out.push({
          checker: 'durability',
          message: `tx ${ack.hash.slice(0, 12)} acknowledged in ledger ${ack.ledger} by ${ack.node.slice(0, 12)} at ${ack.atMs} ms, but ${node.slice(0, 12)} has it in ${got === null ? 'no ledger' : `ledger ${got}`}`,
          details: { ack, node, got },
        });
      }
    }
  }
  return out;
}

/**
 * Halting as the quorum analysis predicts: a validator the analysis says cannot progress closes no
 * ledger beyond the window's frontier + 1 (the slot in flight when the fault struck may still land); one
 * it says can progress (with no slow, lossy or Byzantine traffic in the window, and not itself
 * recovering from a halt) closes a ledger within PROGRESS_BOUND_MS of the window start.
 */
export function checkHalting(r: NodeRunRecord): NodeViolation[] {
  const out: NodeViolation[] = [];
  for (const w of r.windows) {
    const blocked = w.active.some((k) => PROGRESS_BLOCKERS.has(k));
    for (const [node, canProgress] of Object.entries(w.predicted)) {
      const mine = r.closes.filter((c) => c.node === node && c.atMs > w.fromMs && c.atMs <= w.toMs);
      if (!canProgress) {
        const beyond = mine.filter((c) => c.seq > w.frontier + 1);
        if (beyond.length > 0) {
          out.push({
            checker: 'halting',
            message: `${node.slice(0, 12)} closed ledger ${beyond[0]!.seq} at ${beyond[0]!.atMs} ms although the analysis says it cannot progress (window ${w.fromMs}-${w.toMs} ms, ${w.active.join('+')}, frontier ${w.frontier})`,
            details: { window: w, node, close: beyond[0] },
          });
        }
        continue;
      }
      if (blocked || w.recovering.includes(node)) continue;
      if (w.toMs - w.fromMs < PROGRESS_BOUND_MS) continue;
      if (!mine.some((c) => c.atMs <= w.fromMs + PROGRESS_BOUND_MS)) {
        out.push({
          checker: 'halting',
          message: `${node.slice(0, 12)} closed no ledger within ${PROGRESS_BOUND_MS} ms although the analysis says it can progress (window ${w.fromMs}-${w.toMs} ms, ${w.active.join('+') || 'no fault'})`,
          details: { window: w, node },
        });
      }
    }
  }
  return out;
}

/** After the final heal every validator closes a ledger above the heal-time height within the bound. */
export function checkRecovery(r: NodeRunRecord): NodeViolation[] {
  const rec = r.recovery;
  if (rec.recoveredAtMs !== null && rec.recoveredAtMs - rec.healAtMs <= rec.boundMs) return [];
  const behind = Object.entries(rec.finalHeights)
    .filter(([, h]) => h <= rec.heightAtHeal)
    .map(([n, h]) => `${n.slice(0, 12)}@${h}`);
  return [
    {
      checker: 'recovery',
      message: `not recovered within ${rec.boundMs} ms of the heal at ${rec.healAtMs} ms (height at heal ${rec.heightAtHeal}; behind: ${behind.join(', ') || 'none'})`,
      details: { recovery: rec },
    },
  ];
}

/** No exception escapes a validator (a real process would die of it), and no validator logs an error. */
export function checkExceptions(r: NodeRunRecord): NodeViolation[] {
  return [
    ...r.exceptions.map((e) => ({
      checker: 'exceptions' as const,
      message: `${e.node.slice(0, 12)} threw in ${e.where} at ${e.atMs} ms: ${e.message}`,
      details: { ...e },
    })),
    ...r.errorLogs.map((e) => ({
      checker: 'exceptions' as const,
      message: `${e.node.slice(0, 12)} logged an error at ${e.atMs} ms: ${e.msg}`,
      details: { ...e },
    })),
  ];
}

export function checkNodeRun(r: NodeRunRecord): NodeViolation[] {
  return [
    ...checkAgreement(r),
    ...checkDurability(r),
    ...checkHalting(r),
    ...checkRecovery(r),
    ...checkExceptions(r),
  ];
}
