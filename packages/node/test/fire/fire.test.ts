// A short seeded fire run on real validator processes (crash and pause under a light load), judged by the
// same checkers as the long campaign (scripts/fire.ts). On failure the history and logs stay in
// fire-failures/<seed>/ and the violations are printed.
import { describe, expect, it } from 'vitest';
import { firePort, runFire } from '../../src/fire/index.js';

const SEED = 20_261_125;

describe('fire: crash and pause under load', () => {
  it(`keeps agreement and durability and recovers (seed ${SEED})`, async () => {
    const r = await runFire({
      seed: SEED,
      basePort: firePort(1),
      kinds: ['crash', 'pause'],
      faultBudgetMs: 12_000,
      recoveryBoundMs: 45_000,
    });
    console.log(
      `fire seed ${r.seed}: ${r.ok ? 'ok' : 'FAILED'}, faults ${JSON.stringify(r.faultsByKind)}, ` +
        `recovery ${r.recoveryMs} ms, ${r.ledgers} ledgers, ${r.acknowledged} acknowledged txs, ${r.durationMs} ms`,
    );
    expect(r.violations).toEqual([]);
    expect(r.faultsByKind.crash + r.faultsByKind.pause).toBeGreaterThanOrEqual(2);
    expect(r.acknowledged).toBeGreaterThan(0);
  }, 150_000);
});
