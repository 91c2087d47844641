// SCP CPU cost in the deterministic simulator: CPU time per externalized slot per node, for flat and
// organization-tiered networks of about 4, 25 and 100 validators on a healthy virtual network.
// Writes bench/results/scp-sim.json and bench/results/scp-sim.md. Usage: npx tsx bench/scp-sim.ts [--quick]
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  flatTopology,
  HEALTHY_LINKS,
  type Scenario,
  Simulation,
  type Topology,
  tieredTopology,
  twoThirdsPlusOne,
} from '@qm/sim';

const quick = process.argv.includes('--quick');

interface Case {
  readonly shape: 'flat' | 'tiered';
  readonly requested: number;
  readonly topology: Topology;
  readonly slots: number;
}

const slotsFor = (n: number): number => (quick ? 3 : n >= 100 ? 10 : 20);
const cases: Case[] = [];
for (const n of [4, 25, 100]) {
  cases.push({ shape: 'flat', requested: n, topology: flatTopology(n), slots: slotsFor(n) });
  // Organizations of 3 (inner threshold 2), outer threshold 2/3+1: the nearest multiple of 3, at least 2 orgs.
  const orgs = Math.max(2, Math.round(n / 3));
  cases.push({
    shape: 'tiered',
    requested: n,
    topology: tieredTopology(orgs, 3, 2, twoThirdsPlusOne(orgs)),
    slots: slotsFor(n),
  });
}

function healthy(topology: Topology, slots: number): Scenario {
  return {
    name: `bench-${topology.name}`,
    description: 'healthy network for benchmarking',
    expect: 'safe',
    defaultSlots: slots,
    plan: () => ({
      topology,
      roles: new Map(),
      links: { ...HEALTHY_LINKS, delayMinMs: 5, delayMaxMs: 50 },
      faults: [],
      halt: null,
      checkers: ['agreement', 'validity', 'consistency', 'liveness', 'robustness'],
      params: {},
    }),
  };
}

const rows = [];
for (const c of cases) {
  const sim = new Simulation(healthy(c.topology, c.slots), 1, { slots: c.slots });
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  const result = sim.run();
  const cpu = process.cpuUsage(cpu0);
  const wallMs = performance.now() - wall0;
  if (result.violations.length > 0) {
    console.error(
      `violations in ${c.topology.name}:`,
      result.violations.map((v) => v.message),
    );
    process.exit(1);
  }
  const nodes = c.topology.nodes.length;
  const externalized = result.record.externalizations.length;
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const row = {
    shape: c.shape,
    validators: nodes,
    requested: c.requested,
    topology: c.topology.name,
    threshold: c.topology.quorumSets.get(c.topology.nodes[0]!)!.threshold,
    slots: c.slots,
    nodeSlotsExternalized: externalized,
    cpuMsTotal: Math.round(cpuMs),
    cpuMsPerSlotPerNode: cpuMs / externalized,
    scpMsPerSlotPerNode: result.scpMs / externalized,
    messagesDeliveredPerSlot: (result.record.stats.delivered ?? 0) / c.slots,
    virtualMsPerSlot: result.record.endMs / c.slots,
    wallMs: Math.round(wallMs),
  };
  rows.push(row);
  console.log(
    `${row.shape.padEnd(6)} ${String(nodes).padStart(3)} validators: ${row.cpuMsPerSlotPerNode.toFixed(3)} ms CPU per slot per node ` +
      `(in SCP ${row.scpMsPerSlotPerNode.toFixed(3)} ms), ${Math.round(row.messagesDeliveredPerSlot)} msgs/slot, wall ${row.wallMs} ms`,
  );
}

const meta = {
  benchmark: 'scp-sim',
  date: new Date().toISOString(),
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  quick,
  method:
    'process.cpuUsage around a whole simulated run (SCP + simulator: virtual network copies, MAC signatures, checkers) ' +
    'divided by node-slot externalizations; "in SCP" sums performance.now() around every SCP call only',
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/scp-sim.json', `${JSON.stringify({ ...meta, rows }, null, 2)}\n`);
const fmt = (x: number) => (x >= 10 ? x.toFixed(1) : x.toFixed(3));
const md = [
  '## SCP in the simulator (bench/scp-sim.ts)',
  '',
  `CPU time per externalized slot per node, healthy virtual network (delays 5-50 ms), seed 1, ${process.version}.`,
  '"Total" is the whole process (SCP plus the simulator: message copies, SHA-256 MAC signatures, checkers);',
  '"in SCP" is the time spent inside SCP calls only. Flat: threshold 2n/3+1. Tiered: organizations of 3',
  '(inner threshold 2), outer threshold 2/3+1 of organizations.',
  '',
  '| shape | validators | slots | total CPU ms / slot / node | in SCP ms / slot / node | messages / slot | wall ms |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| ${r.shape} | ${r.validators} | ${r.slots} | ${fmt(r.cpuMsPerSlotPerNode)} | ${fmt(r.scpMsPerSlotPerNode)} | ${Math.round(r.messagesDeliveredPerSlot)} | ${r.wallMs} |`,
  ),
  '',
].join('\n');
writeFileSync('bench/results/scp-sim.md', md);
console.log('wrote bench/results/scp-sim.json and bench/results/scp-sim.md');
