import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { headerHash, type LedgerStore, MemoryLedgerStore } from '@qm/ledger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CatchUpProgress,
  catchUp,
  checkpointFileName,
  HistoryArchiveWriter,
  HistoryError,
} from '../../src/history/index.js';
import { SqliteLedgerStore } from '../../src/store/index.js';
import { closeUpTo, copyArchive, genesis, networkId, rewriteCheckpoint } from './fixture.js';

const root = mkdtempSync(join(tmpdir(), 'qm-history-catchup-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The network's history: 200 ledgers of real transactions, archived in checkpoints of 64 (1..192). */
const source = new MemoryLedgerStore();
const archive = join(root, 'archive');
beforeAll(() => {
  closeUpTo(source, 200);
  new HistoryArchiveWriter(archive, networkId).publish(source);
});

const hashHex = (store: LedgerStore, seq: number) =>
  Buffer.from(headerHash(store.getHeader(seq)!)).toString('hex');
let n = 0;
const tampered = () => copyArchive(archive, join(root, `copy-${n++}`));

function failure(f: () => unknown): HistoryError {
  try {
    f();
  } catch (e) {
    if (e instanceof HistoryError) return e;
    throw e;
  }
  throw new Error('expected a HistoryError');
}

describe('catchUp', () => {
  it('replays the archive onto a fresh SQLite store: same headers, state, log and SCP statements', () => {
    const store = new SqliteLedgerStore(join(root, 'fresh.sqlite'), { synchronous: 'NORMAL' });
    try {
      const progress: CatchUpProgress[] = [];
      const summary = catchUp({ store, archiveDir: archive, genesis, onProgress: (p) => progress.push(p) });
      expect(summary).toMatchObject({ startedAt: 0, lastClosed: 192, applied: 192, archiveLatest: 192 });
      expect(summary.transactions).toBeGreaterThan(192);
      expect(summary.lastHash).toBe(hashHex(source, 192));
      for (let seq = 0; seq <= 192; seq++) expect(hashHex(store, seq)).toBe(hashHex(source, seq));
      expect(store.getScpEnvelopes(100)).toEqual(source.getScpEnvelopes(100));
      // Equal header hashes already imply equal state commitments; compare the values too.
      const replay = closeTo192();
      expect(store.keys()).toEqual(replay.keys());
      for (const k of store.keys()) expect(store.get(k)).toEqual(replay.get(k));
      expect(store.itemByUii('D0CVA5SN150')).toEqual(replay.itemByUii('D0CVA5SN150'));
      expect(progress.map((p) => p.sequence)).toEqual([...Array(192)].map((_, i) => i + 1));
      expect(progress.at(-1)).toMatchObject({ done: 192, total: 192 });

      // Nothing newer in the archive: a second run is a no-op.
      expect(catchUp({ store, archiveDir: archive, genesis })).toMatchObject({ applied: 0, lastClosed: 192 });
    } finally {
      store.close();
    }
  });

  it('resumes after a partial catch-up', () => {
    const store = new MemoryLedgerStore();
    expect(catchUp({ store, archiveDir: archive, genesis, to: 100 })).toMatchObject({
      lastClosed: 100,
      applied: 100,
    });
    const progress: CatchUpProgress[] = [];
    const rest = catchUp({ store, archiveDir: archive, genesis, onProgress: (p) => progress.push(p) });
    expect(rest).toMatchObject({ startedAt: 100, lastClosed: 192, applied: 92 });
    expect(progress[0]).toMatchObject({ sequence: 101, done: 1, total: 92 });
    expect(hashHex(store, 192)).toBe(hashHex(source, 192));
  });

  it('stops at a tampered checkpoint with HISTORY_CORRUPT, keeping what it verified, and resumes once repaired', () => {
    const dir = tampered();
    const file = join(dir, checkpointFileName(65, 128));
    const good = readFileSync(file);
    const bad = new Uint8Array(good);
    bad[Math.floor(bad.length / 2)]! ^= 0x10;
    writeFileSync(file, bad);

    const store = new MemoryLedgerStore();
    const e = failure(() => catchUp({ store, archiveDir: dir, genesis }));
    expect(e.code).toBe('HISTORY_CORRUPT');
    expect(e.message).toContain('checksum');
    expect(store.lastClosed()!.sequence).toBe(64);

    writeFileSync(file, good);
    expect(catchUp({ store, archiveDir: dir, genesis })).toMatchObject({ startedAt: 64, lastClosed: 192 });
    expect(hashHex(store, 192)).toBe(hashHex(source, 192));
  });

  it('refuses a forged ledger whose SCP statements fall short of a quorum: HISTORY_NOT_PROVEN', () => {
    // A consistent alternative history: ledger 70 empties its tx set, signed by 2 of 4 validators
    // (threshold 3), and everything after it chains on; checksums and the header chain are all valid.
    const forged = new MemoryLedgerStore();
    closeUpTo(forged, 128, {
      txSet: (seq) => (seq === 70 ? [] : undefined),
      signers: (seq) => (seq === 70 ? [0, 1] : [0, 1, 2]),
    });
    const dir = join(root, 'forged');
    new HistoryArchiveWriter(dir, networkId).publish(forged);

    const store = new MemoryLedgerStore();
    const e = failure(() => catchUp({ store, archiveDir: dir, genesis }));
    expect(e.code).toBe('HISTORY_NOT_PROVEN');
    expect(e.details).toMatchObject({ sequence: 70 });
    expect(store.lastClosed()!.sequence).toBe(69);
    expect(hashHex(store, 69)).toBe(hashHex(source, 69));
  });

  it('refuses SCP statements that are a quorum for another value, or for another slot', () => {
    const dir = tampered();
    // Ledger 10 carries ledger 11's (genuine, quorum-signed) statements.
    rewriteCheckpoint(dir, 1, 64, (ls) => {
      ls[9] = { ...ls[9]!, scpEnvelopes: ls[10]!.scpEnvelopes };
      return ls;
    });
    const store = new MemoryLedgerStore();
    expect(failure(() => catchUp({ store, archiveDir: dir, genesis })).code).toBe('HISTORY_NOT_PROVEN');
    expect(store.lastClosed()!.sequence).toBe(9);
  });

  it('detects a broken header chain: HISTORY_CHAIN_BROKEN', () => {
    const dir = tampered();
    rewriteCheckpoint(dir, 129, 192, (ls) => {
      ls[5] = { ...ls[5]!, header: { ...ls[5]!.header, previousHash: new Uint8Array(32).fill(1) } };
      return ls;
    });
    const store = new MemoryLedgerStore();
    const e = failure(() => catchUp({ store, archiveDir: dir, genesis }));
    expect(e.code).toBe('HISTORY_CHAIN_BROKEN');
    expect(e.details).toMatchObject({ sequence: 134 });
    expect(store.lastClosed()!.sequence).toBe(133);
  });

  it('detects a tx set other than the header names: HISTORY_TXSET_MISMATCH', () => {
    const dir = tampered();
    rewriteCheckpoint(dir, 1, 64, (ls) => {
      ls[29] = { ...ls[29]!, txSet: ls[29]!.txSet.slice(1) };
      return ls;
    });
    const store = new MemoryLedgerStore();
    expect(failure(() => catchUp({ store, archiveDir: dir, genesis })).code).toBe('HISTORY_TXSET_MISMATCH');
    expect(store.lastClosed()!.sequence).toBe(29);
  });

  it('stores nothing when the apply disagrees with the archived header: LEDGER_HASH_MISMATCH', () => {
    const dir = tampered();
    // Proven value (tx set, close time) but a header claiming other results.
    rewriteCheckpoint(dir, 1, 64, (ls) => {
      ls[39] = { ...ls[39]!, header: { ...ls[39]!.header, resultsHash: new Uint8Array(32).fill(4) } };
      return ls;
    });
    const store = new MemoryLedgerStore();
    const e = failure(() => catchUp({ store, archiveDir: dir, genesis }));
    expect(e.code).toBe('LEDGER_HASH_MISMATCH');
    expect(store.lastClosed()!.sequence).toBe(39);
  });

  it('names a missing checkpoint, and refuses an archive or a store of another network', () => {
    const dir = tampered();
    rmSync(join(dir, checkpointFileName(129, 192)));
    const store = new MemoryLedgerStore();
    expect(failure(() => catchUp({ store, archiveDir: dir, genesis })).code).toBe(
      'HISTORY_CHECKPOINT_MISSING',
    );
    expect(store.lastClosed()!.sequence).toBe(128);

    const other = { ...genesis, name: 'another-net' };
    expect(
      failure(() => catchUp({ store: new MemoryLedgerStore(), archiveDir: archive, genesis: other })).code,
    ).toBe('HISTORY_ARCHIVE_MISMATCH');
    expect(failure(() => catchUp({ store, archiveDir: join(root, 'none'), genesis })).code).toBe(
      'HISTORY_ARCHIVE_MISSING',
    );
  });
});

/** The source store is at 200: state comparisons need the network's state at 192, replayed here. */
let at192: MemoryLedgerStore | null = null;
function closeTo192(): MemoryLedgerStore {
  if (at192 === null) {
    at192 = new MemoryLedgerStore();
    closeUpTo(at192, 192);
  }
  return at192;
}
