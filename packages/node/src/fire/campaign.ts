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
    })),
  };
}
