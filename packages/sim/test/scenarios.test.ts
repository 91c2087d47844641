import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { historyHash } from '../src/history.js';
import { type RunResult, runSeed, writeFailure } from '../src/runner.js';
import { SCENARIOS } from '../src/scenarios.js';

// Seeds per scenario in CI; `npm run sim -- --seeds N` runs thousands. Small networks, few slots.
const SEEDS: Record<string, number> = {
  healthy: 30,
  lossy: 30,
  'partition-heal': 30,
  'crash-restore': 40,
  'too-many-down': 25,
  'byzantine-equivocate': 30,
  'byzantine-replay': 25,
  'byzantine-garbage': 25,
  'real-network': 2,
};

function sweep(scenario: string, count: number, first = 1): { results: RunResult[]; failures: string[] } {
  const results: RunResult[] = [];
  const failures: string[] = [];
  for (let seed = first; seed < first + count; seed++) {
    const r = runSeed(scenario, seed);
    results.push(r);
    for (const v of r.unexpected)
      failures.push(`seed=${seed} scenario=${scenario}: ${v.checker}: ${v.message}`);
  }
  return { results, failures };
}

describe('scenarios with quorum intersection: no violations', () => {
  for (const s of SCENARIOS.filter((x) => x.expect === 'safe')) {
    it(`${s.name} (${SEEDS[s.name] ?? 5} seeds)`, () => {
      const { results, failures } = sweep(s.name, SEEDS[s.name] ?? 5);
      expect(failures).toEqual([]);
      // Every run did real work: each honest node closed the target slot (the liveness checker's claim).
      for (const r of results) {
        const closed = new Set(
          r.record.externalizations.filter((e) => e.slot === r.record.targetSlots).map((e) => e.node),
        );
        expect(r.record.honest.every((n) => closed.has(n))).toBe(true);
      }
      if (s.name === 'too-many-down') {
        for (const r of results) {
          expect(r.record.halt).not.toBeNull();
          expect(r.record.probes.length).toBeGreaterThan(0);
          expect(r.record.probes.every((p) => p.missing.length > 0)).toBe(true);
        }
      }
      if (s.name === 'crash-restore') {
        expect(results.every((r) => (r.record.stats['node.restarts'] ?? 0) > 0)).toBe(true);
      }
      if (s.name === 'byzantine-garbage') {
        const rejected = results.reduce(
          (n, r) =>
            n + (r.record.stats['node.rejectedShape'] ?? 0) + (r.record.stats['node.rejectedSignature'] ?? 0),
          0,
        );
        expect(rejected).toBeGreaterThan(0);
      }
    });
  }
});

describe('a configuration without quorum intersection', () => {
  it('forks under some seed, and the agreement checker reports it', () => {
    const { results, failures } = sweep('no-intersection', 8);
    expect(failures).toEqual([]); // nothing but the expected agreement violation
    const forked = results.filter((r) => r.forked);
    expect(forked.length).toBeGreaterThan(0);
    const v = forked[0]!.violations.find((x) => x.checker === 'agreement')!;
    const { a, b } = v.details as { a: { node: string }; b: { node: string } };
    expect(a.node[0]).not.toBe(b.node[0]); // one from group a*, one from group b* (or the watcher)
  });

  it('writes the forked history to a file that names the replay command and hashes back', () => {
    const forked = Array.from({ length: 8 }, (_, i) => runSeed('no-intersection', i + 1)).find(
      (r) => r.forked,
    )!;
    const path = writeFailure(forked, mkdtempSync(join(tmpdir(), 'qm-sim-')));
    expect(path).toMatch(new RegExp(`no-intersection-${forked.seed}\\.json$`));
    const saved = JSON.parse(readFileSync(path, 'utf8'));
    expect(saved.replay).toBe(`npm run sim -- --scenario no-intersection --seed ${forked.seed}`);
    expect(saved.historyHash).toBe(forked.historyHash);
    expect(saved.violations.map((v: { checker: string }) => v.checker)).toContain('agreement');
    expect(saved.record.externalizations).toHaveLength(forked.record.externalizations.length);
    expect(historyHash(forked.record)).toBe(forked.historyHash);
  });
});

describe('determinism', () => {
  it('replays a seed exactly and distinguishes seeds', () => {
    for (const scenario of ['lossy', 'crash-restore', 'byzantine-equivocate']) {
      const a = runSeed(scenario, 1234);
      const b = runSeed(scenario, 1234);
      expect(b.historyHash).toBe(a.historyHash);
      expect(b.record.traceHash).toBe(a.record.traceHash);
      expect(runSeed(scenario, 1235).historyHash).not.toBe(a.historyHash);
    }
  });
});
