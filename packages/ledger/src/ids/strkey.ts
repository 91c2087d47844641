/**
 * Human-readable ids and keys, after Stellar's strkey (SEP-23):
 *
 *   base32( versionByte || payload || crc16xmodem(versionByte || payload) as little-endian u16 )
 *
 * The version byte's top five bits select the kind and are chosen so that the first character names
 * it (N... node, M... member, D... device, S... secret seed, T... transaction, W... network,
 * L... ledger); its low three bits are a format version, 0 for now. Because the version byte is under
 * the checksum, a member key can never be read as a node key, and a one-character typo anywhere is
 * always detected (see crc16.ts).
 */
import { LedgerError } from '../errors.js';
import { base32Decode, base32Encode } from './base32.js';
import { crc16xmodem } from './crc16.js';

export type IdKind = 'node' | 'member' | 'device' | 'secret' | 'tx' | 'network' | 'ledger';

interface KindSpec {
  /** The leading base32 character of every id of this kind. */
  readonly letter: string;
  /** Payload lengths allowed: 32-byte Ed25519 keys or 33-byte compressed P-256 keys; 32-byte hashes. */
  readonly lengths: readonly number[];
}

const KEY_LENGTHS = [32, 33] as const;
const KINDS: Readonly<Record<IdKind, KindSpec>> = {
  node: { letter: 'N', lengths: KEY_LENGTHS },
  member: { letter: 'M', lengths: KEY_LENGTHS },
  device: { letter: 'D', lengths: KEY_LENGTHS },
  secret: { letter: 'S', lengths: [32] },
  tx: { letter: 'T', lengths: [32] },
  network: { letter: 'W', lengths: [32] },
  ledger: { letter: 'L', lengths: [32] },
};

export const ID_KINDS = Object.keys(KINDS) as IdKind[];

const FORMAT_VERSION = 0;
const versionByte = (kind: IdKind): number => ((KINDS[kind].letter.charCodeAt(0) - 65) << 3) | FORMAT_VERSION;
const KIND_BY_VERSION = new Map<number, IdKind>(ID_KINDS.map((k) => [versionByte(k), k]));
/** Longer than any valid id (1 + 33 + 2 bytes = 58 characters); bounds the work on hostile input. */
const MAX_TEXT_LENGTH = 64;

export interface DecodedId {
  readonly kind: IdKind;
  readonly bytes: Uint8Array;
}

function malformed(message: string, text: unknown): never {
  throw new LedgerError('ID_MALFORMED', message, {
    text: typeof text === 'string' ? text.slice(0, MAX_TEXT_LENGTH) : typeof text,
  });
}

export function encodeId(kind: IdKind, bytes: Uint8Array): string {
  const spec = KINDS[kind];
  if (spec === undefined) throw new LedgerError('ID_UNKNOWN_KIND', `unknown id kind ${String(kind)}`);
  if (!spec.lengths.includes(bytes.length)) {
    throw new LedgerError('ID_BAD_LENGTH', `${kind} id payload must be ${spec.lengths.join(' or ')} bytes`, {
      kind,
      length: bytes.length,
    });
  }
  const data = new Uint8Array(bytes.length + 3);
  data[0] = versionByte(kind);
  data.set(bytes, 1);
  const crc = crc16xmodem(data.subarray(0, bytes.length + 1));
  data[bytes.length + 1] = crc & 0xff;
  data[bytes.length + 2] = crc >> 8;
  return base32Encode(data);
}

/**
 * Parses an id. Throws LedgerError ID_MALFORMED (not canonical base32, unknown version, bad length),
 * ID_BAD_CHECKSUM (a typo), or ID_WRONG_KIND (valid, but not `expectedKind`).
 */
export function decodeId(text: string, expectedKind?: IdKind): DecodedId {
  if (typeof text !== 'string' || text.length > MAX_TEXT_LENGTH) malformed('not an id', text);
  const data = base32Decode(text);
  if (data === undefined || data.length < 4) malformed('id is not canonical upper-case base32', text);
  const body = data.subarray(0, data.length - 2);
  const crc = data[data.length - 2]! | (data[data.length - 1]! << 8);
  if (crc16xmodem(body) !== crc) {
    throw new LedgerError('ID_BAD_CHECKSUM', 'id checksum does not match (typo?)', { text });
  }
  const kind = KIND_BY_VERSION.get(body[0]!);
  if (kind === undefined) malformed(`unknown id version byte ${body[0]}`, text);
  const bytes = body.slice(1);
  if (!KINDS[kind].lengths.includes(bytes.length))
    malformed(`${kind} id has a payload of ${bytes.length} bytes`, text);
  if (expectedKind !== undefined && kind !== expectedKind) {
    throw new LedgerError('ID_WRONG_KIND', `expected a ${expectedKind} id, got a ${kind} id`, {
      expected: expectedKind,
      actual: kind,
    });
  }
  return { kind, bytes };
}

/** True when `text` is a valid id (of `expectedKind`, if given). */
export function isId(text: string, expectedKind?: IdKind): boolean {
  try {
    decodeId(text, expectedKind);
    return true;
  } catch (e) {
    if (e instanceof LedgerError) return false;
    throw e;
  }
}
