// A short seeded fire run on real validator processes, judged by the same checkers as the long campaign
// (scripts/fire.ts): a crash, then a 3|1 partition through the link proxies (the majority must keep
// closing, the cut-off validator must halt and say who is missing, as the quorum analyzer predicts).
// On failure the history and logs stay in fire-failures/<seed>/ and the violations are printed.
import { describe, expect, it } from 'vitest';
import { faultSchedule, firePort, runFire } from '../../src/fire/index.js';

const SEED = 20_261_132;
const BUDGET_MS = 12_000;

describe('fire: a crash and a partition under load', () => {
  it('plans exactly that from its seed', () => {
    const steps = faultSchedule({
      seed: SEED,
      validators: 4,
      kinds: ['crash', 'partition'],
      budgetMs: BUDGET_MS,
    });
    expect(steps.map((s) => s.kind)).toEqual(['crash', 'partition']);
    expect(steps[1]!.shape).toMatch(/^3\|1/);
  });

  it(`keeps agreement and durability, halts only the minority and recovers (seed ${SEED})`, async () => {
    const r = await runFire({
      seed: SEED,
      basePort: firePort(1),
      kinds: ['crash', 'partition'],
      faultBudgetMs: BUDGET_MS,
      recoveryBoundMs: 45_000,
    });
    console.log(
      `fire seed ${r.seed}: ${r.ok ? 'ok' : 'FAILED'}, faults ${JSON.stringify(r.faultsByKind)}, ` +
        `recovery ${r.recoveryMs} ms, ${r.ledgers} ledgers, ${r.acknowledged} acknowledged txs, ${r.durationMs} ms`,
    );
    expect(r.violations).toEqual([]);
    expect(r.faultsByKind.crash).toBe(1);
    expect(r.faultsByKind.partition).toBe(1);
    const [p] = r.history.progress;
    expect(p!.predictedLive).toHaveLength(3);
    expect(p!.predictedHalted).toHaveLength(1);
    expect(r.acknowledged).toBeGreaterThan(0);
  }, 150_000);
});
