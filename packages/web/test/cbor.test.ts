import { describe, expect, it } from 'vitest';
import { CborError, cborDecode, cborEncode } from '../src/cbor';
import { bytesToHex, hexToBytes } from '../src/verify';

describe('CBOR', () => {
  it('round-trips what the receipts use', () => {
    const v = {
      a: 1,
      list: [0, 23, 24, 255, 256, 65535, 65536, 2 ** 32, 2 ** 53 - 1],
      t: 'ü',
      b: Uint8Array.of(1, 2),
    };
    expect(cborDecode(cborEncode(v))).toEqual(v);
  });
  it('decodes booleans, null and negative integers', () => {
    expect(cborDecode(hexToBytes('83f5f620')!)).toEqual([true, null, -1]);
    expect(cborDecode(hexToBytes('f4')!)).toBe(false);
  });
  it('refuses what receipts never contain, and malformed input', () => {
    for (const h of [
      '',
      '1a0001',
      '9f00ff',
      'f93c00',
      'c100',
      'a10101',
      '0000',
      '7fff',
      '62c328',
      '1bffffffffffffffff',
    ]) {
      expect(() => cborDecode(hexToBytes(h)!), h).toThrow(CborError);
    }
    const deep = hexToBytes('81'.repeat(20) + '00')!;
    expect(() => cborDecode(deep)).toThrow(/deep/);
    expect(() => cborDecode(hexToBytes('83000000')!, { maxDepth: 8, maxItems: 2 })).toThrow(/too many/);
  });
  it('encodes shortest heads', () => {
    expect(bytesToHex(cborEncode(2 ** 53 - 1))).toBe('1b001fffffffffffff');
    expect(() => cborEncode(-1)).toThrow(RangeError);
  });
});
