// The CBOR the dashboard needs (RFC 8949): deterministic encoding of unsigned integers, text, byte
// strings, arrays and text-keyed maps (to recompute leaf, header and network hashes), and a bounded
// decoder for receipts, which the node sends as CBOR bytes. Not a general CBOR library.

export type Bytes = Uint8Array;
export type CborValue = number | string | Bytes | CborValue[] | { readonly [key: string]: CborValue };
/** What the decoder returns: CborValue plus booleans, null and negative integers. */
export type CborDecoded =
  | number
  | string
  | boolean
  | null
  | Bytes
  | CborDecoded[]
  | { [key: string]: CborDecoded };

function concat(parts: readonly Bytes[]): Bytes {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function head(major: number, n: number): Bytes {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError('CBOR length or integer out of range');
  const m = major << 5;
  if (n < 24) return Uint8Array.of(m | n);
  if (n < 0x100) return Uint8Array.of(m | 24, n);
  if (n < 0x10000) return Uint8Array.of(m | 25, n >> 8, n & 0xff);
  if (n < 0x100000000) return Uint8Array.of(m | 26, n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
  const hi = Math.floor(n / 0x100000000);
  const lo = n >>> 0;
  return Uint8Array.of(
    m | 27,
    hi >>> 24,
    (hi >>> 16) & 0xff,
    (hi >>> 8) & 0xff,
    hi & 0xff,
    lo >>> 24,
    (lo >>> 16) & 0xff,
    (lo >>> 8) & 0xff,
    lo & 0xff,
  );
}

function compareBytes(a: Bytes, b: Bytes): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Deterministic CBOR (RFC 8949 §4.2.1): shortest heads, map keys sorted by their encoded bytes. */
export function cborEncode(v: CborValue): Bytes {
  if (typeof v === 'number') return head(0, v);
  if (typeof v === 'string') {
    const b = new TextEncoder().encode(v);
    return concat([head(3, b.length), b]);
  }
  if (v instanceof Uint8Array) return concat([head(2, v.length), v]);
  if (Array.isArray(v)) return concat([head(4, v.length), ...v.map(cborEncode)]);
  const entries = Object.entries(v as { readonly [key: string]: CborValue })
    .map(([k, x]) => ({ key: cborEncode(k), value: cborEncode(x) }))
    .sort((a, b) => compareBytes(a.key, b.key));
  return concat([head(5, entries.length), ...entries.flatMap((e) => [e.key, e.value])]);
}

export class CborError extends Error {}

export interface DecodeLimits {
  readonly maxDepth: number;
  readonly maxItems: number;
}

const DEFAULT_LIMITS: DecodeLimits = { maxDepth: 8, maxItems: 2_000_000 };

/** Decodes one CBOR item that fills `bytes`; throws CborError on anything malformed or unsupported. */
export function cborDecode(bytes: Bytes, limits: DecodeLimits = DEFAULT_LIMITS): CborDecoded {
  let at = 0;
  let items = 0;
  const need = (n: number) => {
    if (at + n > bytes.length) throw new CborError('CBOR ends early');
  };
  const readArg = (info: number): number => {
    if (info < 24) return info;
    const size = info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : info === 27 ? 8 : 0;
    if (size === 0) throw new CborError('indefinite lengths are not accepted');
    need(size);
    let n = 0;
    for (let i = 0; i < size; i++) n = n * 256 + bytes[at + i]!;
    at += size;
    if (!Number.isSafeInteger(n)) throw new CborError('integer beyond 2^53');
    return n;
  };
  const text = new TextDecoder('utf-8', { fatal: true });
  const item = (depth: number): CborDecoded => {
    if (depth > limits.maxDepth) throw new CborError('CBOR nested too deep');
    if (++items > limits.maxItems) throw new CborError('CBOR has too many items');
    need(1);
    const first = bytes[at++]!;
    const major = first >> 5;
    const info = first & 0x1f;
    if (major === 7) {
      if (info === 20) return false;
      if (info === 21) return true;
      if (info === 22) return null;
      throw new CborError('floats and other simple values are not accepted');
    }
    const n = readArg(info);
    switch (major) {
      case 0:
        return n;
      case 1:
        return -1 - n;
      case 2:
        need(n);
        at += n;
        return bytes.slice(at - n, at);
      case 3:
        need(n);
        at += n;
        try {
          return text.decode(bytes.subarray(at - n, at));
        } catch {
          throw new CborError('text is not UTF-8');
        }
      case 4: {
        const out: CborDecoded[] = [];
        for (let i = 0; i < n; i++) out.push(item(depth + 1));
        return out;
      }
      case 5: {
        const out: { [key: string]: CborDecoded } = {};
        for (let i = 0; i < n; i++) {
          const k = item(depth + 1);
          if (typeof k !== 'string') throw new CborError('map keys must be text');
          out[k] = item(depth + 1);
        }
        return out;
      }
      default:
        throw new CborError('tags are not accepted');
    }
  };
  const v = item(0);
  if (at !== bytes.length) throw new CborError('bytes after the CBOR item');
  return v;
}
