import { describe, expect, it } from 'vitest';
import {
  CONDITION_CODES,
  countryBureau,
  deriveUii,
  formatNsn,
  isCage,
  isConditionCode,
  isDodaac,
  isServiceable,
  parseNsn,
  validateUii,
} from '../../src/domain/index.js';

describe('NSN', () => {
  it('parses the dashed and the compact form to one canonical value', () => {
    const a = parseNsn('1234-56-789-0123');
    const b = parseNsn('1234567890123');
    expect(a).toEqual({
      ok: true,
      value: { nsn: '1234567890123', fsc: '1234', niin: '567890123', ncb: '56' },
    });
    expect(b).toEqual(a);
  });

  it('formats as 1234-56-789-0123', () => {
    expect(formatNsn('1234567890123')).toBe('1234-56-789-0123');
    expect(formatNsn('5330-00-123-4567')).toBe('5330-00-123-4567');
  });

  it('accepts letters after the country bureau code (structure, not "13 digits")', () => {
    expect(parseNsn('5330-99-ABC-1234').ok).toBe(true);
    expect(parseNsn('1005-01LL12345').ok).toBe(false); // mixed separators
    expect(parseNsn('100501LL12345').ok).toBe(true);
  });

  it.each([
    ['', 'empty'],
    ['123456789012', '12 characters'],
    ['12345678901234', '14 characters'],
    ['12A4-56-789-0123', 'letter in the FSC'],
    ['1234-A6-789-0123', 'letter in the country bureau code'],
    ['1234-56-789-012a', 'lower case'],
    ['1234 56 789 0123', 'spaces'],
  ])('rejects %j (%s) with NSN_MALFORMED', (input) => {
    const r = parseNsn(input);
    expect(r.ok ? 'ok' : r.code).toBe('NSN_MALFORMED');
  });

  it('rejects non-strings', () => {
    expect(parseNsn(1234567890123).ok).toBe(false);
  });

  it('names country bureaus from DESIGN.md', () => {
    expect(countryBureau('00')).toBe('United States');
    expect(countryBureau('09')).toBe('United States');
    expect(countryBureau('11')).toBe('NATO');
    expect(countryBureau('99')).toBe('United Kingdom');
    expect(countryBureau('66')).toBe('Australia');
    expect(countryBureau('47')).toBeUndefined();
  });

  it('formatNsn throws on malformed input (it is for display of stored values)', () => {
    expect(() => formatNsn('nope')).toThrow(TypeError);
  });
});

describe('UII (MIL-STD-130)', () => {
  it('derives construct 1 from CAGE 0CVA5 and serial 674A36458 (DESIGN.md example)', () => {
    expect(deriveUii({ qualifier: 'D', enterpriseId: '0CVA5', serial: '674A36458' })).toEqual({
      ok: true,
      value: 'D0CVA5674A36458',
    });
  });

  it('derives construct 2 with the original part number before the serial', () => {
    const r = deriveUii({ qualifier: 'D', enterpriseId: '0CVA5', partNumber: '1234-5', serial: 'S100' });
    expect(r).toEqual({ ok: true, value: 'D0CVA51234-5S100' });
  });

  it('implies the issuing agency from the qualifier: UN for DUNS, LD for DoDAAC, none for GS1', () => {
    expect(deriveUii({ qualifier: 'UN', enterpriseId: '123456789', serial: 'X1' })).toEqual({
      ok: true,
      value: 'UN123456789X1',
    });
    expect(deriveUii({ qualifier: 'LD', enterpriseId: 'W56HZV', serial: '77' })).toEqual({
      ok: true,
      value: 'LDW56HZV77',
    });
    expect(deriveUii({ qualifier: '', enterpriseId: '0614141', serial: 'A/B-1' })).toEqual({
      ok: true,
      value: '0614141A/B-1',
    });
  });

  it('rejects an enterprise id that does not fit its qualifier', () => {
    for (const parts of [
      { qualifier: 'D' as const, enterpriseId: '0CVA', serial: '1' },
      { qualifier: 'UN' as const, enterpriseId: '12345678A', serial: '1' },
      { qualifier: 'LD' as const, enterpriseId: 'W56HZ', serial: '1' },
      { qualifier: '' as const, enterpriseId: '12345', serial: '1' },
    ]) {
      const r = deriveUii(parts);
      expect(r.ok ? 'ok' : r.code).toBe('UII_MALFORMED');
    }
  });

  it('rejects bad serials and part numbers', () => {
    expect(deriveUii({ qualifier: 'D', enterpriseId: '0CVA5', serial: 'ab' }).ok).toBe(false);
    expect(deriveUii({ qualifier: 'D', enterpriseId: '0CVA5', serial: '' }).ok).toBe(false);
    expect(deriveUii({ qualifier: 'D', enterpriseId: '0CVA5', partNumber: 'P N', serial: '1' }).ok).toBe(
      false,
    );
  });

  it('allows at most 50 characters of A-Z 0-9 - /', () => {
    expect(validateUii('D0CVA5674A36458').ok).toBe(true);
    expect(validateUii(`D${'A'.repeat(49)}`).ok).toBe(true);
    expect(validateUii(`D${'A'.repeat(50)}`).ok).toBe(false);
    expect(validateUii('D0CVA5 674').ok).toBe(false);
    expect(validateUii('d0cva5674').ok).toBe(false);
    expect(validateUii('').ok).toBe(false);
    expect(validateUii(42).ok).toBe(false);
    const long = deriveUii({
      qualifier: 'D',
      enterpriseId: '0CVA5',
      partNumber: 'P'.repeat(30),
      serial: 'S'.repeat(20),
    });
    expect(long.ok ? 'ok' : long.code).toBe('UII_MALFORMED');
  });
});

describe('CAGE, DoDAAC, condition codes', () => {
  it('CAGE is 5 and DoDAAC 6 upper-case letters or digits', () => {
    expect(isCage('0CVA5')).toBe(true);
    expect(isCage('0CVA')).toBe(false);
    expect(isCage('0cva5')).toBe(false);
    expect(isDodaac('W56HZV')).toBe(true);
    expect(isDodaac('W56HZ')).toBe(false);
    expect(isDodaac(123456)).toBe(false);
  });

  it('knows the DLM 4000.25 supply condition codes and their groups', () => {
    expect(Object.keys(CONDITION_CODES).join('')).toBe('ABCDEFGHJKLMNPQRSTVX');
    expect(isConditionCode('A')).toBe(true);
    expect(isConditionCode('I')).toBe(false);
    expect(isConditionCode('O')).toBe(false);
    expect(isConditionCode('AB')).toBe(false);
    expect(isConditionCode('toString')).toBe(false);
    expect(['A', 'B', 'C', 'D', 'T'].every(isServiceable)).toBe(true);
    expect(['E', 'F', 'H', 'J', 'Q', 'X'].some(isServiceable)).toBe(false);
  });
});
