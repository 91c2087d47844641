/**
 * Deterministic CBOR encoder: RFC 8949 §4.2.1 "Core Deterministic Encoding Requirements".
 *
 * - integers and lengths use the shortest argument form (§4.2.1, first bullet);
 * - indefinite-length items are never produced;
 * - map keys are sorted by the bytewise lexicographic order of their deterministic encodings;
 * - floating point, tags, `undefined` and other simple values are not part of our data model and
 *   are rejected, so there is exactly one encoding for every value we accept.
 */
import { LedgerError } from '../errors.js';
import {
  type CborMapKey,
  type CborValue,
  MT_ARRAY,
  MT_BYTES,
  MT_MAP,
  MT_NEGATIVE,
  MT_TEXT,
  MT_UNSIGNED,
  SIMPLE_FALSE,
  SIMPLE_NULL,
  SIMPLE_TRUE,
  UINT64_MAX,
} from './types.js';

const textEncoder = new TextEncoder();
/** A lone surrogate has no UTF-8 encoding; TextEncoder would silently substitute U+FFFD. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Guards against cycles and absurd nesting while encoding (decoding has its own limit). */
const MAX_ENCODE_DEPTH = 64;

/** Growable output buffer. */
class Writer {
  buf: Uint8Array;
  view: DataView;
  len = 0;

  constructor(capacity = 256) {
    this.buf = new Uint8Array(capacity);
    this.view = new DataView(this.buf.buffer);
  }

  reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  byte(b: number): void {
    this.reserve(1);
    this.buf[this.len++] = b;
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  /** Initial byte plus the shortest argument for `n` (RFC 8949 §3 and §4.2.1). */
  head(major: number, n: number | bigint): void {
    const mt = major << 5;
    if (typeof n === 'bigint') {
      if (n <= 0xffffffffn) {
        this.head(major, Number(n));
        return;
      }
      this.reserve(9);
      this.buf[this.len++] = mt | 27;
      this.view.setBigUint64(this.len, n);
      this.len += 8;
      return;
    }
    if (n < 24) {
      this.byte(mt | n);
    } else if (n <= 0xff) {
      this.reserve(2);
      this.buf[this.len++] = mt | 24;
      this.buf[this.len++] = n;
    } else if (n <= 0xffff) {
      this.reserve(3);
      this.buf[this.len++] = mt | 25;
      this.view.setUint16(this.len, n);
      this.len += 2;
    } else if (n <= 0xffffffff) {
      this.reserve(5);
      this.buf[this.len++] = mt | 26;
      this.view.setUint32(this.len, n);
      this.len += 4;
    } else {
      this.head(major, BigInt(n));
    }
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/**
 * The path to the value being encoded, kept as a stack of segments and joined only when an error
 * is reported: building path strings eagerly would dominate the cost of encoding.
 */
type Path = (string | number)[];

function pathText(path: Path): string {
  let out = '$';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : `.${seg}`;
  return out;
}

function fail(code: string, message: string, path: Path): never {
  const where = pathText(path);
  throw new LedgerError(code, `${message} at ${where}`, { path: where });
}

function writeInteger(w: Writer, n: number | bigint, path: Path): void {
  if (typeof n === 'number') {
    if (!Number.isInteger(n)) fail('ENCODE_FLOAT', 'floating-point numbers are not encodable', path);
    if (!Number.isSafeInteger(n)) {
      // An unsafe number has already lost precision; the caller must use bigint.
      fail('ENCODE_UNSAFE_INTEGER', 'integer beyond 2^53-1 must be a bigint', path);
    }
    if (n >= 0) w.head(MT_UNSIGNED, n);
    else w.head(MT_NEGATIVE, -1 - n);
    return;
  }
  if (n >= 0n) {
    if (n > UINT64_MAX) fail('ENCODE_INTEGER_RANGE', 'integer exceeds 2^64-1', path);
    w.head(MT_UNSIGNED, n);
  } else {
    const arg = -1n - n;
    if (arg > UINT64_MAX) fail('ENCODE_INTEGER_RANGE', 'integer below -2^64', path);
    w.head(MT_NEGATIVE, arg);
  }
}

function writeText(w: Writer, s: string, path: Path): void {
  // Fast path: short ASCII strings (field names, codes, ids) are copied byte for byte.
  const n = s.length;
  if (n < 24) {
    let ascii = true;
    for (let i = 0; i < n; i++) {
      if (s.charCodeAt(i) > 0x7f) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      w.reserve(n + 1);
      w.buf[w.len++] = (MT_TEXT << 5) | n;
      for (let i = 0; i < n; i++) w.buf[w.len++] = s.charCodeAt(i);
      return;
    }
  }
  if (LONE_SURROGATE.test(s)) fail('ENCODE_INVALID_TEXT', 'string contains a lone surrogate', path);
  const b = textEncoder.encode(s);
  w.head(MT_TEXT, b.length);
  w.bytes(b);
}

/** Encoded text keys: field names repeat across every record, so encode each once. Bounded. */
const KEY_CACHE_MAX = 4096;
const keyCache = new Map<string, Uint8Array>();

function encodeKey(key: CborMapKey, path: Path): Uint8Array {
  if (typeof key === 'string') {
    const cached = keyCache.get(key);
    if (cached !== undefined) return cached;
  }
  const w = new Writer(16);
  if (typeof key === 'string') writeText(w, key, path);
  else if (typeof key === 'number' || typeof key === 'bigint') writeInteger(w, key, path);
  else fail('ENCODE_BAD_MAP_KEY', 'map keys must be text strings or integers', path);
  const out = w.result();
  if (typeof key === 'string') {
    if (keyCache.size >= KEY_CACHE_MAX) keyCache.clear();
    keyCache.set(key, out);
  }
  return out;
}

/** Bytewise lexicographic order of encoded keys (RFC 8949 §4.2.1). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

interface Entry {
  key: Uint8Array;
  name: CborMapKey;
  value: unknown;
}

function writeMap(w: Writer, entries: [CborMapKey, unknown][], depth: number, path: Path): void {
  const encoded: Entry[] = new Array(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const [name, value] = entries[i]!;
    path.push(String(name));
    encoded[i] = { key: encodeKey(name, path), name, value };
    path.pop();
  }
  encoded.sort((x, y) => compareBytes(x.key, y.key));
  for (let i = 1; i < encoded.length; i++) {
    if (compareBytes(encoded[i - 1]!.key, encoded[i]!.key) === 0) {
      // e.g. a Map holding both 1 and 1n.
      path.push(String(encoded[i]!.name));
      fail('ENCODE_DUPLICATE_KEY', 'map has two keys with the same encoding', path);
    }
  }
  w.head(MT_MAP, encoded.length);
  for (const e of encoded) {
    w.bytes(e.key);
    path.push(String(e.name));
    writeValue(w, e.value, depth + 1, path);
    path.pop();
  }
}

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function writeValue(w: Writer, v: unknown, depth: number, path: Path): void {
  if (depth > MAX_ENCODE_DEPTH) fail('ENCODE_TOO_DEEP', `nesting deeper than ${MAX_ENCODE_DEPTH}`, path);
  switch (typeof v) {
    case 'number':
    case 'bigint':
      writeInteger(w, v, path);
      return;
    case 'string':
      writeText(w, v, path);
      return;
    case 'boolean':
      w.byte(v ? SIMPLE_TRUE : SIMPLE_FALSE);
      return;
    case 'object': {
      if (v === null) {
        w.byte(SIMPLE_NULL);
        return;
      }
      if (v instanceof Uint8Array) {
        w.head(MT_BYTES, v.length);
        w.bytes(v);
        return;
      }
      if (Array.isArray(v)) {
        w.head(MT_ARRAY, v.length);
        for (let i = 0; i < v.length; i++) {
          path.push(i);
          writeValue(w, v[i], depth + 1, path);
          path.pop();
        }
        return;
      }
      if (v instanceof Map) {
        writeMap(w, [...v.entries()], depth, path);
        return;
      }
      if (isPlainObject(v)) {
        // A property whose value is `undefined` is absent, exactly as in JSON and as TypeScript's
        // optional properties mean it; `undefined` anywhere else is rejected.
        const entries: [CborMapKey, unknown][] = [];
        for (const k of Object.keys(v)) {
          const val = (v as Record<string, unknown>)[k];
          if (val !== undefined) entries.push([k, val]);
        }
        writeMap(w, entries, depth, path);
        return;
      }
      fail('ENCODE_UNSUPPORTED_TYPE', `cannot encode ${v.constructor?.name ?? 'object'}`, path);
      break;
    }
    default:
      fail('ENCODE_UNSUPPORTED_TYPE', `cannot encode ${typeof v}`, path);
  }
}

/**
 * Encodes `value` as deterministic CBOR. Throws LedgerError (code ENCODE_*) for values outside the
 * data model described in types.ts.
 */
export function encode(value: unknown): Uint8Array {
  const w = new Writer();
  writeValue(w, value, 0, []);
  return w.result();
}

export type { CborValue };
