import './node20-compat.js';
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { generateKeyPairFromSeed, publicKeyFromRaw } from '@libp2p/crypto/keys';
import type { ConnectionGater, Libp2p, PeerId, PrivateKey, Stream } from '@libp2p/interface';
import { peerIdFromPublicKey } from '@libp2p/peer-id';
import { tcp } from '@libp2p/tcp';
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr';
import { createLibp2p } from 'libp2p';
import { OverlayError } from './errors.js';
import { decodeFrame, encodeFrame, type Frame, frameSize, MAX_FRAME_BYTES } from './frame.js';
import { KEEPALIVE, LengthPrefixDecoder, lengthPrefixed } from './length-prefix.js';
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

/** The libp2p protocol the overlay speaks; bump the version on any incompatible wire change. */
export const OVERLAY_PROTOCOL = '/qm/1.0.0';

/** Inbound overlay streams kept per peer (one is normal; the second covers a reconnect race). */
const MAX_INBOUND_STREAMS_PER_PEER = 2;

export interface PeerConfig {
  readonly nodeId: string;
  /** Raw Ed25519 public key (32 bytes) of the peer's transport identity. */
  readonly transportPublicKey: Uint8Array;
  /** '/ip4/127.0.0.1/tcp/PORT' (any multiaddr) or 'host:port'. */
  readonly address: string;
}

export interface Libp2pTransportOptions {
  readonly nodeId: string;
  /** 32-byte Ed25519 seed of this node's transport key. */
  readonly transportSeed: Uint8Array;
  /** Where to listen: a multiaddr or 'host:port' (port 0 picks a free one). */
  readonly listen: string;
  /** Everyone allowed to connect; an entry for this node itself is ignored (one shared list per network). */
  readonly peers: readonly PeerConfig[];
  readonly clock?: OverlayClock;
  readonly logger?: OverlayLogger;
  readonly maxFrameBytes?: number;
  readonly queueLimits?: QueueLimits;
  /** First redial delay after a failed dial or dropped link; doubles up to redialMaxMs. */
  readonly redialInitialMs?: number;
  readonly redialMaxMs?: number;
  readonly dialTimeoutMs?: number;
  /** A link idle this long gets a keepalive, well inside libp2p's 120 s inactivity timeouts. */
  readonly keepaliveMs?: number;
}

interface OutboundLink {
  readonly stream: Stream;
  readonly queue: OutboundQueue;
  pumping: boolean;
  /** A pump is scheduled for the end of this turn of the event loop. */
  scheduled: boolean;
  lastSentMs: number;
}

/**
 * Frames queued in one turn of the event loop leave in one write of up to this many bytes: a busy node
 * floods hundreds of small transactions a second, and each write costs a yamux frame, a Noise
 * message and a syscall of its own.
 */
const COALESCE_BYTES = 64 * 1024;

interface PeerEntry {
  readonly nodeId: string;
  readonly peerId: PeerId;
  readonly dialAddr: Multiaddr;
  out: OutboundLink | null;
  dialing: boolean;
  backoffMs: number;
  cancelRedial: (() => void) | null;
  readonly inbound: Set<Stream>;
}

/** The libp2p PeerId (base58 string) of a raw Ed25519 transport public key. */
export function peerIdOfTransportKey(publicKey: Uint8Array): string {
  return peerIdOf(publicKey).toString();
}

/** The raw Ed25519 public key (32 bytes) of a transport seed: what goes in other nodes' configuration. */
export async function transportPublicKeyFromSeed(seed: Uint8Array): Promise<Uint8Array> {
  checkSeed(seed);
  return (await generateKeyPairFromSeed('Ed25519', seed)).publicKey.raw;
}

function checkSeed(seed: Uint8Array): void {
  if (!(seed instanceof Uint8Array) || seed.length !== 32) {
    throw new OverlayError('BAD_KEY', 'transport seed must be 32 bytes', { length: seed?.length });
  }
}

function peerIdOf(publicKey: Uint8Array): PeerId {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) {
    throw new OverlayError('BAD_KEY', 'transport public key must be 32 raw Ed25519 bytes', {
      length: publicKey?.length,
    });
  }
  try {
    return peerIdFromPublicKey(publicKeyFromRaw(publicKey));
  } catch (err) {
    throw new OverlayError('BAD_KEY', 'not a valid Ed25519 public key', { cause: String(err) });
  }
}

/** Accepts a multiaddr as is, or turns 'host:port' / '[v6]:port' into one. */
export function toMultiaddr(address: string): Multiaddr {
  try {
    if (address.startsWith('/')) return multiaddr(address);
    const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(address);
    if (!m) throw new Error('expected host:port');
    const port = Number(m[3]);
    if (port > 65535) throw new Error('port out of range');
    if (m[1] !== undefined) return multiaddr(`/ip6/${m[1]}/tcp/${port}`);
    const host = m[2]!;
    const proto = /^\d{1,3}(?:\.\d{1,3}){3}$/.test(host) ? 'ip4' : 'dns4';
    return multiaddr(`/${proto}/${host}/tcp/${port}`);
  } catch (err) {
    throw new OverlayError('BAD_CONFIG', `bad address '${address}'`, { address, cause: String(err) });
  }
}

/**
 * The production transport: libp2p over TCP, Noise (XX, Ed25519 identities) and yamux. Each node dials
 * every configured peer and writes its frames on the one stream it opened to that peer; it reads what
 * the peer sends on the stream the peer opened. So simultaneous dials need no tie-break, and "connected"
 * means "our stream to the peer is open". Only keys in the configuration pass the connection gater.
 */
export class Libp2pTransport implements Transport {
  readonly localNodeId: string;
  private readonly clock: OverlayClock;
  private readonly logger: OverlayLogger;
  private readonly maxFrameBytes: number;
  private readonly queueLimits: QueueLimits;
  private readonly redialInitialMs: number;
  private readonly redialMaxMs: number;
  private readonly dialTimeoutMs: number;
  private readonly keepaliveMs: number;
  private readonly ledger: PeerLedger;
  private readonly byNodeId = new Map<string, PeerEntry>();
  private readonly byPeerId = new Map<string, PeerEntry>();
  private readonly frameHandlers: ((from: string, frame: Frame) => void)[] = [];
  private readonly peerHandlers: ((peer: string, connected: boolean) => void)[] = [];
  private node: Libp2p | null = null;
  private running = false;
  private cancelKeepalive: (() => void) | null = null;

  constructor(private readonly options: Libp2pTransportOptions) {
    checkSeed(options.transportSeed);
    this.localNodeId = options.nodeId;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.maxFrameBytes = options.maxFrameBytes ?? MAX_FRAME_BYTES;
    this.queueLimits = options.queueLimits ?? DEFAULT_QUEUE_LIMITS;
    this.redialInitialMs = options.redialInitialMs ?? 250;
    this.redialMaxMs = options.redialMaxMs ?? 10_000;
    this.dialTimeoutMs = options.dialTimeoutMs ?? 5_000;
    this.keepaliveMs = options.keepaliveMs ?? 15_000;
    this.ledger = new PeerLedger(options.nodeId, this.clock);
    toMultiaddr(options.listen);
    for (const p of options.peers) {
      if (p.nodeId === options.nodeId) continue;
      const peerId = peerIdOf(p.transportPublicKey);
      const dialAddr = toMultiaddr(p.address).encapsulate(`/p2p/${peerId.toString()}`);
      if (this.byNodeId.has(p.nodeId) || this.byPeerId.has(peerId.toString())) {
        throw new OverlayError('BAD_CONFIG', 'peers list a node id or transport key twice', {
          nodeId: p.nodeId,
        });
      }
      const entry: PeerEntry = {
        nodeId: p.nodeId,
        peerId,
        dialAddr,
        out: null,
        dialing: false,
        backoffMs: this.redialInitialMs,
        cancelRedial: null,
        inbound: new Set(),
      };
      this.byNodeId.set(p.nodeId, entry);
      this.byPeerId.set(peerId.toString(), entry);
      this.ledger.track(p.nodeId);
    }
  }

  async start(): Promise<void> {
    if (this.node) throw new OverlayError('ALREADY_STARTED', 'transport already started');
    const privateKey = await generateKeyPairFromSeed('Ed25519', this.options.transportSeed);
    const gater: ConnectionGater = {
      denyDialPeer: (peerId) => this.deny(peerId, 'dial'),
      denyInboundEncryptedConnection: (peerId) => this.deny(peerId, 'inbound'),
      denyOutboundEncryptedConnection: (peerId) => this.deny(peerId, 'outbound'),
    };
    let node: Libp2p;
    try {
      node = await this.createNode(privateKey, gater);
    } catch (err) {
      throw new OverlayError('START_FAILED', `overlay could not start: ${String(err)}`, {
        listen: this.options.listen,
        cause: String(err),
      });
    }
    this.node = node;
    this.running = true;
    await node.handle(
      OVERLAY_PROTOCOL,
      (stream, connection) => this.inboundStream(stream, connection.remotePeer),
      {
        // One stream per peer; a few more tolerate a reconnect racing the old stream's close.
        maxInboundStreams: 4,
        maxOutboundStreams: 4,
      },
    );
    for (const e of this.byNodeId.values()) void this.dial(e);
    this.scheduleKeepalive();
  }

  private createNode(privateKey: PrivateKey, gater: ConnectionGater): Promise<Libp2p> {
    return createLibp2p({
      privateKey,
      addresses: { listen: [toMultiaddr(this.options.listen).toString()] },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      connectionGater: gater,
      connectionManager: {
        maxConnections: 2 * this.byNodeId.size + 8,
        // libp2p refuses more than this many connections per second from one host (default 5). A local
        // devnet runs every validator on one host, and all of them dial a restarted node at once.
        inboundConnectionThreshold: Math.max(5, 2 * this.byNodeId.size),
      },
    });
  }

  async stop(): Promise<void> {
    const node = this.node;
    if (!node) return;
    this.running = false;
    this.cancelKeepalive?.();
    for (const e of this.byNodeId.values()) {
      e.cancelRedial?.();
      e.cancelRedial = null;
      if (e.out) this.outboundClosed(e, e.out);
    }
    await node.stop();
    this.node = null;
  }

  /** Where this node listens, with its /p2p/ PeerId (what peers put in their configuration). */
  listenAddresses(): string[] {
    return this.node?.getMultiaddrs().map(String) ?? [];
  }

  peerId(): string {
    if (!this.node) throw new OverlayError('NOT_STARTED', 'transport not started');
    return this.node.peerId.toString();
  }

  send(peer: string, frame: Frame): boolean {
    const e = this.byNodeId.get(peer);
    const link = e?.out;
    if (!e || !link) {
      this.ledger.dropped(peer, 'not-connected');
      return false;
    }
    if (frameSize(frame) > this.maxFrameBytes) {
      this.ledger.dropped(peer, 'oversize');
      return false;
    }
    const result = link.queue.push(frame);
    if (result.evicted > 0) this.ledger.dropped(peer, 'queue-evicted', result.evicted);
    if (!result.accepted) {
      this.ledger.dropped(peer, 'queue-full');
      return false;
    }
    if (!link.pumping && !link.scheduled) {
      link.scheduled = true;
      setImmediate(() => {
        link.scheduled = false;
        void this.pump(e, link);
      });
    }
    return true;
  }

  broadcast(frame: Frame, except?: string): number {
    let n = 0;
    for (const peer of this.connectedPeers()) if (peer !== except && this.send(peer, frame)) n++;
    return n;
  }

  connectedPeers(): string[] {
    return [...this.byNodeId.values()]
      .filter((e) => e.out !== null)
      .map((e) => e.nodeId)
      .sort();
  }

  onFrame(handler: (from: string, frame: Frame) => void): void {
    this.frameHandlers.push(handler);
  }

  onPeerChange(handler: (peer: string, connected: boolean) => void): void {
    this.peerHandlers.push(handler);
  }

  punish(peer: string, reason: string, ms: number = DEFAULT_BAN_MS): void {
    const e = this.byNodeId.get(peer);
    this.ledger.ban(peer, reason, ms);
    this.logger.warn('overlay: peer punished', { node: this.localNodeId, peer, reason, banMs: ms });
    if (!e) return;
    const out = e.out;
    if (out) {
      this.outboundClosed(e, out);
      out.stream.abort(new Error(`punished: ${reason}`));
    }
    for (const s of e.inbound) s.abort(new Error(`punished: ${reason}`));
    e.inbound.clear();
    // Hang up the whole connection; the gater refuses it back until the ban ends, then we redial.
    void this.node?.hangUp(e.peerId).catch(() => {});
    this.scheduleRedial(e);
  }

  stats(): OverlayStats {
    return this.ledger.snapshot((peer) => this.byNodeId.get(peer)?.out?.queue.length ?? 0);
  }

  /** Connection gater: true refuses. Unknown keys are refused and logged; banned peers too. */
  private deny(peerId: PeerId, direction: 'dial' | 'inbound' | 'outbound'): boolean {
    const e = this.byPeerId.get(peerId.toString());
    if (!e) {
      if (direction === 'inbound') this.ledger.refusedConnections++;
      this.logger.warn('overlay: refused connection from a key not in the configuration', {
        node: this.localNodeId,
        peerId: peerId.toString(),
        direction,
      });
      return true;
    }
    if (this.ledger.isBanned(e.nodeId)) {
      if (direction === 'inbound') this.ledger.refusedConnections++;
      return true;
    }
    return false;
  }

  private async dial(e: PeerEntry): Promise<void> {
    const node = this.node;
    if (!node || !this.running || e.out || e.dialing) return;
    if (this.ledger.isBanned(e.nodeId)) {
      this.scheduleRedial(e);
      return;
    }
    e.dialing = true;
    try {
      const stream = await node.dialProtocol(e.dialAddr, OVERLAY_PROTOCOL, {
        signal: AbortSignal.timeout(this.dialTimeoutMs),
      });
      if (!this.running || this.node !== node || this.ledger.isBanned(e.nodeId) || e.out) {
        stream.abort(new Error('link no longer wanted'));
        return;
      }
      e.backoffMs = this.redialInitialMs;
      this.attachOutbound(e, stream);
    } catch (err) {
      this.logger.info('overlay: dial failed', {
        node: this.localNodeId,
        peer: e.nodeId,
        error: String(err),
      });
      this.scheduleRedial(e);
    } finally {
      e.dialing = false;
    }
  }

  private scheduleRedial(e: PeerEntry): void {
    if (!this.running || e.cancelRedial) return;
    // Jitter spreads the redials of many nodes that lost the same peer at the same instant.
    const delay = Math.max(e.backoffMs * (0.75 + Math.random() / 2), this.ledger.banRemainingMs(e.nodeId));
    e.backoffMs = Math.min(e.backoffMs * 2, this.redialMaxMs);
    e.cancelRedial = this.clock.setTimer(delay, () => {
      e.cancelRedial = null;
      void this.dial(e);
    });
  }

  private attachOutbound(e: PeerEntry, stream: Stream): void {
    const link: OutboundLink = {
      stream,
      queue: new OutboundQueue(this.queueLimits),
      pumping: false,
      scheduled: false,
      lastSentMs: this.clock.now(),
    };
    e.out = link;
    stream.addEventListener('close', () => {
      if (e.out === link) {
        this.outboundClosed(e, link);
        this.scheduleRedial(e);
      }
    });
    // We only write on the stream we opened; a peer writing back on it breaks the protocol.
    stream.addEventListener('message', () => this.punish(e.nodeId, 'wrote on the wrong stream'));
    this.ledger.connected(e.nodeId);
    this.logger.info('overlay: peer connected', { node: this.localNodeId, peer: e.nodeId });
    for (const h of this.peerHandlers) h(e.nodeId, true);
  }

  private outboundClosed(e: PeerEntry, link: OutboundLink): void {
    if (e.out !== link) return;
    e.out = null;
    const lost = link.queue.clear();
    if (lost > 0) this.ledger.dropped(e.nodeId, 'link-down', lost);
    this.ledger.disconnected(e.nodeId);
    this.logger.info('overlay: peer disconnected', { node: this.localNodeId, peer: e.nodeId });
    for (const h of this.peerHandlers) h(e.nodeId, false);
  }

  /** Moves queued frames onto the stream, pausing while libp2p's write buffer drains. */
  private async pump(e: PeerEntry, link: OutboundLink): Promise<void> {
    if (link.pumping) return;
    link.pumping = true;
    try {
      while (e.out === link) {
        const parts: Uint8Array[] = [];
        let bytes = 0;
        for (let frame = link.queue.shift(); frame; frame = link.queue.shift()) {
          const body = encodeFrame(frame, this.maxFrameBytes);
          this.ledger.sent(e.nodeId, body.length);
          parts.push(lengthPrefixed(body));
          bytes += parts.at(-1)!.length;
          if (bytes >= COALESCE_BYTES) break;
        }
        if (parts.length === 0) break;
        link.lastSentMs = this.clock.now();
        const chunk = parts.length === 1 ? parts[0]! : Buffer.concat(parts, bytes);
        if (!link.stream.send(chunk)) await link.stream.onDrain();
      }
    } catch (err) {
      // The stream failed under us; its close event tears the link down and schedules a redial.
      this.logger.info('overlay: write failed', {
        node: this.localNodeId,
        peer: e.nodeId,
        error: String(err),
      });
      if (e.out === link) {
        this.outboundClosed(e, link);
        link.stream.abort(err instanceof Error ? err : new Error(String(err)));
        this.scheduleRedial(e);
      }
    } finally {
      link.pumping = false;
    }
  }

  private inboundStream(stream: Stream, remote: PeerId): void {
    const e = this.byPeerId.get(remote.toString());
    // The gater already refused unknown keys; this guards against a gater bypass all the same.
    if (!e || this.ledger.isBanned(e.nodeId)) {
      stream.abort(new Error('not allowed'));
      return;
    }
    const peer = e.nodeId;
    // A peer needs one inbound stream; a new one supersedes the oldest (a reconnect racing the old
    // stream's close), so an allowed but hostile peer cannot pile up streams and their buffers.
    if (e.inbound.size >= MAX_INBOUND_STREAMS_PER_PEER) {
      const oldest = e.inbound.values().next().value!;
      e.inbound.delete(oldest);
      oldest.abort(new Error('superseded by a newer stream'));
    }
    e.inbound.add(stream);
    stream.addEventListener('close', () => e.inbound.delete(stream));
    // The peer is back (a restart): dial it now rather than when a backoff grown during its absence
    // ends, or it would hear nothing from us for up to redialMaxMs.
    if (!e.out && !e.dialing) {
      e.cancelRedial?.();
      e.cancelRedial = null;
      e.backoffMs = this.redialInitialMs;
      void this.dial(e);
    }
    const decoder = new LengthPrefixDecoder(this.maxFrameBytes);
    stream.addEventListener('message', (evt) => {
      if (!e.inbound.has(stream)) return; // punished meanwhile
      this.ledger.heard(peer);
      let bodies: Uint8Array[];
      try {
        bodies = decoder.push(evt.data.subarray());
      } catch (err) {
        this.ledger.dropped(peer, 'oversize');
        this.punish(peer, `bad frame: ${err instanceof OverlayError ? err.code : 'UNKNOWN'}`);
        return;
      }
      for (const body of bodies) {
        if (body.length === 0) continue; // keepalive
        let frame: Frame;
        try {
          frame = decodeFrame(body, this.maxFrameBytes);
        } catch (err) {
          this.ledger.dropped(peer, 'undecodable');
          this.punish(peer, `bad frame: ${err instanceof OverlayError ? err.code : 'UNKNOWN'}`);
          return;
        }
        this.ledger.received(peer, body.length);
        for (const h of this.frameHandlers) h(peer, frame);
        // A handler may have punished the peer: what followed in the same chunk is not delivered.
        if (!e.inbound.has(stream)) return;
      }
    });
  }

  private scheduleKeepalive(): void {
    this.cancelKeepalive = this.clock.setTimer(this.keepaliveMs / 2, () => {
      if (!this.running) return;
      const now = this.clock.now();
      for (const e of this.byNodeId.values()) {
        const link = e.out;
        if (link && !link.pumping && now - link.lastSentMs >= this.keepaliveMs / 2) {
          try {
            link.stream.send(KEEPALIVE);
            link.lastSentMs = now;
          } catch {
            // A dead stream closes itself; the close handler redials.
          }
        }
      }
      this.scheduleKeepalive();
    });
  }
}
