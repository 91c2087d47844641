/**
 * The nemesis schedule: which faults, on which validators, after which gaps, for how long. It is a pure
 * function of the seed (mulberry32, never Math.random), so a failing seed replays the same decisions;
 * real timing (how long a node takes to catch up) still varies from run to run.
 */
import { Prng } from '../workload/prng.js';
import type { FaultKind } from './history.js';
import { type Link, linksBetween, linksOf } from './links.js';

/** Files a 'corrupt' fault may damage, in a validator's data directory. */
export const CORRUPT_FILES = [
  'ledger.sqlite',
  'ledger.sqlite-wal',
  'scp-state.sqlite',
  'scp-state.sqlite-wal',
] as const;
export type CorruptFile = (typeof CORRUPT_FILES)[number];

export interface CorruptPlan {
  /** The file to damage; a WAL file that is absent or empty at the time falls back to its database. */
  file: CorruptFile;
  mode: 'truncate' | 'overwrite';
  /** Where, as a fraction of the file's size in thousandths (overwrite: 0 means the header page). */
  atPermille: number;
  /** overwrite: how many bytes (random, from `byteSeed`). */
  bytes: number;
  byteSeed: number;
}

export interface FaultStep {
  kind: FaultKind;
  /** Validators hit: one, or two for 'halt'. */
  nodes: number[];
  /** Wait before injecting (a random instant relative to ledger closes). */
  gapMs: number;
  /** How long the fault lasts before healing (for 'halt': the watch window once stuck). */
  holdMs: number;
  /** How a validator is stopped: SIGKILL (crash, halt, skew, corrupt) or SIGTERM (restart). */
  signal: 'SIGKILL' | 'SIGTERM';
  /** partition, bridge, ring, slow: the links cut or slowed (both directions). */
  links?: Link[];
  /** partition, bridge, ring: the shape, for the record ('3|1 [0,1,2]|[3]', ...). */
  shape?: string;
  /** slow: the delay added to every chunk on the links. */
  delayMs?: number;
  /** skew: the clock offset the validator restarts with. */
  offsetMs?: number;
  corrupt?: CorruptPlan;
}

export interface ScheduleOptions {
  seed: number;
  validators: number;
  kinds: readonly FaultKind[];
  /** Stop planning once the planned time reaches this. */
  budgetMs: number;
}

/**
 * Rough wall time a step takes beyond its gap and hold, to fit steps in the budget: a halt or a
 * partition waits ~5 s for "stuck"; skew restarts a validator twice; corrupt restarts it once or twice.
 */
const OVERHEAD_MS: Record<FaultKind, number> = {
  crash: 4_000,
  pause: 1_000,
  restart: 4_000,
  halt: 12_000,
  partition: 10_000,
  bridge: 3_000,
  ring: 3_000,
  slow: 3_000,
  skew: 10_000,
  corrupt: 15_000,
};
export const plannedMs = (s: FaultStep): number => s.gapMs + s.holdMs + OVERHEAD_MS[s.kind];

export function faultSchedule(o: ScheduleOptions): FaultStep[] {
  if (o.kinds.length === 0) throw new RangeError('no fault kinds');
  const rng = new Prng(o.seed ^ 0x5eed_f17e);
  const steps: FaultStep[] = [];
  let used = 0;
  // Cycle through the kinds in a seeded order, so a short run still sees each of them.
  let order: FaultKind[] = [];
  while (used < o.budgetMs) {
    if (order.length === 0) order = shuffle(rng, [...o.kinds]);
    const kind = order.shift()!;
    const first = rng.int(0, o.validators - 1);
    const nodes = kind === 'halt' ? [first, (first + rng.int(1, o.validators - 1)) % o.validators] : [first];
    const step: FaultStep = {
      kind,
      nodes,
      gapMs: rng.int(500, 3000),
      holdMs:
        kind === 'crash' ? rng.int(500, 6000) : kind === 'pause' ? rng.int(1000, 5000) : rng.int(300, 3000),
      // A clean stop (SIGTERM) of the validator the client watches lingers ~25 s (its HTTP server waits
      // for the client's event stream) while it still votes; 'restart' covers that path, so the other
      // kinds stop validators with SIGKILL, keeping a run near a minute.
      signal: kind === 'restart' ? 'SIGTERM' : 'SIGKILL',
    };
    if (kind === 'halt') step.holdMs = 3000;
    if (kind === 'partition' || kind === 'bridge' || kind === 'ring') {
      planTopology(rng, o.validators, step);
    } else if (kind === 'slow') {
      // One link, or all of one validator's links, 200-1000 ms each way.
      const one = rng.int(0, 1) === 0;
      const other = (first + rng.int(1, o.validators - 1)) % o.validators;
      step.links = one ? [first < other ? [first, other] : [other, first]] : linksOf(first, o.validators);
      if (one) step.nodes = [first, other];
      step.delayMs = rng.int(200, 1000);
      step.holdMs = rng.int(5000, 9000);
    } else if (kind === 'skew') {
      step.offsetMs = (rng.int(0, 1) === 0 ? -1 : 1) * rng.int(1, 30) * 1000;
      step.holdMs = rng.int(6000, 10_000);
    } else if (kind === 'corrupt') {
      step.corrupt = {
        file: CORRUPT_FILES[rng.int(0, CORRUPT_FILES.length - 1)]!,
        mode: rng.int(0, 1) === 0 ? 'truncate' : 'overwrite',
        atPermille: rng.int(0, 3) === 0 ? 0 : rng.int(1, 999),
        bytes: rng.int(1, 4096),
        byteSeed: rng.int(0, 0x7fff_ffff),
      };
    }
    steps.push(step);
    used += plannedMs(step);
  }
  return steps;
}

/**
 * The links a partition, bridge or ring cuts, on a seeded permutation p of the validators (n = 4 here;
 * the shapes generalize as written):
 * - partition: 3|1 (p0 p1 p2 | p3) or 2|2 (p0 p1 | p2 p3), every link between the groups cut;
 * - bridge: p1 is the only link between p0 and the rest (p0-p2 and p0-p3 cut);
 * - ring: p0-p1-p2-p3-p0, the diagonals cut.
 */
function planTopology(rng: Prng, n: number, step: FaultStep): void {
  const p = shuffle(
    rng,
    Array.from({ length: n }, (_, i) => i),
  );
  const fmt = (g: number[]) => `[${[...g].sort((a, b) => a - b)}]`;
  if (step.kind === 'partition') {
    const minority = rng.int(0, 1) === 0 ? 1 : Math.floor(n / 2);
    const groups = [p.slice(0, n - minority), p.slice(n - minority)];
    step.links = linksBetween(groups);
    step.nodes = [...groups[1]!].sort((a, b) => a - b);
    step.shape = `${n - minority}|${minority} ${groups.map(fmt).join('|')}`;
  } else if (step.kind === 'bridge') {
    step.links = linksBetween([[p[0]!], p.slice(2)]);
    step.nodes = [p[0]!, p[1]!];
    step.shape = `v${p[0]} reaches ${fmt(p.slice(2))} only through v${p[1]}`;
  } else {
    const ring = new Set(p.map((v, k) => `${Math.min(v, p[(k + 1) % n]!)}-${Math.max(v, p[(k + 1) % n]!)}`));
    const all: Link[] = [];
    for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) all.push([a, b]);
    step.links = all.filter(([a, b]) => !ring.has(`${a}-${b}`));
    step.nodes = [...p];
    step.shape = `ring ${p.join('-')}-${p[0]}`;
  }
  step.holdMs = rng.int(4000, 8000);
}

function shuffle<T>(rng: Prng, xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}
