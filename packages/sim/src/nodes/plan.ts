// The nemesis schedule of a run: a pure function of (seed, fault kind, topology). Faults come in
// episodes that undo themselves; a final heal at `healAtMs` restores everything (every validator up,
// links whole, clocks right), after which the network must recover on its own.
import { Prng } from '../prng.js';
import { predictProgress } from './predict.js';
import type { NodeTopology } from './topologies.js';

export const FAULT_KINDS = [
  'crash',
  'restart',
  'pause',
  'partition',
  'slow',
  'loss',
  'skew',
  'byzantine',
  'halt',
  'mixed',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
export type EpisodeKind = Exclude<FaultKind, 'mixed'>;
export type ByzAttack = 'replay' | 'equivocate' | 'bad-signature' | 'garbage';
export type PartitionShape = 'minority' | 'split' | 'bridge' | 'ring' | 'halves';

export type Action =
  | { readonly at: number; readonly op: 'kill' | 'boot' | 'stop' | 'pause' | 'resume'; readonly node: number }
  | {
      readonly at: number;
      readonly op: 'cut';
      readonly pairs: readonly [number, number][];
      readonly shape: string;
    }
  | { readonly at: number; readonly op: 'heal' }
  | {
      readonly at: number;
      readonly op: 'links';
      readonly pairs: readonly [number, number][];
      readonly extraDelayMs: number;
      readonly loss: number;
    }
  | { readonly at: number; readonly op: 'links-clear' }
  | { readonly at: number; readonly op: 'skew'; readonly offsets: readonly number[] }
  | {
      readonly at: number;
      readonly op: 'byz';
      readonly attack: ByzAttack;
      /** The validator whose key signs (equivocate) or whose statements are forged (bad-signature). */
      readonly node: number;
      readonly count: number;
    }
  | { readonly at: number; readonly op: 'heal-all' };

export interface Episode {
  readonly kind: EpisodeKind;
  readonly fromMs: number;
  readonly toMs: number;
  readonly detail: string;
}

export interface NemesisPlan {
  readonly seed: number;
  readonly kind: FaultKind | 'broken';
  readonly topology: string;
  readonly actions: readonly Action[];
  readonly episodes: readonly Episode[];
  readonly healAtMs: number;
  readonly needsMallory: boolean;
}

export const WARMUP_MS = 2000;
const EPISODE_KINDS: readonly EpisodeKind[] = FAULT_KINDS.filter((k) => k !== 'mixed') as EpisodeKind[];

const allPairs = (n: number): [number, number][] => {
  const out: [number, number][] = [];
  for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) out.push([a, b]);
  return out;
};

/** Pairs to cut for a partition shape over nodes 0..n-1 (in a random order). */
export function partitionPairs(
  prng: Prng,
  n: number,
  shape: PartitionShape,
): { pairs: [number, number][]; detail: string } {
  const order = prng.shuffle(Array.from({ length: n }, (_, i) => i));
  const linked = new Set<string>();
  const key = (a: number, b: number) => (a < b ? `${a},${b}` : `${b},${a}`);
  const group = (g: number[]) => {
    for (const a of g) for (const b of g) if (a !== b) linked.add(key(a, b));
  };
  let detail: string;
  if (shape === 'minority' || shape === 'split') {
    const k = shape === 'split' ? Math.floor(n / 2) : prng.int(1, Math.max(1, Math.floor((n - 1) / 2)));
    group(order.slice(0, k));
    group(order.slice(k));
    detail = `${shape} [${order.slice(0, k)}] | [${order.slice(k)}]`;
  } else if (shape === 'halves') {
    group([0, 1]);
    group(Array.from({ length: n - 2 }, (_, i) => i + 2));
    detail = 'halves [0,1] | rest';
  } else if (shape === 'bridge') {
    const [x, ...rest] = order;
    const k = Math.floor(rest.length / 2);
    group([x!, ...rest.slice(0, k)]);
    group([x!, ...rest.slice(k)]);
    detail = `bridge ${x}: [${rest.slice(0, k)}] | [${rest.slice(k)}]`;
  } else {
    for (let i = 0; i < n; i++) linked.add(key(order[i]!, order[(i + 1) % n]!));
    detail = `ring ${order.join('-')}`;
  }
  return { pairs: allPairs(n).filter(([a, b]) => !linked.has(key(a, b))), detail };
}

/** A set of validators whose crash leaves no validator able to close ledgers. */
export function haltingSet(prng: Prng, topo: NodeTopology): number[] {
  const n = topo.ids.length;
  for (;;) {
    const order = prng.shuffle(Array.from({ length: n }, (_, i) => i));
    const down: number[] = [];
    for (const i of order) {
      down.push(i);
      const up = new Set(topo.ids.filter((_, j) => !down.includes(j)));
      const p = predictProgress(topo.qsets, { up, linked: () => true });
      if (![...p.values()].some((x) => x) && down.length < n) return down.sort((a, b) => a - b);
    }
  }
}

function episode(prng: Prng, topo: NodeTopology, kind: EpisodeKind, t0: number, actions: Action[]): Episode {
  const n = topo.ids.length;
  const nodes = Array.from({ length: n }, (_, i) => i);
  const some = (max: number) => prng.sample(nodes, prng.int(1, Math.max(1, max)));
  let toMs = t0;
  let detail = '';
  switch (kind) {
    case 'crash':
    case 'restart': {
      const victims = some(topo.tolerates);
      for (const v of victims) {
        const at = t0 + prng.int(0, 1500);
        const back = at + (kind === 'crash' ? prng.int(500, 6000) : prng.int(200, 3000));
        actions.push({ at, op: kind === 'crash' ? 'kill' : 'stop', node: v });
        actions.push({ at: back, op: 'boot', node: v });
        toMs = Math.max(toMs, back);
      }
      detail = `${kind === 'crash' ? 'kill -9' : 'clean restart'} [${victims}]`;
      break;
    }
    case 'pause': {
      const victims = some(topo.tolerates);
      for (const v of victims) {
        const at = t0 + prng.int(0, 1000);
        const back = at + prng.int(1000, 8000);
        actions.push({ at, op: 'pause', node: v }, { at: back, op: 'resume', node: v });
        toMs = Math.max(toMs, back);
      }
      detail = `pause [${victims}]`;
      break;
    }
    case 'partition': {
      const shape = prng.pick<PartitionShape>(['minority', 'split', 'bridge', 'ring']);
      const { pairs, detail: d } = partitionPairs(prng, n, shape);
      toMs = t0 + prng.int(2000, 9000);
      actions.push({ at: t0, op: 'cut', pairs, shape }, { at: toMs, op: 'heal' });
      detail = d;
      break;
    }
    case 'slow':
    case 'loss': {
      const pairs = prng.chance(0.4)
        ? allPairs(n)
        : allPairs(n)
            .filter(() => prng.chance(0.5))
            .concat([prng.pick(allPairs(n))]);
      const extraDelayMs = kind === 'slow' ? prng.int(100, 1500) : 0;
      const loss = kind === 'loss' ? prng.int(5, 40) / 100 : 0;
      toMs = t0 + prng.int(2000, 8000);
      actions.push({ at: t0, op: 'links', pairs, extraDelayMs, loss }, { at: toMs, op: 'links-clear' });
      detail = `${kind} on ${pairs.length} link(s): +${extraDelayMs} ms, ${Math.round(loss * 100)}% loss`;
      break;
    }
    case 'skew': {
      // Within the network's 5 s close-time drift allowance; one validator near its edge.
      const offsets = nodes.map(() => prng.int(-2500, 2500));
      offsets[prng.int(0, n - 1)] = prng.pick([-1, 1]) * prng.int(3000, 4500);
      toMs = t0 + prng.int(3000, 9000);
      actions.push({ at: t0, op: 'skew', offsets }, { at: toMs, op: 'skew', offsets: nodes.map(() => 0) });
      detail = `skew [${offsets}] ms`;
      break;
    }
    case 'byzantine': {
      const attacks = prng.shuffle<ByzAttack>(['replay', 'equivocate', 'bad-signature', 'garbage']);
      // Bad signatures and garbage get mallory banned by its targets; replays and equivocation come first.
      const order = [
        ...attacks.filter((a) => a === 'replay' || a === 'equivocate'),
        ...attacks.filter((a) => a === 'bad-signature' || a === 'garbage'),
      ];
      let at = t0;
      const key = prng.int(0, n - 1);
      for (const attack of order) {
        const count = attack === 'replay' ? prng.int(50, 300) : prng.int(3, 12);
        actions.push({ at, op: 'byz', attack, node: key, count });
        at += prng.int(300, 2500);
      }
      toMs = at;
      detail = `byzantine ${order.join(', ')} (key of validator ${key} equivocates)`;
      break;
    }
    case 'halt': {
      const down = haltingSet(prng, topo);
      const clean = prng.chance(0.3);
      const hold = prng.int(3000, 8000);
      for (const v of down) actions.push({ at: t0 + prng.int(0, 300), op: clean ? 'stop' : 'kill', node: v });
      for (const v of down) {
        const back = t0 + 300 + hold + prng.int(0, 1500);
        actions.push({ at: back, op: 'boot', node: v });
        toMs = Math.max(toMs, back);
      }
      detail = `too many down: ${clean ? 'stop' : 'kill'} [${down}] for ~${hold} ms`;
      break;
    }
  }
  return { kind, fromMs: t0, toMs, detail };
}

export function makePlan(seed: number, kind: FaultKind, topo: NodeTopology): NemesisPlan {
  const prng = new Prng(seed).fork(`plan/${kind}/${topo.name}`);
  const actions: Action[] = [];
  const episodes: Episode[] = [];
  let t = WARMUP_MS;
  const count = kind === 'mixed' ? prng.int(2, 3) : prng.int(1, 2);
  for (let i = 0; i < count; i++) {
    const k = kind === 'mixed' ? prng.pick(EPISODE_KINDS) : kind;
    const e = episode(prng, topo, k, t, actions);
    episodes.push(e);
    t = e.toMs + prng.int(500, 2500);
  }
  const healAtMs = t;
  actions.push({ at: healAtMs, op: 'heal-all' });
  actions.sort((a, b) => a.at - b.at);
  return {
    seed,
    kind,
    topology: topo.name,
    actions,
    episodes,
    healAtMs,
    needsMallory: episodes.some((e) => e.kind === 'byzantine'),
  };
}

/** The broken configuration's run: its two halves cut apart for a while, client traffic on both sides. */
export function brokenPlan(seed: number, topo: NodeTopology): NemesisPlan {
  const prng = new Prng(seed).fork('plan/broken');
  const { pairs, detail } = partitionPairs(prng, topo.ids.length, 'halves');
  const from = prng.int(1500, 4000);
  const to = from + prng.int(4000, 10_000);
  return {
    seed,
    kind: 'broken',
    topology: topo.name,
    actions: [
      { at: from, op: 'cut', pairs, shape: 'halves' },
      { at: to, op: 'heal' },
      { at: to + 1000, op: 'heal-all' },
    ],
    episodes: [{ kind: 'partition', fromMs: from, toMs: to, detail }],
    healAtMs: to + 1000,
    needsMallory: false,
  };
}
