import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock.js';
import { type SimMessage, VirtualNetwork } from '../src/network.js';
import { Prng } from '../src/prng.js';

function setup(seed = 1) {
  const clock = new VirtualClock();
  const net = new VirtualNetwork(clock, new Prng(seed));
  const inbox = new Map<string, { from: string; at: number; m: SimMessage }[]>();
  const up = new Map<string, boolean>();
  for (const id of ['a', 'b', 'c']) {
    inbox.set(id, []);
    up.set(id, true);
    net.register(id, {
      isUp: () => up.get(id)!,
      deliver: (from, m) => inbox.get(id)!.push({ from, at: clock.now(), m }),
    });
  }
  return { clock, net, inbox, up };
}

const req = (fromSlot: number): SimMessage => ({ kind: 'state-request', fromSlot });

describe('VirtualNetwork', () => {
  it('delivers deep copies after a delay within the link bounds', () => {
    const { clock, net, inbox } = setup();
    const msg = { kind: 'state-request', fromSlot: 3 } as const;
    net.broadcast('a', msg);
    clock.runUntil(1000);
    expect(inbox.get('a')).toEqual([]);
    for (const id of ['b', 'c']) {
      const got = inbox.get(id)!;
      expect(got).toHaveLength(1);
      expect(got[0]!.m).toEqual(msg);
      expect(got[0]!.m).not.toBe(msg);
      expect(got[0]!.at).toBeGreaterThanOrEqual(5);
      expect(got[0]!.at).toBeLessThanOrEqual(80);
    }
  });

  it('drops on cut links until healed, and loses messages to a down node', () => {
    const { clock, net, inbox, up } = setup();
    net.partition([['a'], ['b', 'c']]);
    net.send('a', 'b', req(1));
    net.send('b', 'c', req(2));
    net.healPartitions();
    net.send('a', 'b', req(3));
    up.set('c', false);
    net.send('a', 'c', req(4));
    clock.runUntil(1000);
    expect(inbox.get('b')!.map((x) => (x.m as { fromSlot: number }).fromSlot)).toEqual([3]);
    expect(inbox.get('c')).toEqual([]);
    expect(net.stats.cut).toBe(1);
    expect(net.stats.lostToDownNode).toBe(2);
  });

  it('drops and duplicates at the configured rates, and reorders through jitter', () => {
    const { clock, net, inbox } = setup(5);
    net.setConditions({ delayMinMs: 0, delayMaxMs: 500, dropProbability: 0.2, duplicateProbability: 0.1 });
    for (let i = 0; i < 5000; i++) net.send('a', 'b', req(i));
    clock.runUntil(10_000);
    expect(net.stats.dropped).toBeGreaterThan(850);
    expect(net.stats.dropped).toBeLessThan(1150);
    expect(net.stats.duplicated).toBeGreaterThan(300);
    const order = inbox.get('b')!.map((x) => (x.m as { fromSlot: number }).fromSlot);
    expect(order.length).toBe(5000 - net.stats.dropped + net.stats.duplicated);
    expect(order).not.toEqual([...order].sort((x, y) => x - y));
  });

  it('is deterministic for a seed', () => {
    const run = (seed: number) => {
      const { clock, net, inbox } = setup(seed);
      net.setConditions({ delayMinMs: 0, delayMaxMs: 300, dropProbability: 0.3, duplicateProbability: 0.3 });
      for (let i = 0; i < 200; i++) net.broadcast('a', req(i));
      clock.runUntil(10_000);
      return JSON.stringify([...inbox.entries()]);
    };
    expect(run(11)).toBe(run(11));
    expect(run(11)).not.toBe(run(12));
  });

  it('rejects bad conditions and unknown nodes with stable codes', () => {
    const { net } = setup();
    expect(() =>
      net.setConditions({ delayMinMs: 10, delayMaxMs: 5, dropProbability: 0, duplicateProbability: 0 }),
    ).toThrowError(expect.objectContaining({ code: 'BAD_ARGUMENT' }));
    expect(() => net.send('a', 'zz', req(1))).toThrowError(expect.objectContaining({ code: 'UNKNOWN_NODE' }));
  });
});
