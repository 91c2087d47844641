// A short whole-node nemesis: real Validators under every fault kind (two seeds each), the broken
// configuration caught forking, and a run replayed from its seed giving the same history.
import { describe, expect, it } from 'vitest';
import { campaignRuns, runCampaignRows, summarize } from '../../src/nodes/campaign.js';
import { FAULT_KINDS, makePlan } from '../../src/nodes/plan.js';
import { runNodeNemesis } from '../../src/nodes/run.js';
import { topology } from '../../src/nodes/topologies.js';

describe('whole-node nemesis', () => {
  it('20 seeds across every fault kind: no violation, halts as predicted, recovery measured', async () => {
    const options = { seeds: 20, firstSeed: 1, broken: 0 };
    const rows = await runCampaignRows(options);
    const s = summarize(options, rows, 0, 0);
    expect(s.failingRuns).toEqual([]);
    expect(Object.keys(s.byKind).sort()).toEqual([...FAULT_KINDS].sort());
    expect(s.total.haltWindows.predicted).toBeGreaterThan(0);
    expect(s.total.haltWindows.observed).toBe(s.total.haltWindows.predicted);
    expect(s.total.acks).toBeGreaterThan(100);
    expect(s.total.recoveryMs.notRecovered).toBe(0);
    expect(s.total.recoveryMs.p50).not.toBeNull();
  }, 300_000);

  it('the broken configuration (no quorum intersection) is caught forking', async () => {
    for (const seed of [1, 2]) {
      const r = await runNodeNemesis(seed, { kind: 'broken' });
      expect(r.forked).toBe(true);
      expect(r.violations.some((v) => v.checker === 'agreement')).toBe(true);
    }
  }, 120_000);

  it('a run is a pure function of its seed', async () => {
    const a = await runNodeNemesis(7, { kind: 'mixed', topology: 'flat4' });
    const b = await runNodeNemesis(7, { kind: 'mixed', topology: 'flat4' });
    expect(b.record.closes).toEqual(a.record.closes);
    expect(b.record.acks).toEqual(a.record.acks);
    expect(makePlan(7, 'mixed', topology('flat4'))).toEqual(a.plan);
  }, 120_000);

  it('campaign runs spread the kinds evenly and append the broken runs', () => {
    const runs = campaignRuns({ seeds: 20, firstSeed: 5, broken: 2 });
    expect(runs).toHaveLength(22);
    expect(runs.filter(([, k]) => k === 'crash')).toHaveLength(2);
    expect(runs.slice(-2)).toEqual([
      [5, 'broken'],
      [6, 'broken'],
    ]);
  });
});
