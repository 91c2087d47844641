import { createHash } from 'node:crypto';
import { OverlayError } from './errors.js';
import { FRAME_TYPES, type Frame, FrameType, type FrameTypeName, frameSize, frameTypeName } from './frame.js';
import { SeenCache } from './seen-cache.js';
import { TokenBucket } from './token-bucket.js';
import {
  DEFAULT_BAN_MS,
  type OverlayClock,
  type OverlayLogger,
  silentLogger,
  systemClock,
  type Transport,
} from './transport.js';

/**
 * Which frame types are flooded (relayed to every peer once valid) and so de-duplicated. The others are
 * point-to-point requests and answers, handed to the app every time. One entry per type: a forgotten
 * type is a compile error.
 */
export const FLOODED: Readonly<Record<FrameType, boolean>> = {
  [FrameType.scp]: true,
  [FrameType.tx]: true,
  [FrameType.txsetRequest]: false,
  [FrameType.txset]: false,
  [FrameType.ledgerRequest]: false,
  [FrameType.ledger]: false,
  [FrameType.statusRequest]: false,
  [FrameType.status]: false,
};

export interface RateLimit {
  /** Sustained frames per second accepted from one peer. */
  readonly perSecond: number;
  /** Frames accepted in a burst above the sustained rate. */
  readonly burst: number;
}

/**
 * Inbound limits per peer and frame type. Each peer relays what the whole network produces, so a flooded
 * type's limit is sized for the network's total: SCP for ~100 validators at ~1 slot/s with several
 * statements each; transactions above the 2,000 tx/s target. Requests are rare (a node asks for a tx
 * set or catch-up only when it is missing one); ledgers stream quickly during catch-up.
 */
export const DEFAULT_RATE_LIMITS: Readonly<Record<FrameType, RateLimit>> = {
  [FrameType.scp]: { perSecond: 1_000, burst: 2_000 },
  [FrameType.tx]: { perSecond: 5_000, burst: 10_000 },
  [FrameType.txsetRequest]: { perSecond: 20, burst: 50 },
  [FrameType.txset]: { perSecond: 20, burst: 50 },
  [FrameType.ledgerRequest]: { perSecond: 20, burst: 50 },
  [FrameType.ledger]: { perSecond: 2_000, burst: 4_000 },
  [FrameType.statusRequest]: { perSecond: 5, burst: 10 },
  [FrameType.status]: { perSecond: 5, burst: 10 },
};

/**
 * Inbound bytes per peer across all types. Frame counts alone would let a peer send 20 tx sets of 4 MiB a
 * second; this caps the total. Sized above catch-up (1,000 full ledgers in a few seconds).
 */
export const DEFAULT_BYTE_RATE_LIMIT: RateLimit = { perSecond: 64 * 1024 * 1024, burst: 128 * 1024 * 1024 };

/**
 * When being over the limit becomes abuse: every rate-limited frame takes a token from a per-peer abuse
 * bucket (`tolerated` tokens, refilled at `forgivenPerSecond`); an empty bucket gets the peer punished for
 * `banMs`. A peer briefly over its limit (a legitimate burst) is only trimmed; one that keeps pushing is cut.
 */
export interface AbusePolicy {
  readonly tolerated: number;
  readonly forgivenPerSecond: number;
  readonly banMs: number;
}

export const DEFAULT_ABUSE_POLICY: AbusePolicy = {
  tolerated: 1_000,
  forgivenPerSecond: 10,
  banMs: DEFAULT_BAN_MS,
};

/** Digests remembered for de-duplication: ~minutes of traffic at the targets. */
export const DEFAULT_SEEN_CAPACITY = 200_000;

export interface FlooderOptions {
  readonly clock?: OverlayClock;
  readonly logger?: OverlayLogger;
  readonly seenCapacity?: number;
  readonly rateLimits?: Partial<Record<FrameType, RateLimit>>;
  /** Bytes (type byte + payload) per second from one peer; burst must be at least the largest frame. */
  readonly byteRateLimit?: RateLimit;
  readonly abuse?: AbusePolicy;
}

export interface FlooderPeerStats {
  readonly delivered: number;
  readonly duplicates: number;
  readonly rateLimited: Readonly<Partial<Record<FrameTypeName, number>>>;
  /** Frames dropped because the peer's byte budget was spent (also counted in rateLimited). */
  readonly byteLimited: number;
  readonly punishedForAbuse: number;
}

export interface FlooderStats {
  /** Frames handed to the app. */
  readonly delivered: number;
  /** Flooded frames received again (dropped; not abuse: every honest peer relays). */
  readonly duplicates: number;
  readonly rateLimited: number;
  /** flood() calls, and the sends they made. */
  readonly floods: number;
  readonly floodSends: number;
  readonly seenSize: number;
  readonly peers: Readonly<Record<string, FlooderPeerStats>>;
}

interface PeerState {
  readonly buckets: Map<FrameType, TokenBucket>;
  readonly bytes: TokenBucket;
  byteLimited: number;
  abuse: TokenBucket;
  delivered: number;
  duplicates: number;
  rateLimited: Partial<Record<FrameTypeName, number>>;
  punishedForAbuse: number;
}

/** SHA-256 of (type byte, payload): the identity of a flooded message. */
export function floodDigest(frame: Frame): string {
  return createHash('sha256').update(Uint8Array.of(frame.type)).update(frame.payload).digest('hex');
}

/**
 * Flooding over any Transport. Received frames pass the sender's rate limit, then flooded types are
 * de-duplicated and handed to the app once. The flooder never relays on its own: the app validates and
 * calls flood() for what is valid, so garbage and bad signatures stop at the first honest node.
 */
export class Flooder {
  private readonly clock: OverlayClock;
  private readonly logger: OverlayLogger;
  private readonly seen: SeenCache;
  private readonly limits: Readonly<Record<FrameType, RateLimit>>;
  private readonly abusePolicy: AbusePolicy;
  private readonly byteLimit: RateLimit;
  private readonly peers = new Map<string, PeerState>();
  private readonly handlers: ((from: string, frame: Frame) => void)[] = [];
  private delivered = 0;
  private duplicates = 0;
  private rateLimited = 0;
  private floods = 0;
  private floodSends = 0;

  constructor(
    readonly transport: Transport,
    options: FlooderOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.seen = new SeenCache(options.seenCapacity ?? DEFAULT_SEEN_CAPACITY);
    this.limits = { ...DEFAULT_RATE_LIMITS, ...options.rateLimits };
    this.abusePolicy = options.abuse ?? DEFAULT_ABUSE_POLICY;
    this.byteLimit = options.byteRateLimit ?? DEFAULT_BYTE_RATE_LIMIT;
    if (!(this.byteLimit.perSecond > 0 && this.byteLimit.burst >= 1)) {
      throw new OverlayError('BAD_CONFIG', 'byte rate limit needs perSecond > 0 and burst >= 1', {
        ...this.byteLimit,
      });
    }
    for (const type of FRAME_TYPES) {
      const l = this.limits[type];
      if (!(l.perSecond > 0 && l.burst >= 1)) {
        throw new OverlayError('BAD_CONFIG', 'rate limit needs perSecond > 0 and burst >= 1', {
          type: frameTypeName(type),
          ...l,
        });
      }
    }
    if (!(this.seen.capacity >= 1)) {
      throw new OverlayError('BAD_CONFIG', 'seenCapacity must be at least 1', {
        seenCapacity: this.seen.capacity,
      });
    }
    transport.onFrame((from, frame) => this.receive(from, frame));
  }

  /** Registers the app's handler: flooded frames arrive once, point-to-point frames every time. */
  onMessage(handler: (from: string, frame: Frame) => void): void {
    this.handlers.push(handler);
  }

  /**
   * Sends a frame to every connected peer except `except` and those known to have it already, and
   * remembers it so it is not handed to the app when it comes back. Returns how many peers got it.
   */
  flood(frame: Frame, except?: string): number {
    const digest = floodDigest(frame);
    this.seen.add(digest);
    const holders = this.seen.holders(digest);
    this.floods++;
    let n = 0;
    for (const peer of this.transport.connectedPeers()) {
      if (peer === except || holders?.has(peer)) continue;
      if (this.transport.send(peer, frame)) n++;
    }
    this.floodSends += n;
    return n;
  }

  /** Whether a flooded frame was seen recently (received or flooded). */
  hasSeen(frame: Frame): boolean {
    return this.seen.has(floodDigest(frame));
  }

  stats(): FlooderStats {
    const peers: Record<string, FlooderPeerStats> = {};
    for (const [peer, s] of this.peers) {
      peers[peer] = {
        delivered: s.delivered,
        duplicates: s.duplicates,
        rateLimited: { ...s.rateLimited },
        byteLimited: s.byteLimited,
        punishedForAbuse: s.punishedForAbuse,
      };
    }
    return {
      delivered: this.delivered,
      duplicates: this.duplicates,
      rateLimited: this.rateLimited,
      floods: this.floods,
      floodSends: this.floodSends,
      seenSize: this.seen.size,
      peers,
    };
  }

  private peerState(peer: string): PeerState {
    let s = this.peers.get(peer);
    if (!s) {
      const now = this.clock.now();
      s = {
        buckets: new Map(),
        bytes: new TokenBucket(this.byteLimit.perSecond, this.byteLimit.burst, now),
        byteLimited: 0,
        abuse: new TokenBucket(this.abusePolicy.forgivenPerSecond, this.abusePolicy.tolerated, now),
        delivered: 0,
        duplicates: 0,
        rateLimited: {},
        punishedForAbuse: 0,
      };
      this.peers.set(peer, s);
    }
    return s;
  }

  private receive(from: string, frame: Frame): void {
    const s = this.peerState(from);
    const now = this.clock.now();
    let bucket = s.buckets.get(frame.type);
    if (!bucket) {
      const l = this.limits[frame.type];
      bucket = new TokenBucket(l.perSecond, l.burst, now);
      s.buckets.set(frame.type, bucket);
    }
    // The limit comes before hashing and de-duplication, so a flood of copies costs us almost nothing.
    if (!bucket.take(now)) {
      this.overLimit(from, s, frame, now);
      return;
    }
    if (!s.bytes.take(now, frameSize(frame))) {
      s.byteLimited++;
      this.overLimit(from, s, frame, now);
      return;
    }
    if (FLOODED[frame.type] && !this.seen.add(floodDigest(frame), from)) {
      s.duplicates++;
      this.duplicates++;
      return;
    }
    s.delivered++;
    this.delivered++;
    for (const h of this.handlers) h(from, frame);
  }

  private overLimit(from: string, s: PeerState, frame: Frame, now: number): void {
    const name = frameTypeName(frame.type);
    s.rateLimited[name] = (s.rateLimited[name] ?? 0) + 1;
    this.rateLimited++;
    if (s.abuse.take(now)) return;
    s.punishedForAbuse++;
    // A fresh abuse bucket, so the peer starts over when its ban ends.
    s.abuse = new TokenBucket(this.abusePolicy.forgivenPerSecond, this.abusePolicy.tolerated, now);
    this.logger.warn('overlay: peer punished for sustained rate-limit abuse', { peer: from, type: name });
    this.transport.punish(from, `sustained rate-limit abuse (${name})`, this.abusePolicy.banMs);
  }
}
