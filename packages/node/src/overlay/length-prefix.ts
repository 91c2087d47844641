import { OverlayError } from './errors.js';

/** Bytes of the big-endian length that precedes every frame body on a stream. */
export const LENGTH_PREFIX_BYTES = 4;

/** A zero-length body: a keepalive, so idle links are not closed by inactivity timeouts. */
export const KEEPALIVE = new Uint8Array(LENGTH_PREFIX_BYTES);

export function lengthPrefixed(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(LENGTH_PREFIX_BYTES + body.length);
  new DataView(out.buffer).setUint32(0, body.length);
  out.set(body, LENGTH_PREFIX_BYTES);
  return out;
}

/**
 * Splits a byte stream into length-prefixed bodies. A declared length over `maxFrameBytes` throws before
 * any of the body is buffered, so a peer cannot make us allocate more than one maximum frame. A body is
 * copied into a buffer of its exact size as chunks arrive (no quadratic re-concatenation).
 */
export class LengthPrefixDecoder {
  private readonly header = new Uint8Array(LENGTH_PREFIX_BYTES);
  private headerFill = 0;
  private body: Uint8Array | null = null;
  private bodyFill = 0;

  constructor(private readonly maxFrameBytes: number) {}

  /** Feeds a chunk; returns the bodies it completed (empty ones are keepalives). */
  push(chunk: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    let i = 0;
    while (i < chunk.length) {
      if (this.body === null) {
        const n = Math.min(LENGTH_PREFIX_BYTES - this.headerFill, chunk.length - i);
        this.header.set(chunk.subarray(i, i + n), this.headerFill);
        this.headerFill += n;
        i += n;
        if (this.headerFill < LENGTH_PREFIX_BYTES) break;
        const length = new DataView(this.header.buffer).getUint32(0);
        this.headerFill = 0;
        if (length > this.maxFrameBytes) {
          throw new OverlayError('FRAME_TOO_LARGE', 'declared frame length exceeds the maximum', {
            length,
            maxFrameBytes: this.maxFrameBytes,
          });
        }
        if (length === 0) {
          out.push(new Uint8Array(0));
          continue;
        }
        this.body = new Uint8Array(length);
        this.bodyFill = 0;
      }
      const n = Math.min(this.body.length - this.bodyFill, chunk.length - i);
      this.body.set(chunk.subarray(i, i + n), this.bodyFill);
      this.bodyFill += n;
      i += n;
      if (this.bodyFill === this.body.length) {
        out.push(this.body);
        this.body = null;
      }
    }
    return out;
  }

  /** Bytes of a partial frame held now (for tests and stats). */
  get buffered(): number {
    return this.headerFill + (this.body ? this.bodyFill : 0);
  }
}
