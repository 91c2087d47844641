/**
 * The nemesis schedule: which faults, on which validators, after which gaps, for how long. It is a pure
 * function of the seed (mulberry32, never Math.random), so a failing seed replays the same decisions;
 * real timing (how long a node takes to catch up) still varies from run to run.
 */
import { Prng } from '../workload/prng.js';
import type { FaultKind } from './history.js';

export interface FaultStep {
  kind: FaultKind;
  /** Validators hit: one, or two for 'halt'. */
  nodes: number[];
  /** Wait before injecting (a random instant relative to ledger closes). */
  gapMs: number;
  /** How long the fault lasts before healing (for 'halt': the watch window once stuck). */
  holdMs: number;
  /** How a validator is stopped: SIGKILL (crash, halt) or SIGTERM (restart). */
  signal: 'SIGKILL' | 'SIGTERM';
}

export interface ScheduleOptions {
  seed: number;
  validators: number;
  kinds: readonly FaultKind[];
  /** Stop planning once the planned time reaches this. */
  budgetMs: number;
}

/** Rough wall time a step takes, to fit steps in the budget (halt waits ~5 s for "stuck", then resumes). */
export const plannedMs = (s: FaultStep): number =>
  s.gapMs + s.holdMs + (s.kind === 'halt' ? 12_000 : s.kind === 'pause' ? 1_000 : 4_000);

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
      // for the client's event stream) while it still votes; 'restart' covers that path, so 'halt' stops
      // both at once with SIGKILL, keeping a run near a minute.
      signal: kind === 'restart' ? 'SIGTERM' : 'SIGKILL',
    };
    if (kind === 'halt') step.holdMs = 3000;
    steps.push(step);
    used += plannedMs(step);
  }
  return steps;
}

function shuffle<T>(rng: Prng, xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}
