import type { Frame } from './frame.js';

/** Why a frame was dropped; every drop is counted under one of these, per peer. */
export type DropReason =
  /** send() to a peer that is not connected. */
  | 'not-connected'
  /** A new frame refused because its type's queue was full (drop-newest). */
  | 'queue-full'
  /** An older queued frame evicted to make room for a newer one (drop-oldest). */
  | 'queue-evicted'
  /** A frame over the maximum frame size (outbound: refused; inbound: the peer is punished). */
  | 'oversize'
  /** An inbound frame that did not decode (unknown type, empty, bad length). The peer is punished. */
  | 'undecodable'
  /** Queued or in-flight frames lost because the link went down. */
  | 'link-down';

export const DROP_REASONS: readonly DropReason[] = [
  'not-connected',
  'queue-full',
  'queue-evicted',
  'oversize',
  'undecodable',
  'link-down',
];

export interface PeerStats {
  readonly peer: string;
  readonly connected: boolean;
  /** Clock time the current connection came up; null while disconnected. */
  readonly connectedSinceMs: number | null;
  /** Clock time of the last frame received from this peer; null if never. */
  readonly lastHeardMs: number | null;
  readonly framesIn: number;
  readonly framesOut: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly dropped: Readonly<Record<DropReason, number>>;
  /** Frames waiting in this peer's outbound queue now. */
  readonly queuedFrames: number;
  /** Clock time the peer's ban ends; null when not banned. */
  readonly bannedUntilMs: number | null;
  readonly punishments: number;
  readonly lastPunishReason: string | null;
}

export interface OverlayStats {
  readonly localNodeId: string;
  readonly peers: readonly PeerStats[];
  /** Inbound connections refused because the remote key is not in the configuration (or is banned). */
  readonly refusedConnections: number;
}

/**
 * A node's links to its peers. The node runs on the libp2p TCP transport, the simulator and tests on a
 * MemoryHub; everything above (flooder, herder) sees only this interface and opaque frames.
 */
export interface Transport {
  readonly localNodeId: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Queues a frame to one connected peer; false when not connected or its queue is full (dropped, counted). */
  send(peer: string, frame: Frame): boolean;
  /** To every connected peer but `except`; returns how many got it. */
  broadcast(frame: Frame, except?: string): number;
  connectedPeers(): string[];
  onFrame(handler: (from: string, frame: Frame) => void): void;
  onPeerChange(handler: (peer: string, connected: boolean) => void): void;
  /** Drops and bans a misbehaving peer for `ms` (the node calls this on invalid signatures, garbage). */
  punish(peer: string, reason: string, ms?: number): void;
  stats(): OverlayStats;
}

/** How long punish() bans a peer when no duration is given. */
export const DEFAULT_BAN_MS = 60_000;

/** Time and timers, injected so the simulator can run transports and the flooder on virtual time. */
export interface OverlayClock {
  now(): number;
  /** Runs `fn` after `ms`; returns a cancel function. */
  setTimer(ms: number, fn: () => void): () => void;
}

export const systemClock: OverlayClock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    const t = setTimeout(fn, ms);
    // Overlay timers (ban expiry, redial) must never keep a stopping process alive.
    t.unref?.();
    return () => clearTimeout(t);
  },
};

/** Where the overlay reports refused connections, punishments and link changes. */
export interface OverlayLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: OverlayLogger = { info() {}, warn() {} };
