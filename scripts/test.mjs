#!/usr/bin/env node
// The project's one test command: layer rules, type check, lint, then every test; ends with a summary line.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const REPORT = '.vitest-report.json';

function step(name, cmd, args) {
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (r.status !== 0) {
    console.error(`\n${name} failed (${secs} s)`);
    process.exit(r.status ?? 1);
  }
  console.log(`${name}: ok (${secs} s)`);
}

step('layers', 'node', ['scripts/check-layers.mjs']);
step('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json']);
step('lint', 'npx', ['biome', 'check', '.']);

rmSync(REPORT, { force: true });
const extra = process.argv.slice(2);
const run = spawnSync(
  'npx',
  ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${REPORT}`, ...extra],
  { stdio: 'inherit' },
);
if (!existsSync(REPORT)) {
  console.error('vitest wrote no report');
  process.exit(run.status || 1);
}
const report = JSON.parse(readFileSync(REPORT, 'utf8'));
const skipped = report.numPendingTests + (report.numTodoTests ?? 0);
console.log(`\nvitest: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
process.exit(run.status ?? 1);
