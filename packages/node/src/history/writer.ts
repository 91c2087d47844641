// Publishes a validator's closed ledgers to a history archive, one complete checkpoint at a time, so
// that a node that was down longer than its peers keep SCP slots can catch up from files alone.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { equalBytes, type LedgerStore } from '@qm/ledger';
import type { LedgerClosedEvent } from '../herder/herder.js';
import { writeFileAtomic } from './atomic-file.js';
import { HistoryError } from './errors.js';
import {
  ARCHIVE_FORMAT,
  type ArchivedLedger,
  type ArchiveIndex,
  checkCheckpointSize,
  checkpointFileName,
  checkpointIndexOf,
  checkpointRange,
  DEFAULT_CHECKPOINT_SIZE,
  encodeCheckpoint,
  encodeIndex,
  INDEX_FILE,
  LEDGERS_DIR,
  readIndex,
} from './format.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

export interface HistoryArchiveWriterOptions {
  /** Ledgers per checkpoint (default 64). Fixed for the life of an archive. */
  readonly checkpointSize?: number;
}

export interface PublishResult {
  /** Files written by this call, relative to the archive directory. */
  readonly written: readonly string[];
  /** The archive's latest ledger afterwards. */
  readonly latest: number;
}

export class HistoryArchiveWriter {
  readonly checkpointSize: number;
  private latest: number;

  /**
   * Opens (or creates) the archive in `dir` for `networkId`. An existing archive must be of the same
   * network and checkpoint size (HISTORY_ARCHIVE_MISMATCH): mixing two would make both unusable.
   */
  constructor(
    readonly dir: string,
    readonly networkId: Uint8Array,
    opts: HistoryArchiveWriterOptions = {},
  ) {
    const size = opts.checkpointSize ?? DEFAULT_CHECKPOINT_SIZE;
    checkCheckpointSize(size);
    mkdirSync(join(dir, LEDGERS_DIR), { recursive: true });
    if (existsSync(join(dir, INDEX_FILE))) {
      const index = readIndex(dir);
      if (index.networkId !== hex(networkId)) {
        throw new HistoryError('HISTORY_ARCHIVE_MISMATCH', `${dir} is the archive of another network`, {
          dir,
          archive: index.networkId,
          node: hex(networkId),
        });
      }
      // An explicit size must match; without one, the archive's own size is kept.
      if (opts.checkpointSize !== undefined && index.checkpointSize !== size) {
        throw new HistoryError(
          'HISTORY_ARCHIVE_MISMATCH',
          `${dir} has checkpoints of ${index.checkpointSize} ledgers, not ${size}`,
          { dir, archive: index.checkpointSize, requested: size },
        );
      }
      this.checkpointSize = index.checkpointSize;
      this.latest = index.latest;
    } else {
      this.checkpointSize = size;
      this.latest = 0;
      this.writeIndex();
    }
  }

  /** Last ledger of the newest checkpoint in the archive (0: none yet). */
  get latestLedger(): number {
    return this.latest;
  }

  /**
   * Writes every complete checkpoint of `store` not yet in the archive, oldest first; each file, then
   * the index, atomically. Idempotent: a call with nothing new due writes nothing, and after a crash
   * between a checkpoint and the index the same (deterministic) bytes are simply written again.
   * `maxCheckpoints` bounds the work of one call (the rest is left for the next).
   */
  publish(store: LedgerStore, limits: { maxCheckpoints?: number } = {}): PublishResult {
    const written: string[] = [];
    const lcl = store.lastClosed();
    if (lcl === null) return { written, latest: this.latest };
    if (!equalBytes(lcl.networkId, this.networkId)) {
      throw new HistoryError(
        'HISTORY_ARCHIVE_MISMATCH',
        'the store holds ledgers of another network than the archive',
        {
          dir: this.dir,
        },
      );
    }
    const size = this.checkpointSize;
    for (let k = checkpointIndexOf(this.latest + 1, size); ; k++) {
      const { first, last } = checkpointRange(k, size);
      if (last > lcl.sequence || written.length >= (limits.maxCheckpoints ?? Number.POSITIVE_INFINITY)) break;
      const ledgers: ArchivedLedger[] = [];
      for (let seq = first; seq <= last; seq++) ledgers.push(archivedLedger(store, seq));
      const name = checkpointFileName(first, last);
      try {
        writeFileAtomic(
          join(this.dir, name),
          encodeCheckpoint({ networkId: this.networkId, first, last, ledgers }),
        );
      } catch (e) {
        throw ioError(`cannot write ${join(this.dir, name)}`, e);
      }
      this.latest = last;
      this.writeIndex();
      written.push(name);
    }
    return { written, latest: this.latest };
  }

  private writeIndex(): void {
    const index: ArchiveIndex = {
      format: ARCHIVE_FORMAT,
      networkId: hex(this.networkId),
      checkpointSize: this.checkpointSize,
      latest: this.latest,
    };
    try {
      writeFileAtomic(join(this.dir, INDEX_FILE), encodeIndex(index));
    } catch (e) {
      throw ioError(`cannot write ${join(this.dir, INDEX_FILE)}`, e);
    }
  }
}

function archivedLedger(store: LedgerStore, seq: number): ArchivedLedger {
  const header = store.getHeader(seq);
  const txSet = store.getTxSet(seq);
  const scpEnvelopes = store.getScpEnvelopes(seq);
  if (header === undefined || txSet === undefined || scpEnvelopes === undefined) {
    throw new HistoryError('HISTORY_STORE_INCOMPLETE', `the store lacks ledger ${seq}`, { sequence: seq });
  }
  return { header, txSet, scpEnvelopes };
}

function ioError(what: string, e: unknown): HistoryError {
  if (e instanceof HistoryError) return e;
  return new HistoryError('HISTORY_IO', `${what}: ${(e as Error).message}`);
}

/** Per ledger close, at most this many checkpoints are written (a backlog drains over a few closes). */
export const MAX_CHECKPOINTS_PER_CLOSE = 4;

export type HistoryLog = (level: 'info' | 'warn' | 'error', msg: string, data?: object) => void;

/**
 * A ledger-closed listener that keeps an archive in `dir` up to date (the validator registers it with
 * `herder.onLedgerClosed`). Opening the archive happens here, so a misconfigured directory fails at
 * startup; a failed write later is logged and retried at the next close, never thrown into the herder:
 * the archive is a by-product, and consensus must not stop because a disk for it is full.
 */
export function historyPublisher(
  store: LedgerStore,
  dir: string,
  networkId: Uint8Array,
  log?: HistoryLog,
  opts: HistoryArchiveWriterOptions = {},
): (e: LedgerClosedEvent) => void {
  const writer = new HistoryArchiveWriter(dir, networkId, opts);
  let failing = false;
  return (_e) => {
    try {
      // A node that enables the archive late has a backlog: a few checkpoints per close spread it out
      // instead of stalling the herder for the whole history at once.
      const r = writer.publish(store, { maxCheckpoints: MAX_CHECKPOINTS_PER_CLOSE });
      if (r.written.length > 0)
        log?.('info', 'history checkpoint published', { files: r.written, latest: r.latest });
      if (failing) log?.('info', 'history archive writable again', { dir });
      failing = false;
    } catch (e) {
      // Once per outage, not once per ledger.
      if (!failing) {
        log?.('error', 'history archive write failed; retrying at each close', {
          dir,
          code: (e as { code?: string }).code,
          error: (e as Error).message,
        });
      }
      failing = true;
    }
  };
}
