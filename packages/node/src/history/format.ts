// The on-disk format of a history archive (docs/history.md): an index file and one checkpoint file per
// N ledgers, each checkpoint deterministic CBOR with a SHA-256 checksum over its body.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DecodeError,
  decode,
  decodeHeader,
  encode,
  encodeHeader,
  equalBytes,
  type LedgerHeader,
  MAX_ENVELOPE_BYTES,
  MAX_TX_SET_SIZE,
  schema,
  sha256,
} from '@qm/ledger';
import { SCP_LIMITS } from '../consensus/scp-codec.js';
import { HistoryError } from './errors.js';

export const CHECKPOINT_FORMAT = 'qm-history/1';
export const ARCHIVE_FORMAT = 'qm-history-archive/1';
export const INDEX_FILE = 'archive.json';
export const LEDGERS_DIR = 'ledgers';
export const DEFAULT_CHECKPOINT_SIZE = 64;
/** Larger checkpoints would make one file unwieldy and a corrupt one costly to re-fetch. */
export const MAX_CHECKPOINT_SIZE = 4096;
/**
 * A checkpoint file is read whole, so it is bounded. 64 ledgers of a few hundred transactions are a
 * few MiB; 512 MiB leaves room for full tx sets without letting a hostile file exhaust memory.
 */
export const MAX_CHECKPOINT_BYTES = 512 * 1024 * 1024;
/** SCP statements kept per ledger: at most a few per validator (genesis allows 1000 validators). */
const MAX_SCP_PER_LEDGER = 4096;
const HEADER_MAX_BYTES = 1024;

/** One archived ledger: what a node needs to re-apply it and to prove the network agreed on it. */
export interface ArchivedLedger {
  readonly header: LedgerHeader;
  /** The tx set's envelopes, exactly as applied. */
  readonly txSet: readonly Uint8Array[];
  /** The SCP statements that externalized it, bytes as the store holds them. */
  readonly scpEnvelopes: readonly Uint8Array[];
}

export interface Checkpoint {
  readonly networkId: Uint8Array;
  readonly first: number;
  readonly last: number;
  readonly ledgers: readonly ArchivedLedger[];
}

/** archive.json. */
export interface ArchiveIndex {
  readonly format: typeof ARCHIVE_FORMAT;
  /** Hex network id. */
  readonly networkId: string;
  readonly checkpointSize: number;
  /** Last ledger of the newest checkpoint in the archive; 0 while it holds none. */
  readonly latest: number;
}

// --- checkpoint ranges --------------------------------------------------------------------------------

/**
 * Ledger 0 is built from the genesis description, so it is never archived: checkpoint k holds ledgers
 * k*N+1 .. (k+1)*N. A ledger's checkpoint is found by arithmetic, no listing of the directory needed.
 */
export function checkpointRange(index: number, size: number): { first: number; last: number } {
  return { first: index * size + 1, last: (index + 1) * size };
}

export function checkpointIndexOf(sequence: number, size: number): number {
  if (sequence < 1) throw new RangeError(`ledger ${sequence} is in no checkpoint`);
  return Math.floor((sequence - 1) / size);
}

/** Zero-padded so that a plain listing sorts in ledger order. */
export function checkpointFileName(first: number, last: number): string {
  const pad = (n: number) => String(n).padStart(10, '0');
  return `${LEDGERS_DIR}/${pad(first)}-${pad(last)}.qmh`;
}

export function checkCheckpointSize(size: number): void {
  if (!Number.isSafeInteger(size) || size < 1 || size > MAX_CHECKPOINT_SIZE) {
    throw new RangeError(`checkpoint size must be an integer in 1..${MAX_CHECKPOINT_SIZE}, got ${size}`);
  }
}

// --- checkpoint files ---------------------------------------------------------------------------------

/**
 * file = CBOR({format, checksum: SHA-256(body), body}), body = CBOR({networkId, first, last, ledgers}).
 * The body is kept as a byte string so that its checksum is checked before anything in it is decoded.
 */
export function encodeCheckpoint(c: Checkpoint): Uint8Array {
  const body = encode({
    networkId: c.networkId,
    first: c.first,
    last: c.last,
    ledgers: c.ledgers.map((l) => ({
      header: encodeHeader(l.header),
      txSet: [...l.txSet],
      scp: [...l.scpEnvelopes],
    })),
  });
  return encode({ format: CHECKPOINT_FORMAT, checksum: sha256(body), body });
}

const fileSchema = schema.record({
  format: schema.literal(CHECKPOINT_FORMAT),
  checksum: schema.bytes({ length: 32 }),
  body: schema.bytes({ maxLength: MAX_CHECKPOINT_BYTES }),
});

const ledgerSchema = schema.record({
  header: schema.bytes({ maxLength: HEADER_MAX_BYTES }),
  txSet: schema.array(schema.bytes({ maxLength: MAX_ENVELOPE_BYTES }), { maxLength: MAX_TX_SET_SIZE }),
  scp: schema.array(schema.bytes({ maxLength: SCP_LIMITS.maxEnvelopeBytes }), {
    maxLength: MAX_SCP_PER_LEDGER,
  }),
});

const bodySchema = schema.record({
  networkId: schema.bytes({ length: 32 }),
  first: schema.uint(),
  last: schema.uint(),
  ledgers: schema.array(ledgerSchema, { maxLength: MAX_CHECKPOINT_SIZE }),
});

/**
 * Decodes and checks one checkpoint file: checksum, canonical encoding, and that it holds exactly the
 * ledgers `expected` names, in order, of `networkId`. Anything else is HISTORY_CORRUPT, naming `where`.
 * It does not check the chain or the SCP proofs: catch-up does, against its own last closed ledger.
 */
export function decodeCheckpoint(
  bytes: Uint8Array,
  expected: { first: number; last: number; networkId: Uint8Array },
  where: string,
): Checkpoint {
  const corrupt = (why: string, details?: Record<string, unknown>): never => {
    throw new HistoryError('HISTORY_CORRUPT', `${where}: ${why}`, { file: where, ...details });
  };
  // A Buffer (readFileSync) would make every decoded byte string a Buffer; callers expect plain bytes.
  const plain = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decoded = guardDecode(where, () =>
    fileSchema.parse(
      decode(plain, {
        maxBytes: MAX_CHECKPOINT_BYTES + 1024,
        maxStringBytes: MAX_CHECKPOINT_BYTES,
        maxDepth: 2,
        maxItems: 16,
      }),
    ),
  );
  if (!equalBytes(sha256(decoded.body), decoded.checksum)) corrupt('checksum mismatch');
  const count = expected.last - expected.first + 1;
  const body = guardDecode(where, () =>
    bodySchema.parse(
      decode(decoded.body, {
        maxBytes: MAX_CHECKPOINT_BYTES,
        maxStringBytes: MAX_ENVELOPE_BYTES,
        maxDepth: 4,
        // Every envelope and statement is one item; the rest is a handful per ledger.
        maxItems: 16 + count * (MAX_TX_SET_SIZE + MAX_SCP_PER_LEDGER + 16),
      }),
    ),
  );
  if (body.first !== expected.first || body.last !== expected.last) {
    corrupt(`holds ledgers ${body.first}-${body.last}, expected ${expected.first}-${expected.last}`);
  }
  if (!equalBytes(body.networkId, expected.networkId)) corrupt('checkpoint of another network');
  if (body.ledgers.length !== count) corrupt(`holds ${body.ledgers.length} ledgers, expected ${count}`);
  const ledgers = body.ledgers.map((l, i): ArchivedLedger => {
    const header = guardDecode(where, () => decodeHeader(l.header));
    if (header.sequence !== expected.first + i) {
      corrupt(`entry ${i} is ledger ${header.sequence}, expected ${expected.first + i}`);
    }
    return { header, txSet: l.txSet, scpEnvelopes: l.scp };
  });
  return { networkId: body.networkId, first: body.first, last: body.last, ledgers };
}

/**
 * One ledger on its own, as the overlay's `ledger` frame carries it to a peer catching up: CBOR of the
 * same {header, txSet, scp} record a checkpoint holds per ledger. Throws HistoryError (HISTORY_CORRUPT).
 */
export function encodeArchivedLedger(l: ArchivedLedger): Uint8Array {
  return encode({ header: encodeHeader(l.header), txSet: [...l.txSet], scp: [...l.scpEnvelopes] });
}

export function decodeArchivedLedger(bytes: Uint8Array, where: string): ArchivedLedger {
  const l = guardDecode(where, () =>
    ledgerSchema.parse(
      decode(bytes, {
        maxBytes: bytes.length,
        maxStringBytes: MAX_ENVELOPE_BYTES,
        maxDepth: 3,
        maxItems: MAX_TX_SET_SIZE + MAX_SCP_PER_LEDGER + 16,
      }),
    ),
  );
  return { header: guardDecode(where, () => decodeHeader(l.header)), txSet: l.txSet, scpEnvelopes: l.scp };
}

function guardDecode<T>(where: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof DecodeError) {
      throw new HistoryError('HISTORY_CORRUPT', `${where}: does not decode (${e.code}: ${e.message})`, {
        file: where,
        decodeError: e.code,
      });
    }
    throw e;
  }
}

// --- archive.json -------------------------------------------------------------------------------------

export function encodeIndex(index: ArchiveIndex): string {
  return `${JSON.stringify(index, null, 2)}\n`;
}

/** Reads archive.json; HISTORY_ARCHIVE_MISSING if absent, HISTORY_CORRUPT if malformed. */
export function readIndex(dir: string): ArchiveIndex {
  const path = join(dir, INDEX_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new HistoryError(
        'HISTORY_ARCHIVE_MISSING',
        `${dir} is not a history archive (no ${INDEX_FILE})`,
        {
          dir,
        },
      );
    }
    throw new HistoryError('HISTORY_IO', `cannot read ${path}: ${(e as Error).message}`, { file: path });
  }
  const bad = (why: string): never => {
    throw new HistoryError('HISTORY_CORRUPT', `${path}: ${why}`, { file: path });
  };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return bad('not JSON');
  }
  if (typeof raw !== 'object' || raw === null) return bad('not an object');
  const o = raw as Record<string, unknown>;
  if (o.format !== ARCHIVE_FORMAT) bad(`format is ${JSON.stringify(o.format)}, expected ${ARCHIVE_FORMAT}`);
  if (typeof o.networkId !== 'string' || !/^[0-9a-f]{64}$/.test(o.networkId))
    bad('networkId: not 32 hex bytes');
  const size = o.checkpointSize;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 1 || size > MAX_CHECKPOINT_SIZE) {
    bad(`checkpointSize: not an integer in 1..${MAX_CHECKPOINT_SIZE}`);
  }
  const latest = o.latest;
  if (typeof latest !== 'number' || !Number.isSafeInteger(latest) || latest < 0) {
    bad('latest: not a non-negative integer');
  }
  if ((latest as number) % (size as number) !== 0) bad('latest: not the end of a checkpoint');
  return {
    format: ARCHIVE_FORMAT,
    networkId: o.networkId as string,
    checkpointSize: size as number,
    latest: latest as number,
  };
}
