import fc from 'fast-check';

/**
 * Arbitrary values in the codec's data model, in the form `decode` returns them:
 * bigints only outside the safe-integer range, plain objects for text-keyed maps, `Map` only when
 * some key is an integer.
 */
export const cborValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.maxSafeInteger(),
    fc.integer({ min: -30, max: 30 }),
    fc.bigInt({ min: 2n ** 53n, max: 2n ** 64n - 1n }),
    fc.bigInt({ min: -(2n ** 64n), max: -(2n ** 53n) }),
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.uint8Array({ maxLength: 40 }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.string({ unit: 'binary', maxLength: 8 }), tie('value'), { maxKeys: 5 }),
    fc
      .uniqueArray(fc.tuple(fc.integer({ min: -1000, max: 1000 }), tie('value')), {
        minLength: 1,
        maxLength: 4,
        selector: ([k]) => k,
      })
      .map((entries) => new Map<unknown, unknown>(entries)),
  ),
})).value;
