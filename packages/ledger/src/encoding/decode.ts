/**
 * Strict deterministic CBOR decoder (RFC 8949 §4.2.1). It accepts exactly the bytes `encode` would
 * produce and nothing else, so that every accepted input has one hash:
 * non-shortest arguments, indefinite lengths, unsorted or duplicate map keys, floats, tags, simple
 * values other than false/true/null, invalid UTF-8 and trailing bytes are all rejected.
 *
 * For untrusted input the only exception this module throws is DecodeError.
 */
import { DecodeError } from '../errors.js';
import { type DecodeLimits, resolveLimits } from './limits.js';
import {
  MT_ARRAY,
  MT_BYTES,
  MT_MAP,
  MT_NEGATIVE,
  MT_TAG,
  MT_TEXT,
  MT_UNSIGNED,
  SIMPLE_FALSE,
  SIMPLE_NULL,
  SIMPLE_TRUE,
} from './types.js';

// ignoreBOM: keep a leading U+FEFF as data; stripping it would make two encodings decode alike.
const textDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export const DECODE_ERROR_CODES = [
  'DECODE_INVALID_INPUT',
  'DECODE_TOO_LARGE',
  'DECODE_TRUNCATED',
  'DECODE_TRAILING_BYTES',
  'DECODE_NON_CANONICAL',
  'DECODE_INDEFINITE_LENGTH',
  'DECODE_RESERVED',
  'DECODE_FLOAT',
  'DECODE_TAG',
  'DECODE_UNSUPPORTED_SIMPLE',
  'DECODE_INVALID_UTF8',
  'DECODE_BAD_MAP_KEY',
  'DECODE_UNSORTED_KEYS',
  'DECODE_DUPLICATE_KEY',
  'DECODE_TOO_DEEP',
  'DECODE_TOO_MANY_ITEMS',
  'DECODE_STRING_TOO_LONG',
] as const;

class Reader {
  pos = 0;
  items = 0;
  readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    readonly limits: DecodeLimits,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  fail(code: string, message: string): never {
    throw new DecodeError(code, `${message} (offset ${this.pos})`, { offset: this.pos });
  }

  need(n: number): void {
    if (n > this.bytes.length - this.pos) this.fail('DECODE_TRUNCATED', 'unexpected end of input');
  }

  /** Major type of the head head() read last (a field, not a returned pair: no allocation per item). */
  major = 0;

  /**
   * Reads an item head: sets `major` and returns the argument, a number when it fits in 2^53-1, else a
   * bigint. Non-shortest arguments are rejected (§4.2.1).
   */
  head(): number | bigint {
    this.need(1);
    const start = this.pos;
    const initial = this.bytes[start]!;
    const major = initial >> 5;
    const info = initial & 0x1f;
    if (major === MT_TAG) this.fail('DECODE_TAG', 'tags are not allowed');
    if (major === 7) this.simple(info);
    this.pos++;
    this.major = major;
    if (info < 24) return info;
    switch (info) {
      case 24: {
        this.need(1);
        const v = this.bytes[this.pos++]!;
        if (v < 24) this.nonShortest(start);
        return v;
      }
      case 25: {
        this.need(2);
        const v = this.view.getUint16(this.pos);
        this.pos += 2;
        if (v <= 0xff) this.nonShortest(start);
        return v;
      }
      case 26: {
        this.need(4);
        const v = this.view.getUint32(this.pos);
        this.pos += 4;
        if (v <= 0xffff) this.nonShortest(start);
        return v;
      }
      case 27: {
        this.need(8);
        const v = this.view.getBigUint64(this.pos);
        this.pos += 8;
        if (v <= 0xffffffffn) this.nonShortest(start);
        return v <= MAX_SAFE ? Number(v) : v;
      }
      case 31:
        this.pos--;
        return this.fail('DECODE_INDEFINITE_LENGTH', 'indefinite-length items are not allowed');
      default:
        this.pos--;
        return this.fail('DECODE_RESERVED', `reserved additional information ${info}`);
    }
  }

  nonShortest(start: number): never {
    this.pos = start;
    return this.fail('DECODE_NON_CANONICAL', 'integer or length not in shortest form');
  }

  /** Major type 7: only false, true and null reach the caller; everything else is rejected here. */
  simple(info: number): void {
    if (info >= 25 && info <= 27) this.fail('DECODE_FLOAT', 'floating-point values are not allowed');
    if (info === 31) this.fail('DECODE_INDEFINITE_LENGTH', 'break code outside an indefinite item');
    if (info >= 28) this.fail('DECODE_RESERVED', `reserved additional information ${info}`);
    const initial = 0xe0 | info;
    if (initial !== SIMPLE_FALSE && initial !== SIMPLE_TRUE && initial !== SIMPLE_NULL) {
      this.fail('DECODE_UNSUPPORTED_SIMPLE', 'only false, true and null simple values are allowed');
    }
  }

  /** A length or count argument, checked against the remaining input before anything is allocated. */
  length(arg: number | bigint, minBytesPerUnit: number): number {
    if (typeof arg === 'bigint' || arg * minBytesPerUnit > this.bytes.length - this.pos) {
      this.fail('DECODE_TRUNCATED', 'declared length exceeds the remaining input');
    }
    return arg;
  }

  countItems(n: number): void {
    this.items += n;
    if (this.items > this.limits.maxItems) {
      this.fail('DECODE_TOO_MANY_ITEMS', `more than ${this.limits.maxItems} data items`);
    }
  }

  stringBytes(arg: number | bigint): Uint8Array {
    if (typeof arg === 'number' && arg > this.limits.maxStringBytes) {
      this.fail('DECODE_STRING_TOO_LONG', `string longer than ${this.limits.maxStringBytes} bytes`);
    }
    const n = this.length(arg, 1);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  value(depth: number): unknown {
    const start = this.pos;
    if (this.pos < this.bytes.length) {
      const b = this.bytes[this.pos]!;
      // Fast path for the three simple values we accept.
      if (b === SIMPLE_FALSE || b === SIMPLE_TRUE || b === SIMPLE_NULL) {
        this.pos++;
        return b === SIMPLE_NULL ? null : b === SIMPLE_TRUE;
      }
    }
    const arg = this.head();
    switch (this.major) {
      case MT_UNSIGNED:
        return arg;
      case MT_NEGATIVE:
        // -1 - (2^53-1) is exactly representable but not a safe integer: it goes through bigint.
        if (typeof arg === 'number' && arg < Number.MAX_SAFE_INTEGER) return -1 - arg;
        return toSafe(-1n - BigInt(arg));
      case MT_BYTES:
        // Copy so the result does not alias (and pin) the caller's buffer.
        return this.stringBytes(arg).slice();
      case MT_TEXT: {
        const raw = this.stringBytes(arg);
        const ascii = asciiString(raw);
        if (ascii !== undefined) return ascii;
        try {
          return textDecoder.decode(raw);
        } catch {
          this.pos = start;
          return this.fail('DECODE_INVALID_UTF8', 'text string is not valid UTF-8');
        }
      }
      case MT_ARRAY: {
        if (depth >= this.limits.maxDepth) this.tooDeep(start);
        const n = this.length(arg, 1);
        this.countItems(n);
        const out: unknown[] = new Array(n);
        for (let i = 0; i < n; i++) out[i] = this.value(depth + 1);
        return out;
      }
      case MT_MAP:
        if (depth >= this.limits.maxDepth) this.tooDeep(start);
        return this.map(this.length(arg, 2), depth);
      default:
        return this.fail('DECODE_RESERVED', `unexpected major type ${this.major}`);
    }
  }

  tooDeep(start: number): never {
    this.pos = start;
    return this.fail('DECODE_TOO_DEEP', `nesting deeper than ${this.limits.maxDepth}`);
  }

  map(n: number, depth: number): unknown {
    this.countItems(2 * n);
    const keys: (string | number | bigint)[] = new Array(n);
    const values: unknown[] = new Array(n);
    let allText = true;
    let prevStart = -1;
    let prevEnd = -1;
    for (let i = 0; i < n; i++) {
      const keyStart = this.pos;
      this.need(1);
      const major = this.bytes[keyStart]! >> 5;
      if (major !== MT_UNSIGNED && major !== MT_NEGATIVE && major !== MT_TEXT) {
        this.fail('DECODE_BAD_MAP_KEY', 'map keys must be text strings or integers');
      }
      const key = this.value(depth + 1) as string | number | bigint;
      const keyEnd = this.pos;
      if (prevStart >= 0) {
        const order = compareRanges(this.bytes, prevStart, prevEnd, keyStart, keyEnd);
        if (order >= 0) {
          this.pos = keyStart;
          if (order === 0) this.fail('DECODE_DUPLICATE_KEY', 'duplicate map key');
          this.fail('DECODE_UNSORTED_KEYS', 'map keys not in bytewise order of their encodings');
        }
      }
      prevStart = keyStart;
      prevEnd = keyEnd;
      if (typeof key !== 'string') allText = false;
      keys[i] = key;
      values[i] = this.value(depth + 1);
    }
    if (!allText) return new Map(keys.map((k, i) => [k, values[i]]));
    const obj: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
      const k = keys[i] as string;
      // '__proto__' must become an own data property, not a prototype change.
      if (k === '__proto__') {
        Object.defineProperty(obj, k, {
          value: values[i],
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else {
        obj[k] = values[i];
      }
    }
    return obj;
  }
}

/** compareBytes of bytes[a0, a1) and bytes[b0, b1), without making views of them. */
function compareRanges(bytes: Uint8Array, a0: number, a1: number, b0: number, b1: number): number {
  const n = Math.min(a1 - a0, b1 - b0);
  for (let i = 0; i < n; i++) {
    const d = bytes[a0 + i]! - bytes[b0 + i]!;
    if (d !== 0) return d;
  }
  return a1 - a0 - (b1 - b0);
}

/** Short all-ASCII strings (field names, codes) skip TextDecoder, which costs more than they do. */
function asciiString(raw: Uint8Array): string | undefined {
  if (raw.length > 32) return undefined;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i]!;
    if (b > 0x7f) return undefined;
    out += String.fromCharCode(b);
  }
  return out;
}

function toSafe(n: bigint): number | bigint {
  return n >= -MAX_SAFE && n <= MAX_SAFE ? Number(n) : n;
}

/**
 * Decodes one deterministic CBOR data item occupying all of `bytes`.
 * Throws DecodeError (code DECODE_*) on any deviation from the deterministic encoding or a limit.
 */
export function decode(bytes: Uint8Array, limits?: Partial<DecodeLimits>): unknown {
  if (!(bytes instanceof Uint8Array)) {
    throw new DecodeError('DECODE_INVALID_INPUT', 'input must be a Uint8Array');
  }
  const lim = resolveLimits(limits);
  if (bytes.length > lim.maxBytes) {
    throw new DecodeError('DECODE_TOO_LARGE', `input of ${bytes.length} bytes exceeds ${lim.maxBytes}`, {
      size: bytes.length,
    });
  }
  const r = new Reader(bytes, lim);
  const value = r.value(0);
  if (r.pos !== bytes.length) r.fail('DECODE_TRAILING_BYTES', 'bytes remain after the data item');
  return value;
}
