/**
 * fast-check arbitraries for the decoder fuzz benchmark: random bytes, random CBOR values, byte-level
 * mutations of valid encodings (bit flips, truncation, extension, insertion, deletion, edits of CBOR
 * length fields) and value-level mutations (a decoded record with a field dropped, added or retyped,
 * re-encoded canonically, so that the schema layer rather than the CBOR layer has to reject it).
 */
import { decode, encode } from '@qm/ledger';
import fc from 'fast-check';

// --- CBOR headers ---------------------------------------------------------------------------------------

interface Header {
  offset: number;
  /** Bytes of the initial byte plus its argument. */
  size: number;
  major: number;
}

/** The item headers of a canonical CBOR encoding, in order (no tags, floats or indefinite lengths). */
export function cborHeaders(bytes: Uint8Array): Header[] {
  const out: Header[] = [];
  let pos = 0;
  const item = (): void => {
    // A previous mutation may have left a count far beyond the input: stop at its end.
    if (pos >= bytes.length) throw new RangeError('truncated');
    const ib = bytes[pos]!;
    const major = ib >> 5;
    const ai = ib & 31;
    const extra = ai < 24 ? 0 : ai === 24 ? 1 : ai === 25 ? 2 : ai === 26 ? 4 : 8;
    let arg = BigInt(ai);
    if (extra > 0) {
      arg = 0n;
      for (let i = 1; i <= extra; i++) arg = (arg << 8n) | BigInt(bytes[pos + i]!);
    }
    out.push({ offset: pos, size: 1 + extra, major });
    pos += 1 + extra;
    const n = Number(arg);
    if (major === 2 || major === 3) pos += n;
    else if (major === 4) for (let i = 0; i < n; i++) item();
    else if (major === 5) for (let i = 0; i < 2 * n; i++) item();
  };
  while (pos < bytes.length) item();
  return out;
}

/** A header of major type `major` with argument `arg`, in `width` argument bytes (0 = shortest form). */
function encodeHeader(major: number, arg: bigint, width: 0 | 1 | 2 | 4 | 8): Uint8Array {
  const shortest = arg < 24n ? 0 : arg < 0x100n ? 1 : arg < 0x10000n ? 2 : arg < 0x100000000n ? 4 : 8;
  const w = width === 0 ? shortest : Math.max(width, shortest);
  if (w === 0) return Uint8Array.of((major << 5) | Number(arg));
  const out = new Uint8Array(1 + w);
  out[0] = (major << 5) | { 1: 24, 2: 25, 4: 26, 8: 27 }[w as 1 | 2 | 4 | 8];
  for (let i = 0; i < w; i++) out[w - i] = Number((arg >> BigInt(8 * i)) & 0xffn);
  return out;
}

const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

// --- byte mutations -------------------------------------------------------------------------------------

const LENGTHS = [
  0n,
  1n,
  23n,
  24n,
  255n,
  256n,
  65_535n,
  65_536n,
  2n ** 32n - 1n,
  2n ** 32n,
  2n ** 53n,
  2n ** 64n - 1n,
];

type ByteMutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'extend'; bytes: Uint8Array }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; count: number }
  | { kind: 'length'; header: number; arg: bigint; width: 0 | 1 | 2 | 4 | 8; major: number | null };

const byteMutation: fc.Arbitrary<ByteMutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat(7) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.nat(255) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('extend' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 8 }) }),
  fc.record({
    kind: fc.constant('length' as const),
    header: fc.nat(),
    // Boundary lengths, or a small change around the real one (arg < 0 means "relative", see below).
    arg: fc.oneof(
      fc.constantFrom(...LENGTHS),
      fc.bigInt({ min: -3n, max: -1n }),
      fc.bigInt({ min: 0n, max: 300n }),
    ),
    width: fc.constantFrom(0 as const, 0 as const, 1 as const, 2 as const, 4 as const, 8 as const),
    // Mostly keep the major type; sometimes turn e.g. a byte string into an array of the same length.
    major: fc.option(fc.nat(7), { freq: 4 }),
  }),
);

function applyByteMutation(b: Uint8Array, m: ByteMutation): Uint8Array {
  const n = b.length;
  switch (m.kind) {
    case 'flip': {
      if (n === 0) return b;
      const out = b.slice();
      out[m.at % n]! ^= 1 << m.bit;
      return out;
    }
    case 'set': {
      if (n === 0) return b;
      const out = b.slice();
      out[m.at % n] = m.value;
      return out;
    }
    case 'truncate':
      return b.slice(0, m.at % Math.max(1, n));
    case 'extend':
      return concat(b, m.bytes);
    case 'insert': {
      const at = m.at % (n + 1);
      return concat(b.subarray(0, at), m.bytes, b.subarray(at));
    }
    case 'delete': {
      const at = m.at % Math.max(1, n);
      return concat(b.subarray(0, at), b.subarray(at + m.count));
    }
    case 'length': {
      let headers: Header[];
      try {
        headers = cborHeaders(b);
      } catch {
        return b; // an earlier mutation already broke the structure: nothing to aim at
      }
      if (headers.length === 0) return b;
      const h = headers[m.header % headers.length]!;
      const ai = b[h.offset]! & 31;
      let old = BigInt(ai);
      if (ai >= 24) {
        old = 0n;
        for (let i = 1; i < h.size; i++) old = (old << 8n) | BigInt(b[h.offset + i] ?? 0);
      }
      const arg = m.arg < 0n ? (old + m.arg < 0n ? old + 1n : old + m.arg) : m.arg;
      const header = encodeHeader(m.major ?? h.major, arg, m.width);
      return concat(b.subarray(0, h.offset), header, b.subarray(h.offset + h.size));
    }
  }
}

// --- value mutations ------------------------------------------------------------------------------------

type Value = unknown;

/** Random values in the encoder's data model (no floats: our CBOR has none). */
export const cborValue: fc.Arbitrary<Value> = fc.letrec<{ v: Value }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.integer({ min: -1000, max: 1_000_000 }),
    fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n - 1n }),
    fc.string({ maxLength: 40 }),
    fc.constantFrom('nominate', 'prepare', 'confirm', 'externalize', 'ed25519', 'registerItem', 'moveItem'),
    fc.uint8Array({ maxLength: 40 }),
    fc.uint8Array({ minLength: 32, maxLength: 32 }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('v'), { maxLength: 5 }),
    fc.dictionary(fc.string({ maxLength: 12 }), tie('v'), { maxKeys: 5 }),
  ),
})).v;

type ValueMutation = { path: number; op: 'drop' | 'add' | 'replace'; key: string; value: Value };

const valueMutation: fc.Arbitrary<ValueMutation> = fc.record({
  path: fc.nat(),
  op: fc.constantFrom('drop' as const, 'add' as const, 'replace' as const),
  key: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('type', 'extra', 'seq', 'txs', 'statement')),
  value: cborValue,
});

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);

/** Every container (array or record) in a decoded value, depth first. */
function containers(v: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(v)) {
    out.push(v);
    for (const x of v) containers(x, out);
  } else if (isRecord(v)) {
    out.push(v);
    for (const x of Object.values(v)) containers(x, out);
  }
  return out;
}

/** Decodes (generically), edits one container, re-encodes; undefined when the edit cannot be encoded. */
function applyValueMutation(b: Uint8Array, m: ValueMutation): Uint8Array | undefined {
  let v: unknown;
  try {
    v = decode(b, { maxBytes: 8 * 1024 * 1024, maxStringBytes: 4 * 1024 * 1024, maxItems: 1 << 20 });
  } catch {
    return undefined;
  }
  const cs = containers(v);
  if (cs.length === 0) return undefined;
  const c = cs[m.path % cs.length]!;
  if (Array.isArray(c)) {
    const i = c.length === 0 ? 0 : m.path % c.length;
    if (m.op === 'drop') c.splice(i, 1);
    else if (m.op === 'add') c.splice(i, 0, m.value);
    else c[i] = m.value;
  } else if (isRecord(c)) {
    const keys = Object.keys(c);
    const key = m.op === 'add' || keys.length === 0 ? m.key : keys[m.path % keys.length]!;
    if (m.op === 'drop') delete c[key];
    else c[key] = m.value;
  }
  try {
    return encode(v);
  } catch {
    return undefined;
  }
}

// --- the input arbitrary --------------------------------------------------------------------------------

export type CaseKind = 'random-bytes' | 'random-cbor' | 'byte-mutation' | 'value-mutation' | 'hostile';

/**
 * Shapes random generation rarely reaches: nesting thousands deep (stack), huge declared lengths and
 * counts (allocation), and arrays of more items than any limit allows (work).
 */
const hostile: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc
    .tuple(fc.integer({ min: 1, max: 5_000 }), fc.constantFrom([0x81], [0xa1, 0x61, 0x61], [0x82, 0x00]))
    .map(([depth, opener]) => {
      const out = new Uint8Array(depth * opener.length + 1);
      for (let i = 0; i < depth; i++) out.set(opener, i * opener.length);
      return out; // innermost item: the trailing 0x00
    }),
  fc
    .tuple(fc.nat(7), fc.constantFrom(...LENGTHS), fc.uint8Array({ maxLength: 32 }))
    .map(([major, n, tail]) => concat(encodeHeader(major, n, 0), tail)),
  fc
    .tuple(fc.constantFrom(4, 5), fc.integer({ min: 30_000, max: 70_000 }))
    .map(([major, n]) => concat(encodeHeader(major, BigInt(n), 0), new Uint8Array(major === 5 ? 2 * n : n))),
);

export interface Case {
  kind: CaseKind;
  bytes: Uint8Array;
}

/** Inputs for a decoder whose valid encodings are `valid`. */
export function inputs(valid: readonly Uint8Array[]): fc.Arbitrary<Case> {
  const base = fc.constantFrom(...valid);
  return fc.oneof(
    {
      arbitrary: fc.uint8Array({ maxLength: 600 }).map((bytes) => ({ kind: 'random-bytes' as const, bytes })),
      weight: 2,
    },
    {
      arbitrary: cborValue.map((v) => ({ kind: 'random-cbor' as const, bytes: encode(v) })),
      weight: 1,
    },
    {
      arbitrary: fc
        .tuple(base, fc.array(byteMutation, { minLength: 1, maxLength: 3 }))
        .map(([b, ms]) => ({ kind: 'byte-mutation' as const, bytes: ms.reduce(applyByteMutation, b) })),
      weight: 5,
    },
    {
      arbitrary: fc.tuple(base, fc.array(valueMutation, { minLength: 1, maxLength: 2 })).map(([b, ms]) => ({
        kind: 'value-mutation' as const,
        bytes: ms.reduce<Uint8Array>((acc, m) => applyValueMutation(acc, m) ?? acc, b),
      })),
      weight: 2,
    },
    { arbitrary: hostile.map((bytes) => ({ kind: 'hostile' as const, bytes })), weight: 1 },
  );
}
