/** Aggregates fire runs into the campaign summary written to bench/results/fire.json. */
import { percentiles } from '../workload/stats.js';
import { CHECKERS, type CheckerName } from './checkers.js';
import { FAULT_KINDS, type FaultKind } from './history.js';
import type { FireRunResult } from './run.js';

export interface CampaignSummary {
  generatedAt: string;
  firstSeed: number;
  runs: number;
  passed: number;
  wallMs: number;
  faultsByKind: Record<FaultKind, number>;
  faultsTotal: number;
  violationsByChecker: Record<CheckerName, number>;
  haltObservations: number;
  /**
   * Network and clock faults watched against the quorum analyzer's prediction: observations, and how
   * many validator-observations were predicted live (must keep closing) and halted (must halt).
   */
  predictions: { observations: number; live: number; halted: number };
  /** What validators restarted on a damaged store did. */
  corruptions: { started: number; refused: number; hung: number; refusedNamingFile: number };
  acknowledgedTxs: number;
  recoveryMs: { p50: number; p99: number; max: number; samples: number; boundMs: number };
  failingSeeds: number[];
  perRun: {
    seed: number;
    ok: boolean;
    faults: number;
    recoveryMs: number | null;
    ledgers: number;
    acknowledged: number;
    durationMs: number;
    /** Each network or clock fault: what it was, who was predicted halted, the longest stall of the live. */
    progress: { kind: FaultKind; detail: string; halted: number[]; longestStallMs: number | null }[];
    /** Each damaged-store restart: the file, the damage, SQLite's verdict and what the validator did. */
    corruptions: {
      file: string;
      mode: string;
      integrity: string;
      outcome: string;
      errorLine: string | null;
      ledgerBefore: number | null;
      ledgerAtStart: number | null;
    }[];
  }[];
}

export function summarize(
  results: readonly FireRunResult[],
  firstSeed: number,
  wallMs: number,
): CampaignSummary {
  const faultsByKind = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
  const violationsByChecker = Object.fromEntries(CHECKERS.map((k) => [k, 0])) as Record<CheckerName, number>;
  for (const r of results) {
    for (const k of FAULT_KINDS) faultsByKind[k] += r.faultsByKind[k];
    for (const v of r.violations) violationsByChecker[v.checker]++;
  }
  const rec = results.map((r) => r.recoveryMs).filter((x): x is number => x !== null);
  const progress = results.flatMap((r) => r.history.progress ?? []);
  const corruptions = results.flatMap((r) => r.history.corruptions ?? []);
  return {
    generatedAt: new Date().toISOString(),
    firstSeed,
    runs: results.length,
    passed: results.filter((r) => r.ok).length,
    wallMs: Math.round(wallMs),
    faultsByKind,
    faultsTotal: Object.values(faultsByKind).reduce((a, b) => a + b, 0),
    violationsByChecker,
    haltObservations: results.reduce((s, r) => s + r.history.halts.length, 0),
    predictions: {
      observations: progress.length,
      live: progress.reduce((s, o) => s + o.predictedLive.length, 0),
      halted: progress.reduce((s, o) => s + o.predictedHalted.length, 0),
    },
    corruptions: {
      started: corruptions.filter((o) => o.outcome === 'started').length,
      refused: corruptions.filter((o) => o.outcome === 'refused').length,
      hung: corruptions.filter((o) => o.outcome === 'hung').length,
      refusedNamingFile: corruptions.filter((o) => o.outcome === 'refused' && o.namesFile).length,
    },
    acknowledgedTxs: results.reduce((s, r) => s + r.acknowledged, 0),
    recoveryMs: {
      ...percentiles(rec),
      max: Math.max(0, ...rec),
      samples: rec.length,
      boundMs: results[0]?.history.recovery?.boundMs ?? 0,
    },
    failingSeeds: results.filter((r) => !r.ok).map((r) => r.seed),
    perRun: results.map((r) => ({
      seed: r.seed,
      ok: r.ok,
      faults: Object.values(r.faultsByKind).reduce((a, b) => a + b, 0),
      recoveryMs: r.recoveryMs,
      ledgers: r.ledgers,
      acknowledged: r.acknowledged,
      durationMs: r.durationMs,
      progress: (r.history.progress ?? []).map((o) => ({
        kind: o.kind,
        detail: o.detail,
        halted: o.predictedHalted,
        longestStallMs: o.longestStallMs ?? null,
      })),
      corruptions: (r.history.corruptions ?? []).map((o) => ({
        file: o.file,
        mode: o.mode,
        integrity: o.integrity,
        outcome: o.exitedAfterStart ? 'started, then exited' : o.outcome,
        errorLine: o.errorLine ?? null,
        ledgerBefore: o.ledgerBefore ?? null,
        ledgerAtStart: o.ledgerAtStart ?? null,
      })),
    })),
  };
}
