#!/usr/bin/env node
// The project's one test command: layer rules, type check, lint, every unit and integration test, then
// the dashboard's end-to-end tests in headless Chromium against a real devnet; ends with one summary line
// over both passes. Screenshots of each view land in packages/web/test-artifacts/screenshots/.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';

const REPORT = '.vitest-report.json';
const E2E_REPORT = '.vitest-e2e-report.json';
const CLUSTER_REPORT = '.vitest-cluster-report.json';
const CHROMIUM = '/usr/bin/chromium';

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

/** Runs vitest with a JSON report; returns its counts (or null when it wrote none) and exit status. */
function vitest(report, args, cwd = '.', env = process.env) {
  rmSync(report, { force: true });
  const run = spawnSync(
    'npx',
    [
      'vitest',
      'run',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${resolve(report)}`,
      ...args,
    ],
    { stdio: 'inherit', cwd, env },
  );
  if (!existsSync(report)) return { counts: null, status: run.status || 1 };
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const counts = {
    passed: r.numPassedTests,
    failed: r.numFailedTests,
    skipped: r.numPendingTests + (r.numTodoTests ?? 0),
    total: r.numTotalTests,
  };
  return { counts, status: run.status ?? 1 };
}

step('layers', 'node', ['scripts/check-layers.mjs']);
step('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json']);
step('typecheck web', 'npx', ['tsc', '-p', 'packages/web/tsconfig.json']);
step('lint', 'npx', ['biome', 'check', '.']);

// Tests that run whole validator networks as processes: one at a time, after the rest, so that two of
// them never share the 2 cores (a starved cluster misses its timing bounds). Extra arguments (a filter)
// go to the first pass only.
const CLUSTER_TESTS = [
  'packages/node/test/cluster/cluster.test.ts',
  'packages/node/test/fire/fire.test.ts',
  'packages/node/test/fire/byzantine.test.ts',
];
const filtered = process.argv.length > 2;
const first = vitest(REPORT, [
  ...process.argv.slice(2),
  ...(filtered ? [] : CLUSTER_TESTS.flatMap((f) => ['--exclude', f])),
]);
if (!first.counts) {
  console.error('vitest wrote no report');
  process.exit(first.status);
}
let unit = first;
if (!filtered) {
  const clusters = vitest(CLUSTER_REPORT, ['--no-file-parallelism', ...CLUSTER_TESTS]);
  if (!clusters.counts) {
    console.error('the cluster pass wrote no report');
    process.exit(clusters.status);
  }
  const add = (k) => first.counts[k] + clusters.counts[k];
  unit = {
    counts: { passed: add('passed'), failed: add('failed'), skipped: add('skipped'), total: add('total') },
    status: first.status !== 0 ? first.status : clusters.status,
  };
}

// Browser tests need Debian's chromium (.ci/run installs it). Without it they are reported as skipped.
let e2e = { counts: { passed: 0, failed: 0, skipped: 0 }, status: 0 };
if (existsSync(CHROMIUM)) {
  step('build web', 'npm', ['run', 'build', '-w', '@qm/web']);
  // Against a real devnet: 4 validator processes on 127.0.0.1 serving the built dashboard.
  const network = resolve('packages/node/test/e2e/devnet-under-test.ts');
  e2e = vitest(E2E_REPORT, ['--config', 'vitest.e2e.config.ts'], 'packages/web', {
    ...process.env,
    QM_E2E_NETWORK: network,
  });
  if (!e2e.counts) {
    console.error('the end-to-end run wrote no report');
    e2e = { counts: { passed: 0, failed: 1, skipped: 0 }, status: e2e.status };
  }
} else {
  console.log(
    `\ne2e: ${CHROMIUM} not found; the dashboard's browser tests did not run (apt-get install -y chromium)`,
  );
  e2e.counts.skipped = 1;
}

const sum = (k) => unit.counts[k] + e2e.counts[k];
console.log(`\nvitest: ${sum('passed')} passed, ${sum('failed')} failed, ${sum('skipped')} skipped`);
process.exit(unit.status !== 0 ? unit.status : e2e.status);
