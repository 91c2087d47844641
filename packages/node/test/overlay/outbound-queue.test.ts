import { describe, expect, it } from 'vitest';
import {
  DEFAULT_QUEUE_CAPACITY,
  type Frame,
  FrameType,
  OutboundQueue,
  type QueueLimits,
} from '../../src/overlay/index.js';

const f = (type: FrameType, n: number, size = 1): Frame => ({ type, payload: new Uint8Array(size).fill(n) });

function limits(capacity: number, maxQueuedBytes = 1 << 20): QueueLimits {
  const c = { ...DEFAULT_QUEUE_CAPACITY };
  for (const k of Object.keys(c)) c[Number(k) as FrameType] = capacity;
  return { capacity: c, maxQueuedBytes };
}

describe('OutboundQueue', () => {
  it('drop-newest refuses the new frame when its type is full (tx)', () => {
    const q = new OutboundQueue(limits(2));
    expect(q.push(f(FrameType.tx, 1)).accepted).toBe(true);
    expect(q.push(f(FrameType.tx, 2)).accepted).toBe(true);
    expect(q.push(f(FrameType.tx, 3))).toEqual({ accepted: false, evicted: 0 });
    expect([q.shift()!.payload[0], q.shift()!.payload[0], q.shift()]).toEqual([1, 2, undefined]);
  });

  it('drop-oldest evicts the oldest frame of the same type (scp)', () => {
    const q = new OutboundQueue(limits(2));
    q.push(f(FrameType.scp, 1));
    q.push(f(FrameType.scp, 2));
    expect(q.push(f(FrameType.scp, 3))).toEqual({ accepted: true, evicted: 1 });
    expect([q.shift()!.payload[0], q.shift()!.payload[0]]).toEqual([2, 3]);
    expect(q.length).toBe(0);
  });

  it('never evicts another type to make room', () => {
    const q = new OutboundQueue(limits(10, 3));
    q.push(f(FrameType.tx, 1, 2)); // 3 bytes with the type byte: the byte budget is full
    expect(q.push(f(FrameType.scp, 2, 1))).toEqual({ accepted: false, evicted: 0 });
    expect(q.length).toBe(1);
    expect(q.bytes).toBe(3);
  });

  it('drains tx sets and consensus before catch-up and transactions', () => {
    const q = new OutboundQueue(limits(10));
    q.push(f(FrameType.tx, 1));
    q.push(f(FrameType.ledger, 2));
    q.push(f(FrameType.scp, 3));
    q.push(f(FrameType.txset, 4));
    const order = [q.shift(), q.shift(), q.shift(), q.shift()].map((x) => x!.type);
    // A tx set leaves before the SCP statement naming it, which the peer could not use without it.
    expect(order).toEqual([FrameType.txset, FrameType.scp, FrameType.ledger, FrameType.tx]);
  });

  it('keeps FIFO order within a type across many frames', () => {
    const q = new OutboundQueue(limits(1000));
    for (let i = 0; i < 500; i++) q.push(f(FrameType.tx, i & 0xff));
    const out: number[] = [];
    for (let x = q.shift(); x; x = q.shift()) out.push(x.payload[0]!);
    expect(out).toEqual(Array.from({ length: 500 }, (_, i) => i & 0xff));
    expect(q.clear()).toBe(0);
  });
});
