// Load benchmark of a 4-validator network on this machine (issue 4): validator processes on 127.0.0.1
// running the demo workload at fixed offered rates, in one run; per rate: committed tx/s, submit-to-commit
// latency p50/p99, ledger close interval p50/p99, CPU and peak RSS per validator; and the ed25519 verify
// rate measured in the same run, as the bound. Writes bench/results/node-load.{json,md}.
// Usage: npx tsx bench/node-load.ts [--quick] [--rates 100,300,1000] [--seconds 60]
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { getSuite } from '@qm/ledger';
import { LocalCluster } from '@qm/node/run';
import { DemoWorkload, type LoadReport, runLoad, seedNetwork } from '@qm/node/workload';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const quick = process.argv.includes('--quick');
const rates = arg('rates', quick ? '50,200' : '100,300,1000')
  .split(',')
  .map(Number);
const seconds = Number(arg('seconds', quick ? '10' : '60'));

/** Single-core ed25519 verifications per second, over 2 s. */
function verifyRate(): number {
  const suite = getSuite('ed25519');
  const kp = suite.generateKeyPair(new Uint8Array(32).fill(5));
  const msg = new Uint8Array(200).fill(1);
  const sig = suite.sign(kp.privateKey, msg);
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 2000) {
    for (let i = 0; i < 100; i++) suite.verify(kp.publicKey, msg, sig);
    n += 100;
  }
  return n / ((performance.now() - t0) / 1000);
}

/** CPU seconds (user + system) and peak RSS of a process, from /proc. */
function procStats(pid: number): { cpuSec: number; peakRssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { cpuSec: ticks / 100, peakRssMb: hwm ? Number(hwm[1]) / 1024 : 0 };
}

const dir = mkdtempSync(join(tmpdir(), 'qm-load-'));
const cluster = LocalCluster.open(dir, { validators: 4, organizations: 4, basePort: 16_600 });
const rows: Record<string, unknown>[] = [];
let verifyPerSec = 0;
try {
  for (let i = 0; i < 4; i++) cluster.start(i);
  await cluster.waitFor(
    'the validators to close a ledger',
    async () => (await Promise.all([0, 1, 2, 3].map((i) => cluster.ledgerOf(i)))).every((l) => (l ?? 0) >= 1),
    120_000,
  );
  verifyPerSec = verifyRate();
  console.log(`ed25519 verify, one core, this run: ${Math.round(verifyPerSec)}/s`);
  const workload = new DemoWorkload({ actors: cluster.actors(), seed: 3 });
  const urls = cluster.nodes.map((n) => n.httpUrl);
  await seedNetwork({ urls, workload, timeoutMs: 120_000 });
  for (const rate of rates) {
    const before = cluster.nodes.map((n) => procStats(n.child!.pid!));
    const t0 = performance.now();
    const r: LoadReport = await runLoad({ urls, ratePerSec: rate, durationMs: seconds * 1000, workload });
    const wallSec = (performance.now() - t0) / 1000;
    const after = cluster.nodes.map((n) => procStats(n.child!.pid!));
    const cpuPerNode = after.map((a, i) => (a.cpuSec - before[i]!.cpuSec) / wallSec);
    const row = {
      offeredTxPerSec: rate,
      seconds,
      submitted: r.submitted,
      committed: r.committed,
      failed: r.failed,
      lost: r.lost,
      rejected: Object.values(r.rejectedByCode).reduce((a, b) => a + b, 0),
      committedTxPerSec: Math.round(r.txPerSec),
      latencyP50Ms: r.latencyMs.p50,
      latencyP99Ms: r.latencyMs.p99,
      closeIntervalP50Ms: r.closeIntervalMs.p50,
      closeIntervalP99Ms: r.closeIntervalMs.p99,
      cpuCoresPerNode: cpuPerNode.map((c) => Number(c.toFixed(2))),
      peakRssMbPerNode: after.map((a) => Math.round(a.peakRssMb)),
    };
    rows.push(row);
    console.log(JSON.stringify(row));
  }
} finally {
  await cluster.stopAll();
  rmSync(dir, { recursive: true, force: true });
}

const meta = {
  benchmark: 'node-load',
  date: new Date().toISOString(),
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  verifyPerSec: Math.round(verifyPerSec),
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/node-load.json', `${JSON.stringify({ ...meta, rows }, null, 2)}\n`);
const md = [
  '## node-load: 4 validator processes under the demo workload (bench/node-load.ts)',
  '',
  `4 validators (4 organizations, 3-of-4) as separate processes on 127.0.0.1 of this ${meta.cores}-core machine,`,
  'with the load client in a fifth process; the demo workload (custody transfers, maintenance, scans,',
  `stock) offered at each rate for ${seconds} s, spread over the validators. Latency is submit to the`,
  "closing ledger's event; close interval as the validators report it. The ed25519 verify rate measured",
  `in the same run, one core: ${meta.verifyPerSec}/s. ${meta.node}, ${meta.date}.`,
  '',
  '| offered tx/s | committed tx/s | failed | lost | rejected | latency p50 / p99 ms | close interval p50 / p99 ms | CPU cores per node | peak RSS MB per node |',
  '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |',
  ...rows.map(
    (r) =>
      `| ${r.offeredTxPerSec} | ${r.committedTxPerSec} | ${r.failed} | ${r.lost} | ${r.rejected} | ${r.latencyP50Ms} / ${r.latencyP99Ms} | ${r.closeIntervalP50Ms} / ${r.closeIntervalP99Ms} | ${(r.cpuCoresPerNode as number[]).join(', ')} | ${(r.peakRssMbPerNode as number[]).join(', ')} |`,
  ),
  '',
  `Targets (issue 4): >= 2,000 tx/s sustained with p99 latency <= 2 s; close interval <= 1 s at 1,000 tx/s.`,
  `Command: \`npx tsx bench/node-load.ts\` (\`--quick\`, \`--rates a,b,c\`, \`--seconds N\`).`,
  '',
].join('\n');
writeFileSync('bench/results/node-load.md', md);
console.log('wrote bench/results/node-load.json and bench/results/node-load.md');
