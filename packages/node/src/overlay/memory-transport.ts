import { OverlayError } from './errors.js';
import { decodeFrame, type Frame, frameSize, MAX_FRAME_BYTES } from './frame.js';
import { DEFAULT_QUEUE_LIMITS, OutboundQueue, type QueueLimits } from './outbound-queue.js';
import { PeerLedger } from './peer-ledger.js';
import {
  DEFAULT_BAN_MS,
  type OverlayClock,
  type OverlayLogger,
  type OverlayStats,
  silentLogger,
  systemClock,
  type Transport,
} from './transport.js';

/**
 * One frame on its way across a memory link. The scheduler must eventually call exactly one of
 * deliver() or drop(): the link counts the frame as in flight until then.
 */
export interface PendingDelivery {
  readonly from: string;
  readonly to: string;
  readonly frame: Frame;
  deliver(): void;
  drop(): void;
}

/** Decides when (and whether) a frame arrives; a simulator schedules deliver() on its virtual clock. */
export type DeliveryScheduler = (delivery: PendingDelivery) => void;

/** Delivers on the next turn of the event loop, like a very fast network (never synchronously). */
export const immediateScheduler: DeliveryScheduler = (d) => {
  setImmediate(() => d.deliver());
};

export interface MemoryHubOptions {
  readonly clock?: OverlayClock;
  readonly scheduler?: DeliveryScheduler;
  /**
   * Frames a directed link hands to the scheduler before further frames wait in the sender's bounded
   * queue: a stand-in for a socket's send buffer, so queues and drop policies behave as on TCP.
   */
  readonly maxInFlightPerLink?: number;
  readonly maxFrameBytes?: number;
  readonly queueLimits?: QueueLimits;
  readonly logger?: OverlayLogger;
}

export interface MemoryTransportOptions {
  /** Peers this node accepts links with (the permissioned configuration); default: every hub member. */
  readonly allowedPeers?: readonly string[];
}

interface Link {
  readonly queue: OutboundQueue;
  inFlight: number;
  /** Bumped when the link goes down, so deliveries scheduled before it are discarded. */
  generation: number;
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

/**
 * An in-process network of MemoryTransports for tests and the simulator. Two transports are linked when
 * both are started, each allows the other, the link is not cut, and neither has banned the other.
 */
export class MemoryHub {
  readonly clock: OverlayClock;
  readonly scheduler: DeliveryScheduler;
  readonly maxInFlightPerLink: number;
  readonly maxFrameBytes: number;
  readonly queueLimits: QueueLimits;
  readonly logger: OverlayLogger;
  private readonly members = new Map<string, MemoryTransport>();
  private readonly cutPairs = new Set<string>();

  constructor(options: MemoryHubOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.scheduler = options.scheduler ?? immediateScheduler;
    this.maxInFlightPerLink = options.maxInFlightPerLink ?? 64;
    this.maxFrameBytes = options.maxFrameBytes ?? MAX_FRAME_BYTES;
    this.queueLimits = options.queueLimits ?? DEFAULT_QUEUE_LIMITS;
    this.logger = options.logger ?? silentLogger;
    if (!(this.maxInFlightPerLink >= 1)) {
      throw new OverlayError('BAD_CONFIG', 'maxInFlightPerLink must be at least 1', {
        maxInFlightPerLink: this.maxInFlightPerLink,
      });
    }
  }

  /** Creates a member; it joins the network when started. */
  transport(nodeId: string, options: MemoryTransportOptions = {}): MemoryTransport {
    if (this.members.has(nodeId)) {
      throw new OverlayError('DUPLICATE_NODE', 'a transport with this node id is already on the hub', {
        nodeId,
      });
    }
    const t = new MemoryTransport(this, nodeId, options);
    this.members.set(nodeId, t);
    return t;
  }

  /** Cuts the link between a and b (both directions); frames in flight on it are lost. */
  cut(a: string, b: string): void {
    this.cutPairs.add(pairKey(a, b));
    this.refresh();
  }

  heal(a: string, b: string): void {
    this.cutPairs.delete(pairKey(a, b));
    this.refresh();
  }

  /** Cuts every link between different groups; links within a group are untouched. */
  partition(groups: readonly (readonly string[])[]): void {
    for (let i = 0; i < groups.length; i++) {
      for (let j = i + 1; j < groups.length; j++) {
        for (const a of groups[i]!) for (const b of groups[j]!) this.cutPairs.add(pairKey(a, b));
      }
    }
    this.refresh();
  }

  healAll(): void {
    this.cutPairs.clear();
    this.refresh();
  }

  isCut(a: string, b: string): boolean {
    return this.cutPairs.has(pairKey(a, b));
  }

  /**
   * Delivers raw wire bytes from `from` to `to` as if a Byzantine peer wrote them on the link, bypassing
   * the sender's checks. The receiver decodes them like any frame (and punishes garbage).
   */
  injectRaw(from: string, to: string, body: Uint8Array): void {
    const target = this.member(to);
    target.receiveRaw(from, body.slice());
  }

  /** @internal */
  member(nodeId: string): MemoryTransport {
    const t = this.members.get(nodeId);
    if (!t) throw new OverlayError('UNKNOWN_NODE', 'no transport with this node id on the hub', { nodeId });
    return t;
  }

  /** @internal Whether a and b should be linked right now. */
  shouldLink(a: MemoryTransport, b: MemoryTransport): boolean {
    return (
      a !== b &&
      a.isRunning() &&
      b.isRunning() &&
      a.allows(b.localNodeId) &&
      b.allows(a.localNodeId) &&
      !this.isCut(a.localNodeId, b.localNodeId) &&
      !a.hasBanned(b.localNodeId) &&
      !b.hasBanned(a.localNodeId)
    );
  }

  /**
   * @internal Brings every link in line with shouldLink, then fires peer-change events for what changed.
   * Both ends change state before any handler runs, so a handler that sends on a new link (even through
   * a synchronous scheduler) finds the other end linked too.
   */
  refresh(): void {
    const all = [...this.members.values()];
    const events: [MemoryTransport, string, boolean][] = [];
    // Downs first, so a handler reacting to an "up" never sees a link that is about to go down.
    for (const a of all) {
      for (const b of all) {
        if (a.isLinked(b.localNodeId) && !this.shouldLink(a, b)) {
          a.linkDown(b.localNodeId);
          events.push([a, b.localNodeId, false]);
        }
      }
    }
    for (const a of all) {
      for (const b of all) {
        if (!a.isLinked(b.localNodeId) && this.shouldLink(a, b)) {
          a.linkUp(b.localNodeId);
          events.push([a, b.localNodeId, true]);
        }
      }
    }
    for (const [t, peer, up] of events) t.notifyPeerChange(peer, up);
  }
}

/** A Transport whose peers are other MemoryTransports on the same MemoryHub. */
export class MemoryTransport implements Transport {
  readonly localNodeId: string;
  private running = false;
  private readonly links = new Map<string, Link>();
  private readonly ledger: PeerLedger;
  private readonly allowed: ReadonlySet<string> | null;
  private readonly frameHandlers: ((from: string, frame: Frame) => void)[] = [];
  private readonly peerHandlers: ((peer: string, connected: boolean) => void)[] = [];

  /** Use MemoryHub.transport(). */
  constructor(
    private readonly hub: MemoryHub,
    nodeId: string,
    options: MemoryTransportOptions,
  ) {
    this.localNodeId = nodeId;
    this.ledger = new PeerLedger(nodeId, hub.clock);
    this.allowed = options.allowedPeers ? new Set(options.allowedPeers) : null;
    for (const p of options.allowedPeers ?? []) this.ledger.track(p);
  }

  async start(): Promise<void> {
    this.running = true;
    this.hub.refresh();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.hub.refresh();
  }

  send(peer: string, frame: Frame): boolean {
    const link = this.links.get(peer);
    if (!link) {
      this.ledger.dropped(peer, 'not-connected');
      return false;
    }
    if (frameSize(frame) > this.hub.maxFrameBytes) {
      this.ledger.dropped(peer, 'oversize');
      return false;
    }
    // A copy: sender and receiver never share a buffer, as on a real wire.
    const result = link.queue.push({ type: frame.type, payload: frame.payload.slice() });
    if (result.evicted > 0) this.ledger.dropped(peer, 'queue-evicted', result.evicted);
    if (!result.accepted) {
      this.ledger.dropped(peer, 'queue-full');
      return false;
    }
    this.pump(peer, link);
    return true;
  }

  broadcast(frame: Frame, except?: string): number {
    let n = 0;
    for (const peer of this.connectedPeers()) if (peer !== except && this.send(peer, frame)) n++;
    return n;
  }

  connectedPeers(): string[] {
    return [...this.links.keys()].sort();
  }

  onFrame(handler: (from: string, frame: Frame) => void): void {
    this.frameHandlers.push(handler);
  }

  onPeerChange(handler: (peer: string, connected: boolean) => void): void {
    this.peerHandlers.push(handler);
  }

  punish(peer: string, reason: string, ms: number = DEFAULT_BAN_MS): void {
    this.ledger.ban(peer, reason, ms);
    this.hub.logger.warn('overlay: peer punished', { node: this.localNodeId, peer, reason, banMs: ms });
    this.hub.refresh();
    // Re-link once the ban is over (the TCP transport redials; here the hub does it).
    this.hub.clock.setTimer(ms, () => this.hub.refresh());
  }

  stats(): OverlayStats {
    return this.ledger.snapshot((peer) => this.links.get(peer)?.queue.length ?? 0);
  }

  /** @internal */
  isRunning(): boolean {
    return this.running;
  }

  /** @internal */
  allows(peer: string): boolean {
    return this.allowed === null || this.allowed.has(peer);
  }

  /** @internal */
  hasBanned(peer: string): boolean {
    return this.ledger.isBanned(peer);
  }

  /** @internal */
  isLinked(peer: string): boolean {
    return this.links.has(peer);
  }

  /** @internal */
  linkUp(peer: string): void {
    this.links.set(peer, { queue: new OutboundQueue(this.hub.queueLimits), inFlight: 0, generation: 0 });
    this.ledger.connected(peer);
  }

  /** @internal */
  notifyPeerChange(peer: string, connected: boolean): void {
    for (const h of this.peerHandlers) h(peer, connected);
  }

  /** @internal */
  linkDown(peer: string): void {
    const link = this.links.get(peer);
    if (!link) return;
    this.links.delete(peer);
    link.generation++;
    const lost = link.queue.clear() + link.inFlight;
    if (lost > 0) this.ledger.dropped(peer, 'link-down', lost);
    link.inFlight = 0;
    this.ledger.disconnected(peer);
  }

  /** @internal A frame arriving from the hub. */
  receive(from: string, frame: Frame): void {
    if (!this.links.has(from)) {
      this.ledger.dropped(from, 'link-down');
      return;
    }
    this.ledger.received(from, frameSize(frame));
    for (const h of this.frameHandlers) h(from, frame);
  }

  /** @internal Raw bytes from a (possibly Byzantine) peer: decoded as the TCP transport would. */
  receiveRaw(from: string, body: Uint8Array): void {
    if (!this.links.has(from)) return;
    let frame: Frame;
    try {
      frame = decodeFrame(body, this.hub.maxFrameBytes);
    } catch (err) {
      const code = err instanceof OverlayError ? err.code : 'UNKNOWN';
      this.ledger.heard(from);
      this.ledger.dropped(from, code === 'FRAME_TOO_LARGE' ? 'oversize' : 'undecodable');
      this.punish(from, `bad frame: ${code}`);
      return;
    }
    this.receive(from, frame);
  }

  private pump(peer: string, link: Link): void {
    while (link.inFlight < this.hub.maxInFlightPerLink) {
      const frame = link.queue.shift();
      if (!frame) return;
      link.inFlight++;
      this.ledger.sent(peer, frameSize(frame));
      const generation = link.generation;
      let settled = false;
      const settle = (): boolean => {
        if (settled) return false;
        settled = true;
        if (link.generation !== generation) return false; // the link went down meanwhile
        link.inFlight--;
        return true;
      };
      this.hub.scheduler({
        from: this.localNodeId,
        to: peer,
        frame,
        deliver: () => {
          if (!settle()) return;
          this.hub.member(peer).receive(this.localNodeId, frame);
          if (this.links.get(peer) === link) this.pump(peer, link);
        },
        drop: () => {
          if (!settle()) return;
          this.ledger.dropped(peer, 'link-down');
          if (this.links.get(peer) === link) this.pump(peer, link);
        },
      });
    }
  }
}
