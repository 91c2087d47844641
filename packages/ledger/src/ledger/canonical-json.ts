/**
 * Canonical JSON (RFC 8785, JCS) for domain data: state values and transaction results.
 *
 * Why not deterministic CBOR, like everything else that is hashed? Domain records carry non-integer
 * numbers (site coordinates, scan positions, distances) and our CBOR profile deliberately has no floats.
 * JCS serializes numbers with the ECMAScript shortest round-trip algorithm (exactly specified, identical
 * on every conforming engine) and sorts object keys by UTF-16 code units, so equal values give equal bytes.
 * These bytes are what is hashed (state commitment, results hash, log leaves) and what SQLite stores.
 *
 * Speed: most domain records are built with their keys already in code-unit order and hold only plain
 * data. For such a value ("JSON-exact", see isJsonExact) JCS and JSON.stringify write the same text
 * (same number format, same string escapes, keys in own-property order = sorted order), so the native
 * serializer does the work after one checking walk; anything else takes the general writer below.
 */
import { LedgerError } from '../errors.js';

const MAX_DEPTH = 64;

function bad(message: string, path: string): never {
  throw new LedgerError('LEDGER_NOT_CANONICAL_JSON', `${message} at ${path || '$'}`, { path: path || '$' });
}

/**
 * True when `v` is plain JSON data that JSON.stringify writes canonically and JSON.parse gives back
 * exactly: null, booleans, strings, finite numbers other than -0, dense arrays of such values, and
 * objects with Object.prototype whose own keys are in code-unit order with no undefined value, at most
 * 64 levels deep. Then canonicalJson(v) === JSON.stringify(v), and JSON.parse of that text is a deep
 * copy of `v` (same keys in the same order, same values).
 */
export function isJsonExact(v: unknown): boolean {
  return exact(v, 0);
}

function exact(v: unknown, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(v) && !Object.is(v, -0);
    case 'object': {
      if (v === null) return true;
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) {
          if (!(i in v) || !exact(v[i], depth + 1)) return false;
        }
        return true;
      }
      if (Object.getPrototypeOf(v) !== Object.prototype) return false;
      let prev: string | undefined;
      for (const k in v) {
        // for-in also walks inherited enumerable keys; Object.prototype has none unless polluted.
        if (!Object.hasOwn(v, k)) return false;
        if (prev !== undefined && !(prev < k)) return false;
        prev = k;
        const x = (v as Record<string, unknown>)[k];
        if (x === undefined || !exact(x, depth + 1)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Thrown by the unchecked writer below; canonicalJson then re-runs the checking writer for the error. */
const NOT_CANONICAL: unique symbol = Symbol('not canonical');

/**
 * The general writer: sorts keys and drops undefined properties. It names no paths (building them for
 * every value costs more than the writing): on any problem it throws NOT_CANONICAL and canonicalJson
 * asks `check` where the problem is.
 */
function write(v: unknown, depth: number): string {
  if (depth > MAX_DEPTH) throw NOT_CANONICAL;
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(v)) throw NOT_CANONICAL;
      // -0 serializes as 0 (JCS); String() is ECMAScript Number::toString, the JCS number format.
      return Object.is(v, -0) ? '0' : String(v);
    case 'string':
      return JSON.stringify(v);
    case 'object': {
      if (Array.isArray(v)) {
        let out = '[';
        for (let i = 0; i < v.length; i++) {
          if (i > 0) out += ',';
          out += write(v[i], depth + 1);
        }
        return `${out}]`;
      }
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) throw NOT_CANONICAL;
      const rec = v as Record<string, unknown>;
      const keys = Object.keys(rec).sort(byCodeUnits);
      let out = '{';
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        const x = rec[k];
        if (x === undefined) continue;
        if (out.length > 1) out += ',';
        out += `${JSON.stringify(k)}:${exact(x, depth + 1) ? JSON.stringify(x) : write(x, depth + 1)}`;
      }
      return `${out}}`;
    }
    default:
      throw NOT_CANONICAL;
  }
}

/** Throws LEDGER_NOT_CANONICAL_JSON naming the first value `write` refuses, in its order. */
function check(v: unknown, path: string, depth: number): void {
  if (depth > MAX_DEPTH) bad(`nesting deeper than ${MAX_DEPTH}`, path);
  if (v === null) return;
  switch (typeof v) {
    case 'boolean':
    case 'string':
      return;
    case 'number':
      if (!Number.isFinite(v)) bad('non-finite number', path);
      return;
    case 'object': {
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) check(v[i], `${path}[${i}]`, depth + 1);
        return;
      }
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) bad('not a plain object', path);
      const rec = v as Record<string, unknown>;
      for (const k of Object.keys(rec).sort(byCodeUnits)) {
        if (rec[k] !== undefined) check(rec[k], `${path}.${k}`, depth + 1);
      }
      return;
    }
    default:
      bad(`unsupported ${typeof v}`, path);
  }
}

/** The canonical JSON text of `v`. Properties whose value is undefined are absent (as in JSON). */
export function canonicalJson(v: unknown): string {
  if (exact(v, 0)) return JSON.stringify(v);
  try {
    return write(v, 0);
  } catch (e) {
    if (e !== NOT_CANONICAL) throw e;
    check(v, '', 0);
    throw e; // unreachable: check finds what write refused
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 bytes of the canonical JSON of `v`. */
export function canonicalJsonBytes(v: unknown): Uint8Array {
  return encoder.encode(canonicalJson(v));
}

/** Parses canonical JSON bytes (throws LEDGER_NOT_CANONICAL_JSON if they are not exactly canonical). */
export function parseCanonicalJson(bytes: Uint8Array): unknown {
  let v: unknown;
  try {
    v = JSON.parse(decoder.decode(bytes));
  } catch {
    bad('not UTF-8 JSON', '');
  }
  const again = canonicalJsonBytes(v);
  if (again.length !== bytes.length || !again.every((b, i) => b === bytes[i])) bad('not canonical', '');
  return v;
}
