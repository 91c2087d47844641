import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  type Driver,
  type Envelope,
  EnvelopeState,
  type Hash,
  type NodeId,
  type Pledges,
  type QuorumSet,
  SCP,
  type SlotIndex,
  type TimerId,
  ValidationLevel,
  type Value,
} from '@qm/scp';
import type { TimerHandle, VirtualClock } from './clock.js';
import { isWellFormedEnvelope, macEquals, macStatement } from './codec.js';
import type { NodeException, StuckProbe } from './history.js';
import type { SimMessage, VirtualNetwork } from './network.js';
import { fnv1a32, type Prng } from './prng.js';
import { combineMax, compareBytes, encodeValue, isValidValue, toHex } from './values.js';

/** How a node behaves. Everything but 'honest' is Byzantine. */
export type NodeRole = 'honest' | 'equivocate' | 'replay' | 'garbage';

/** Timing and retention knobs shared by all nodes of a run. */
export interface NodeParams {
  /** Pause between externalizing slot n and nominating n+1 (the ledger close target). */
  readonly closeDelayMs: number;
  /** A node that has not externalized for this long asks its peers to resend their state. */
  readonly resyncIntervalMs: number;
  /** Envelopes for slots further ahead than this are ignored (stellar-core's validity bracket). */
  readonly maxSlotsAhead: number;
  /** Slots kept in SCP (and persisted) behind the current one; peers catch up from these. */
  readonly retainSlots: number;
  /** Cap on slots answered per state request. */
  readonly maxSlotsPerStateReply: number;
  /** Interval between Byzantine actions (replays, garbage). */
  readonly byzantineIntervalMs: number;
}

export const DEFAULT_NODE_PARAMS: NodeParams = {
  closeDelayMs: 1000,
  resyncIntervalMs: 2500,
  maxSlotsAhead: 8,
  retainSlots: 32,
  maxSlotsPerStateReply: 12,
  byzantineIntervalMs: 150,
};

/** prevValue for slot 1. */
export const GENESIS_VALUE: Value = new TextEncoder().encode('qm1|genesis');

/** What every node of a run shares: the clock, the network, key material and the run's recorder. */
export interface SimWorld {
  readonly clock: VirtualClock;
  readonly network: VirtualNetwork;
  readonly params: NodeParams;
  readonly runSeed: number;
  readonly knownNodes: ReadonlySet<NodeId>;
  readonly secrets: ReadonlyMap<NodeId, string>;
  /** Every quorum set in the topology, by hex hash (stands in for the overlay's qset fetching). */
  readonly quorumSetsByHash: Map<string, QuorumSet>;
  readonly recorder: SimRecorder;
  /** Milliseconds spent inside SCP calls (receive, nominate, timers), summed over nodes. */
  scpMs: number;
}

/** A statement an honest node emitted that goes back on one it emitted earlier for the same slot. */
export interface Contradiction {
  readonly atMs: number;
  readonly node: NodeId;
  readonly slot: SlotIndex;
  readonly message: string;
}

export interface SimRecorder {
  contradiction(c: Contradiction): void;
  externalized(node: NodeId, slot: SlotIndex, value: Value): void;
  proposed(node: NodeId, slot: SlotIndex, value: Value): void;
  exception(e: NodeException): void;
}

export interface NodeStats {
  received: number;
  rejectedShape: number;
  rejectedSignature: number;
  ignoredSlotRange: number;
  scpInvalid: number;
  emitted: number;
  persisted: number;
  restarts: number;
}

/** What an honest node has signed so far for a slot, to catch it going back on its word. */
interface SignedSoFar {
  votes: Set<string>;
  accepted: Set<string>;
  /** Ballot phase rank (prepare 1, confirm 2, externalize 3) and counter of the latest ballot statement. */
  phase: number;
  counter: number;
  committedValue: string | null;
}

const PHASE_RANK = { nominate: 0, prepare: 1, confirm: 2, externalize: 3 } as const;

interface PersistedSlot {
  nomination?: Envelope;
  ballot?: Envelope;
}

export function sha256Parts(parts: readonly Uint8Array[]): Hash {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

/**
 * One simulated validator: an SCP instance plus the driver that connects it to the virtual clock and
 * network. The ledger (externalized values) and the persisted envelopes survive a crash; the SCP
 * instance, its timers and its in-flight messages do not.
 */
export class SimNode {
  private scp: SCP | null = null;
  /** Incremented on every crash, so late callbacks of a dead instance do nothing. */
  private epoch = 0;
  private readonly timers = new Map<string, TimerHandle>();
  private nominateHandle: TimerHandle | null = null;
  private loopHandle: TimerHandle | null = null;
  private readonly persisted = new Map<SlotIndex, PersistedSlot>();
  /** Survives crashes, like the signed messages the rest of the network has already seen. */
  private readonly signed = new Map<SlotIndex, SignedSoFar>();
  /** Externalized values by slot: the node's closed ledgers. Survives crashes. */
  readonly ledger = new Map<SlotIndex, Value>();
  /** The slot this node is working on (one past its latest closed ledger). */
  currentSlot: SlotIndex = 1;
  private lastProgressMs = 0;
  /** When a message (of any kind) last arrived from each peer: the overlay's view of who is alive. */
  private readonly lastHeardMs = new Map<NodeId, number>();
  private lastByzantineMs = 0;
  private callDepth = 0;
  private readonly byzRng: Prng;
  /** Recently seen envelopes, replayed by a 'replay' node. */
  private readonly replayLog: Envelope[] = [];
  readonly stats: NodeStats = {
    received: 0,
    rejectedShape: 0,
    rejectedSignature: 0,
    ignoredSlotRange: 0,
    scpInvalid: 0,
    emitted: 0,
    persisted: 0,
    restarts: 0,
  };

  constructor(
    readonly id: NodeId,
    readonly quorumSet: QuorumSet,
    readonly role: NodeRole,
    private readonly world: SimWorld,
    rng: Prng,
  ) {
    this.byzRng = rng.fork(`byzantine/${id}`);
    world.network.register(id, { isUp: () => this.isUp(), deliver: (from, m) => this.deliver(from, m) });
  }

  isUp(): boolean {
    return this.scp !== null;
  }

  /** The live SCP instance (null while crashed); for probes and status output. */
  get instance(): SCP | null {
    return this.scp;
  }

  /** Boots the node: a fresh SCP instance, nomination of slot 1 after `startDelayMs`. */
  start(startDelayMs: number): void {
    this.scp = this.newScp();
    this.lastProgressMs = this.world.clock.now();
    this.scheduleNomination(this.currentSlot, startDelayMs);
    this.scheduleLoop();
  }

  /** Stops the process: SCP state, timers and queued work are gone; ledger and persisted envelopes stay. */
  crash(): void {
    if (!this.scp) return;
    this.epoch++;
    for (const h of this.timers.values()) this.world.clock.cancel(h);
    this.timers.clear();
    this.world.clock.cancel(this.nominateHandle);
    this.world.clock.cancel(this.loopHandle);
    this.nominateHandle = null;
    this.loopHandle = null;
    this.scp = null;
  }

  /**
   * Restarts after a crash: a new SCP instance restores every retained slot from the envelopes this node
   * persisted (setStateFromEnvelope, before any new message), then asks its peers to resend their state,
   * as stellar-core does when it reconnects.
   */
  restore(): void {
    if (this.scp) return;
    this.stats.restarts++;
    const scp = this.newScp();
    this.scp = scp;
    const slots = [...this.persisted.keys()].sort((a, b) => a - b);
    for (const slot of slots) {
      const p = this.persisted.get(slot)!;
      for (const env of [p.nomination, p.ballot]) {
        if (env) this.call('restore', () => scp.setStateFromEnvelope(slot, structuredClone(env)));
      }
    }
    this.lastProgressMs = this.world.clock.now();
    this.scheduleNomination(this.currentSlot, this.world.params.closeDelayMs);
    this.scheduleLoop();
    this.requestState();
  }

  /** What this node reports about a slot it is stuck on (for the halting checker and the demo). */
  probe(slot: SlotIndex): StuckProbe | null {
    const scp = this.scp;
    if (!scp) return null;
    let missing: NodeId[] = [];
    let quorumInfo: unknown = null;
    this.call('probe', () => {
      // SCP knows who is silent in this slot; a live peer that is no round leader may be silent too,
      // so only peers the overlay has not heard from lately (resync requests, relays) count as missing.
      const staleBeforeMs = this.world.clock.now() - 2 * this.world.params.resyncIntervalMs;
      missing = scp
        .getMissingNodes(slot)
        .filter((n) => (this.lastHeardMs.get(n) ?? Number.NEGATIVE_INFINITY) < staleBeforeMs)
        .sort();
      quorumInfo = JSON.parse(JSON.stringify(scp.getJsonQuorumInfo(slot)));
    });
    return {
      atMs: this.world.clock.now(),
      node: this.id,
      slot,
      externalized: this.ledger.has(slot),
      missing,
      quorumInfo,
    };
  }

  // --- message handling ------------------------------------------------------------------------

  private deliver(from: NodeId, message: SimMessage): void {
    this.lastHeardMs.set(from, this.world.clock.now());
    if (message.kind === 'state-request') {
      this.answerStateRequest(from, message.fromSlot);
      return;
    }
    this.receive(message.envelope);
  }

  /** Decode and authenticate as a node would, then hand the envelope to SCP. */
  private receive(envelope: unknown): void {
    const scp = this.scp;
    if (!scp) return;
    this.stats.received++;
    if (!isWellFormedEnvelope(envelope)) {
      this.stats.rejectedShape++;
      return;
    }
    const secret = this.world.secrets.get(envelope.statement.nodeId);
    if (!secret || !macEquals(envelope.signature, macStatement(secret, envelope.statement))) {
      this.stats.rejectedSignature++;
      return;
    }
    const slot = envelope.statement.slotIndex;
    const p = this.world.params;
    if (slot < 1 || slot < this.currentSlot - p.retainSlots || slot > this.currentSlot + p.maxSlotsAhead) {
      this.stats.ignoredSlotRange++;
      return;
    }
    if (this.role === 'replay') this.remember(envelope);
    this.call('receiveEnvelope', () => {
      if (scp.receiveEnvelope(envelope) !== EnvelopeState.Valid) this.stats.scpInvalid++;
    });
  }

  private answerStateRequest(to: NodeId, fromSlot: SlotIndex): void {
    const scp = this.scp;
    if (!scp || this.role === 'garbage') return;
    let slots: SlotIndex[] = [];
    this.call('getKnownSlots', () => {
      slots = scp
        .getKnownSlots()
        .filter((s) => s >= fromSlot)
        .sort((a, b) => a - b)
        .slice(0, this.world.params.maxSlotsPerStateReply);
    });
    for (const slot of slots) {
      let envelopes: Envelope[] = [];
      this.call('getState', () => {
        envelopes = scp.isSlotExternalized(slot)
          ? scp.getExternalizingState(slot)
          : scp.getCurrentState(slot);
      });
      for (const envelope of envelopes) this.world.network.send(this.id, to, { kind: 'scp', envelope });
    }
  }

  private requestState(): void {
    this.world.network.broadcast(this.id, { kind: 'state-request', fromSlot: this.lowestOpenSlot() });
  }

  /** The lowest slot (>= 1) not yet externalized here. */
  private lowestOpenSlot(): SlotIndex {
    let s = Math.max(1, this.currentSlot - this.world.params.retainSlots);
    while (this.ledger.has(s)) s++;
    return s;
  }

  // --- slots -------------------------------------------------------------------------------------

  private scheduleNomination(slot: SlotIndex, delayMs: number): void {
    this.world.clock.cancel(this.nominateHandle);
    const epoch = this.epoch;
    this.nominateHandle = this.world.clock.schedule(delayMs, () => {
      this.nominateHandle = null;
      if (epoch === this.epoch) this.nominate(slot);
    });
  }

  private nominate(slot: SlotIndex): void {
    const scp = this.scp;
    if (!scp || this.ledger.has(slot) || this.role === 'garbage') return;
    const prev = slot === 1 ? GENESIS_VALUE : this.ledger.get(slot - 1);
    if (!prev) return;
    const value = this.proposalFor(slot);
    this.world.recorder.proposed(this.id, slot, value);
    this.call('nominate', () => scp.nominate(slot, value, prev));
  }

  /** The value this node proposes for a slot: a pure function of (run seed, node, slot). */
  private proposalFor(slot: SlotIndex): Value {
    return encodeValue(slot, this.id, fnv1a32(`${this.world.runSeed}/${this.id}/${slot}`));
  }

  private onExternalized(slot: SlotIndex, value: Value): void {
    const prev = this.ledger.get(slot);
    if (prev && compareBytes(prev, value) === 0) return; // e.g. re-announced after a restore
    this.ledger.set(slot, value);
    this.world.recorder.externalized(this.id, slot, value);
    this.lastProgressMs = this.world.clock.now();
    if (slot >= this.currentSlot) {
      this.currentSlot = slot + 1;
      this.scheduleNomination(this.currentSlot, this.world.params.closeDelayMs);
      this.prune();
    }
  }

  /** Forgets slots far behind (after the current SCP call returns: SCP is not re-entrant). */
  private prune(): void {
    const below = this.currentSlot - this.world.params.retainSlots;
    if (below <= 1) return;
    for (const s of this.persisted.keys()) if (s < below) this.persisted.delete(s);
    for (const s of this.signed.keys()) if (s < below) this.signed.delete(s);
    const epoch = this.epoch;
    this.world.clock.schedule(0, () => {
      const scp = this.scp;
      if (scp && epoch === this.epoch) this.call('purgeSlots', () => scp.purgeSlots(below));
    });
  }

  /** The node's housekeeping tick: resync when stuck; Byzantine mischief. */
  private scheduleLoop(): void {
    const p = this.world.params;
    const interval =
      this.role === 'honest' ? p.resyncIntervalMs : Math.min(p.resyncIntervalMs, p.byzantineIntervalMs);
    const epoch = this.epoch;
    this.loopHandle = this.world.clock.schedule(interval, () => {
      if (epoch !== this.epoch) return;
      const now = this.world.clock.now();
      // Stuck, or progressing with a gap behind (slots closed by others while we were cut off).
      const stuck = now - this.lastProgressMs >= p.resyncIntervalMs;
      if (stuck || this.lowestOpenSlot() < this.currentSlot) {
        this.lastProgressMs = now;
        this.requestState();
      }
      if (this.role !== 'honest' && now - this.lastByzantineMs >= p.byzantineIntervalMs) {
        this.lastByzantineMs = now;
        this.misbehave();
      }
      this.scheduleLoop();
    });
  }

  // --- the driver ----------------------------------------------------------------------------------

  private newScp(): SCP {
    const epoch = this.epoch;
    const world = this.world;
    const live = (): boolean => epoch === this.epoch && this.scp !== null;
    const driver: Driver = {
      signEnvelope: (envelope) => {
        envelope.signature = macStatement(world.secrets.get(this.id)!, envelope.statement);
      },
      emitEnvelope: (envelope) => {
        if (!live()) return;
        this.stats.emitted++;
        this.checkConsistent(envelope);
        this.emit(envelope);
      },
      persistEnvelope: (envelope) => {
        if (epoch !== this.epoch) return;
        this.stats.persisted++;
        const slot = envelope.statement.slotIndex;
        const entry = this.persisted.get(slot) ?? {};
        if (envelope.statement.pledges.type === 'nominate') entry.nomination = structuredClone(envelope);
        else entry.ballot = structuredClone(envelope);
        this.persisted.set(slot, entry);
      },
      getQSet: (hash) => world.quorumSetsByHash.get(toHex(hash)) ?? null,
      getHashOf: sha256Parts,
      validateValue: (slot, value) =>
        isValidValue(slot, value, world.knownNodes) ? ValidationLevel.FullyValid : ValidationLevel.Invalid,
      extractValidValue: (slot, value) => (isValidValue(slot, value, world.knownNodes) ? value : null),
      combineCandidates: (_slot, candidates) => combineMax(candidates),
      getValueString: (value) => new TextDecoder().decode(value),
      setupTimer: (slot, timerId, timeoutMs, cb) => this.setupTimer(epoch, slot, timerId, timeoutMs, cb),
      stopTimer: (slot, timerId) => {
        const key = `${slot}/${timerId}`;
        world.clock.cancel(this.timers.get(key));
        this.timers.delete(key);
      },
      valueExternalized: (slot, value) => {
        if (live()) this.onExternalized(slot, value);
      },
    };
    return new SCP(driver, this.id, true, this.quorumSet);
  }

  private setupTimer(
    epoch: number,
    slot: SlotIndex,
    timerId: TimerId,
    timeoutMs: number,
    cb: (() => void) | null,
  ): void {
    if (epoch !== this.epoch) return;
    const key = `${slot}/${timerId}`;
    this.world.clock.cancel(this.timers.get(key));
    this.timers.delete(key);
    if (cb === null) return;
    const handle = this.world.clock.schedule(Math.max(0, timeoutMs), () => {
      if (this.timers.get(key) !== handle || epoch !== this.epoch) return;
      this.timers.delete(key);
      this.call(`timer/${timerId}`, cb);
    });
    this.timers.set(key, handle);
  }

  /**
   * SCP statements only move forward (draft-mazieres-dinrg-scp-05 section 3: nomination votes and
   * accepted sets only grow; a node's ballot statements never regress in phase or counter; once it
   * confirms or externalizes a commit its value is fixed). A violation, typically after a restart that
   * lost state, means the node contradicted something it had signed.
   */
  private checkConsistent(envelope: Envelope): void {
    const slot = envelope.statement.slotIndex;
    const p = envelope.statement.pledges;
    const so = this.signed.get(slot) ?? {
      votes: new Set(),
      accepted: new Set(),
      phase: 0,
      counter: 0,
      committedValue: null,
    };
    this.signed.set(slot, so);
    const problems: string[] = [];
    if (p.type === 'nominate') {
      const votes = new Set(p.votes.map(toHex));
      const accepted = new Set(p.accepted.map(toHex));
      if ([...so.votes].some((v) => !votes.has(v))) problems.push('dropped a nomination vote it had signed');
      if ([...so.accepted].some((v) => !accepted.has(v)))
        problems.push('dropped an accepted nomination it had signed');
      so.votes = votes;
      so.accepted = accepted;
    } else {
      const rank = PHASE_RANK[p.type];
      const ballot = p.type === 'externalize' ? p.commit : p.ballot;
      if (rank < so.phase) problems.push(`went back from phase ${so.phase} to ${p.type}`);
      else if (rank === so.phase && rank !== PHASE_RANK.externalize && ballot.counter < so.counter) {
        problems.push(`lowered its ballot counter from ${so.counter} to ${ballot.counter}`);
      }
      if (rank >= PHASE_RANK.confirm) {
        const v = toHex(ballot.value);
        if (so.committedValue !== null && so.committedValue !== v)
          problems.push('confirmed a different value');
        so.committedValue = v;
      }
      so.phase = Math.max(so.phase, rank);
      so.counter = rank === so.phase ? ballot.counter : so.counter;
    }
    for (const message of problems) {
      this.world.recorder.contradiction({ atMs: this.world.clock.now(), node: this.id, slot, message });
    }
  }

  /** Runs an SCP call: accounts its time and turns an exception into a recorded failure, not a crash. */
  private call(where: string, fn: () => void): void {
    const outer = this.callDepth === 0;
    const started = outer ? performance.now() : 0;
    this.callDepth++;
    try {
      fn();
    } catch (err) {
      this.world.recorder.exception({
        atMs: this.world.clock.now(),
        node: this.id,
        where,
        message: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err),
      });
    } finally {
      this.callDepth--;
      if (outer) this.world.scpMs += performance.now() - started;
    }
  }

  // --- honest and Byzantine emission ---------------------------------------------------------------

  private emit(envelope: Envelope): void {
    const network = this.world.network;
    switch (this.role) {
      case 'honest':
        network.broadcast(this.id, { kind: 'scp', envelope });
        return;
      case 'replay':
        this.remember(envelope);
        network.broadcast(this.id, { kind: 'scp', envelope });
        return;
      case 'equivocate':
        this.equivocate(envelope);
        return;
      case 'garbage':
        return; // takes no honest part; see misbehave()
    }
  }

  /**
   * Sends its real statement to one half of the peers and a contradictory one, properly signed with its
   * own key, to the other half. The split is redrawn per statement.
   */
  private equivocate(envelope: Envelope): void {
    const slot = envelope.statement.slotIndex;
    const alt = encodeValue(slot, this.id, fnv1a32(`${this.world.runSeed}/${this.id}/${slot}/alt`));
    this.world.recorder.proposed(this.id, slot, alt);
    const forged: Envelope = {
      statement: { ...envelope.statement, pledges: withValue(envelope.statement.pledges, alt) },
      signature: new Uint8Array(32),
    };
    forged.signature = macStatement(this.world.secrets.get(this.id)!, forged.statement);
    for (const peer of this.world.network.nodes()) {
      if (peer === this.id) continue;
      const lie = this.byzRng.chance(0.5);
      this.world.network.send(this.id, peer, { kind: 'scp', envelope: lie ? forged : envelope });
    }
  }

  private remember(envelope: Envelope): void {
    const log = this.replayLog;
    if (log.length >= 256) log.splice(this.byzRng.int(0, log.length - 1), 1);
    log.push(structuredClone(envelope));
  }

  private misbehave(): void {
    const peers = this.world.network.nodes().filter((n) => n !== this.id);
    if (peers.length === 0) return;
    if (this.role === 'replay') {
      // Old statements (other nodes' too: their signatures are genuine) to random peers.
      for (let i = 0; i < 3 && this.replayLog.length > 0; i++) {
        const envelope = this.byzRng.pick(this.replayLog);
        this.world.network.send(this.id, this.byzRng.pick(peers), { kind: 'scp', envelope });
      }
    } else if (this.role === 'garbage') {
      const junk = makeGarbage(this.byzRng, this.id, this.currentGarbageSlot(), this.world);
      for (const m of junk) this.world.network.send(this.id, this.byzRng.pick(peers), m);
    }
  }

  private currentGarbageSlot(): SlotIndex {
    return Math.max(1, Math.floor(this.world.clock.now() / this.world.params.closeDelayMs));
  }
}

/** The same statement with every value replaced by `alt` (what an equivocating node tells half its peers). */
export function withValue(p: Pledges, alt: Value): Pledges {
  switch (p.type) {
    case 'nominate':
      return { ...p, votes: [alt], accepted: p.accepted.length > 0 ? [alt] : [] };
    case 'prepare':
      return {
        ...p,
        ballot: { counter: p.ballot.counter, value: alt },
        prepared: p.prepared ? { counter: p.prepared.counter, value: alt } : null,
        preparedPrime: null,
      };
    case 'confirm':
      return { ...p, ballot: { counter: p.ballot.counter, value: alt } };
    case 'externalize':
      return { ...p, commit: { counter: p.commit.counter, value: alt } };
  }
}

/**
 * A few messages of junk: undecodable objects, forgeries under other nodes' names, and statements the
 * Byzantine node signs itself that are well-typed but insane (SCP must reject them without harm).
 */
export function makeGarbage(rng: Prng, self: NodeId, slot: SlotIndex, world: SimWorld): SimMessage[] {
  const secret = world.secrets.get(self)!;
  const randomBytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => rng.int(0, 255));
  const someHash = (): Uint8Array => {
    const known = [...world.quorumSetsByHash.keys()];
    return rng.chance(0.5) && known.length > 0
      ? Uint8Array.from(Buffer.from(rng.pick(known), 'hex'))
      : randomBytes(32);
  };
  const badValue = (): Uint8Array =>
    rng.chance(0.5)
      ? randomBytes(rng.int(0, 40))
      : encodeValue(slot + rng.int(1, 3), 'nobody', rng.nextU32());
  const signed = (pledges: Pledges, s: SlotIndex = slot): SimMessage => {
    const statement = { nodeId: self, slotIndex: s, pledges };
    return { kind: 'scp', envelope: { statement, signature: macStatement(secret, statement) } };
  };
  const out: SimMessage[] = [];
  switch (rng.int(0, 7)) {
    case 0: // not an envelope at all
      out.push({
        kind: 'scp',
        envelope: { statement: { nodeId: 7 }, signature: 'x' } as unknown as Envelope,
      });
      break;
    case 1: // forged: someone else's name, a random tag
      out.push({
        kind: 'scp',
        envelope: {
          statement: {
            nodeId: rng.pick([...world.knownNodes]),
            slotIndex: slot,
            pledges: { type: 'nominate', quorumSetHash: someHash(), votes: [badValue()], accepted: [] },
          },
          signature: randomBytes(32),
        },
      });
      break;
    case 2: // unsorted, duplicated, invalid votes
      out.push(
        signed({
          type: 'nominate',
          quorumSetHash: someHash(),
          votes: [badValue(), badValue(), badValue()],
          accepted: [badValue()],
        }),
      );
      break;
    case 3: // prepare with prepared above the ballot and nC > nH
      out.push(
        signed({
          type: 'prepare',
          quorumSetHash: someHash(),
          ballot: { counter: rng.int(0, 3), value: badValue() },
          prepared: { counter: rng.int(4, 9), value: badValue() },
          preparedPrime: { counter: rng.int(4, 9), value: badValue() },
          nC: rng.int(5, 9),
          nH: rng.int(0, 4),
        }),
      );
      break;
    case 4: // confirm with an impossible commit range
      out.push(
        signed({
          type: 'confirm',
          quorumSetHash: someHash(),
          ballot: { counter: rng.int(0, 2), value: badValue() },
          nPrepared: rng.int(0, 2 ** 31),
          nCommit: rng.int(5, 9),
          nH: rng.int(0, 4),
        }),
      );
      break;
    case 5: // externalize of a junk value at counter 0
      out.push(
        signed({
          type: 'externalize',
          commit: { counter: 0, value: badValue() },
          nH: rng.int(0, 3),
          commitQuorumSetHash: someHash(),
        }),
      );
      break;
    case 6: // slot 0 and a slot far in the future
      out.push(
        signed({ type: 'nominate', quorumSetHash: someHash(), votes: [], accepted: [] }, 0),
        signed(
          { type: 'nominate', quorumSetHash: someHash(), votes: [badValue()], accepted: [] },
          slot + rng.int(1, 1000),
        ),
      );
      break;
    default: // a request for state from slot 0, and one for a slot far away
      out.push({ kind: 'state-request', fromSlot: 0 }, { kind: 'state-request', fromSlot: 2 ** 40 });
  }
  return out;
}
