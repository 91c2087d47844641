import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock.js';

describe('VirtualClock', () => {
  it('fires events in time order, ties in scheduling order', () => {
    const clock = new VirtualClock();
    const fired: string[] = [];
    clock.schedule(30, () => fired.push('c'));
    clock.schedule(10, () => fired.push('a1'));
    clock.schedule(10, () => fired.push('a2'));
    clock.schedule(20, () => {
      fired.push('b');
      clock.schedule(0, () => fired.push('b-then'));
    });
    clock.runUntil(Number.POSITIVE_INFINITY);
    expect(fired).toEqual(['a1', 'a2', 'b', 'b-then', 'c']);
    expect(clock.now()).toBe(30);
  });

  it('skips cancelled events and stops at a time bound', () => {
    const clock = new VirtualClock();
    const fired: number[] = [];
    const h = clock.schedule(5, () => fired.push(5));
    clock.schedule(15, () => fired.push(15));
    clock.cancel(h);
    clock.runUntil(10);
    expect(fired).toEqual([]);
    expect(clock.now()).toBe(10);
    clock.runUntil(20);
    expect(fired).toEqual([15]);
  });

  it('keeps heap order across many random insertions', () => {
    const clock = new VirtualClock();
    const times: number[] = [];
    let x = 12345;
    for (let i = 0; i < 2000; i++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      clock.schedule(x % 1000, () => times.push(clock.now()));
    }
    clock.runUntil(Number.POSITIVE_INFINITY);
    expect(times).toHaveLength(2000);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('refuses to schedule in the past', () => {
    const clock = new VirtualClock();
    clock.runUntil(100);
    expect(() => clock.scheduleAt(50, () => {})).toThrowError(expect.objectContaining({ code: 'BAD_TIME' }));
    expect(() => clock.schedule(-1, () => {})).toThrowError(expect.objectContaining({ code: 'BAD_TIME' }));
  });
});
