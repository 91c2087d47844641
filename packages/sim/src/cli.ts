#!/usr/bin/env node
import { spawn } from 'node:child_process';
// The simulator's command line. `run` sweeps seeds across scenarios (or replays one seed); `demo` runs a
// live 4-validator network in the simulator on real time. See docs/simulation.md.
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import type { CheckerName } from './checkers.js';
import { SimError } from './errors.js';
import { HEALTHY_LINKS } from './network.js';
import {
  type CampaignOptions,
  formatSummary,
  type RunRow,
  runCampaignRows,
  summarize,
  writeResults,
} from './nodes/campaign.js';
import { FAULT_KINDS, type FaultKind } from './nodes/plan.js';
import { runNodeNemesis } from './nodes/run.js';
import { type RunResult, replayCommand, Simulation, writeFailure } from './runner.js';
import { getScenario, SCENARIOS, type Scenario } from './scenarios.js';
import { flatTopology } from './topology.js';
import { shortValue } from './values.js';

const USAGE = `usage:
  sim run [--seeds N] [--first S] [--scenario NAME] [--seed S] [--slots K] [--json] [--out DIR]
          [--network FILE]   (real-network: a Stellar snapshot, e.g. real/2019-05-15_before-halt_nodes.json)
  sim demo [--slots K] [--seed S] [--speed X]
  sim nodes [--seeds N] [--first-seed S] [--broken M] [--kind KIND] [--jobs J] [--json] [--results DIR] [--no-write]
          [--seed S --kind KIND]   (replay one run and print its record)
          whole-node nemesis: real Validators on a virtual network; kinds: ${FAULT_KINDS.join(', ')}, broken
scenarios: ${SCENARIOS.map((s) => s.name).join(', ')}`;

function intOption(
  value: string | undefined,
  name: string,
  fallback: number | undefined,
): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new SimError('BAD_ARGUMENT', `--${name} must be a non-negative integer`, { [name]: value });
  }
  return n;
}

interface Summary {
  runs: number;
  byScenario: Record<string, number>;
  slotsExternalized: number;
  externalizations: number;
  violationsByChecker: Partial<Record<CheckerName, number>>;
  failingRuns: {
    scenario: string;
    seed: number;
    checkers: string[];
    first: string;
    file: string;
    replay: string;
  }[];
  forks: Record<string, { seeds: number; forked: number }>;
  virtualMs: number;
  wallMs: number;
  cpuMs: number;
  events: number;
  scpMs: number;
}

function runCommand(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      seeds: { type: 'string' },
      first: { type: 'string' },
      seed: { type: 'string' },
      scenario: { type: 'string' },
      slots: { type: 'string' },
      json: { type: 'boolean', default: false },
      out: { type: 'string', default: 'sim-failures' },
      network: { type: 'string' },
    },
    strict: true,
  });
  const scenarios: Scenario[] = values.scenario ? [getScenario(values.scenario)] : [...SCENARIOS];
  const slots = intOption(values.slots, 'slots', undefined);
  const runOptions = { slots, networkFile: values.network };
  const single = intOption(values.seed, 'seed', undefined);
  const count = single !== undefined ? scenarios.length : intOption(values.seeds, 'seeds', 100)!;
  const first = single ?? intOption(values.first, 'first', 1)!;
  const plan = (i: number): [Scenario, number] =>
    single !== undefined ? [scenarios[i]!, single] : [scenarios[i % scenarios.length]!, first + i];

  const summary: Summary = {
    runs: 0,
    byScenario: {},
    slotsExternalized: 0,
    externalizations: 0,
    violationsByChecker: {},
    failingRuns: [],
    forks: {},
    virtualMs: 0,
    wallMs: 0,
    cpuMs: 0,
    events: 0,
    scpMs: 0,
  };
  const showBar = !values.json && process.stderr.isTTY && single === undefined;
  const bar = new cliProgress.SingleBar(
    {
      format:
        'sim [{bar}] {value}/{total} runs | {scenario} seed {seed} | failing runs: {failing} | {duration_formatted}',
      stream: process.stderr,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  if (showBar) bar.start(count, 0, { scenario: '', seed: '', failing: 0 });
  const wallStart = performance.now();
  const cpuStart = process.cpuUsage();
  const singleResults: RunResult[] = [];

  for (let i = 0; i < count; i++) {
    const [scenario, seed] = plan(i);
    const result = new Simulation(scenario, seed, runOptions).run();
    summary.runs++;
    summary.byScenario[scenario.name] = (summary.byScenario[scenario.name] ?? 0) + 1;
    const closed = new Set(result.record.externalizations.map((e) => e.slot));
    summary.slotsExternalized += closed.size;
    summary.externalizations += result.record.externalizations.length;
    summary.virtualMs += result.record.endMs;
    summary.events += result.events;
    summary.scpMs += result.scpMs;
    for (const v of result.unexpected) {
      summary.violationsByChecker[v.checker] = (summary.violationsByChecker[v.checker] ?? 0) + 1;
    }
    if (scenario.expect === 'fork') {
      const f = (summary.forks[scenario.name] ??= { seeds: 0, forked: 0 });
      f.seeds++;
      if (result.forked) f.forked++;
    }
    if (result.unexpected.length > 0) {
      const file = writeFailure(result, values.out, runOptions);
      const replay = replayCommand(scenario.name, seed, runOptions);
      summary.failingRuns.push({
        scenario: scenario.name,
        seed,
        checkers: [...new Set(result.unexpected.map((v) => v.checker))],
        first: result.unexpected[0]!.message,
        file,
        replay,
      });
      // With the bar on, failing seeds are listed after it finishes (the bar shows their count live).
      if (!showBar && !values.json) {
        console.error(`seed=${seed} scenario=${scenario.name}: ${result.unexpected[0]!.message}`);
      }
    }
    if (single !== undefined) singleResults.push(result);
    if (showBar) bar.update(i + 1, { scenario: scenario.name, seed, failing: summary.failingRuns.length });
  }
  if (showBar) bar.stop();
  summary.wallMs = Math.round(performance.now() - wallStart);
  const cpu = process.cpuUsage(cpuStart);
  summary.cpuMs = Math.round((cpu.user + cpu.system) / 1000);
  summary.scpMs = Math.round(summary.scpMs);

  const missedForks = Object.entries(summary.forks).filter(([, f]) => f.seeds >= 3 && f.forked === 0);
  if (values.json) {
    const out = single !== undefined ? { summary, runs: singleResults.map(describeRun) } : summary;
    console.log(JSON.stringify(out, null, 2));
  } else {
    for (const r of singleResults) printRun(r);
    printSummary(summary);
    for (const [name] of missedForks) {
      console.log(`FAIL: scenario ${name} lacks quorum intersection, yet no seed produced a detected fork`);
    }
  }
  return summary.failingRuns.length > 0 || missedForks.length > 0 ? 1 : 0;
}

function describeRun(r: RunResult) {
  return {
    scenario: r.scenario,
    seed: r.seed,
    historyHash: r.historyHash,
    forked: r.forked,
    violations: r.violations,
    externalizations: r.record.externalizations.length,
    endMs: r.record.endMs,
    faults: r.record.faults,
    probes: r.record.probes,
    stats: r.record.stats,
  };
}

function printRun(r: RunResult): void {
  const rec = r.record;
  console.log(`scenario=${r.scenario} seed=${r.seed} topology=${rec.topology} nodes=${rec.nodes.length}`);
  console.log(`  history hash ${r.historyHash}`);
  console.log(
    `  virtual time ${(rec.endMs / 1000).toFixed(2)} s, ${r.events} events, healed at ${rec.healedAtMs} ms`,
  );
  const bySlot = new Map<number, Set<string>>();
  for (const e of rec.externalizations) {
    if (!bySlot.has(e.slot)) bySlot.set(e.slot, new Set());
    bySlot.get(e.slot)!.add(e.value);
  }
  for (const [slot, vals] of [...bySlot].sort((a, b) => a[0] - b[0])) {
    const n = rec.externalizations.filter((e) => e.slot === slot).length;
    const shown = [...vals].map((v) => shortValue(Buffer.from(v, 'hex'))).join(' vs ');
    console.log(`  slot ${slot}: ${n} node(s) externalized ${shown}`);
  }
  for (const f of rec.faults) console.log(`  fault @${f.atMs} ms: ${JSON.stringify(f)}`);
  for (const p of rec.probes) {
    console.log(`  probe @${p.atMs} ms ${p.node} slot ${p.slot}: missing [${p.missing.join(', ')}]`);
  }
  if (r.scenario && r.forked) console.log('  agreement violated: the fork was detected');
  for (const v of r.violations) console.log(`  VIOLATION ${v.checker}: ${v.message}`);
  if (r.violations.length === 0) console.log('  no violations');
}

function printSummary(s: Summary): void {
  console.log('\nsummary');
  console.log(
    `  runs                ${s.runs} (${Object.entries(s.byScenario)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')})`,
  );
  console.log(
    `  slots externalized  ${s.slotsExternalized} (${s.externalizations} node-slot externalizations)`,
  );
  console.log(`  virtual time        ${(s.virtualMs / 1000).toFixed(1)} s`);
  console.log(
    `  wall time           ${(s.wallMs / 1000).toFixed(1)} s (cpu ${(s.cpuMs / 1000).toFixed(1)} s, in SCP ${(s.scpMs / 1000).toFixed(1)} s, ${s.events} events)`,
  );
  const checkers = Object.entries(s.violationsByChecker);
  console.log(
    `  violations          ${checkers.length === 0 ? 'none' : checkers.map(([k, v]) => `${k} ${v}`).join(', ')}`,
  );
  for (const [name, f] of Object.entries(s.forks)) {
    console.log(`  expected forks      ${name}: fork detected in ${f.forked}/${f.seeds} seeds`);
  }
  if (s.failingRuns.length > 0) {
    console.log('\nfailing seeds (full histories written; replay with the command shown):');
    for (const f of s.failingRuns) {
      console.log(
        `  seed=${f.seed} scenario=${f.scenario} [${f.checkers.join(', ')}] ${f.first}\n    history: ${f.file}\n    replay:  ${f.replay}`,
      );
    }
  }
}

/** A live 4-validator network on real time, printing each slot as the last node closes it. */
async function demoCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { slots: { type: 'string' }, seed: { type: 'string' }, speed: { type: 'string' } },
    strict: true,
  });
  const slots = intOption(values.slots, 'slots', 10_000)!;
  const seed = intOption(values.seed, 'seed', 1)!;
  const speed = values.speed === undefined ? 1 : Number(values.speed);
  if (!(speed > 0 && speed <= 1000))
    throw new SimError('BAD_ARGUMENT', '--speed must be in (0, 1000]', { speed });
  const demo: Scenario = {
    name: 'demo',
    description: '4 validators, 3-of-4, healthy links',
    expect: 'safe',
    defaultSlots: slots,
    plan: () => ({
      topology: flatTopology(4),
      roles: new Map(),
      links: { ...HEALTHY_LINKS, delayMinMs: 10, delayMaxMs: 60 },
      faults: [],
      halt: null,
      checkers: ['agreement', 'validity', 'consistency', 'robustness'],
      params: {},
    }),
  };
  console.log(
    `Quartermaster demo: 4 validators (threshold 3) in the simulator, seed ${seed}. Ctrl-C to stop.`,
  );
  const printed = new Set<number>();
  const sim = new Simulation(demo, seed, {
    slots,
    onExternalize: (e, s) => {
      const closedBy = s.nodes.filter((n) => n.ledger.has(e.slot));
      if (closedBy.length < s.nodes.length || printed.has(e.slot)) return;
      printed.add(e.slot);
      const value = shortValue(s.nodes[0]!.ledger.get(e.slot)!);
      const nodes = s.nodes
        .map((n) => `${n.id} sent ${n.stats.emitted} recv ${n.stats.received}`)
        .join(' | ');
      console.log(
        `slot ${String(e.slot).padStart(4)}  t=${(e.atMs / 1000).toFixed(2)}s  value ${value}  ${nodes}`,
      );
    },
  });
  let stopped = false;
  process.once('SIGINT', () => {
    stopped = true;
  });
  const t0 = performance.now();
  for (;;) {
    const more = sim.advanceTo((performance.now() - t0) * speed);
    if (!more || stopped) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const result = sim.result();
  console.log(`stopped after ${printed.size} slot(s); violations: ${result.violations.length}`);
  for (const v of result.violations) console.log(`  ${v.checker}: ${v.message}`);
  return result.violations.length > 0 ? 1 : 0;
}

/** Whole-node nemesis: a campaign over seeds and fault kinds, or one replayed run. */
async function nodesCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      seeds: { type: 'string' },
      'first-seed': { type: 'string' },
      seed: { type: 'string' },
      kind: { type: 'string' },
      broken: { type: 'string' },
      json: { type: 'boolean', default: false },
      results: { type: 'string', default: 'bench/results' },
      'no-write': { type: 'boolean', default: false },
      jobs: { type: 'string' },
      worker: { type: 'string' },
    },
    strict: true,
  });
  const kind = values.kind as FaultKind | 'broken' | undefined;
  if (kind !== undefined && kind !== 'broken' && !FAULT_KINDS.includes(kind)) {
    throw new SimError('BAD_ARGUMENT', `--kind must be one of ${FAULT_KINDS.join(', ')}, broken`, { kind });
  }
  const single = intOption(values.seed, 'seed', undefined);
  if (single !== undefined) {
    const r = await runNodeNemesis(single, { kind: kind ?? 'mixed' });
    const out = {
      seed: r.seed,
      kind: r.kind,
      topology: r.topology,
      episodes: r.plan.episodes,
      actions: r.plan.actions,
      recoveryMs: r.recoveryMs,
      haltWindows: r.haltWindows,
      progressChecks: r.progressChecks,
      ledgers: r.ledgers,
      acks: r.acks,
      submissions: r.submissions,
      stats: r.stats,
      windows: r.record.windows,
      exceptions: r.record.exceptions,
      errorLogs: r.record.errorLogs,
      violations: r.violations.map((v) => ({ checker: v.checker, message: v.message })),
    };
    console.log(values.json ? JSON.stringify(out, null, 2) : JSON.stringify(out, null, 1));
    return r.violations.length > 0 && kind !== 'broken' ? 1 : 0;
  }
  const seeds = intOption(values.seeds, 'seeds', 100)!;
  const firstSeed = intOption(values['first-seed'], 'first-seed', 1)!;
  const broken = intOption(values.broken, 'broken', Math.max(5, Math.round(seeds / 20)))!;
  const options: CampaignOptions = {
    seeds,
    firstSeed,
    broken,
    ...(kind !== undefined && kind !== 'broken' && { kind }),
  };
  // A worker runs its share and prints one JSON line per run, then its CPU time.
  if (values.worker !== undefined) {
    const [part, of] = values.worker.split('/').map(Number);
    const cpu0 = process.cpuUsage();
    await runCampaignRows({
      ...options,
      share: { part: part!, of: of! },
      onRun: (_d, _t, row) => process.stdout.write(`${JSON.stringify(row)}\n`),
    });
    const cpu = process.cpuUsage(cpu0);
    process.stdout.write(`${JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
    return 0;
  }
  const jobs = intOption(values.jobs, 'jobs', 1)!;
  const total = seeds + broken;
  const showBar = !values.json && process.stderr.isTTY;
  const bar = new cliProgress.SingleBar(
    {
      format:
        'nodes [{bar}] {value}/{total} runs | {kind} seed {seed} | failing runs: {failing} | {duration_formatted}',
      stream: process.stderr,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  if (showBar) bar.start(total, 0, { kind: '', seed: '', failing: 0 });
  const t0 = performance.now();
  const rows: RunRow[] = [];
  let failing = 0;
  const progress = (row: RunRow) => {
    rows.push(row);
    if (row.kind !== 'broken' && row.violations.length > 0) failing++;
    const done = rows.length;
    if (showBar) bar.update(done, { kind: row.kind, seed: row.seed, failing });
    else if (!values.json && (done % 25 === 0 || done === total)) {
      console.error(
        `nodes ${done}/${total} runs | ${row.kind} seed ${row.seed} | failing runs: ${failing} | ${((performance.now() - t0) / 1000).toFixed(0)} s`,
      );
    }
  };
  let cpuMs = 0;
  if (jobs <= 1) {
    const cpu0 = process.cpuUsage();
    await runCampaignRows({ ...options, onRun: (_d, _t, row) => progress(row) });
    const cpu = process.cpuUsage(cpu0);
    cpuMs = (cpu.user + cpu.system) / 1000;
  } else {
    const self = fileURLToPath(import.meta.url);
    const passArgs = argv.filter((a, i) => a !== '--json' && argv[i - 1] !== '--jobs' && a !== '--jobs');
    await Promise.all(
      Array.from({ length: jobs }, (_, part) => {
        const child = spawn(
          process.execPath,
          [...process.execArgv, self, 'nodes', ...passArgs, '--worker', `${part}/${jobs}`],
          { stdio: ['ignore', 'pipe', 'inherit'] },
        );
        createInterface({ input: child.stdout }).on('line', (line) => {
          const x = JSON.parse(line) as RunRow | { cpuMs: number };
          if ('cpuMs' in x) cpuMs += x.cpuMs;
          else progress(x);
        });
        return new Promise<void>((resolve, reject) =>
          child.on('exit', (code) =>
            code === 0 ? resolve() : reject(new Error(`nodes worker ${part} exited with ${code}`)),
          ),
        );
      }),
    );
  }
  if (showBar) bar.stop();
  const summary = summarize(options, rows, performance.now() - t0, cpuMs);
  if (!values['no-write']) {
    const files = writeResults(summary, values.results);
    if (!values.json) console.log(`results: ${files.json}, ${files.md}`);
  }
  console.log(values.json ? JSON.stringify(summary, null, 2) : formatSummary(summary));
  const missedForks = summary.broken.runs >= 3 && summary.broken.forked === 0;
  if (missedForks && !values.json)
    console.log('FAIL: the broken configuration never produced a detected fork');
  return summary.failingRuns.length > 0 || missedForks ? 1 : 0;
}

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  try {
    if (command === 'run') return runCommand(rest);
    if (command === 'nodes') return await nodesCommand(rest);
    if (command === 'demo') return await demoCommand(rest);
    console.error(USAGE);
    return 2;
  } catch (err) {
    if (err instanceof SimError || (err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      console.error(`${(err as Error).message}\n${USAGE}`);
      return 2;
    }
    throw err;
  }
}

process.exitCode = await main();
