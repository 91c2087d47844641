import { describe, expect, it } from 'vitest';
import { DecodeError, LedgerError } from '../src/errors.js';
import * as ledger from '../src/index.js';

describe('errors', () => {
  it('carry a stable code and details, and serialize without the stack', () => {
    const e = new DecodeError('DECODE_TRUNCATED', 'short', { offset: 3 });
    expect(e).toBeInstanceOf(LedgerError);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('DecodeError');
    expect(JSON.parse(JSON.stringify(e))).toEqual({
      code: 'DECODE_TRUNCATED',
      message: 'short',
      details: { offset: 3 },
    });
    expect(new LedgerError('X', 'y').toJSON()).toEqual({ code: 'X', message: 'y' });
  });

  it('are exported from the package entry point with the primitives', () => {
    expect(ledger.LedgerError).toBe(LedgerError);
    for (const name of [
      'encode',
      'decode',
      'getSuite',
      'encodeId',
      'decodeId',
      'MerkleLog',
      'verifyEnvelope',
    ]) {
      expect(typeof (ledger as Record<string, unknown>)[name]).toBe('function');
    }
  });
});
