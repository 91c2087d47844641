import type { OverlayClock } from './transport.js';
import { DROP_REASONS, type DropReason, type OverlayStats, type PeerStats } from './transport.js';

interface MutablePeerStats {
  connectedSinceMs: number | null;
  lastHeardMs: number | null;
  framesIn: number;
  framesOut: number;
  bytesIn: number;
  bytesOut: number;
  dropped: Record<DropReason, number>;
  bannedUntilMs: number | null;
  punishments: number;
  lastPunishReason: string | null;
}

function zeroDrops(): Record<DropReason, number> {
  const d = {} as Record<DropReason, number>;
  for (const r of DROP_REASONS) d[r] = 0;
  return d;
}

/**
 * Per-peer bookkeeping every transport needs the same way: counters for stats() and bans for punish().
 * Bans are kept by expiry time on the injected clock, so they are checked lazily and need no timer.
 */
export class PeerLedger {
  private readonly peers = new Map<string, MutablePeerStats>();
  refusedConnections = 0;

  constructor(
    readonly localNodeId: string,
    private readonly clock: OverlayClock,
  ) {}

  private entry(peer: string): MutablePeerStats {
    let e = this.peers.get(peer);
    if (!e) {
      e = {
        connectedSinceMs: null,
        lastHeardMs: null,
        framesIn: 0,
        framesOut: 0,
        bytesIn: 0,
        bytesOut: 0,
        dropped: zeroDrops(),
        bannedUntilMs: null,
        punishments: 0,
        lastPunishReason: null,
      };
      this.peers.set(peer, e);
    }
    return e;
  }

  /** Makes the peer appear in stats() even before any traffic (configured peers). */
  track(peer: string): void {
    this.entry(peer);
  }

  connected(peer: string): void {
    this.entry(peer).connectedSinceMs = this.clock.now();
  }

  disconnected(peer: string): void {
    this.entry(peer).connectedSinceMs = null;
  }

  received(peer: string, bytes: number): void {
    const e = this.entry(peer);
    e.framesIn++;
    e.bytesIn += bytes;
    e.lastHeardMs = this.clock.now();
  }

  /** Something arrived from the peer (even a keepalive or garbage): it is alive. */
  heard(peer: string): void {
    this.entry(peer).lastHeardMs = this.clock.now();
  }

  sent(peer: string, bytes: number): void {
    const e = this.entry(peer);
    e.framesOut++;
    e.bytesOut += bytes;
  }

  dropped(peer: string, reason: DropReason, count = 1): void {
    this.entry(peer).dropped[reason] += count;
  }

  ban(peer: string, reason: string, ms: number): void {
    const e = this.entry(peer);
    const until = this.clock.now() + ms;
    e.bannedUntilMs = Math.max(e.bannedUntilMs ?? 0, until);
    e.punishments++;
    e.lastPunishReason = reason;
  }

  isBanned(peer: string): boolean {
    const e = this.peers.get(peer);
    if (!e || e.bannedUntilMs === null) return false;
    if (this.clock.now() >= e.bannedUntilMs) {
      e.bannedUntilMs = null;
      return false;
    }
    return true;
  }

  /** Milliseconds left on the peer's ban (0 when not banned). */
  banRemainingMs(peer: string): number {
    if (!this.isBanned(peer)) return 0;
    return this.peers.get(peer)!.bannedUntilMs! - this.clock.now();
  }

  snapshot(queued: (peer: string) => number): OverlayStats {
    const peers: PeerStats[] = [];
    for (const [peer, e] of [...this.peers].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      this.isBanned(peer); // clears an expired ban before reporting it
      peers.push({
        peer,
        connected: e.connectedSinceMs !== null,
        connectedSinceMs: e.connectedSinceMs,
        lastHeardMs: e.lastHeardMs,
        framesIn: e.framesIn,
        framesOut: e.framesOut,
        bytesIn: e.bytesIn,
        bytesOut: e.bytesOut,
        dropped: { ...e.dropped },
        queuedFrames: queued(peer),
        bannedUntilMs: e.bannedUntilMs,
        punishments: e.punishments,
        lastPunishReason: e.lastPunishReason,
      });
    }
    return { localNodeId: this.localNodeId, peers, refusedConnections: this.refusedConnections };
  }
}
