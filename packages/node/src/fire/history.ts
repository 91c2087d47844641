/**
 * What a fire run records, as plain JSON: the checkers read only this, so a failing run's folder holds
 * everything needed to re-judge it, and the checkers can be fed synthetic histories in tests.
 */

export type FaultKind =
  | 'crash'
  | 'pause'
  | 'restart'
  | 'halt'
  | 'partition'
  | 'bridge'
  | 'ring'
  | 'slow'
  | 'skew'
  | 'corrupt';
export const FAULT_KINDS: readonly FaultKind[] = [
  'crash',
  'pause',
  'restart',
  'halt',
  'partition',
  'bridge',
  'ring',
  'slow',
  'skew',
  'corrupt',
];
/** Faults of the network between the processes (link proxies), and the clock. */
export const NETWORK_KINDS: readonly FaultKind[] = ['partition', 'bridge', 'ring', 'slow'];

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
  quorum: QuorumReport[];
}

/** One validator's /v1/quorum and /v1/status answer, as the checkers read it. */
export interface QuorumReport {
  stuck: boolean | null;
  missing: string[];
  state: string | null;
}

/**
 * What happened during a fault the network must ride out or halt under as the quorum analyzer predicts
 * (partition, bridge, ring, slow, skew): who was predicted live and halted, and what each validator did.
 */
export interface ProgressObservation {
  t: number;
  kind: FaultKind;
  /** e.g. '3|1 [0,1,2]|[3]', 'ring 0-1-3-2', 'v2 links +400 ms', 'v1 clock -12000 ms'. */
  detail: string;
  /** From packages/fbas over the links left open (partition, bridge, ring); everyone for slow and skew. */
  predictedLive: number[];
  predictedHalted: number[];
  /** Per predicted-halted validator (same order): node ids it cannot hear, which it must name missing. */
  expectMissing: string[][];
  /** Every validator's height when the fault was injected (skew: once the skewed node answered again). */
  heightsAtInject: (number | null)[];
  /** ms from the injection until every predicted-halted validator reported stuck; null: never. */
  stuckAfterMs: number | null;
  /** Heights when the halted side reported stuck (or at injection when nobody must halt), and at the end. */
  heightsAtStuck: (number | null)[];
  heightsAfter: (number | null)[];
  /** The watch window after stuckAfterMs. */
  windowMs: number;
  /** Per validator at the end of the window. */
  quorum: QuorumReport[];
  /** Fewest ledgers a predicted-live validator must close from injection to the end of the window. */
  minLedgers: number;
  /**
   * Longest time a predicted-live validator went without closing a ledger during the window (sampled
   * every 500 ms), and the bound on it. A momentary "stuck" is allowed (a skewed nomination leader costs
   * a round or two); a stall past the bound is not.
   */
  longestStallMs?: number;
  stallBoundMs?: number;
}

/** A store file damaged while its validator was down, and what the validator did about it. */
export interface CorruptionObservation {
  t: number;
  node: number;
  /** File name inside the data directory, e.g. 'ledger.sqlite-wal'. */
  file: string;
  mode: 'truncate' | 'overwrite';
  /** Size before, and the byte range damaged (truncate: from `offset` to the end). */
  sizeBefore: number;
  offset: number;
  bytes: number;
  /** The harness's own `PRAGMA integrity_check` on a copy of the damaged database (with its WAL). */
  integrity: string;
  /** 'started': it answered /v1/status; 'refused': it exited by itself at boot; 'hung': neither. */
  outcome: 'started' | 'refused' | 'hung';
  /**
   * Its last closed ledger just before the kill, and as it first answered after the restart: lower when
   * SQLite dropped WAL frames past the damage (it then catches up from its peers).
   */
  ledgerBefore?: number | null;
  ledgerAtStart?: number | null;
  /** For 'refused': the exit code and the last `error CODE: message` line of its log. */
  exitCode?: number | null;
  errorLine?: string;
  /** Did the error line name the damaged file? */
  namesFile?: boolean;
  /** After a refusal: the data directory was wiped and the validator restarted (catch-up from scratch). */
  restored?: boolean;
  /** A started validator that exited by itself within the watch window after starting. */
  exitedAfterStart?: boolean;
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
  progress: ProgressObservation[];
  corruptions: CorruptionObservation[];
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
    progress: [],
    corruptions: [],
    recovery: null,
    final: null,
  };
}

/** Transactions the client saw in a ledger: the ones durability is owed to. */
export const acknowledged = (h: History): TxRecord[] =>
  h.txs.filter((t) => t.outcome === 'success' || t.outcome === 'failed');
