import { describe, expect, it } from 'vitest';
import {
  type Frame,
  FrameType,
  MemoryHub,
  type MemoryTransport,
  type PendingDelivery,
} from '../../src/overlay/index.js';
import { bytes, ManualClock, waitFor } from './helpers.js';

/** A hub whose deliveries wait in `pending` until the test flushes them: fully deterministic. */
function manualHub(maxInFlightPerLink = 64) {
  const clock = new ManualClock();
  const pending: PendingDelivery[] = [];
  const hub = new MemoryHub({ clock, scheduler: (d) => pending.push(d), maxInFlightPerLink });
  const flush = () => {
    while (pending.length > 0) pending.shift()!.deliver();
  };
  return { clock, hub, pending, flush };
}

async function started(hub: MemoryHub, ids: string[]): Promise<Record<string, MemoryTransport>> {
  const out: Record<string, MemoryTransport> = {};
  for (const id of ids) out[id] = hub.transport(id);
  for (const id of ids) await out[id]!.start();
  return out;
}

function inbox(t: MemoryTransport): [string, Frame][] {
  const got: [string, Frame][] = [];
  t.onFrame((from, frame) => got.push([from, frame]));
  return got;
}

const peerStats = (t: MemoryTransport, peer: string) => t.stats().peers.find((p) => p.peer === peer)!;

describe('MemoryTransport', () => {
  it('links every started member and carries frames (with the default scheduler)', async () => {
    const hub = new MemoryHub();
    const { a, b, c } = await started(hub, ['a', 'b', 'c']);
    expect(a!.connectedPeers()).toEqual(['b', 'c']);
    const gotB = inbox(b!);
    const gotC = inbox(c!);
    expect(a!.send('b', { type: FrameType.tx, payload: bytes(7) })).toBe(true);
    expect(a!.broadcast({ type: FrameType.scp, payload: bytes(8) }, 'c')).toBe(1);
    await waitFor(() => gotB.length === 2, 'b receives both frames');
    expect(gotB.map(([from, f]) => [from, f.type, f.payload[0]])).toEqual([
      ['a', FrameType.tx, 7],
      ['a', FrameType.scp, 8],
    ]);
    expect(gotC).toEqual([]);
    const s = peerStats(a!, 'b');
    expect([s.framesOut, s.bytesOut, s.connected]).toEqual([2, 4, true]);
    expect(peerStats(b!, 'a').framesIn).toBe(2);
  });

  it('cut and heal change connectivity, fire events and lose in-flight frames', async () => {
    const { hub, pending, flush } = manualHub();
    const { a, b } = await started(hub, ['a', 'b']);
    const events: string[] = [];
    a!.onPeerChange((peer, up) => events.push(`${peer}:${up ? 'up' : 'down'}`));
    const gotB = inbox(b!);
    a!.send('b', { type: FrameType.tx, payload: bytes(1) });
    expect(pending).toHaveLength(1);
    hub.cut('a', 'b');
    flush();
    expect(gotB).toEqual([]);
    expect(a!.connectedPeers()).toEqual([]);
    expect(a!.send('b', { type: FrameType.tx, payload: bytes(2) })).toBe(false);
    expect(peerStats(a!, 'b').dropped['not-connected']).toBe(1);
    expect(peerStats(a!, 'b').dropped['link-down']).toBe(1);
    hub.heal('a', 'b');
    expect(a!.connectedPeers()).toEqual(['b']);
    a!.send('b', { type: FrameType.tx, payload: bytes(3) });
    flush();
    expect(gotB.map(([, f]) => f.payload[0])).toEqual([3]);
    expect(events).toEqual(['b:down', 'b:up']);
  });

  it('partitions groups and heals them all', async () => {
    const { hub } = manualHub();
    const t = await started(hub, ['a', 'b', 'c', 'd']);
    hub.partition([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(t.a!.connectedPeers()).toEqual(['b']);
    expect(t.d!.connectedPeers()).toEqual(['c']);
    hub.healAll();
    expect(t.a!.connectedPeers()).toEqual(['b', 'c', 'd']);
  });

  it('fills the bounded queue behind a slow link and applies each type its drop policy', async () => {
    const { hub, pending, flush } = manualHub(1);
    const { a, b } = await started(hub, ['a', 'b']);
    const gotB = inbox(b!);
    // One frame in flight, then the tx queue (capacity 10,000) fills and refuses the newest.
    let accepted = 0;
    for (let i = 0; i < 10_002; i++)
      if (a!.send('b', { type: FrameType.tx, payload: bytes(i & 0xff) })) accepted++;
    expect(accepted).toBe(10_001);
    expect(peerStats(a!, 'b').dropped['queue-full']).toBe(1);
    // SCP (capacity 1,000, drop-oldest) keeps the newest.
    for (let i = 0; i < 1_005; i++)
      expect(a!.send('b', { type: FrameType.scp, payload: bytes(i & 0xff) })).toBe(true);
    expect(peerStats(a!, 'b').dropped['queue-evicted']).toBe(5);
    expect(peerStats(a!, 'b').queuedFrames).toBe(11_000);
    expect(pending).toHaveLength(1);
    flush();
    expect(gotB).toHaveLength(11_001);
    // The first tx was already in flight; then SCP drains first, oldest five evicted.
    expect(gotB[0]![1].type).toBe(FrameType.tx);
    expect(gotB[1]![1].type).toBe(FrameType.scp);
    expect(gotB[1]![1].payload[0]).toBe(5);
  });

  it('refuses oversize frames on send and counts them', async () => {
    const clock = new ManualClock();
    const hub = new MemoryHub({ clock, maxFrameBytes: 16, scheduler: (d) => d.deliver() });
    const { a } = await started(hub, ['a', 'b']);
    expect(a!.send('b', { type: FrameType.txset, payload: new Uint8Array(16) })).toBe(false);
    expect(peerStats(a!, 'b').dropped.oversize).toBe(1);
  });

  it('punish bans the peer both ways until the ban ends', async () => {
    const { hub, clock } = manualHub();
    const { a, b, c } = await started(hub, ['a', 'b', 'c']);
    a!.punish('b', 'invalid signature', 5_000);
    expect(a!.connectedPeers()).toEqual(['c']);
    expect(b!.connectedPeers()).toEqual(['c']);
    const s = peerStats(a!, 'b');
    expect([s.punishments, s.lastPunishReason, s.bannedUntilMs]).toEqual([
      1,
      'invalid signature',
      clock.now() + 5_000,
    ]);
    clock.advance(4_999);
    expect(a!.connectedPeers()).toEqual(['c']);
    clock.advance(1);
    expect(a!.connectedPeers()).toEqual(['b', 'c']);
    expect(peerStats(a!, 'b').bannedUntilMs).toBeNull();
    expect(c!.connectedPeers()).toEqual(['a', 'b']);
  });

  it('garbage from a Byzantine peer is dropped and punished; the node keeps working', async () => {
    const { hub, flush } = manualHub();
    const { a, c } = await started(hub, ['a', 'b', 'c']);
    const gotA = inbox(a!);
    hub.injectRaw('b', 'a', Uint8Array.of(250, 1, 2));
    hub.injectRaw('c', 'a', new Uint8Array(0));
    expect(a!.connectedPeers()).toEqual([]);
    expect(peerStats(a!, 'b').dropped.undecodable).toBe(1);
    expect(peerStats(a!, 'b').lastPunishReason).toBe('bad frame: FRAME_UNKNOWN_TYPE');
    hub.healAll();
    // Still banned: healing links does not lift a ban.
    expect(a!.connectedPeers()).toEqual([]);
    expect(gotA).toEqual([]);
    c!.send('a', { type: FrameType.tx, payload: bytes(1) });
    flush();
    expect(gotA).toEqual([]);
  });

  it('links only peers that allow each other, and stop() unlinks', async () => {
    const { hub } = manualHub();
    const a = hub.transport('a', { allowedPeers: ['b'] });
    const b = hub.transport('b');
    const c = hub.transport('c');
    for (const t of [a, b, c]) await t.start();
    expect(a.connectedPeers()).toEqual(['b']);
    expect(c.connectedPeers()).toEqual(['b']);
    await b.stop();
    expect(a.connectedPeers()).toEqual([]);
    expect(c.connectedPeers()).toEqual([]);
    expect(() => hub.transport('a')).toThrowError(/already on the hub/);
  });

  it('a scheduler drop() frees the link and counts the loss', async () => {
    const clock = new ManualClock();
    const pending: PendingDelivery[] = [];
    const hub = new MemoryHub({ clock, scheduler: (d) => pending.push(d), maxInFlightPerLink: 1 });
    const { a, b } = await started(hub, ['a', 'b']);
    const gotB = inbox(b!);
    a!.send('b', { type: FrameType.tx, payload: bytes(1) });
    a!.send('b', { type: FrameType.tx, payload: bytes(2) });
    expect(pending).toHaveLength(1);
    pending.shift()!.drop();
    expect(pending).toHaveLength(1);
    pending.shift()!.deliver();
    expect(gotB.map(([, f]) => f.payload[0])).toEqual([2]);
    expect(peerStats(a!, 'b').dropped['link-down']).toBe(1);
  });
});
