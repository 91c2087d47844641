import { describe, expect, expectTypeOf, it } from 'vitest';
import { encode, schema as s } from '../../src/encoding/index.js';
import { DecodeError } from '../../src/errors.js';
import { expectCode } from './helpers.js';

const Item = s.record({
  uii: s.text({ maxLength: 50, pattern: /^[A-Z0-9/-]+$/ }),
  qty: s.uint(1000),
  seq: s.uint64(),
  key: s.bytes({ length: 4 }),
  tags: s.array(s.text(), { maxLength: 3 }),
  status: s.literal('active', 'quarantined'),
  note: s.optional(s.text()),
  flag: s.bool(),
});

const good = {
  uii: 'D0CVA5674A36458',
  qty: 3,
  seq: 7,
  key: new Uint8Array([1, 2, 3, 4]),
  tags: ['a'],
  status: 'active',
  flag: false,
};

describe('schema helpers', () => {
  it('decodes a record with exactly the known fields and infers its type', () => {
    const v = s.decodeWith(Item, encode(good));
    expect(v).toEqual({ ...good, seq: 7n });
    expectTypeOf(v.seq).toEqualTypeOf<bigint>();
    expectTypeOf(v.note).toEqualTypeOf<string | undefined>();
    expect(s.decodeWith(Item, encode({ ...good, note: 'x' })).note).toBe('x');
  });

  it('rejects an unknown field with DECODE_UNKNOWN_FIELD', () => {
    expectCode(() => s.decodeWith(Item, encode({ ...good, extra: 1 })), 'DECODE_UNKNOWN_FIELD', DecodeError);
  });

  it('rejects a missing required field with DECODE_MISSING_FIELD', () => {
    const { qty: _qty, ...rest } = good;
    expectCode(() => s.decodeWith(Item, encode(rest)), 'DECODE_MISSING_FIELD', DecodeError);
  });

  it.each([
    [{ qty: 'x' }, 'DECODE_WRONG_TYPE'],
    [{ qty: 1001 }, 'DECODE_OUT_OF_RANGE'],
    [{ qty: -1 }, 'DECODE_OUT_OF_RANGE'],
    [{ seq: -1 }, 'DECODE_OUT_OF_RANGE'],
    [{ seq: 'x' }, 'DECODE_WRONG_TYPE'],
    [{ key: new Uint8Array(3) }, 'DECODE_OUT_OF_RANGE'],
    [{ key: 'abcd' }, 'DECODE_WRONG_TYPE'],
    [{ tags: ['a', 'b', 'c', 'd'] }, 'DECODE_OUT_OF_RANGE'],
    [{ tags: [1] }, 'DECODE_WRONG_TYPE'],
    [{ status: 'lost' }, 'DECODE_OUT_OF_RANGE'],
    [{ uii: 'lower' }, 'DECODE_OUT_OF_RANGE'],
    [{ flag: 0 }, 'DECODE_WRONG_TYPE'],
  ])('rejects %o with %s', (patch, code) => {
    expectCode(() => s.decodeWith(Item, encode({ ...good, ...patch })), code, DecodeError);
  });

  it('names the path of a bad nested value', () => {
    try {
      s.decodeWith(Item, encode({ ...good, tags: ['a', 5] }));
      expect.unreachable();
    } catch (e) {
      expect((e as DecodeError).details).toMatchObject({ path: '.tags[1]' });
    }
  });

  it('rejects a non-record where a record is expected, including integer-keyed maps', () => {
    expectCode(() => s.decodeWith(Item, encode([1])), 'DECODE_WRONG_TYPE', DecodeError);
    expectCode(() => s.decodeWith(Item, encode(new Map([[1, 2]]))), 'DECODE_WRONG_TYPE', DecodeError);
  });

  it('passes decode limits through', () => {
    expectCode(() => s.decodeWith(Item, encode(good), { maxBytes: 8 }), 'DECODE_TOO_LARGE', DecodeError);
  });
});
