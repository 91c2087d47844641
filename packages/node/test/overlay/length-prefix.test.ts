import { describe, expect, it } from 'vitest';
import { KEEPALIVE, LengthPrefixDecoder, lengthPrefixed, OverlayError } from '../../src/overlay/index.js';

describe('LengthPrefixDecoder', () => {
  it('reassembles bodies split at every byte boundary, and keepalives', () => {
    const wire = new Uint8Array([
      ...lengthPrefixed(Uint8Array.of(1, 2, 3)),
      ...KEEPALIVE,
      ...lengthPrefixed(new Uint8Array(1000).fill(9)),
    ]);
    for (let cut = 0; cut <= wire.length; cut += 7) {
      const d = new LengthPrefixDecoder(4096);
      const bodies = [...d.push(wire.subarray(0, cut)), ...d.push(wire.subarray(cut))];
      expect(bodies.map((b) => b.length)).toEqual([3, 0, 1000]);
      expect(d.buffered).toBe(0);
    }
    const d = new LengthPrefixDecoder(4096);
    const bytewise = [...wire].flatMap((b) => d.push(Uint8Array.of(b)));
    expect(bytewise.map((b) => b.length)).toEqual([3, 0, 1000]);
  });

  it('refuses a declared length over the limit before buffering it', () => {
    const d = new LengthPrefixDecoder(10);
    expect(d.push(lengthPrefixed(new Uint8Array(10)))).toHaveLength(1);
    let err: unknown;
    try {
      d.push(Uint8Array.of(0xff, 0xff, 0xff, 0xff));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OverlayError);
    expect((err as OverlayError).code).toBe('FRAME_TOO_LARGE');
    expect(d.buffered).toBe(0);
  });
});
