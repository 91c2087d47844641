import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decode, encode } from '../../src/encoding/index.js';
import { cborValue } from './arbitrary.js';

describe('deterministic CBOR properties', () => {
  it('decode(encode(v)) equals v', () => {
    fc.assert(
      fc.property(cborValue, (v) => {
        expect(decode(encode(v))).toEqual(v);
      }),
      { numRuns: 2000 },
    );
  });

  it('encoding is a fixed point: encode(decode(encode(v))) equals encode(v)', () => {
    fc.assert(
      fc.property(cborValue, (v) => {
        const bytes = encode(v);
        expect(encode(decode(bytes))).toEqual(bytes);
      }),
      { numRuns: 2000 },
    );
  });

  it('object encoding does not depend on property order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 6 }), cborValue, { maxKeys: 6 }), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(encode(reversed)).toEqual(encode(obj));
      }),
      { numRuns: 500 },
    );
  });

  it('integers round-trip across the whole 65-bit CBOR range', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n - 1n }), (n) => {
        const back = decode(encode(n));
        expect(BigInt(back as number | bigint)).toBe(n);
        expect(typeof back).toBe(
          Number.isSafeInteger(Number(n)) && BigInt(Number(n)) === n ? 'number' : 'bigint',
        );
      }),
      { numRuns: 2000 },
    );
  });
});
