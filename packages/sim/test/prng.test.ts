import { describe, expect, it } from 'vitest';
import { Prng } from '../src/prng.js';

describe('Prng (xoshiro128** seeded by SplitMix32)', () => {
  it('is a pure function of its seed', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    const xs = Array.from({ length: 100 }, () => a.nextU32());
    expect(Array.from({ length: 100 }, () => b.nextU32())).toEqual(xs);
    expect(new Set(xs).size).toBe(100);
  });

  it('gives unrelated streams for neighbouring seeds', () => {
    const a = Array.from(
      { length: 8 },
      (
        (r) => () =>
          r.nextU32()
      )(new Prng(1)),
    );
    const b = Array.from(
      { length: 8 },
      (
        (r) => () =>
          r.nextU32()
      )(new Prng(2)),
    );
    expect(a.filter((x, i) => x === b[i])).toEqual([]);
  });

  it('forks sub-streams that do not depend on draws made by the parent', () => {
    const fresh = new Prng(7);
    const used = new Prng(7);
    for (let i = 0; i < 50; i++) used.nextU32();
    expect(used.fork('delay').nextU32()).toBe(fresh.fork('delay').nextU32());
    expect(fresh.fork('delay').nextU32()).not.toBe(fresh.fork('loss').nextU32());
    expect(fresh.fork('a').fork('b').nextU32()).not.toBe(fresh.fork('b').fork('a').nextU32());
  });

  it('draws integers in range, roughly uniformly', () => {
    const r = new Prng(3);
    const counts = [0, 0, 0, 0, 0, 0];
    for (let i = 0; i < 60_000; i++) counts[r.int(0, 5)]!++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    expect(() => r.int(5, 4)).toThrowError(expect.objectContaining({ code: 'BAD_RANGE' }));
  });

  it('shuffles and samples without losing or inventing items', () => {
    const r = new Prng(9);
    const items = ['a', 'b', 'c', 'd', 'e'];
    expect(r.shuffle(items).sort()).toEqual(items);
    const s = r.sample(items, 3);
    expect(new Set(s).size).toBe(3);
    expect(s.every((x) => items.includes(x))).toBe(true);
  });

  it('rejects a bad seed with a stable code', () => {
    expect(() => new Prng(-1)).toThrowError(expect.objectContaining({ code: 'BAD_SEED' }));
    expect(() => new Prng(1.5)).toThrowError(expect.objectContaining({ code: 'BAD_SEED' }));
  });
});
