import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryLedgerStore } from '@qm/ledger';
import { afterAll, describe, expect, it } from 'vitest';
import type { LedgerClosedEvent } from '../../src/herder/herder.js';
import {
  checkpointFileName,
  decodeCheckpoint,
  HistoryArchiveWriter,
  HistoryError,
  historyPublisher,
  readIndex,
} from '../../src/history/index.js';
import { closeUpTo, networkId } from './fixture.js';

const root = mkdtempSync(join(tmpdir(), 'qm-history-writer-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const closed = (seq: number): LedgerClosedEvent => ({
  seq,
  hash: new Uint8Array(32),
  closeTime: 0,
  txCount: 0,
  intervalMs: 0,
  consensusMs: null,
  applyMs: 0,
});

describe('HistoryArchiveWriter', () => {
  it('writes only complete checkpoints, each once, and the index last', () => {
    const dir = join(root, 'incremental');
    const store = new MemoryLedgerStore();
    closeUpTo(store, 15);
    const writer = new HistoryArchiveWriter(dir, networkId, { checkpointSize: 8 });
    expect(readIndex(dir).latest).toBe(0);

    expect(writer.publish(store).written).toEqual([checkpointFileName(1, 8)]);
    const mtime = statSync(join(dir, checkpointFileName(1, 8))).mtimeMs;
    // Idempotent: nothing new is due until ledger 16 closes.
    expect(writer.publish(store)).toEqual({ written: [], latest: 8 });

    closeUpTo(store, 33);
    expect(writer.publish(store).written).toEqual([
      checkpointFileName(9, 16),
      checkpointFileName(17, 24),
      checkpointFileName(25, 32),
    ]);
    expect(statSync(join(dir, checkpointFileName(1, 8))).mtimeMs).toBe(mtime);
    expect(readIndex(dir)).toMatchObject({ checkpointSize: 8, latest: 32 });
    // No temporary files left behind.
    expect(readdirSync(join(dir, 'ledgers')).filter((f) => !f.endsWith('.qmh'))).toEqual([]);

    // The files hold the store's ledgers byte for byte.
    const c = decodeCheckpoint(
      readFileSync(join(dir, checkpointFileName(17, 24))),
      { first: 17, last: 24, networkId },
      'f',
    );
    expect(c.ledgers.map((l) => l.header)).toEqual([...Array(8)].map((_, i) => store.getHeader(17 + i)));
    expect(c.ledgers[3]!.txSet).toEqual(store.getTxSet(20));
    expect(c.ledgers[3]!.scpEnvelopes).toEqual(store.getScpEnvelopes(20));
  });

  it('resumes from the index when reopened, keeping its checkpoint size', () => {
    const dir = join(root, 'reopen');
    const store = new MemoryLedgerStore();
    closeUpTo(store, 20);
    new HistoryArchiveWriter(dir, networkId, { checkpointSize: 8 }).publish(store);
    const again = new HistoryArchiveWriter(dir, networkId);
    expect(again.checkpointSize).toBe(8);
    expect(again.latestLedger).toBe(16);
    closeUpTo(store, 24);
    expect(again.publish(store).written).toEqual([checkpointFileName(17, 24)]);
  });

  it('bounds the work of one call with maxCheckpoints, leaving the rest for the next', () => {
    const dir = join(root, 'bounded');
    const store = new MemoryLedgerStore();
    closeUpTo(store, 24);
    const writer = new HistoryArchiveWriter(dir, networkId, { checkpointSize: 4 });
    expect(writer.publish(store, { maxCheckpoints: 4 }).latest).toBe(16);
    expect(writer.publish(store, { maxCheckpoints: 4 }).written).toEqual([
      checkpointFileName(17, 20),
      checkpointFileName(21, 24),
    ]);
  });

  it('refuses an archive of another network or checkpoint size', () => {
    const dir = join(root, 'mismatch');
    new HistoryArchiveWriter(dir, networkId, { checkpointSize: 8 });
    const codeOf = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as HistoryError).code;
      }
      return undefined;
    };
    expect(codeOf(() => new HistoryArchiveWriter(dir, new Uint8Array(32).fill(7)))).toBe(
      'HISTORY_ARCHIVE_MISMATCH',
    );
    expect(codeOf(() => new HistoryArchiveWriter(dir, networkId, { checkpointSize: 64 }))).toBe(
      'HISTORY_ARCHIVE_MISMATCH',
    );
  });
});

describe('historyPublisher (the validator’s ledger-closed listener)', () => {
  it('publishes as ledgers close', () => {
    const dir = join(root, 'listener');
    const store = new MemoryLedgerStore();
    const logs: string[] = [];
    const onClosed = historyPublisher(store, dir, networkId, (_l, msg) => logs.push(msg), {
      checkpointSize: 4,
    });
    closeUpTo(store, 0);
    for (let seq = 1; seq <= 9; seq++) {
      closeUpTo(store, seq);
      onClosed(closed(seq));
    }
    expect(readIndex(dir).latest).toBe(8);
    expect(logs.filter((m) => m === 'history checkpoint published')).toHaveLength(2);
  });

  it('logs a failed write once and never throws into the herder', () => {
    const dir = join(root, 'broken');
    const store = new MemoryLedgerStore();
    const logs: { level: string; msg: string }[] = [];
    const onClosed = historyPublisher(store, dir, networkId, (level, msg) => logs.push({ level, msg }), {
      checkpointSize: 2,
    });
    // A file where the checkpoint directory should be: every write fails (even for root).
    rmSync(join(dir, 'ledgers'), { recursive: true });
    writeFileSync(join(dir, 'ledgers'), 'not a directory');
    closeUpTo(store, 6);
    for (const seq of [2, 4, 6]) expect(() => onClosed(closed(seq))).not.toThrow();
    expect(logs.filter((l) => l.level === 'error')).toHaveLength(1);
    expect(readIndex(dir).latest).toBe(0);

    rmSync(join(dir, 'ledgers'));
    mkdirSync(join(dir, 'ledgers'));
    onClosed(closed(6));
    expect(readIndex(dir).latest).toBe(6);
    expect(logs.at(-1)?.msg).toBe('history archive writable again');
  });

  it('fails at startup, not at the first close, on an archive of another network', () => {
    const dir = join(root, 'listener-mismatch');
    new HistoryArchiveWriter(dir, new Uint8Array(32).fill(9));
    expect(() => historyPublisher(new MemoryLedgerStore(), dir, networkId)).toThrow(HistoryError);
  });
});
