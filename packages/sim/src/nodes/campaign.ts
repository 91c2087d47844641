// A campaign of whole-node nemesis runs: seeds spread evenly over the fault kinds, plus the broken
// configuration, summarized per kind and written as bench/results/node-nemesis.{json,md}.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_CHECKERS, type NodeCheckerName } from './checkers.js';
import { FAULT_KINDS, type FaultKind } from './plan.js';
import { type NodeRunResult, runNodeNemesis } from './run.js';

export interface KindSummary {
  runs: number;
  byTopology: Record<string, number>;
  /** Fault episodes injected, by episode kind (a mixed run counts each of its episodes). */
  faults: Record<string, number>;
  byzFrames: number;
  violations: Partial<Record<NodeCheckerName, number>>;
  haltWindows: { predicted: number; observed: number };
  progressChecks: { predicted: number; observed: number };
  recoveryMs: { p50: number | null; p99: number | null; max: number | null; notRecovered: number };
  ledgers: number;
  acks: number;
  submissions: number;
  validatorPunishments: number;
  virtualMs: number;
}

export interface CampaignSummary {
  firstSeed: number;
  runs: number;
  byKind: Record<string, KindSummary>;
  total: KindSummary;
  broken: { runs: number; forked: number; seeds: number[]; notForked: number[] };
  failingRuns: {
    seed: number;
    kind: string;
    topology: string;
    checkers: string[];
    first: string;
    replay: string;
  }[];
  wallMs: number;
  cpuMs: number;
  node: string;
}

export const kindOfRun = (i: number): FaultKind => FAULT_KINDS[i % FAULT_KINDS.length]!;

const pct = (xs: number[], p: number): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

function emptyKind(): KindSummary & { _rec: number[] } {
  return {
    runs: 0,
    byTopology: {},
    faults: {},
    byzFrames: 0,
    violations: {},
    haltWindows: { predicted: 0, observed: 0 },
    progressChecks: { predicted: 0, observed: 0 },
    recoveryMs: { p50: null, p99: null, max: null, notRecovered: 0 },
    ledgers: 0,
    acks: 0,
    submissions: 0,
    validatorPunishments: 0,
    virtualMs: 0,
    _rec: [],
  };
}

/** What a campaign keeps of one run (a worker process sends these to its parent as JSON lines). */
export interface RunRow {
  seed: number;
  kind: string;
  topology: string;
  faults: Record<string, number>;
  byzFrames: number;
  violations: { checker: NodeCheckerName; message: string }[];
  haltWindows: { predicted: number; observed: number };
  progressChecks: { predicted: number; observed: number };
  recoveryMs: number | null;
  ledgers: number;
  acks: number;
  submissions: number;
  validatorPunishments: number;
  virtualMs: number;
  forked: boolean;
}

export function rowOf(r: NodeRunResult): RunRow {
  return {
    seed: r.seed,
    kind: r.kind,
    topology: r.topology,
    faults: r.faults,
    byzFrames: r.byzFrames,
    violations: r.violations.map((v) => ({ checker: v.checker, message: v.message })),
    haltWindows: r.haltWindows,
    progressChecks: r.progressChecks,
    recoveryMs: r.recoveryMs,
    ledgers: r.ledgers,
    acks: r.acks,
    submissions: r.submissions,
    validatorPunishments: r.validatorPunishments,
    virtualMs: r.record.endMs,
    forked: r.forked,
  };
}

function add(k: ReturnType<typeof emptyKind>, r: RunRow): void {
  k.runs++;
  k.byTopology[r.topology] = (k.byTopology[r.topology] ?? 0) + 1;
  for (const [f, c] of Object.entries(r.faults)) k.faults[f] = (k.faults[f] ?? 0) + c;
  k.byzFrames += r.byzFrames;
  for (const v of r.violations) k.violations[v.checker] = (k.violations[v.checker] ?? 0) + 1;
  k.haltWindows.predicted += r.haltWindows.predicted;
  k.haltWindows.observed += r.haltWindows.observed;
  k.progressChecks.predicted += r.progressChecks.predicted;
  k.progressChecks.observed += r.progressChecks.observed;
  if (r.recoveryMs === null) k.recoveryMs.notRecovered++;
  else k._rec.push(r.recoveryMs);
  k.ledgers += r.ledgers;
  k.acks += r.acks;
  k.submissions += r.submissions;
  k.validatorPunishments += r.validatorPunishments;
  k.virtualMs += r.virtualMs;
}

function finish(k: ReturnType<typeof emptyKind>): KindSummary {
  const { _rec, ...rest } = k;
  rest.recoveryMs = { ...rest.recoveryMs, p50: pct(_rec, 50), p99: pct(_rec, 99), max: pct(_rec, 100) };
  return rest;
}

export const replayNodeCommand = (seed: number, kind: string) =>
  `npx tsx packages/sim/src/cli.ts nodes --seed ${seed} --kind ${kind}`;

export interface CampaignOptions {
  readonly seeds: number;
  readonly firstSeed: number;
  readonly broken: number;
  /** Only this kind (else every kind in turn). */
  readonly kind?: FaultKind;
  /** Run only the runs with index % of === part (a worker's share). */
  readonly share?: { readonly part: number; readonly of: number };
  readonly onRun?: (done: number, total: number, r: RunRow, failing: number) => void;
}

/** The campaign's runs, in order: [seed, kind]. */
export function campaignRuns(o: CampaignOptions): [number, FaultKind | 'broken'][] {
  const out: [number, FaultKind | 'broken'][] = [];
  for (let i = 0; i < o.seeds; i++) out.push([o.firstSeed + i, o.kind ?? kindOfRun(i)]);
  for (let i = 0; i < o.broken; i++) out.push([o.firstSeed + i, 'broken']);
  return out;
}

/** Runs the campaign (or a worker's share of it) in this process. */
export async function runCampaignRows(o: CampaignOptions): Promise<RunRow[]> {
  const runs = campaignRuns(o).filter((_, i) => !o.share || i % o.share.of === o.share.part);
  const rows: RunRow[] = [];
  let failing = 0;
  for (const [seed, kind] of runs) {
    const row = rowOf(await runNodeNemesis(seed, { kind }));
    rows.push(row);
    if (kind !== 'broken' && row.violations.length > 0) failing++;
    o.onRun?.(rows.length, runs.length, row, failing);
  }
  return rows;
}

export function summarize(
  o: CampaignOptions,
  rows: readonly RunRow[],
  wallMs: number,
  cpuMs: number,
): CampaignSummary {
  const byKind = new Map<string, ReturnType<typeof emptyKind>>();
  const total = emptyKind();
  const failingRuns: CampaignSummary['failingRuns'] = [];
  const broken = { runs: 0, forked: 0, seeds: [] as number[], notForked: [] as number[] };
  const sorted = [...rows].sort(
    (a, b) => (a.kind === 'broken' ? 1 : 0) - (b.kind === 'broken' ? 1 : 0) || a.seed - b.seed,
  );
  for (const r of sorted) {
    if (r.kind === 'broken') {
      broken.runs++;
      broken.seeds.push(r.seed);
      if (r.forked) broken.forked++;
      else broken.notForked.push(r.seed);
      continue;
    }
    const k = byKind.get(r.kind) ?? emptyKind();
    byKind.set(r.kind, k);
    add(k, r);
    add(total, r);
    if (r.violations.length > 0) {
      failingRuns.push({
        seed: r.seed,
        kind: r.kind,
        topology: r.topology,
        checkers: [...new Set(r.violations.map((v) => v.checker))],
        first: r.violations[0]!.message,
        replay: replayNodeCommand(r.seed, r.kind),
      });
    }
  }
  const order = [...FAULT_KINDS] as string[];
  return {
    firstSeed: o.firstSeed,
    runs: total.runs,
    byKind: Object.fromEntries(
      [...byKind].sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0])).map(([k, v]) => [k, finish(v)]),
    ),
    total: finish(total),
    broken,
    failingRuns,
    wallMs: Math.round(wallMs),
    cpuMs: Math.round(cpuMs),
    node: process.version,
  };
}

const fmtMs = (x: number | null) => (x === null ? '-' : String(x));
const fmtViolations = (v: Partial<Record<NodeCheckerName, number>>) =>
  NODE_CHECKERS.filter((c) => v[c])
    .map((c) => `${c} ${v[c]}`)
    .join(', ') || '0';

/** The text summary printed by the CLI. */
export function formatSummary(s: CampaignSummary): string {
  const lines = ['', 'node nemesis summary (real Validators, virtual network and time)'];
  const row = (name: string, k: KindSummary) =>
    `  ${name.padEnd(10)} runs ${String(k.runs).padStart(4)}  faults ${String(
      Object.values(k.faults).reduce((a, b) => a + b, 0),
    ).padStart(
      4,
    )}  violations ${fmtViolations(k.violations).padEnd(10)}  halts obs/pred ${k.haltWindows.observed}/${k.haltWindows.predicted}  progress<5s ${k.progressChecks.observed}/${k.progressChecks.predicted}  recovery p50/p99 ${fmtMs(k.recoveryMs.p50)}/${fmtMs(k.recoveryMs.p99)} ms`;
  for (const [name, k] of Object.entries(s.byKind)) lines.push(row(name, k));
  lines.push(row('total', s.total));
  lines.push(
    `  faults by kind: ${Object.entries(s.total.faults)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}; Byzantine frames ${s.total.byzFrames}`,
  );
  lines.push(
    `  broken config (no quorum intersection): fork detected in ${s.broken.forked}/${s.broken.runs} seeds${s.broken.notForked.length > 0 ? ` (not: ${s.broken.notForked.join(', ')})` : ''}`,
  );
  lines.push(
    `  wall ${(s.wallMs / 1000).toFixed(1)} s, cpu ${(s.cpuMs / 1000).toFixed(1)} s, virtual ${(s.total.virtualMs / 1000).toFixed(0)} s, ${s.total.ledgers} ledgers (max height per run, summed), ${s.total.acks} acknowledged transactions`,
  );
  if (s.failingRuns.length > 0) {
    lines.push('', 'failing seeds:');
    for (const f of s.failingRuns)
      lines.push(
        `  seed=${f.seed} kind=${f.kind} topology=${f.topology} [${f.checkers.join(', ')}] ${f.first}\n    replay: ${f.replay}`,
      );
  }
  return lines.join('\n');
}

export function formatMarkdown(s: CampaignSummary): string {
  const t = s.total;
  const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
  const out = [
    '## node-nemesis: real validators under faults on a virtual network (packages/sim/src/nodes)',
    '',
    `${s.runs} seeded runs (seeds ${s.firstSeed}-${s.firstSeed + s.runs - 1}, fault kinds in turn) of real \`Validator\`s`,
    '(SCP, herder, ledger close, peer catch-up; in-memory stores that survive a kill) on a MemoryHub and a',
    'virtual clock, with a client submitting signed transactions through `Validator.submitTransaction`.',
    `Topologies: ${Object.entries(t.byTopology)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')} (flat4 = 3-of-4, flat7 = 5-of-7, tier7 = 2-of-3 organizations x 2-of-organization).`,
    `**Safety violations: ${(t.violations.agreement ?? 0) + (t.violations.durability ?? 0)}** (agreement + durability; expected 0). All checkers: ${fmtViolations(t.violations)}.`,
    `Halting as predicted by the quorum analysis: ${t.haltWindows.observed} of ${t.haltWindows.predicted} predicted-halt fault windows closed nothing new; predicted progress: no validator went 12 s without a close (the checker's bound, windows of 12 s or more); ${t.progressChecks.observed} of ${t.progressChecks.predicted} (window, validator) pairs of 5 s or more closed one within 5 s (a dead validator can be the only nomination leader for a few rounds).`,
    `Broken configuration (two disjoint quorums, halves cut apart): **fork detected in ${s.broken.forked}/${s.broken.runs} seeds**.`,
    `${t.acks} transactions acknowledged, ${sum(t.faults)} fault episodes, ${t.byzFrames} Byzantine frames. 2 shared cores, Node ${s.node};`,
    `whole campaign ${(s.wallMs / 1000).toFixed(0)} s wall (${(t.virtualMs / 1000).toFixed(0)} s virtual).`,
    '',
    '| fault kind | runs | fault episodes | violations | halts observed / predicted | progress within 5 s / predicted | recovery p50 / p99 / max (virtual ms) | not recovered | acked txs |',
    '|---|---:|---|---|---:|---:|---|---:|---:|',
  ];
  const row = (name: string, k: KindSummary) =>
    `| ${name} | ${k.runs} | ${Object.entries(k.faults)
      .map(([f, c]) => `${f} ${c}`)
      .join(
        ', ',
      )} | ${fmtViolations(k.violations)} | ${k.haltWindows.observed} / ${k.haltWindows.predicted} | ${k.progressChecks.observed} / ${k.progressChecks.predicted} | ${fmtMs(k.recoveryMs.p50)} / ${fmtMs(k.recoveryMs.p99)} / ${fmtMs(k.recoveryMs.max)} | ${k.recoveryMs.notRecovered} | ${k.acks} |`;
  for (const [name, k] of Object.entries(s.byKind)) out.push(row(name, k));
  out.push(row('**all**', t));
  out.push('');
  if (s.failingRuns.length > 0) {
    out.push('Failing seeds:', '');
    for (const f of s.failingRuns)
      out.push(
        `- seed ${f.seed} (${f.kind}, ${f.topology}) [${f.checkers.join(', ')}]: ${f.first} — \`${f.replay}\``,
      );
    out.push('');
  }
  out.push(
    `Command: \`npx tsx packages/sim/src/cli.ts nodes --seeds ${s.runs} --first-seed ${s.firstSeed} --broken ${s.broken.runs}\`. Fault kinds and checkers: docs/simulation.md, "Whole-node nemesis".`,
    '',
  );
  return out.join('\n');
}

export function writeResults(s: CampaignSummary, dir: string): { json: string; md: string } {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, 'node-nemesis.json');
  const md = join(dir, 'node-nemesis.md');
  writeFileSync(json, `${JSON.stringify(s, null, 2)}\n`);
  writeFileSync(md, formatMarkdown(s));
  return { json, md };
}
