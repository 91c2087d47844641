import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NodeId } from '@qm/scp';
import { ALL_CHECKERS, type CheckerName } from './checkers.js';
import { SimError } from './errors.js';
import { HEALTHY_LINKS, type LinkConditions } from './network.js';
import type { Prng } from './prng.js';
import type { NodeParams, NodeRole } from './sim-node.js';
import {
  disjointTopology,
  flatTopology,
  loadStellarNetwork,
  type Topology,
  tieredTopology,
} from './topology.js';

export type FaultAction =
  | { readonly kind: 'crash'; readonly nodes: readonly NodeId[] }
  | { readonly kind: 'restore'; readonly nodes: readonly NodeId[] }
  | { readonly kind: 'partition'; readonly groups: readonly (readonly NodeId[])[] }
  | { readonly kind: 'heal' }
  | { readonly kind: 'links'; readonly conditions: LinkConditions };

export interface TimedFault {
  readonly atMs: number;
  readonly action: FaultAction;
}

/** Take `down` out as soon as every live node has closed `afterSlot`, for `durationMs`, then restore. */
export interface HaltPlan {
  readonly afterSlot: number;
  readonly down: readonly NodeId[];
  readonly durationMs: number;
  /** When (after the outage began) the live nodes are asked what they are missing. */
  readonly probeAfterMs: number;
}

/** A scenario instantiated for one seed: the network, who misbehaves, and the timed fault schedule. */
export interface ScenarioPlan {
  readonly topology: Topology;
  readonly roles: ReadonlyMap<NodeId, NodeRole>;
  readonly links: LinkConditions;
  /** Must leave the network whole at the end: every crash restored, partitions healed, links healthy. */
  readonly faults: readonly TimedFault[];
  readonly halt: HaltPlan | null;
  readonly checkers: readonly CheckerName[];
  readonly params: Partial<NodeParams>;
}

export interface Scenario {
  readonly name: string;
  readonly description: string;
  /** 'fork': the configuration lacks quorum intersection; an agreement violation is the expected outcome. */
  readonly expect: 'safe' | 'fork';
  readonly defaultSlots: number;
  plan(rng: Prng, slots: number, context: PlanContext): ScenarioPlan;
}

/** Run-level inputs a scenario may use besides the seed. */
export interface PlanContext {
  /** real-network: a Stellar snapshot to load instead of the default (absolute, or relative to stellarNetworksDir()). */
  readonly networkFile?: string;
}

export const DEFAULT_REAL_NETWORK = 'real/2024-09-22_top-tier_nodes.json';

export function resolveNetworkFile(file: string): string {
  return isAbsolute(file) ? file : join(stellarNetworksDir(), file);
}

/** Where the Stellar snapshots live (../shared/data/stellar-networks from the repository root). */
export function stellarNetworksDir(): string {
  return (
    process.env.QM_STELLAR_NETWORKS ??
    fileURLToPath(new URL('../../../../shared/data/stellar-networks', import.meta.url))
  );
}

const SAFE_CHECKERS: readonly CheckerName[] = [
  'agreement',
  'validity',
  'consistency',
  'liveness',
  'robustness',
];

function plan(topology: Topology, rest: Partial<ScenarioPlan> = {}): ScenarioPlan {
  return {
    topology,
    roles: new Map(),
    links: HEALTHY_LINKS,
    faults: [],
    halt: null,
    checkers: SAFE_CHECKERS,
    params: {},
    ...rest,
  };
}

/** A small network, drawn per seed: flat 4..7 (threshold 2n/3+1) or 3 organizations of 3. */
function smallTopology(rng: Prng): Topology {
  const shape = rng.int(0, 4);
  return shape === 4 ? tieredTopology(3) : flatTopology(rng.int(4, 7));
}

/** The number of Byzantine nodes a flat 2n/3+1 network tolerates while keeping quorum intersection. */
function tolerated(n: number): number {
  return Math.floor((n - 1) / 3);
}

function byzantineScenario(role: NodeRole, name: string, description: string): Scenario {
  return {
    name,
    description,
    expect: 'safe',
    defaultSlots: 4,
    plan: (rng) => {
      const topology = flatTopology(rng.pick([4, 4, 5, 7]));
      const bad = rng.sample(topology.nodes, tolerated(topology.nodes.length));
      return plan(topology, {
        roles: new Map(bad.map((id) => [id, role])),
        links: { ...HEALTHY_LINKS, delayMaxMs: rng.int(40, 200) },
      });
    },
  };
}

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'healthy',
    description: 'no faults; random link delays',
    expect: 'safe',
    defaultSlots: 5,
    plan: (rng) => plan(smallTopology(rng), { links: { ...HEALTHY_LINKS, delayMaxMs: rng.int(20, 300) } }),
  },
  {
    name: 'lossy',
    description: 'drops, duplicates and reordering (delay jitter) for a while, then healthy links',
    expect: 'safe',
    defaultSlots: 5,
    plan: (rng) => {
      const links: LinkConditions = {
        delayMinMs: rng.int(1, 20),
        delayMaxMs: rng.int(100, 800),
        dropProbability: rng.int(2, 30) / 100,
        duplicateProbability: rng.int(0, 20) / 100,
      };
      return plan(smallTopology(rng), {
        links,
        faults: [{ atMs: rng.int(2000, 9000), action: { kind: 'links', conditions: HEALTHY_LINKS } }],
      });
    },
  },
  {
    name: 'partition-heal',
    description: 'the network splits in two (cut links), then heals',
    expect: 'safe',
    defaultSlots: 5,
    plan: (rng) => {
      const topology = smallTopology(rng);
      const shuffled = rng.shuffle(topology.nodes);
      const cut = rng.int(1, shuffled.length - 1);
      const from = rng.int(0, 4000);
      return plan(topology, {
        faults: [
          {
            atMs: from,
            action: { kind: 'partition', groups: [shuffled.slice(0, cut), shuffled.slice(cut)] },
          },
          { atMs: from + rng.int(500, 8000), action: { kind: 'heal' } },
        ],
      });
    },
  },
  {
    name: 'crash-restore',
    description: 'nodes crash at random instants (mid-slot) and restart from what they persisted',
    expect: 'safe',
    defaultSlots: 5,
    plan: (rng) => {
      const topology = smallTopology(rng);
      const n = topology.nodes.length;
      const victims = rng.sample(topology.nodes, rng.int(1, tolerated(n) + 1));
      const faults: TimedFault[] = [];
      for (const node of victims) {
        let at = rng.int(0, 3000);
        for (let cycle = rng.int(1, 2); cycle > 0; cycle--) {
          const down = rng.int(100, 4000);
          faults.push({ atMs: at, action: { kind: 'crash', nodes: [node] } });
          faults.push({ atMs: at + down, action: { kind: 'restore', nodes: [node] } });
          at += down + rng.int(200, 3000);
        }
      }
      return plan(topology, { faults, links: { ...HEALTHY_LINKS, delayMaxMs: rng.int(20, 250) } });
    },
  },
  {
    name: 'too-many-down',
    description:
      'more nodes down than any quorum allows: nobody externalizes, live nodes report who is missing',
    expect: 'safe',
    defaultSlots: 4,
    plan: (rng, slots) => {
      const tiered = rng.chance(0.3);
      const topology = tiered ? tieredTopology(3) : flatTopology(rng.int(4, 7));
      const n = topology.nodes.length;
      // Flat: n - threshold + 1 nodes down leaves no quorum. Tiered 3x3 (2 of 3 orgs, 2 of 3 inside):
      // two nodes from each of two organizations.
      const down = tiered
        ? [...topology.nodes.slice(0, 2), ...topology.nodes.slice(3, 5)]
        : rng.sample(topology.nodes, n - (Math.floor((2 * n) / 3) + 1) + 1);
      const durationMs = rng.int(7000, 12000);
      return plan(topology, {
        halt: {
          afterSlot: rng.int(1, Math.max(1, slots - 2)),
          down,
          durationMs,
          // Late in the outage, so that live peers' periodic resync requests have shown they are alive.
          probeAfterMs: durationMs - 500,
        },
        checkers: ALL_CHECKERS,
      });
    },
  },
  byzantineScenario(
    'equivocate',
    'byzantine-equivocate',
    'f nodes tell half their peers one thing and the other half another, all properly signed',
  ),
  byzantineScenario(
    'replay',
    'byzantine-replay',
    'f nodes resend old statements (theirs and others, genuinely signed) to random peers',
  ),
  byzantineScenario(
    'garbage',
    'byzantine-garbage',
    'f nodes send undecodable, forged and insane-but-signed statements, and nothing honest',
  ),
  {
    name: 'real-network',
    description:
      "Stellar's 2024-09-22 top tier (23 validators, 7 organizations), with crashes of whole validators",
    expect: 'safe',
    defaultSlots: 3,
    plan: (rng) => {
      const file = `${stellarNetworksDir()}/real/2024-09-22_top-tier_nodes.json`;
      if (!existsSync(file)) throw new SimError('BAD_NETWORK_FILE', 'Stellar snapshot not found', { file });
      const topology = loadStellarNetwork(file);
      const victim = rng.pick(topology.nodes);
      const at = rng.int(0, 2000);
      return plan(topology, {
        links: { ...HEALTHY_LINKS, delayMaxMs: rng.int(30, 200) },
        faults: [
          { atMs: at, action: { kind: 'crash', nodes: [victim] } },
          { atMs: at + rng.int(500, 3000), action: { kind: 'restore', nodes: [victim] } },
        ],
      });
    },
  },
  {
    name: 'no-intersection',
    description: 'two groups that each trust only themselves (plus a watcher): SCP cannot keep them agreed',
    expect: 'fork',
    defaultSlots: 3,
    plan: (rng) =>
      plan(disjointTopology(), {
        links: { ...HEALTHY_LINKS, delayMaxMs: rng.int(20, 200) },
        checkers: ['agreement', 'validity', 'consistency', 'robustness'],
      }),
  },
];

export function getScenario(name: string): Scenario {
  const s = SCENARIOS.find((x) => x.name === name);
  if (!s) {
    throw new SimError('UNKNOWN_SCENARIO', `unknown scenario '${name}'`, {
      name,
      known: SCENARIOS.map((x) => x.name),
    });
  }
  return s;
}
