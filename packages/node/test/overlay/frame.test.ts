import { describe, expect, it } from 'vitest';
import {
  DROP_POLICY,
  decodeFrame,
  encodeFrame,
  FLOODED,
  FRAME_TYPES,
  FrameType,
  frameTypeName,
  MAX_FRAME_BYTES,
  OverlayError,
} from '../../src/overlay/index.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof OverlayError ? err.code : 'not-an-overlay-error';
  }
  return undefined;
}

describe('frame codec', () => {
  it('round-trips every frame type', () => {
    for (const type of FRAME_TYPES) {
      const frame = { type, payload: Uint8Array.of(1, 2, 3, type) };
      const back = decodeFrame(encodeFrame(frame));
      expect(back.type).toBe(type);
      expect([...back.payload]).toEqual([1, 2, 3, type]);
    }
  });

  it('names types and covers each in every per-type table', () => {
    expect(frameTypeName(FrameType.txsetRequest)).toBe('txsetRequest');
    expect(FRAME_TYPES).toHaveLength(Object.keys(FrameType).length);
    for (const type of FRAME_TYPES) {
      expect(DROP_POLICY[type]).toBeDefined();
      expect(FLOODED[type]).toBeDefined();
    }
  });

  it('rejects garbage with stable codes', () => {
    expect(codeOf(() => decodeFrame(new Uint8Array(0)))).toBe('FRAME_EMPTY');
    expect(codeOf(() => decodeFrame(Uint8Array.of(0, 1)))).toBe('FRAME_UNKNOWN_TYPE');
    expect(codeOf(() => decodeFrame(Uint8Array.of(200)))).toBe('FRAME_UNKNOWN_TYPE');
    expect(codeOf(() => decodeFrame(new Uint8Array(11).fill(1), 10))).toBe('FRAME_TOO_LARGE');
    const big = { type: FrameType.txset, payload: new Uint8Array(MAX_FRAME_BYTES) };
    expect(codeOf(() => encodeFrame(big))).toBe('FRAME_TOO_LARGE');
  });

  it('copies the payload out of the receive buffer', () => {
    const body = Uint8Array.of(FrameType.tx, 9);
    const frame = decodeFrame(body);
    body[1] = 0;
    expect(frame.payload[0]).toBe(9);
  });
});
