import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decode, encode } from '../../src/encoding/index.js';
import { DecodeError } from '../../src/errors.js';
import { cborValue } from './arbitrary.js';

const SMALL_LIMITS = { maxBytes: 4096, maxDepth: 8, maxItems: 256, maxStringBytes: 512 };

/**
 * The decoder's contract on untrusted input: either it returns a value whose encoding is exactly the
 * input (so every accepted input is canonical), or it throws a DecodeError. Nothing else.
 */
function checkContract(bytes: Uint8Array): void {
  let value: unknown;
  try {
    value = decode(bytes, SMALL_LIMITS);
  } catch (e) {
    expect(e).toBeInstanceOf(DecodeError);
    return;
  }
  expect(encode(value)).toEqual(bytes);
}

type Mutation = { kind: 'flip' | 'set' | 'insert' | 'delete'; at: number; byte: number };

function mutate(bytes: Uint8Array, mutations: Mutation[]): Uint8Array {
  const out = [...bytes];
  for (const m of mutations) {
    const i = out.length === 0 ? 0 : m.at % out.length;
    if (m.kind === 'flip' && out.length > 0) out[i] = out[i]! ^ (1 << (m.byte % 8));
    else if (m.kind === 'set' && out.length > 0) out[i] = m.byte;
    else if (m.kind === 'insert') out.splice(i, 0, m.byte);
    else if (m.kind === 'delete') out.splice(i, 1);
  }
  return new Uint8Array(out);
}

const mutation = fc.record({
  kind: fc.constantFrom('flip' as const, 'set' as const, 'insert' as const, 'delete' as const),
  at: fc.nat(),
  byte: fc.integer({ min: 0, max: 255 }),
});

describe('decoder fuzz', () => {
  it('random bytes: returns a canonical value or throws DecodeError', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), checkContract), { numRuns: 10_000 });
  });

  it('random bytes biased to CBOR heads: returns a canonical value or throws DecodeError', () => {
    // Mostly small arguments and interesting initial bytes, so deeper structures are reached.
    const byte = fc.oneof(
      fc.integer({ min: 0, max: 255 }),
      fc.constantFrom(
        0x18,
        0x19,
        0x1a,
        0x1b,
        0x38,
        0x5f,
        0x61,
        0x80,
        0x81,
        0x82,
        0x9f,
        0xa1,
        0xa2,
        0xf6,
        0xff,
      ),
      fc.integer({ min: 0, max: 23 }),
    );
    fc.assert(
      fc.property(
        fc.array(byte, { maxLength: 48 }).map((a) => new Uint8Array(a)),
        checkContract,
      ),
      {
        numRuns: 10_000,
      },
    );
  });

  it('mutated valid encodings: returns a canonical value or throws DecodeError', () => {
    fc.assert(
      fc.property(cborValue, fc.array(mutation, { minLength: 1, maxLength: 3 }), (v, ms) => {
        checkContract(mutate(encode(v), ms));
      }),
      { numRuns: 5_000 },
    );
  });
});
