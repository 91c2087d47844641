import { rmSync } from 'node:fs';
import { LocalCluster } from '@qm/node/run';
import { DemoWorkload, runLoad, seedNetwork } from '@qm/node/workload';
import type { Command } from 'commander';
import { CliError } from '../errors.js';
import type { CliIo } from '../io.js';

interface DevnetFlags {
  dir: string;
  validators: string;
  orgs: string;
  basePort: string;
  keep?: boolean;
  rate: string;
  load: boolean;
}

const int = (text: string, what: string, min: number, max: number): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new CliError('BAD_ARGUMENT', `${what} must be an integer in [${min}, ${max}]`);
  return n;
};

/**
 * `qm devnet`: a local network of validator processes on 127.0.0.1 (created on first use in --dir),
 * waiting until they close ledgers, then printing where the dashboard and API are. Ctrl-C stops them.
 */
export function registerDevnetCommands(program: Command, io: CliIo): void {
  program
    .command('devnet')
    .description('run a local validator network on 127.0.0.1 with its dashboard')
    .option('--dir <dir>', 'network directory (created when missing)', '.qm-devnet')
    .option('--validators <n>', 'validators in a new network', '4')
    .option('--orgs <n>', 'organizations in a new network', '4')
    .option('--base-port <port>', 'first port (each validator takes 10)', '11620')
    .option('--keep', 'resume the network in --dir instead of starting a fresh one (no demo activity)')
    .option('--rate <tx/s>', 'demo activity: transactions per second', '2')
    .option('--no-load', 'seed the demo data but run no ongoing activity')
    .action(async (flags: DevnetFlags) => {
      const validators = int(flags.validators, '--validators', 1, 50);
      const organizations = int(flags.orgs, '--orgs', 1, validators);
      const basePort = int(flags.basePort, '--base-port', 1024, 65_000);
      const rate = int(flags.rate, '--rate', 1, 5000);
      // A fresh network by default: the demo workload numbers its transactions from a new genesis.
      if (!flags.keep) rmSync(flags.dir, { recursive: true, force: true });
      const cluster = LocalCluster.open(flags.dir, { validators, organizations, basePort });
      const stop = async () => {
        io.err('\nstopping the validators...\n');
        await cluster.stopAll();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
      for (let i = 0; i < cluster.nodes.length; i++) cluster.start(i);
      io.err(`starting ${cluster.nodes.length} validators from ${flags.dir} ...\n`);
      await cluster.waitFor(
        'every validator to close a ledger',
        async () =>
          (await Promise.all(cluster.nodes.map((_, i) => cluster.ledgerOf(i)))).every((l) => (l ?? 0) >= 1),
        120_000,
      );
      const first = cluster.nodes[0]!;
      io.out(`Quartermaster devnet: ${cluster.nodes.length} validators closing ledgers\n\n`);
      for (const n of cluster.nodes) io.out(`  ${n.name.padEnd(8)} ${n.httpUrl}   log: ${n.logPath}\n`);
      io.out(
        `\n  dashboard  ${first.httpUrl}/\n  API docs   ${first.httpUrl}/docs\n  status     ${first.httpUrl}/v1/status\n\n`,
      );
      io.out('Ctrl-C stops the network; `qm devnet --keep` resumes it from its data directory.\n');
      if (!flags.keep) await runDemoActivity(cluster, io, flags.load ? rate : 0);
      await new Promise(() => {});
    });
}

/** Seeds the demo logistics data, then keeps a light load of realistic activity running. */
async function runDemoActivity(cluster: LocalCluster, io: CliIo, ratePerSec: number): Promise<void> {
  const workload = new DemoWorkload({ actors: cluster.actors(), seed: 1 });
  const urls = cluster.nodes.map((n) => n.httpUrl);
  const seeded = await seedNetwork({ urls, workload, timeoutMs: 120_000 });
  io.out(`\ndemo data: ${seeded.committed} of ${seeded.submitted} seed transactions committed\n`);
  if (ratePerSec === 0) return;
  io.out(`demo activity: ${ratePerSec} tx/s (custody transfers, maintenance, scans, stock)\n`);
  let lastLine = 0;
  await runLoad({
    urls,
    ratePerSec,
    durationMs: 365 * 24 * 3600_000,
    workload,
    onProgress: (r) => {
      if (Date.now() - lastLine < 30_000) return;
      lastLine = Date.now();
      io.out(
        `  ${r.committed} committed, ${r.failed} failed, ${r.pending} pending; ledger close p50 ${r.closeIntervalMs.p50} ms\n`,
      );
    },
  });
}
