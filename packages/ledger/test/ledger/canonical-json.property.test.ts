/**
 * canonicalJson takes a native fast path for "JSON-exact" values and a general writer otherwise; both
 * must give exactly the text of the straightforward RFC 8785 writer below (the implementation before the
 * fast path), and the same errors at the same paths.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyPlain } from '../../src/domain/state.js';
import { LedgerError } from '../../src/errors.js';
import { canonicalJson, isJsonExact } from '../../src/ledger/canonical-json.js';

function reference(v: unknown, path = '', depth = 0): string {
  const bad = (m: string): never => {
    throw new LedgerError('LEDGER_NOT_CANONICAL_JSON', `${m} at ${path || '$'}`, { path: path || '$' });
  };
  if (depth > 64) bad('nesting deeper than 64');
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(v)) bad('non-finite number');
      return Object.is(v, -0) ? '0' : String(v);
    case 'string':
      return JSON.stringify(v);
    case 'object': {
      if (Array.isArray(v)) {
        const parts: string[] = [];
        for (let i = 0; i < v.length; i++) parts.push(reference(v[i], `${path}[${i}]`, depth + 1));
        return `[${parts.join(',')}]`;
      }
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) bad('not a plain object');
      const r = v as Record<string, unknown>;
      const keys = Object.keys(r)
        .filter((k) => r[k] !== undefined)
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${keys.map((k) => `${JSON.stringify(k)}:${reference(r[k], `${path}.${k}`, depth + 1)}`).join(',')}}`;
    }
    default:
      return bad(`unsupported ${typeof v}`);
  }
}

const outcome = (f: () => string): string => {
  try {
    return `ok ${f()}`;
  } catch (e) {
    return e instanceof LedgerError ? `${e.code} ${e.message}` : `other ${String(e)}`;
  }
};

const key = fc.oneof(
  fc.constantFrom('a', 'b', 'type', 'subject', 'data', '10', '9', '__proto__', 'é', '\u{1f600}', 'B'),
  fc.string({ unit: 'binary', maxLength: 6 }),
);
const jsonish: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.double(),
    fc.integer(),
    fc.constantFrom(0, -0, 1e21, 1e-7, Number.NaN, Number.POSITIVE_INFINITY, undefined),
    fc.string({ unit: 'binary', maxLength: 10 }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 5 }),
    fc.dictionary(key, tie('value'), { maxKeys: 5 }).map((d) => {
      // Keys inserted in sorted order: the fast path's shape.
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(d).sort()) out[k] = d[k];
      return out;
    }),
  ),
})).value;

function deep(n: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < n; i++) v = { a: v };
  return v;
}

describe('canonicalJson', () => {
  it('writes exactly what the reference writer writes, errors included', () => {
    fc.assert(
      fc.property(jsonish, (v) => {
        expect(outcome(() => canonicalJson(v))).toBe(outcome(() => reference(v)));
      }),
      { numRuns: 3000 },
    );
  });

  it('JSON-exact values parse back to a deep copy with the same key order', () => {
    fc.assert(
      fc.property(jsonish, (v) => {
        if (!isJsonExact(v)) return;
        const text = canonicalJson(v);
        expect(text).toBe(JSON.stringify(v));
        const back = JSON.parse(text);
        expect(JSON.stringify(back)).toBe(text);
        expect(back).toStrictEqual(v);
      }),
      { numRuns: 3000 },
    );
  });

  it('handles edge shapes like the reference', () => {
    const cases: unknown[] = [
      { b: 1, a: [1, -0, { d: undefined, c: 'x' }] },
      { 10: 1, 9: 2, a: 3 },
      [1, undefined],
      // biome-ignore lint/suspicious/noSparseArray: a hole is one of the shapes checked
      [1, , 2],
      Object.assign(Object.create(null), { z: 1, y: 2 }),
      new Date(0),
      { a: 1n },
      { a: () => 1 },
      deep(64),
      deep(65),
      { s: '\ud800', t: '"\\\n' },
    ];
    for (const v of cases) expect(outcome(() => canonicalJson(v))).toBe(outcome(() => reference(v)));
    expect(isJsonExact({ b: 1, a: 2 })).toBe(false);
    expect(isJsonExact({ a: -0 })).toBe(false);
    expect(isJsonExact({ a: 1, b: [true, null, 'x', { c: 1.5 }] })).toBe(true);
  });
});

describe('copyPlain', () => {
  it('copies like structuredClone, sharing nothing', () => {
    fc.assert(
      fc.property(jsonish, (v) => {
        const c = copyPlain(v);
        expect(c).toStrictEqual(structuredClone(v));
        if (typeof v === 'object' && v !== null) expect(c).not.toBe(v);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps an own __proto__ key a key', () => {
    const v = JSON.parse('{"__proto__":{"x":1},"a":[1,{"b":2}]}');
    const c = copyPlain(v) as Record<string, unknown>;
    expect(Object.getPrototypeOf(c)).toBe(Object.prototype);
    expect(Object.keys(c)).toEqual(['__proto__', 'a']);
    expect(JSON.stringify(c)).toBe(JSON.stringify(v));
  });
});
