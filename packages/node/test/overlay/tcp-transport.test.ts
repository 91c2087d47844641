import { createServer } from 'node:net';
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys';
import { tcp } from '@libp2p/tcp';
import { multiaddr } from '@multiformats/multiaddr';
import { createLibp2p } from 'libp2p';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Flooder,
  type Frame,
  FrameType,
  Libp2pTransport,
  lengthPrefixed,
  OVERLAY_PROTOCOL,
  type OverlayLogger,
  type PeerConfig,
  peerIdOfTransportKey,
  transportPublicKeyFromSeed,
} from '../../src/overlay/index.js';
import { waitFor } from './helpers.js';

const seed = (n: number) => new Uint8Array(32).fill(n);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const warnings: { message: string; fields?: Record<string, unknown> }[] = [];
const logger: OverlayLogger = { info() {}, warn: (message, fields) => warnings.push({ message, fields }) };

describe('Libp2pTransport on 127.0.0.1', () => {
  const ids = ['a', 'b', 'c', 'd', 'e'] as const;
  const config: PeerConfig[] = [];
  const nodes: Record<string, Libp2pTransport> = {};
  const inbox: Record<string, [string, Frame][]> = {};
  const others: { stop(): void | Promise<void> }[] = [];

  const make = (id: string, n: number, peers = config) =>
    new Libp2pTransport({
      nodeId: id,
      transportSeed: seed(n),
      listen: config.find((p) => p.nodeId === id)?.address ?? '127.0.0.1:0',
      peers,
      logger,
      redialInitialMs: 50,
      redialMaxMs: 300,
    });

  beforeAll(async () => {
    // a, b, c are honest; d and e are allowed keys that the tests below drive by hand to misbehave.
    for (const [i, id] of ids.entries()) {
      const address = i < 3 ? `/ip4/127.0.0.1/tcp/${await freePort()}` : `127.0.0.1:${await freePort()}`;
      config.push({ nodeId: id, transportPublicKey: await transportPublicKeyFromSeed(seed(i + 1)), address });
    }
    for (const [i, id] of ['a', 'b', 'c'].entries()) {
      nodes[id] = make(id, i + 1);
      inbox[id] = [];
      nodes[id]!.onFrame((from, frame) => inbox[id]!.push([from, frame]));
    }
    await Promise.all(Object.values(nodes).map((t) => t.start()));
  });

  afterAll(async () => {
    await Promise.all([...Object.values(nodes), ...others].map((t) => t.stop()));
  });

  it('connects the configured peers and exchanges frames', async () => {
    await waitFor(
      () =>
        ['a', 'b', 'c'].every(
          (id) => nodes[id]!.connectedPeers().join() === ['a', 'b', 'c'].filter((x) => x !== id).join(),
        ),
      'full mesh between a, b, c',
    );
    expect(nodes.a!.send('b', { type: FrameType.tx, payload: Uint8Array.of(1, 2, 3) })).toBe(true);
    expect(nodes.c!.broadcast({ type: FrameType.scp, payload: new Uint8Array(300_000).fill(7) })).toBe(2);
    await waitFor(() => inbox.b!.length === 2 && inbox.a!.length === 1, 'frames delivered');
    const fromA = inbox.b!.find(([from]) => from === 'a')!;
    expect([fromA[1].type, [...fromA[1].payload]]).toEqual([FrameType.tx, [1, 2, 3]]);
    const [from, big] = inbox.a![0]!;
    expect([from, big.type, big.payload.length, big.payload[299_999]]).toEqual([
      'c',
      FrameType.scp,
      300_000,
      7,
    ]);
    const s = nodes.a!.stats().peers.find((p) => p.peer === 'c')!;
    expect(s.framesIn).toBe(1);
    expect(s.bytesIn).toBe(300_001);
    expect(s.lastHeardMs).not.toBeNull();
  });

  it('delivers a burst of frames sent in one turn intact and in order (they share writes)', async () => {
    const before = inbox.b!.length;
    const sent: number[] = [];
    for (let i = 0; i < 2000; i++) {
      // Mixed sizes, so coalesced writes cut frames at arbitrary points.
      const payload = new Uint8Array(1 + ((i * 37) % 900)).fill(i % 251);
      new DataView(payload.buffer).setUint8(0, i % 256);
      expect(nodes.a!.send('b', { type: FrameType.tx, payload })).toBe(true);
      sent.push(payload.length);
    }
    await waitFor(() => inbox.b!.length === before + 2000, 'burst delivered');
    const got = inbox.b!.slice(before);
    expect(got.every(([from]) => from === 'a')).toBe(true);
    expect(got.map(([, f]) => f.payload.length)).toEqual(sent);
    expect(got.map(([, f]) => f.payload[0])).toEqual(sent.map((_, i) => i % 256));
  });

  it('refuses a key that is not in the configuration', async () => {
    const stranger = make('x', 42, [config[0]!]); // x knows a; a does not know x
    others.push(stranger);
    const refusedBefore = nodes.a!.stats().refusedConnections;
    await stranger.start();
    await waitFor(() => nodes.a!.stats().refusedConnections > refusedBefore, 'a refuses x');
    expect(stranger.connectedPeers()).toEqual([]);
    expect(nodes.a!.connectedPeers()).not.toContain('x');
    const strangerPeerId = peerIdOfTransportKey(await transportPublicKeyFromSeed(seed(42)));
    const refusal = warnings.find((w) => w.fields?.node === 'a' && w.fields?.peerId === strangerPeerId);
    expect(refusal?.message).toMatch(/not in the configuration/);
    await stranger.stop();
  });

  /** A raw libp2p node holding an allowed key, writing whatever bytes the test wants on the protocol. */
  async function rogue(n: number, bytes: Uint8Array): Promise<void> {
    const node = await createLibp2p({
      privateKey: await generateKeyPairFromSeed('Ed25519', seed(n)),
      addresses: { listen: [] },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
    });
    others.push(node);
    const target = multiaddr(config[0]!.address).encapsulate(
      `/p2p/${peerIdOfTransportKey(config[0]!.transportPublicKey)}`,
    );
    const stream = await node.dialProtocol(target, OVERLAY_PROTOCOL);
    stream.send(bytes);
  }

  it('punishes an oversized frame and keeps running', async () => {
    const header = new Uint8Array(4);
    new DataView(header.buffer).setUint32(0, 5 * 1024 * 1024);
    await rogue(4, header); // d announces a 5 MiB frame
    await waitFor(
      () => nodes.a!.stats().peers.find((p) => p.peer === 'd')!.punishments === 1,
      'a punishes d',
    );
    expect(nodes.a!.stats().peers.find((p) => p.peer === 'd')!.dropped.oversize).toBe(1);
  });

  it('punishes a garbage frame and keeps running', async () => {
    await rogue(5, lengthPrefixed(Uint8Array.of(0xee, 1, 2, 3))); // e sends an unknown frame type
    await waitFor(
      () => nodes.a!.stats().peers.find((p) => p.peer === 'e')!.punishments === 1,
      'a punishes e',
    );
    const e = nodes.a!.stats().peers.find((p) => p.peer === 'e')!;
    expect([e.dropped.undecodable, e.lastPunishReason]).toEqual([1, 'bad frame: FRAME_UNKNOWN_TYPE']);
    // Still serving honest peers.
    const before = inbox.b!.length;
    nodes.a!.send('b', { type: FrameType.status, payload: Uint8Array.of(9) });
    await waitFor(() => inbox.b!.length === before + 1, 'a still talks to b');
  });

  it('redials a peer that went away and came back', async () => {
    const changes: string[] = [];
    nodes.a!.onPeerChange((peer, up) => changes.push(`${peer}:${up}`));
    await nodes.b!.stop();
    await waitFor(() => !nodes.a!.connectedPeers().includes('b'), 'a sees b gone');
    nodes.b = make('b', 2);
    const got: Frame[] = [];
    nodes.b.onFrame((_from, frame) => got.push(frame));
    await nodes.b.start();
    await waitFor(() => nodes.a!.connectedPeers().includes('b'), 'a redials b');
    nodes.a!.send('b', { type: FrameType.ledger, payload: Uint8Array.of(5) });
    await waitFor(() => got.length === 1, 'b gets a frame after the reconnect');
    expect(changes).toEqual(['b:false', 'b:true']);
  });
  it('calls a returning peer back at once, whatever its redial backoff has grown to', async () => {
    // x and y wait 30 s between redials; y's return must not wait for x's timer.
    const pair = [await freePort(), await freePort()];
    const peers: PeerConfig[] = await Promise.all(
      pair.map(async (port, i) => ({
        nodeId: `p${i}`,
        transportPublicKey: await transportPublicKeyFromSeed(seed(40 + i)),
        address: `127.0.0.1:${port}`,
      })),
    );
    const slow = (i: number) =>
      new Libp2pTransport({
        nodeId: `p${i}`,
        transportSeed: seed(40 + i),
        listen: peers[i]!.address,
        peers,
        logger,
        redialInitialMs: 30_000,
        redialMaxMs: 60_000,
      });
    const x = slow(0);
    let y = slow(1);
    others.push(x);
    await Promise.all([x.start(), y.start()]);
    await waitFor(() => x.connectedPeers().includes('p1'), 'x linked to y');
    await y.stop();
    await waitFor(() => !x.connectedPeers().includes('p1'), 'x sees y gone');
    y = slow(1);
    others.push(y);
    await y.start();
    await waitFor(() => x.connectedPeers().includes('p1'), 'x dials y back when y calls');
  });

  it('bans a punished peer both ways, then redials it when the ban ends', async () => {
    await waitFor(() => nodes.a!.connectedPeers().includes('c'), 'a linked to c');
    nodes.a!.punish('c', 'invalid signature', 400);
    expect(nodes.a!.connectedPeers()).not.toContain('c');
    await waitFor(() => !nodes.c!.connectedPeers().includes('a'), 'c loses its link to a');
    await waitFor(
      () => nodes.a!.connectedPeers().includes('c') && nodes.c!.connectedPeers().includes('a'),
      'a and c linked again after the ban',
    );
    const s = nodes.a!.stats().peers.find((p) => p.peer === 'c')!;
    expect([s.punishments, s.lastPunishReason, s.bannedUntilMs]).toEqual([1, 'invalid signature', null]);
  });

  it('floods over TCP: every node hands a frame to its app once', async () => {
    const ids3 = ['a', 'b', 'c'];
    await waitFor(() => ids3.every((id) => nodes[id]!.connectedPeers().length >= 2), 'mesh');
    const seen: Record<string, number> = { a: 0, b: 0, c: 0 };
    const flooders = ids3.map((id) => {
      const f = new Flooder(nodes[id]!);
      f.onMessage((from, frame) => {
        if (frame.type !== FrameType.tx) return;
        seen[id]!++;
        f.flood(frame, from);
      });
      return f;
    });
    expect(flooders[1]!.flood({ type: FrameType.tx, payload: Uint8Array.of(4, 2) })).toBe(2);
    await waitFor(() => seen.a === 1 && seen.c === 1, 'a and c get the flooded tx');
    // The relays' copies arrive as duplicates, never as a second delivery.
    await waitFor(
      () => flooders[0]!.stats().duplicates + flooders[2]!.stats().duplicates === 2,
      'duplicates',
    );
    expect(seen).toEqual({ a: 1, b: 0, c: 1 });
  });
  it('fails to start with a typed error when its port is taken, and validates keys', async () => {
    const clash = new Libp2pTransport({
      nodeId: 'z',
      transportSeed: seed(77),
      listen: config[0]!.address,
      peers: [],
    });
    await expect(clash.start()).rejects.toMatchObject({ code: 'START_FAILED' });
    expect(
      () =>
        new Libp2pTransport({
          nodeId: 'z',
          transportSeed: seed(1).subarray(1),
          listen: '127.0.0.1:0',
          peers: [],
        }),
    ).toThrow(expect.objectContaining({ code: 'BAD_KEY' }));
    const badPeer = { nodeId: 'q', transportPublicKey: new Uint8Array(31), address: '127.0.0.1:1' };
    expect(
      () =>
        new Libp2pTransport({ nodeId: 'z', transportSeed: seed(9), listen: '127.0.0.1:0', peers: [badPeer] }),
    ).toThrow(expect.objectContaining({ code: 'BAD_KEY' }));
    const badAddr = { ...config[1]!, address: 'nowhere' };
    expect(
      () =>
        new Libp2pTransport({ nodeId: 'z', transportSeed: seed(9), listen: '127.0.0.1:0', peers: [badAddr] }),
    ).toThrow(expect.objectContaining({ code: 'BAD_CONFIG' }));
  });
});
