import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeQuorumSet, type NodeId, type QuorumSet, type SlotIndex, type Value } from '@qm/scp';
import { runCheckers, type Violation } from './checkers.js';
import { VirtualClock } from './clock.js';
import { nodeSecret } from './codec.js';
import { SimError } from './errors.js';
import {
  canonicalJson,
  type Externalization,
  type FaultRecord,
  type HaltWindow,
  historyHash,
  type NodeException,
  type RunRecord,
  type SelfContradiction,
  type StuckProbe,
} from './history.js';
import { type SimMessage, VirtualNetwork } from './network.js';
import { Prng } from './prng.js';
import { type FaultAction, getScenario, type Scenario, type ScenarioPlan } from './scenarios.js';
import { DEFAULT_NODE_PARAMS, type NodeParams, SimNode, type SimWorld, sha256Parts } from './sim-node.js';
import { toHex } from './values.js';

export interface RunOptions {
  /** Slots every honest node must externalize (default: the scenario's). */
  readonly slots?: number;
  /** Stop a runaway run after this many clock events (recorded as a liveness failure). */
  readonly maxEvents?: number;
  /** For the real-network scenario: the Stellar snapshot to load. */
  readonly networkFile?: string;
  /** Called after every externalization (the demo prints from here). */
  readonly onExternalize?: (e: Externalization, sim: Simulation) => void;
}

export interface RunResult {
  readonly scenario: string;
  readonly seed: number;
  readonly record: RunRecord;
  readonly violations: readonly Violation[];
  /** Violations that mean a bug (for a 'fork' scenario, everything except the expected agreement failure). */
  readonly unexpected: readonly Violation[];
  /** For a 'fork' scenario: whether this seed produced the fork. */
  readonly forked: boolean;
  readonly historyHash: string;
  readonly events: number;
  readonly scpMs: number;
}

/**
 * How long after the last fault every honest node gets to reach the target slot. With Byzantine nodes a
 * slot can need several nomination rounds: when a Byzantine node wins the leader lottery its values are
 * invalid and nobody echoes them, and round timeouts grow by a second per round (1 + 2 + ... + 5 s = 15 s
 * for five rounds), so each slot gets that much more.
 */
export function livenessBoundMs(slots: number, params: NodeParams, byzantine = false): number {
  return 15_000 + slots * (params.closeDelayMs + 2500 + (byzantine ? 15_000 : 0));
}

/**
 * One simulated network for one seed: builds the nodes from the scenario plan, applies the fault
 * schedule on the virtual clock, and records what happened. `run()` drives it to the end; the demo
 * drives it in real time with `advanceTo()`.
 */
export class Simulation {
  readonly clock = new VirtualClock();
  readonly network: VirtualNetwork;
  readonly nodes: SimNode[] = [];
  readonly plan: ScenarioPlan;
  readonly params: NodeParams;
  readonly targetSlots: number;
  private readonly world: SimWorld;
  private readonly externalizations: Externalization[] = [];
  private readonly proposed = new Set<string>();
  private readonly exceptions: NodeException[] = [];
  private readonly contradictions: SelfContradiction[] = [];
  private readonly faults: FaultRecord[] = [];
  private readonly probes: StuckProbe[] = [];
  private readonly trace = createHash('sha256');
  private pendingFaults = 0;
  private haltState: 'none' | 'pending' | 'active' | 'over' = 'none';
  private halt: HaltWindow | null = null;
  private healedAtMs = 0;
  private readonly honest: NodeId[];
  private readonly honestSet: ReadonlySet<NodeId>;
  /** Honest nodes that have closed the target slot (kept incrementally: isDone runs after every event). */
  private readonly finished = new Set<NodeId>();
  private readonly lastPlannedFaultMs: number;
  private readonly maxEvents: number;

  constructor(
    readonly scenario: Scenario,
    readonly seed: number,
    private readonly options: RunOptions = {},
  ) {
    const rng = new Prng(seed);
    this.targetSlots = options.slots ?? scenario.defaultSlots;
    if (!Number.isInteger(this.targetSlots) || this.targetSlots < 1 || this.targetSlots > 10_000) {
      throw new SimError('BAD_ARGUMENT', 'slots must be an integer in [1, 10000]', {
        slots: this.targetSlots,
      });
    }
    this.maxEvents = options.maxEvents ?? 5_000_000;
    this.plan = scenario.plan(rng.fork('plan'), this.targetSlots, { networkFile: options.networkFile });
    this.params = { ...DEFAULT_NODE_PARAMS, ...this.plan.params };
    this.network = new VirtualNetwork(this.clock, rng.fork('network'));
    this.network.setConditions(this.plan.links);
    this.network.onDeliver = (atMs, from, to, m) => this.traceDelivery(atMs, from, to, m);

    const topology = this.plan.topology;
    const everyone = [...topology.nodes, ...topology.absent];
    const quorumSetsByHash = new Map<string, QuorumSet>();
    for (const q of topology.quorumSets.values()) {
      quorumSetsByHash.set(toHex(sha256Parts([encodeQuorumSet(q)])), q);
    }
    this.world = {
      clock: this.clock,
      network: this.network,
      params: this.params,
      runSeed: seed,
      knownNodes: new Set(everyone),
      secrets: new Map(everyone.map((id) => [id, nodeSecret(seed, id)])),
      quorumSetsByHash,
      recorder: {
        externalized: (node, slot, value) => this.onExternalized(node, slot, value),
        proposed: (_node, _slot, value) => this.proposed.add(toHex(value)),
        exception: (e) => this.exceptions.push(e),
        contradiction: (c) => this.contradictions.push(c),
      },
      scpMs: 0,
    };
    this.honest = topology.nodes.filter((id) => (this.plan.roles.get(id) ?? 'honest') === 'honest');
    this.honestSet = new Set(this.honest);
    this.lastPlannedFaultMs = this.plan.faults.reduce((m, f) => Math.max(m, f.atMs), 0);
    const nodeRng = rng.fork('nodes');
    for (const id of topology.nodes) {
      const node = new SimNode(
        id,
        topology.quorumSets.get(id)!,
        this.plan.roles.get(id) ?? 'honest',
        this.world,
        nodeRng,
      );
      this.nodes.push(node);
    }
    const startRng = rng.fork('start');
    for (const node of this.nodes) node.start(startRng.int(0, 200));
    for (const f of this.plan.faults) {
      this.pendingFaults++;
      this.clock.scheduleAt(f.atMs, () => {
        this.pendingFaults--;
        this.apply(f.action);
      });
    }
    if (this.plan.halt) this.haltState = 'pending';
  }

  node(id: NodeId): SimNode {
    const n = this.nodes.find((x) => x.id === id);
    if (!n) throw new SimError('UNKNOWN_NODE', `no node '${id}' in this run`, { id });
    return n;
  }

  /** True when every fault has played out and every honest node has closed the target slot. */
  isDone(): boolean {
    if (this.pendingFaults > 0 || this.haltState === 'pending' || this.haltState === 'active') return false;
    return this.finished.size === this.honest.length;
  }

  private livenessBound(): number {
    return livenessBoundMs(
      this.targetSlots,
      this.params,
      this.honest.length < this.plan.topology.nodes.length,
    );
  }

  /** The latest virtual time the run may take: liveness bound after the last (possible) fault. */
  deadlineMs(): number {
    const haltSlack =
      this.haltState === 'pending' || this.haltState === 'active' ? (this.plan.halt?.durationMs ?? 0) : 0;
    const base = Math.max(this.healedAtMs, this.lastPlannedFaultMs) + haltSlack;
    const pendingHalt = this.haltState === 'pending' ? this.livenessBound() : 0;
    return base + pendingHalt + this.livenessBound();
  }

  /** Fires events up to virtual time `untilMs` (or until done). Returns false once the run is over. */
  advanceTo(untilMs: number): boolean {
    for (;;) {
      if (this.isDone()) return false;
      if (this.clock.firedCount() >= this.maxEvents) {
        this.exceptions.push({
          atMs: this.clock.now(),
          node: '*',
          where: 'runner',
          message: `event limit ${this.maxEvents} reached`,
        });
        return false;
      }
      const next = this.clock.peekTime();
      const deadline = this.deadlineMs();
      if (next === null || next > deadline) return false;
      if (next > untilMs) return true;
      this.clock.step();
    }
  }

  run(): RunResult {
    while (this.advanceTo(Number.POSITIVE_INFINITY)) {
      /* advanceTo returns false when the run is over */
    }
    return this.result();
  }

  record(): RunRecord {
    const byzantine: Record<NodeId, string> = {};
    for (const [id, role] of this.plan.roles) if (role !== 'honest') byzantine[id] = role;
    const stats: Record<string, number> = { ...this.network.stats };
    for (const n of this.nodes) {
      for (const [k, v] of Object.entries(n.stats)) stats[`node.${k}`] = (stats[`node.${k}`] ?? 0) + v;
    }
    return {
      scenario: this.scenario.name,
      seed: this.seed,
      topology: this.plan.topology.name,
      targetSlots: this.targetSlots,
      nodes: this.plan.topology.nodes,
      honest: this.honest,
      byzantine,
      absent: this.plan.topology.absent,
      externalizations: this.externalizations,
      proposed: [...this.proposed].sort(),
      faults: this.faults,
      healedAtMs: this.healedAtMs,
      livenessBoundMs: this.livenessBound(),
      halt: this.halt,
      probes: this.probes,
      exceptions: this.exceptions,
      contradictions: this.contradictions,
      endMs: this.clock.now(),
      stats,
      traceHash: this.trace.copy().digest('hex'),
    };
  }

  result(): RunResult {
    const record = this.record();
    const violations = runCheckers(record, this.plan.checkers);
    const fork = this.scenario.expect === 'fork';
    return {
      scenario: this.scenario.name,
      seed: this.seed,
      record,
      violations,
      unexpected: fork ? violations.filter((v) => v.checker !== 'agreement') : violations,
      forked: violations.some((v) => v.checker === 'agreement'),
      historyHash: historyHash(record),
      events: this.clock.firedCount(),
      scpMs: this.world.scpMs,
    };
  }

  // --- internals ---------------------------------------------------------------------------------

  private onExternalized(node: NodeId, slot: SlotIndex, value: Value): void {
    const e: Externalization = { atMs: this.clock.now(), node, slot, value: toHex(value) };
    this.externalizations.push(e);
    if (slot === this.targetSlots && this.honestSet.has(node)) this.finished.add(node);
    this.options.onExternalize?.(e, this);
    if (this.haltState === 'pending') this.maybeStartHalt();
  }

  private maybeStartHalt(): void {
    const h = this.plan.halt!;
    const live = this.nodes.filter((n) => n.isUp() && this.honestSet.has(n.id));
    if (!live.every((n) => n.ledger.has(h.afterSlot))) return;
    this.haltState = 'active';
    // Outside the SCP call that reported the externalization: SCP is not re-entrant.
    this.clock.schedule(0, () => {
      const fromMs = this.clock.now();
      this.apply({ kind: 'crash', nodes: h.down });
      this.halt = { fromMs, toMs: fromMs + h.durationMs, lastSlotBefore: h.afterSlot, down: [...h.down] };
      this.clock.schedule(h.probeAfterMs, () => {
        for (const n of this.nodes) {
          if (!n.isUp() || !this.honestSet.has(n.id)) continue;
          const p = n.probe(n.currentSlot);
          if (p) this.probes.push(p);
        }
      });
      this.clock.schedule(h.durationMs, () => {
        this.apply({ kind: 'restore', nodes: h.down });
        this.haltState = 'over';
      });
    });
  }

  private apply(action: FaultAction): void {
    const atMs = this.clock.now();
    switch (action.kind) {
      case 'crash':
        for (const id of action.nodes) this.node(id).crash();
        this.faults.push({ atMs, kind: 'crash', nodes: [...action.nodes] });
        break;
      case 'restore':
        for (const id of action.nodes) this.node(id).restore();
        this.faults.push({ atMs, kind: 'restore', nodes: [...action.nodes] });
        break;
      case 'partition':
        this.network.partition(action.groups);
        this.faults.push({ atMs, kind: 'partition', groups: action.groups.map((g) => [...g]) });
        break;
      case 'heal':
        this.network.healPartitions();
        this.faults.push({ atMs, kind: 'heal' });
        break;
      case 'links':
        this.network.setConditions(action.conditions);
        this.faults.push({ atMs, kind: 'links', conditions: { ...action.conditions } });
        break;
    }
    this.healedAtMs = atMs;
  }

  private traceDelivery(atMs: number, from: NodeId, to: NodeId, m: SimMessage): void {
    let digest: string;
    if (m.kind === 'state-request') digest = `req:${m.fromSlot}`;
    else {
      const sig = (m.envelope as { signature?: unknown })?.signature;
      digest = sig instanceof Uint8Array ? toHex(sig) : 'junk';
    }
    this.trace.update(`${atMs}|${from}|${to}|${digest}\n`);
  }
}

/** Runs one seed of one scenario to completion and checks it. */
export function runSeed(scenarioName: string, seed: number, options: RunOptions = {}): RunResult {
  return new Simulation(getScenario(scenarioName), seed, options).run();
}

/** Writes the failing run's full history to `<dir>/<scenario>-<seed>.json` and returns the path. */
export function writeFailure(result: RunResult, dir = 'sim-failures', options: RunOptions = {}): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${result.scenario}-${result.seed}.json`);
  const replay = replayCommand(result.scenario, result.seed, options);
  writeFileSync(
    path,
    `${canonicalJson({ replay, historyHash: result.historyHash, violations: result.violations, record: result.record })}\n`,
  );
  return path;
}

export function replayCommand(scenario: string, seed: number, options: RunOptions = {}): string {
  const slots = options.slots !== undefined ? ` --slots ${options.slots}` : '';
  const network = options.networkFile !== undefined ? ` --network ${options.networkFile}` : '';
  return `npm run sim -- --scenario ${scenario} --seed ${seed}${slots}${network}`;
}
