import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LedgerError } from '../../src/errors.js';
import {
  base32Decode,
  base32Encode,
  crc16xmodem,
  decodeId,
  encodeId,
  ID_KINDS,
  type IdKind,
  isId,
} from '../../src/ids/index.js';
import { expectCode } from '../encoding/helpers.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const LEADING: Record<IdKind, string> = {
  node: 'N',
  member: 'M',
  device: 'D',
  secret: 'S',
  tx: 'T',
  network: 'W',
  ledger: 'L',
};

const kindAndBytes = fc.constantFrom(...ID_KINDS).chain((kind) => {
  const lengths = ['node', 'member', 'device'].includes(kind) ? [32, 33] : [32];
  return fc
    .constantFrom(...lengths)
    .chain((n) => fc.uint8Array({ minLength: n, maxLength: n }))
    .map((bytes) => ({ kind, bytes }));
});

function decodeFails(text: string): string | undefined {
  try {
    decodeId(text);
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(LedgerError);
    return (e as LedgerError).code;
  }
}

describe('CRC-16/XMODEM and base32', () => {
  it('matches the catalogue check value and RFC 4648 §10 vectors', () => {
    expect(crc16xmodem(new TextEncoder().encode('123456789'))).toBe(0x31c3);
    const cases: [string, string][] = [
      ['', ''],
      ['f', 'MY'],
      ['fo', 'MZXQ'],
      ['foo', 'MZXW6'],
      ['foob', 'MZXW6YQ'],
      ['fooba', 'MZXW6YTB'],
      ['foobar', 'MZXW6YTBOI'],
    ];
    for (const [plain, b32] of cases) {
      expect(base32Encode(new TextEncoder().encode(plain))).toBe(b32);
      expect(base32Decode(b32)).toEqual(new TextEncoder().encode(plain));
    }
  });

  it('rejects non-canonical base32: lower case, padding, impossible lengths, non-zero spare bits', () => {
    for (const bad of ['my', 'MY======', 'M', 'MZX', 'MZXW6Y', 'MZ', 'M0', 'MY ']) {
      expect(base32Decode(bad)).toBeUndefined();
    }
  });
});

describe('ids', () => {
  it('round-trip, and the first character names the kind', () => {
    fc.assert(
      fc.property(kindAndBytes, ({ kind, bytes }) => {
        const text = encodeId(kind, bytes);
        expect(text[0]).toBe(LEADING[kind]);
        expect(decodeId(text)).toEqual({ kind, bytes });
        expect(decodeId(text, kind).bytes).toEqual(bytes);
      }),
      { numRuns: 500 },
    );
  });

  it('detects every one-character substitution', () => {
    fc.assert(
      fc.property(kindAndBytes, fc.nat(), fc.integer({ min: 1, max: 31 }), ({ kind, bytes }, pos, delta) => {
        const text = encodeId(kind, bytes);
        const i = pos % text.length;
        const replacement = ALPHABET[(ALPHABET.indexOf(text[i]!) + delta) % 32]!;
        const typo = text.slice(0, i) + replacement + text.slice(i + 1);
        expect(typo).not.toBe(text);
        expect(['ID_BAD_CHECKSUM', 'ID_MALFORMED']).toContain(decodeFails(typo));
      }),
      { numRuns: 3000 },
    );
  });

  it('detects every substitution exhaustively for one id of each kind', () => {
    for (const kind of ID_KINDS) {
      const text = encodeId(
        kind,
        new Uint8Array(32).map((_, i) => i * 7),
      );
      for (let i = 0; i < text.length; i++) {
        for (const c of ALPHABET) {
          if (c === text[i]) continue;
          expect(decodeFails(text.slice(0, i) + c + text.slice(i + 1))).toBeDefined();
        }
      }
    }
  });

  it('detects adjacent transpositions, deletions and insertions', () => {
    fc.assert(
      fc.property(kindAndBytes, fc.nat(), fc.constantFrom(...ALPHABET), ({ kind, bytes }, pos, c) => {
        const text = encodeId(kind, bytes);
        const i = pos % (text.length - 1);
        const swapped = text.slice(0, i) + text[i + 1] + text[i] + text.slice(i + 2);
        if (swapped !== text) expect(decodeFails(swapped)).toBeDefined();
        expect(decodeFails(text.slice(0, i) + text.slice(i + 1))).toBeDefined();
        expect(decodeFails(text.slice(0, i) + c + text.slice(i))).toBeDefined();
      }),
      { numRuns: 2000 },
    );
  });

  it('a member key cannot be read as a node key (or any other kind)', () => {
    const key = new Uint8Array(32).fill(9);
    const member = encodeId('member', key);
    expect(decodeId(member, 'member').bytes).toEqual(key);
    for (const other of ID_KINDS.filter((k) => k !== 'member' && k !== 'secret' && k !== 'tx')) {
      expectCode(() => decodeId(member, other), 'ID_WRONG_KIND');
    }
    expectCode(() => decodeId(member, 'node'), 'ID_WRONG_KIND');
    expect(isId(member, 'node')).toBe(false);
    expect(isId(member, 'member')).toBe(true);
    // Relabelling the leading character breaks the checksum.
    expectCode(() => decodeId(`N${member.slice(1)}`), 'ID_BAD_CHECKSUM');
  });

  it('rejects malformed text and bad payload lengths', () => {
    const good = encodeId('node', new Uint8Array(32));
    expectCode(() => decodeId(good.toLowerCase()), 'ID_MALFORMED');
    expectCode(() => decodeId(''), 'ID_MALFORMED');
    expectCode(() => decodeId(`${good}A`.repeat(2)), 'ID_MALFORMED');
    expectCode(() => decodeId(42 as unknown as string), 'ID_MALFORMED');
    expectCode(() => encodeId('tx', new Uint8Array(33)), 'ID_BAD_LENGTH');
    expectCode(() => encodeId('nope' as IdKind, new Uint8Array(32)), 'ID_UNKNOWN_KIND');
    // A checksum-valid string with an unknown version byte (0xff) is malformed, not some kind.
    const body = new Uint8Array(33);
    body[0] = 0xff;
    const crc = crc16xmodem(body);
    const text = base32Encode(new Uint8Array([...body, crc & 0xff, crc >> 8]));
    expectCode(() => decodeId(text), 'ID_MALFORMED');
  });
});
