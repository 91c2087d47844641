/**
 * What a fire run records, as plain JSON: the checkers read only this, so a failing run's folder holds
 * everything needed to re-judge it, and the checkers can be fed synthetic histories in tests.
 */

export type FaultKind = 'crash' | 'pause' | 'restart' | 'halt';
export const FAULT_KINDS: readonly FaultKind[] = ['crash', 'pause', 'restart', 'halt'];

/** One injection or healing action, `t` in ms since the run started. */
export interface FaultEvent {
  t: number;
  kind: FaultKind;
  action: 'inject' | 'heal';
  nodes: number[];
  /** e.g. the signal sent. */
  detail?: string;
}

/** A transaction the client submitted, and what the client was told about it. */
export interface TxRecord {
  hash: string;
  phase: 'seed' | 'load';
  submittedAt: number;
  /** 'success'/'failed': the client saw it in a ledger (acknowledged); 'rejected': refused or lost. */
  outcome?: 'success' | 'failed' | 'rejected';
  settledAt?: number;
}

/** Every validator's last closed ledger (null: not answering), sampled through the run. */
export interface HeightSample {
  t: number;
  heights: (number | null)[];
}

/** What the survivors said while 2 of 4 validators were stopped. */
export interface HaltObservation {
  t: number;
  stopped: number[];
  /** Node ids of the stopped validators: the survivors must name these as missing. */
  stoppedIds: string[];
  survivors: number[];
  /** ms from the stop until every survivor reported stuck; null: never within the wait. */
  stuckAfterMs: number | null;
  /** Survivors' heights when they first all reported stuck, and at the end of the watch window. */
  heightsAtStuck: (number | null)[];
  heightsAfter: (number | null)[];
  windowMs: number;
  /** Per survivor at the end of the window: /v1/quorum's stuck flag and missing members, /v1/status state. */
  quorum: { stuck: boolean | null; missing: string[]; state: string | null }[];
}

export interface RecoveryObservation {
  /** When the last fault was healed. */
  healedAt: number;
  /** ms from healedAt until every validator was synced and past the height at healing + 2; null: never. */
  recoveryMs: number | null;
  boundMs: number;
}

/** The validators' final views, read after the network healed. */
export interface FinalViews {
  /** Per validator: ledger seq -> header hash, for 1..its height. */
  ledgers: Record<string, string>[];
  /** Per validator: acknowledged tx hash -> {status, ledger} as it answers now (null: unknown to it). */
  txs: Record<string, { status: string; ledger: number | null } | null>[];
}

export interface History {
  seed: number;
  validators: number;
  startedAt: string;
  notes: string[];
  faults: FaultEvent[];
  txs: TxRecord[];
  heights: HeightSample[];
  halts: HaltObservation[];
  recovery: RecoveryObservation | null;
  final: FinalViews | null;
}

export function emptyHistory(seed: number, validators: number): History {
  return {
    seed,
    validators,
    startedAt: new Date().toISOString(),
    notes: [],
    faults: [],
    txs: [],
    heights: [],
    halts: [],
    recovery: null,
    final: null,
  };
}

/** Transactions the client saw in a ledger: the ones durability is owed to. */
export const acknowledged = (h: History): TxRecord[] =>
  h.txs.filter((t) => t.outcome === 'success' || t.outcome === 'failed');
