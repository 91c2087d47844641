import { OverlayError } from './errors.js';

/**
 * Every kind of message the overlay carries. The overlay never interprets payloads (they are opaque
 * bytes for the herder and catch-up); the type only selects the queue, drop policy and rate limit.
 * Values are wire bytes: never renumber, only append.
 */
export const FrameType = {
  /** A signed SCP envelope. Flooded. */
  scp: 1,
  /** A signed transaction. Flooded. */
  tx: 2,
  /** "Send me the tx set with this hash" (payload: the hash). Point to point. */
  txsetRequest: 3,
  /** A tx set, in answer to txsetRequest. Point to point. */
  txset: 4,
  /** "Send me ledgers from N" for catch-up. Point to point. */
  ledgerRequest: 5,
  /** A closed ledger with its externalizing SCP statements, in answer to ledgerRequest. Point to point. */
  ledger: 6,
  /** "Tell me your status" (also sent on connect so both sides learn each other's latest slot). */
  statusRequest: 7,
  /** A node's status (latest closed ledger, current slot); answers statusRequest. Point to point. */
  status: 8,
} as const;

export type FrameType = (typeof FrameType)[keyof typeof FrameType];
export type FrameTypeName = keyof typeof FrameType;

export interface Frame {
  readonly type: FrameType;
  readonly payload: Uint8Array;
}

/** All frame types, in numeric order. */
export const FRAME_TYPES: readonly FrameType[] = Object.values(FrameType).sort((a, b) => a - b);

const NAMES: ReadonlyMap<number, FrameTypeName> = new Map(
  (Object.entries(FrameType) as [FrameTypeName, FrameType][]).map(([name, value]) => [value, name]),
);

export function isFrameType(value: number): value is FrameType {
  return NAMES.has(value);
}

export function frameTypeName(type: FrameType): FrameTypeName {
  return NAMES.get(type)!;
}

/**
 * Largest frame (type byte + payload) any transport sends or accepts. A tx set of a full ledger must fit;
 * anything larger is refused on send and punished on receive.
 */
export const MAX_FRAME_BYTES = 4 * 1024 * 1024;

/** Wire form of a frame body: one type byte, then the payload. Length prefixing is the transport's job. */
export function encodeFrame(frame: Frame, maxFrameBytes = MAX_FRAME_BYTES): Uint8Array {
  const size = 1 + frame.payload.length;
  if (size > maxFrameBytes) {
    throw new OverlayError('FRAME_TOO_LARGE', 'frame exceeds the maximum frame size', {
      size,
      maxFrameBytes,
    });
  }
  if (!isFrameType(frame.type)) {
    throw new OverlayError('FRAME_UNKNOWN_TYPE', 'unknown frame type', { type: frame.type });
  }
  const out = new Uint8Array(size);
  out[0] = frame.type;
  out.set(frame.payload, 1);
  return out;
}

/** Inverse of encodeFrame; throws OverlayError on anything a well-behaved peer would not send. */
export function decodeFrame(body: Uint8Array, maxFrameBytes = MAX_FRAME_BYTES): Frame {
  if (body.length === 0) throw new OverlayError('FRAME_EMPTY', 'empty frame');
  if (body.length > maxFrameBytes) {
    throw new OverlayError('FRAME_TOO_LARGE', 'frame exceeds the maximum frame size', {
      size: body.length,
      maxFrameBytes,
    });
  }
  const type = body[0]!;
  if (!isFrameType(type)) throw new OverlayError('FRAME_UNKNOWN_TYPE', 'unknown frame type', { type });
  // A copy, so the payload never aliases a transport's receive buffer.
  return { type, payload: body.slice(1) };
}

/** Wire size of a frame (what counts against limits and byte statistics). */
export function frameSize(frame: Frame): number {
  return 1 + frame.payload.length;
}
