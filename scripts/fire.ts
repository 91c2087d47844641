/**
 * The fire campaign: N seeded nemesis runs over fresh 4-validator clusters, judged by the checkers of
 * packages/node/src/fire. Writes bench/results/fire.json and the generated section of RELIABILITY.md;
 * exits non-zero when any run found a violation (its history and logs stay in fire-failures/<seed>/).
 *
 *   npx tsx scripts/fire.ts --runs N [--seed S] [--minutes M] [--budget SECONDS] [--kinds crash,pause,...]
 *
 * Kinds (default: all): crash, pause, restart, halt (processes); partition, bridge, ring, slow (links,
 * through the harness's link proxies); skew (clock); corrupt (store files). See RELIABILITY.md.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import {
  FAULT_KINDS,
  type FaultKind,
  type FireRunResult,
  firePort,
  renderCampaign,
  runFire,
  spliceCampaign,
  summarize,
} from '../packages/node/src/fire/index.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    seed: { type: 'string' },
    minutes: { type: 'string' },
    budget: { type: 'string', default: '30' },
    kinds: { type: 'string', default: FAULT_KINDS.join(',') },
    out: { type: 'string', default: 'bench/results/fire.json' },
    doc: { type: 'string', default: 'RELIABILITY.md' },
  },
});

const runs = Number(values.runs);
// The first seed is printed, so any run can be replayed with --seed S --runs 1 (run i uses S + i).
const firstSeed = values.seed !== undefined ? Number(values.seed) : Date.now() % 1_000_000_000;
const deadline = values.minutes !== undefined ? Date.now() + Number(values.minutes) * 60_000 : Infinity;
const kinds = values.kinds.split(',') as FaultKind[];
for (const k of kinds) if (!FAULT_KINDS.includes(k)) throw new Error(`unknown fault kind ${k}`);

console.log(
  `fire: ${runs} runs from seed ${firstSeed}, kinds ${kinds.join(',')}, fault budget ${values.budget} s`,
);
const bar = new SingleBar({
  format: 'fire [{bar}] {value}/{total} runs | seed {seed} | violations {violations} | {status}',
  hideCursor: true,
  clearOnComplete: false,
});
const t0 = Date.now();
const results: FireRunResult[] = [];
let violations = 0;
bar.start(runs, 0, { seed: firstSeed, violations: 0, status: 'starting' });
for (let i = 0; i < runs && Date.now() < deadline; i++) {
  const seed = firstSeed + i;
  bar.update(i, { seed, status: 'running' });
  const r = await runFire({
    seed,
    basePort: firePort(i),
    kinds,
    faultBudgetMs: Number(values.budget) * 1000,
    log: (msg) => bar.update({ status: msg.slice(0, 60) }),
  });
  results.push(r);
  violations += r.violations.length;
  bar.update(i + 1, {
    violations,
    status: `${r.ok ? 'ok' : 'FAILED'} (${(r.durationMs / 1000).toFixed(0)} s)`,
  });
}
bar.stop();

const summary = summarize(results, firstSeed, Date.now() - t0);
mkdirSync('bench/results', { recursive: true });
writeFileSync(values.out, `${JSON.stringify(summary, null, 2)}\n`);
const doc = existsSync(values.doc) ? readFileSync(values.doc, 'utf8') : '# Reliability\n';
writeFileSync(values.doc, spliceCampaign(doc, renderCampaign(summary, results)));

for (const r of results) {
  const faults = Object.entries(r.faultsByKind)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  console.log(
    `seed ${r.seed}: ${r.ok ? 'ok' : 'FAILED'} | ${faults} | recovery ${r.recoveryMs ?? '-'} ms | ` +
      `${r.ledgers} ledgers | ${r.acknowledged} acked`,
  );
  for (const v of r.violations) console.log(`  ${v.checker}: ${v.message}`);
  if (r.failureDir) console.log(`  history and logs: ${r.failureDir}`);
}
console.log(
  `fire: ${summary.runs} runs, ${summary.passed} passed, faults ${summary.faultsTotal}, ` +
    `violations ${JSON.stringify(summary.violationsByChecker)}, recovery p50 ${summary.recoveryMs.p50} ms ` +
    `p99 ${summary.recoveryMs.p99} ms -> ${values.out}, ${values.doc}`,
);
process.exit(summary.passed === summary.runs ? 0 : 1);
