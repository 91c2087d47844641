/**
 * Canonical JSON (RFC 8785, JCS) for domain data: state values and transaction results.
 *
 * Why not deterministic CBOR, like everything else that is hashed? Domain records carry non-integer
 * numbers (site coordinates, scan positions, distances) and our CBOR profile deliberately has no floats.
 * JCS serializes numbers with the ECMAScript shortest round-trip algorithm (exactly specified, identical
 * on every conforming engine) and sorts object keys by UTF-16 code units, so equal values give equal bytes.
 * These bytes are what is hashed (state commitment, results hash, log leaves) and what SQLite stores.
 */
import { LedgerError } from '../errors.js';

function bad(message: string, path: string): never {
  throw new LedgerError('LEDGER_NOT_CANONICAL_JSON', `${message} at ${path || '$'}`, { path: path || '$' });
}

function write(v: unknown, path: string, out: string[], depth: number): void {
  if (depth > 64) bad('nesting deeper than 64', path);
  if (v === null) {
    out.push('null');
    return;
  }
  switch (typeof v) {
    case 'boolean':
      out.push(v ? 'true' : 'false');
      return;
    case 'number':
      if (!Number.isFinite(v)) bad('non-finite number', path);
      // -0 serializes as 0 (JCS); String() is ECMAScript Number::toString, the JCS number format.
      out.push(Object.is(v, -0) ? '0' : String(v));
      return;
    case 'string':
      out.push(JSON.stringify(v));
      return;
    case 'object': {
      if (Array.isArray(v)) {
        out.push('[');
        for (let i = 0; i < v.length; i++) {
          if (i > 0) out.push(',');
          write(v[i], `${path}[${i}]`, out, depth + 1);
        }
        out.push(']');
        return;
      }
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) bad('not a plain object', path);
      const keys = Object.keys(v as object)
        .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      out.push('{');
      keys.forEach((k, i) => {
        if (i > 0) out.push(',');
        out.push(JSON.stringify(k), ':');
        write((v as Record<string, unknown>)[k], `${path}.${k}`, out, depth + 1);
      });
      out.push('}');
      return;
    }
    default:
      bad(`unsupported ${typeof v}`, path);
  }
}

/** The canonical JSON text of `v`. Properties whose value is undefined are absent (as in JSON). */
export function canonicalJson(v: unknown): string {
  const out: string[] = [];
  write(v, '', out, 0);
  return out.join('');
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
