import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DECODE_LIMITS,
  decode,
  encode,
  MAX_DEPTH_CEILING,
  resolveLimits,
} from '../../src/encoding/index.js';
import { DecodeError, LedgerError } from '../../src/errors.js';
import { expectCode, hex, toHex } from './helpers.js';

// RFC 8949 Appendix A examples that are valid under the core deterministic encoding (§4.2.1):
// everything except floats, tags, undefined/simple values and indefinite-length items.
const RFC8949_VALID: [string, unknown][] = [
  ['00', 0],
  ['01', 1],
  ['0a', 10],
  ['17', 23],
  ['1818', 24],
  ['1819', 25],
  ['1864', 100],
  ['1903e8', 1000],
  ['1a000f4240', 1000000],
  ['1b000000e8d4a51000', 1000000000000],
  ['1bffffffffffffffff', 18446744073709551615n],
  ['3bffffffffffffffff', -18446744073709551616n],
  ['20', -1],
  ['29', -10],
  ['3863', -100],
  ['3903e7', -1000],
  ['f4', false],
  ['f5', true],
  ['f6', null],
  ['40', new Uint8Array()],
  ['4401020304', new Uint8Array([1, 2, 3, 4])],
  ['60', ''],
  ['6161', 'a'],
  ['6449455446', 'IETF'],
  ['62225c', '"\\'],
  ['62c3bc', '\u00fc'],
  ['63e6b0b4', '\u6c34'],
  ['64f0908591', '\ud800\udd51'],
  ['80', []],
  ['83010203', [1, 2, 3]],
  ['8301820203820405', [1, [2, 3], [4, 5]]],
  ['98190102030405060708090a0b0c0d0e0f101112131415161718181819', Array.from({ length: 25 }, (_, i) => i + 1)],
  ['a0', {}],
  [
    'a201020304',
    new Map([
      [1, 2],
      [3, 4],
    ]),
  ],
  ['a26161016162820203', { a: 1, b: [2, 3] }],
  ['826161a161626163', ['a', { b: 'c' }]],
  ['a56161614161626142616361436164614461656145', { a: 'A', b: 'B', c: 'C', d: 'D', e: 'E' }],
];

// RFC 8949 Appendix A examples outside the deterministic data model, with the code we reject them with.
const RFC8949_REJECTED: [string, string][] = [
  ['c249010000000000000000', 'DECODE_TAG'],
  ['c349010000000000000000', 'DECODE_TAG'],
  ['f90000', 'DECODE_FLOAT'],
  ['f93c00', 'DECODE_FLOAT'],
  ['fa47c35000', 'DECODE_FLOAT'],
  ['fb3ff199999999999a', 'DECODE_FLOAT'],
  ['f7', 'DECODE_UNSUPPORTED_SIMPLE'],
  ['f0', 'DECODE_UNSUPPORTED_SIMPLE'],
  ['f8ff', 'DECODE_UNSUPPORTED_SIMPLE'],
  ['c074323031332d30332d32315432303a30343a30305a', 'DECODE_TAG'],
  ['d74401020304', 'DECODE_TAG'],
  ['5f42010243030405ff', 'DECODE_INDEFINITE_LENGTH'],
  ['7f657374726561646d696e67ff', 'DECODE_INDEFINITE_LENGTH'],
  ['9fff', 'DECODE_INDEFINITE_LENGTH'],
  ['bf61610161629f0203ffff', 'DECODE_INDEFINITE_LENGTH'],
  ['83018202039f0405ff', 'DECODE_INDEFINITE_LENGTH'],
];

describe('RFC 8949 Appendix A', () => {
  it.each(RFC8949_VALID)('%s decodes and re-encodes identically', (h, value) => {
    expect(decode(hex(h))).toEqual(value);
    expect(toHex(encode(value))).toBe(h);
  });

  it.each(RFC8949_REJECTED)('%s is rejected with %s', (h, code) => {
    expectCode(() => decode(hex(h)), code, DecodeError);
  });
});

describe('deterministic encoding rules (RFC 8949 §4.2.1)', () => {
  it.each([
    ['1817', 'one-byte argument for 23'],
    ['190017', 'two-byte argument for 23'],
    ['1900ff', 'two-byte argument for 255'],
    ['1a0000ffff', 'four-byte argument for 65535'],
    ['1b00000000ffffffff', 'eight-byte argument for 2^32-1'],
    ['3817', 'negative with long argument'],
    ['580100', 'byte string with long length'],
    ['780161', 'text string with long length'],
    ['980100', 'array with long count'],
    ['b8010000', 'map with long count'],
  ])('rejects non-shortest form %s (%s)', (h) => {
    expectCode(() => decode(hex(h)), 'DECODE_NON_CANONICAL', DecodeError);
  });

  it('sorts map keys bytewise by encoding: shorter text keys first, integers before text', () => {
    expect(toHex(encode({ b: 1, aa: 2 }))).toBe('a261620162616102');
    const mixed = new Map<string | number, number>([
      ['a', 1],
      [-1, 2],
      [10, 3],
    ]);
    expect(toHex(encode(mixed))).toBe('a30a0320026161' + '01');
  });

  it('encodes objects independently of property insertion order', () => {
    expect(encode({ x: 1, y: [1, 2], z: 'q' })).toEqual(encode({ z: 'q', y: [1, 2], x: 1 }));
  });

  it('rejects unsorted and duplicate map keys', () => {
    expectCode(() => decode(hex('a203040102')), 'DECODE_UNSORTED_KEYS', DecodeError);
    expectCode(() => decode(hex('a2626161026162' + '01')), 'DECODE_UNSORTED_KEYS', DecodeError);
    expectCode(() => decode(hex('a201020103')), 'DECODE_DUPLICATE_KEY', DecodeError);
  });

  it('rejects map keys that are not text strings or integers', () => {
    expectCode(() => decode(hex('a14101' + '02')), 'DECODE_BAD_MAP_KEY', DecodeError);
    expectCode(() => decode(hex('a1f502')), 'DECODE_BAD_MAP_KEY', DecodeError);
    expectCode(() => decode(hex('a18002')), 'DECODE_BAD_MAP_KEY', DecodeError);
  });

  it('rejects trailing bytes, truncation and reserved additional information', () => {
    expectCode(() => decode(hex('0000')), 'DECODE_TRAILING_BYTES', DecodeError);
    expectCode(() => decode(hex('')), 'DECODE_TRUNCATED', DecodeError);
    expectCode(() => decode(hex('19ff')), 'DECODE_TRUNCATED', DecodeError);
    expectCode(() => decode(hex('83 01 02')), 'DECODE_TRUNCATED', DecodeError);
    expectCode(() => decode(hex('5a 00010000 00')), 'DECODE_TRUNCATED', DecodeError);
    expectCode(() => decode(hex('9b 0000000100000000')), 'DECODE_TRUNCATED', DecodeError);
    expectCode(() => decode(hex('1c')), 'DECODE_RESERVED', DecodeError);
    expectCode(() => decode(hex('ff')), 'DECODE_INDEFINITE_LENGTH', DecodeError);
  });

  it('rejects invalid UTF-8, including overlong forms and encoded surrogates', () => {
    for (const h of ['61ff', '62c0af', '63eda080', '62c328', '64f4908080']) {
      expectCode(() => decode(hex(h)), 'DECODE_INVALID_UTF8', DecodeError);
    }
  });

  it('keeps a leading byte order mark as data', () => {
    expect(decode(hex('63efbbbf'))).toBe('\ufeff');
    expect(toHex(encode('\ufeff'))).toBe('63efbbbf');
  });

  it('returns numbers for safe integers and bigints beyond', () => {
    expect(decode(hex('1b001fffffffffffff'))).toBe(Number.MAX_SAFE_INTEGER);
    expect(decode(hex('1b0020000000000000'))).toBe(2n ** 53n);
    expect(decode(hex('3b001ffffffffffffe'))).toBe(Number.MIN_SAFE_INTEGER);
    expect(decode(hex('3b001fffffffffffff'))).toBe(-(2n ** 53n));
    expect(toHex(encode(5n))).toBe('05');
    expect(toHex(encode(-(2n ** 53n)))).toBe('3b001fffffffffffff');
  });

  it('decodes a "__proto__" key as an own property without touching the prototype', () => {
    const v = decode(encode(new Map([['__proto__', 1]]))) as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(v, '__proto__')?.value).toBe(1);
  });

  it('does not alias the input buffer in decoded byte strings', () => {
    const input = hex('43010203');
    const out = decode(input) as Uint8Array;
    input[1] = 9;
    expect(out).toEqual(new Uint8Array([1, 2, 3]));
  });
});

describe('encoder rejects values outside the data model', () => {
  it.each([
    [1.5, 'ENCODE_FLOAT'],
    [Number.NaN, 'ENCODE_FLOAT'],
    [Number.POSITIVE_INFINITY, 'ENCODE_FLOAT'],
    [2 ** 53, 'ENCODE_UNSAFE_INTEGER'],
    [2n ** 64n, 'ENCODE_INTEGER_RANGE'],
    [-(2n ** 64n) - 1n, 'ENCODE_INTEGER_RANGE'],
    [undefined, 'ENCODE_UNSUPPORTED_TYPE'],
    [[undefined], 'ENCODE_UNSUPPORTED_TYPE'],
    [Symbol('x'), 'ENCODE_UNSUPPORTED_TYPE'],
    [() => 1, 'ENCODE_UNSUPPORTED_TYPE'],
    [new Date(0), 'ENCODE_UNSUPPORTED_TYPE'],
    [new Uint16Array(2), 'ENCODE_UNSUPPORTED_TYPE'],
    ['\ud800', 'ENCODE_INVALID_TEXT'],
    ['a\udc00b', 'ENCODE_INVALID_TEXT'],
    [new Map([[true, 1]]), 'ENCODE_BAD_MAP_KEY'],
    [
      new Map<number | bigint, number>([
        [1, 1],
        [1n, 2],
      ]),
      'ENCODE_DUPLICATE_KEY',
    ],
  ])('%s -> %s', (value, code) => {
    expectCode(() => encode(value), code);
  });

  it('omits object properties whose value is undefined', () => {
    expect(encode({ a: 1, b: undefined })).toEqual(encode({ a: 1 }));
  });

  it('rejects cycles with a LedgerError instead of overflowing the stack', () => {
    const a: unknown[] = [];
    a.push(a);
    expectCode(() => encode(a), 'ENCODE_TOO_DEEP');
  });

  it('encodes -2^64 and 2^64-1, the ends of the CBOR integer range', () => {
    expect(toHex(encode(-(2n ** 64n)))).toBe('3bffffffffffffffff');
    expect(toHex(encode(2n ** 64n - 1n))).toBe('1bffffffffffffffff');
    expect(encode(new Uint8Array(0))).toBeInstanceOf(Uint8Array);
    expect(() => encode(Buffer.from([1]))).not.toThrow(LedgerError);
  });
});

describe('decode limits', () => {
  it('enforces maxBytes before reading', () => {
    expectCode(() => decode(new Uint8Array(11), { maxBytes: 10 }), 'DECODE_TOO_LARGE', DecodeError);
  });

  it('enforces maxDepth', () => {
    const nested = encode([[[[1]]]]);
    expect(decode(nested, { maxDepth: 4 })).toEqual([[[[1]]]]);
    expectCode(() => decode(nested, { maxDepth: 3 }), 'DECODE_TOO_DEEP', DecodeError);
    expectCode(() => decode(encode({ a: { b: 1 } }), { maxDepth: 1 }), 'DECODE_TOO_DEEP', DecodeError);
  });

  it('enforces maxItems across the whole input', () => {
    const v = encode([[1, 2], [3]]);
    expect(decode(v, { maxItems: 5 })).toEqual([[1, 2], [3]]);
    expectCode(() => decode(v, { maxItems: 4 }), 'DECODE_TOO_MANY_ITEMS', DecodeError);
    expectCode(() => decode(encode({ a: 1, b: 2 }), { maxItems: 3 }), 'DECODE_TOO_MANY_ITEMS', DecodeError);
  });

  it('enforces maxStringBytes for text and byte strings', () => {
    expect(decode(encode('abcd'), { maxStringBytes: 4 })).toBe('abcd');
    expectCode(() => decode(encode('abcde'), { maxStringBytes: 4 }), 'DECODE_STRING_TOO_LONG', DecodeError);
    expectCode(
      () => decode(encode(new Uint8Array(5)), { maxStringBytes: 4 }),
      'DECODE_STRING_TOO_LONG',
      DecodeError,
    );
  });

  it('rejects non-Uint8Array input with a DecodeError', () => {
    expectCode(() => decode('00' as unknown as Uint8Array), 'DECODE_INVALID_INPUT', DecodeError);
  });
});

describe('limit resolution', () => {
  it('an explicitly undefined limit keeps the default instead of disabling it', () => {
    expect(resolveLimits({ maxBytes: undefined })).toEqual(DEFAULT_DECODE_LIMITS);
    expectCode(
      () => decode(new Uint8Array(DEFAULT_DECODE_LIMITS.maxBytes + 1), { maxBytes: undefined }),
      'DECODE_TOO_LARGE',
      DecodeError,
    );
  });

  it('caps maxDepth so deep input fails with DECODE_TOO_DEEP, never a stack overflow', () => {
    expect(resolveLimits({ maxDepth: 1e9 }).maxDepth).toBe(MAX_DEPTH_CEILING);
    const deep = new Uint8Array(100_000).fill(0x81);
    expectCode(() => decode(deep, { maxDepth: 1e9, maxItems: 1e9 }), 'DECODE_TOO_DEEP', DecodeError);
  });
});

describe('error details', () => {
  it('report the offset of the offending item', () => {
    try {
      decode(hex('82 01 190017'));
      expect.unreachable();
    } catch (e) {
      expect((e as DecodeError).code).toBe('DECODE_NON_CANONICAL');
      expect((e as DecodeError).details).toEqual({ offset: 2 });
    }
  });
});
