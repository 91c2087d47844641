import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode, MemoryLedgerStore, sha256 } from '@qm/ledger';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type Checkpoint,
  checkpointFileName,
  checkpointIndexOf,
  checkpointRange,
  decodeCheckpoint,
  encodeCheckpoint,
  HistoryError,
  readIndex,
} from '../../src/history/index.js';
import { closeUpTo, networkId } from './fixture.js';

const root = mkdtempSync(join(tmpdir(), 'qm-history-format-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(HistoryError);
    return (e as HistoryError).code;
  }
  return undefined;
}

describe('checkpoint ranges', () => {
  it('puts ledger 1..N in checkpoint 0, N+1..2N in checkpoint 1, and never ledger 0', () => {
    expect(checkpointRange(0, 64)).toEqual({ first: 1, last: 64 });
    expect(checkpointRange(2, 64)).toEqual({ first: 129, last: 192 });
    expect([1, 64, 65, 128, 129].map((s) => checkpointIndexOf(s, 64))).toEqual([0, 0, 1, 1, 2]);
    expect(() => checkpointIndexOf(0, 64)).toThrow(RangeError);
  });

  it('names files so that a listing sorts in ledger order', () => {
    expect(checkpointFileName(65, 128)).toBe('ledgers/0000000065-0000000128.qmh');
    const names = [checkpointFileName(1, 64), checkpointFileName(1_000_001, 1_000_064)];
    expect([...names].sort()).toEqual(names);
  });
});

describe('checkpoint files', () => {
  const store = new MemoryLedgerStore();
  closeUpTo(store, 8);
  const checkpoint: Checkpoint = {
    networkId,
    first: 5,
    last: 8,
    ledgers: [5, 6, 7, 8].map((s) => ({
      header: store.getHeader(s)!,
      txSet: store.getTxSet(s)!,
      scpEnvelopes: store.getScpEnvelopes(s)!,
    })),
  };
  const expected = { first: 5, last: 8, networkId };

  it('round-trips, deterministically', () => {
    const bytes = encodeCheckpoint(checkpoint);
    expect(encodeCheckpoint(checkpoint)).toEqual(bytes);
    const back = decodeCheckpoint(bytes, expected, 'f');
    expect(back.ledgers.map((l) => l.header)).toEqual(checkpoint.ledgers.map((l) => l.header));
    expect(back.ledgers[2]!.txSet).toEqual(checkpoint.ledgers[2]!.txSet);
    expect(back.ledgers[3]!.scpEnvelopes).toEqual(checkpoint.ledgers[3]!.scpEnvelopes);
  });

  it('rejects any flipped byte as HISTORY_CORRUPT', () => {
    const bytes = encodeCheckpoint(checkpoint);
    // Every position: framing, checksum and body alike.
    for (let i = 0; i < bytes.length; i += 97) {
      const bad = new Uint8Array(bytes);
      bad[i]! ^= 0x01;
      expect(codeOf(() => decodeCheckpoint(bad, expected, 'f'))).toBe('HISTORY_CORRUPT');
    }
    expect(codeOf(() => decodeCheckpoint(bytes.subarray(0, bytes.length - 1), expected, 'f'))).toBe(
      'HISTORY_CORRUPT',
    );
  });

  it('rejects a file holding other ledgers than its name says, or of another network', () => {
    const bytes = encodeCheckpoint(checkpoint);
    expect(codeOf(() => decodeCheckpoint(bytes, { ...expected, first: 1, last: 4 }, 'f'))).toBe(
      'HISTORY_CORRUPT',
    );
    expect(codeOf(() => decodeCheckpoint(bytes, { ...expected, networkId: new Uint8Array(32) }, 'f'))).toBe(
      'HISTORY_CORRUPT',
    );
    const shuffled = encodeCheckpoint({ ...checkpoint, ledgers: [...checkpoint.ledgers].reverse() });
    expect(codeOf(() => decodeCheckpoint(shuffled, expected, 'f'))).toBe('HISTORY_CORRUPT');
  });

  it('rejects a body with a valid checksum but unknown fields', () => {
    const body = encode({ networkId, first: 5, last: 8, ledgers: [], extra: 1 });
    const bytes = encode({ format: 'qm-history/1', checksum: sha256(body), body });
    expect(codeOf(() => decodeCheckpoint(bytes, expected, 'f'))).toBe('HISTORY_CORRUPT');
  });
});

describe('archive.json', () => {
  it('is HISTORY_ARCHIVE_MISSING where there is none, HISTORY_CORRUPT when malformed', () => {
    expect(codeOf(() => readIndex(join(root, 'nothing-here')))).toBe('HISTORY_ARCHIVE_MISSING');
    const dir = mkdtempSync(join(root, 'idx-'));
    const good = {
      format: 'qm-history-archive/1',
      networkId: '00'.repeat(32),
      checkpointSize: 64,
      latest: 128,
    };
    writeFileSync(join(dir, 'archive.json'), JSON.stringify(good));
    expect(readIndex(dir)).toEqual(good);
    for (const bad of [
      '{',
      JSON.stringify({ ...good, format: 'other' }),
      JSON.stringify({ ...good, networkId: 'xyz' }),
      JSON.stringify({ ...good, checkpointSize: 0 }),
      JSON.stringify({ ...good, latest: 100 }),
    ]) {
      writeFileSync(join(dir, 'archive.json'), bad);
      expect(codeOf(() => readIndex(dir))).toBe('HISTORY_CORRUPT');
    }
  });
});
