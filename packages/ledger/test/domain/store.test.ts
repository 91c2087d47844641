import { describe, expect, it } from 'vitest';
import { detAsin, detCos, detSin } from '../../src/domain/geo.js';
import { distanceMeters, MemoryStore, OverlayStore } from '../../src/domain/index.js';

describe('MemoryStore and OverlayStore', () => {
  it('lists keys by prefix in code-unit order, not insertion order', () => {
    const s = new MemoryStore();
    s.put('item/B', 1);
    s.put('item/A', 2);
    s.put('org/X', 3);
    s.put('item/a', 4);
    expect(s.keys('item/')).toEqual(['item/A', 'item/B', 'item/a']);
    s.delete('item/A');
    expect(s.keys()).toEqual(['item/B', 'item/a', 'org/X']);
  });

  it('an overlay reads through, buffers writes and deletes, and commits them', () => {
    const base = new MemoryStore();
    base.put('a', 1);
    base.put('b', 2);
    const o = new OverlayStore(base);
    o.put('a', 10);
    o.delete('b');
    o.put('c', 3);
    expect([o.get('a'), o.get('b'), o.get('c')]).toEqual([10, undefined, 3]);
    expect([base.get('a'), base.get('b'), base.get('c')]).toEqual([1, 2, undefined]);
    expect(o.writtenKeys()).toEqual(['a', 'b', 'c']);
    o.commit();
    expect([base.get('a'), base.get('b'), base.get('c')]).toEqual([10, undefined, 3]);
  });

  it('a discarded overlay leaves the base untouched', () => {
    const base = new MemoryStore();
    base.put('a', 1);
    const o = new OverlayStore(base);
    o.put('a', 2);
    o.delete('a');
    o.discard();
    o.commit();
    expect(base.get('a')).toBe(1);
  });
});

describe('deterministic haversine', () => {
  it('matches Math within 1e-12 for the functions it replaces', () => {
    for (let x = -Math.PI; x <= Math.PI; x += 0.01) {
      expect(Math.abs(detSin(x) - Math.sin(x))).toBeLessThan(1e-12);
    }
    for (let x = -Math.PI / 2; x <= Math.PI / 2; x += 0.01) {
      expect(Math.abs(detCos(x) - Math.cos(x))).toBeLessThan(1e-12);
    }
    for (let x = 0; x <= 1; x += 0.001) {
      expect(Math.abs(detAsin(x) - Math.asin(x))).toBeLessThan(1e-9);
    }
  });

  it('gives known distances', () => {
    // One degree of latitude is ~111.2 km on the mean sphere.
    expect(distanceMeters({ lat: 0, lon: 0 }, { lat: 1, lon: 0 })).toBe(111_195);
    expect(distanceMeters({ lat: 10, lon: 20 }, { lat: 10, lon: 20 })).toBe(0);
    // Across the antimeridian: the short way round.
    expect(distanceMeters({ lat: 0, lon: 179.5 }, { lat: 0, lon: -179.5 })).toBe(111_195);
    // Antipodes: half the circumference.
    expect(distanceMeters({ lat: 0, lon: 0 }, { lat: 0, lon: 180 })).toBe(Math.floor(Math.PI * 6_371_008.8));
    // JFK to LHR, ~5,540 km.
    const d = distanceMeters({ lat: 40.6413, lon: -73.7781 }, { lat: 51.47, lon: -0.4543 });
    expect(d).toBeGreaterThan(5_530_000);
    expect(d).toBeLessThan(5_560_000);
  });
});
