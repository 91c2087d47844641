import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSeed } from '../src/runner.js';

const CLI = join(import.meta.dirname, '../src/cli.ts');
const tsx = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { encoding: 'utf8', timeout: 60_000 });

describe('sim CLI', () => {
  it('run: sweeps seeds and prints a JSON summary; exit 0 without violations', () => {
    const r = tsx(['run', '--seeds', '4', '--scenario', 'healthy', '--slots', '2', '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.runs).toBe(4);
    expect(s.slotsExternalized).toBe(8);
    expect(s.failingRuns).toEqual([]);
  });

  it('run --seed: replays one seed with the same history hash as the library', () => {
    const r = tsx(['run', '--scenario', 'lossy', '--seed', '77', '--slots', '3', '--json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.runs[0].historyHash).toBe(runSeed('lossy', 77, { slots: 3 }).historyHash);
  });

  it('demo: runs a live network until --slots is reached', () => {
    const r = tsx(['demo', '--slots', '2', '--speed', '20']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/slot +1 /);
    expect(r.stdout).toMatch(/slot +2 /);
  });

  it('rejects bad arguments with a usage message and exit 2', () => {
    const r = tsx(['run', '--scenario', 'nope']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('UNKNOWN_SCENARIO');
  });
});
