import { describe, expect, it } from 'vitest';
import {
  Flooder,
  type FlooderOptions,
  type Frame,
  FrameType,
  MemoryHub,
  type PendingDelivery,
} from '../../src/overlay/index.js';
import { bytes, ManualClock } from './helpers.js';

interface Net {
  clock: ManualClock;
  hub: MemoryHub;
  flush(): void;
  nodes: Record<string, { flooder: Flooder; got: [string, Frame][] }>;
}

/**
 * Nodes on a manual hub, each with a flooder whose "app" accepts a frame when `valid` says so and then
 * re-floods it (what the herder does for SCP envelopes and transactions).
 */
async function network(ids: string[], valid: (frame: Frame) => boolean, options: FlooderOptions = {}) {
  const clock = new ManualClock();
  const pending: PendingDelivery[] = [];
  const hub = new MemoryHub({ clock, scheduler: (d) => pending.push(d) });
  const net: Net = {
    clock,
    hub,
    flush: () => {
      while (pending.length > 0) pending.shift()!.deliver();
    },
    nodes: {},
  };
  for (const id of ids) {
    const transport = hub.transport(id);
    const flooder = new Flooder(transport, { clock, ...options });
    const got: [string, Frame][] = [];
    flooder.onMessage((from, frame) => {
      got.push([from, frame]);
      if (frame.type === FrameType.scp || frame.type === FrameType.tx) {
        if (valid(frame)) flooder.flood(frame, from);
        else transport.punish(from, 'invalid signature');
      }
    });
    net.nodes[id] = { flooder, got };
  }
  for (const id of ids) await net.nodes[id]!.flooder.transport.start();
  return net;
}

const scp = (n: number): Frame => ({ type: FrameType.scp, payload: bytes(n) });

describe('Flooder', () => {
  it('hands each flooded frame to every app exactly once (line topology relays)', async () => {
    const net = await network(['a', 'b', 'c', 'd'], () => true);
    // a - b - c - d
    net.hub.cut('a', 'c');
    net.hub.cut('a', 'd');
    net.hub.cut('b', 'd');
    expect(net.nodes.a!.flooder.flood(scp(1))).toBe(1);
    net.flush();
    for (const id of ['b', 'c', 'd']) expect(net.nodes[id]!.got).toHaveLength(1);
    expect(net.nodes.a!.got).toHaveLength(0);
    expect(net.nodes.d!.got[0]![0]).toBe('c');
  });

  it('de-duplicates in a full mesh and skips peers known to hold the frame', async () => {
    const net = await network(['a', 'b', 'c'], () => true);
    net.nodes.a!.flooder.flood(scp(2));
    net.flush();
    expect(net.nodes.b!.got).toHaveLength(1);
    expect(net.nodes.c!.got).toHaveLength(1);
    const dupes = ['a', 'b', 'c'].reduce((n, id) => n + net.nodes[id]!.flooder.stats().duplicates, 0);
    // b and c each relay to the other (not back to a): 2 duplicates, and nothing bounces forever.
    expect(dupes).toBe(2);
    expect(net.nodes.a!.flooder.stats().delivered).toBe(0);
  });

  it('never relays what the app rejects, and the sender is punished', async () => {
    const net = await network(['a', 'b', 'c'], (f) => f.payload[0] !== 66);
    net.hub.cut('a', 'c');
    net.nodes.a!.flooder.flood(scp(66));
    net.flush();
    expect(net.nodes.b!.got).toHaveLength(1);
    expect(net.nodes.c!.got).toHaveLength(0);
    expect(net.nodes.b!.flooder.transport.connectedPeers()).toEqual(['c']);
  });

  it('passes point-to-point frames every time (no de-duplication)', async () => {
    const net = await network(['a', 'b'], () => true);
    const req = { type: FrameType.txsetRequest, payload: bytes(9) };
    net.nodes.a!.flooder.transport.send('b', req);
    net.nodes.a!.flooder.transport.send('b', req);
    net.flush();
    expect(net.nodes.b!.got).toHaveLength(2);
    expect(net.nodes.b!.flooder.stats().duplicates).toBe(0);
  });

  it('rate-limits each peer per type with a token bucket', async () => {
    const net = await network(['a', 'b'], () => true, {
      rateLimits: { [FrameType.status]: { perSecond: 2, burst: 3 } },
    });
    const ta = net.nodes.a!.flooder.transport;
    const status = (n: number) => ({ type: FrameType.status, payload: bytes(n) });
    for (let i = 0; i < 5; i++) ta.send('b', status(i));
    net.flush();
    expect(net.nodes.b!.got.map(([, f]) => f.payload[0])).toEqual([0, 1, 2]);
    expect(net.nodes.b!.flooder.stats().peers.a!.rateLimited).toEqual({ status: 2 });
    net.clock.advance(1_000); // two tokens back
    for (let i = 5; i < 8; i++) ta.send('b', status(i));
    net.flush();
    expect(net.nodes.b!.got.map(([, f]) => f.payload[0])).toEqual([0, 1, 2, 5, 6]);
    // Other types have their own buckets.
    ta.send('b', { type: FrameType.statusRequest, payload: bytes(1) });
    net.flush();
    expect(net.nodes.b!.got).toHaveLength(6);
  });

  it('punishes sustained abuse and re-admits the peer after its ban', async () => {
    const net = await network(['a', 'b'], () => true, {
      rateLimits: { [FrameType.statusRequest]: { perSecond: 1, burst: 1 } },
      abuse: { tolerated: 5, forgivenPerSecond: 1, banMs: 10_000 },
    });
    const ta = net.nodes.a!.flooder.transport;
    const tb = net.nodes.b!.flooder.transport;
    // 1 accepted, 5 tolerated drops, the 7th frame empties the abuse bucket.
    for (let i = 0; i < 7; i++) ta.send('b', { type: FrameType.statusRequest, payload: bytes(i) });
    net.flush();
    expect(net.nodes.b!.got).toHaveLength(1);
    expect(net.nodes.b!.flooder.stats().peers.a!.punishedForAbuse).toBe(1);
    expect(tb.connectedPeers()).toEqual([]);
    expect(tb.stats().peers.find((p) => p.peer === 'a')!.lastPunishReason).toMatch(/rate-limit abuse/);
    net.clock.advance(10_000);
    expect(tb.connectedPeers()).toEqual(['a']);
  });

  it('a burst within the abuse tolerance is trimmed, not punished', async () => {
    const net = await network(['a', 'b'], () => true, {
      rateLimits: { [FrameType.tx]: { perSecond: 10, burst: 10 } },
      abuse: { tolerated: 100, forgivenPerSecond: 10, banMs: 10_000 },
    });
    for (let i = 0; i < 60; i++) net.nodes.a!.flooder.flood({ type: FrameType.tx, payload: bytes(i) });
    net.flush();
    const s = net.nodes.b!.flooder.stats();
    expect([s.delivered, s.rateLimited, s.peers.a!.punishedForAbuse]).toEqual([10, 50, 0]);
    expect(net.nodes.b!.flooder.transport.connectedPeers()).toEqual(['a']);
  });

  it('caps the bytes a peer may send per second across types', async () => {
    const net = await network(['a', 'b'], () => true, { byteRateLimit: { perSecond: 1_000, burst: 2_500 } });
    const ta = net.nodes.a!.flooder.transport;
    for (let i = 0; i < 3; i++)
      ta.send('b', { type: FrameType.ledger, payload: new Uint8Array(999).fill(i) });
    net.flush();
    const s = net.nodes.b!.flooder.stats();
    expect([s.delivered, s.peers.a!.byteLimited, s.peers.a!.rateLimited]).toEqual([2, 1, { ledger: 1 }]);
    net.clock.advance(1_000);
    ta.send('b', { type: FrameType.ledger, payload: new Uint8Array(999) });
    net.flush();
    expect(net.nodes.b!.flooder.stats().delivered).toBe(3);
  });

  it('forgets the least recently seen digests past its capacity', async () => {
    const net = await network(['a', 'b'], () => false, { seenCapacity: 2 });
    const fa = net.nodes.a!.flooder;
    fa.flood(scp(1));
    fa.flood(scp(2));
    fa.flood(scp(3));
    expect(fa.stats().seenSize).toBe(2);
    expect([fa.hasSeen(scp(1)), fa.hasSeen(scp(2)), fa.hasSeen(scp(3))]).toEqual([false, true, true]);
  });

  it('rejects nonsensical limits with a stable code', () => {
    const hub = new MemoryHub();
    expect(
      () => new Flooder(hub.transport('x'), { rateLimits: { [FrameType.tx]: { perSecond: 0, burst: 1 } } }),
    ).toThrow(expect.objectContaining({ code: 'BAD_CONFIG' }));
  });
});
