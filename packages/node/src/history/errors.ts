// Errors of the history archive and of catch-up from it. Codes are stable (tests, the CLI's --json
// output and operators' scripts branch on them); messages say what to do.

export type HistoryErrorCode =
  /** No archive.json in the directory (or the directory is missing). */
  | 'HISTORY_ARCHIVE_MISSING'
  /** The archive belongs to another network or uses another checkpoint size than asked for. */
  | 'HISTORY_ARCHIVE_MISMATCH'
  /** A checkpoint the index promises is not there. */
  | 'HISTORY_CHECKPOINT_MISSING'
  /** A file fails its checksum, does not decode, or contradicts its own name or index. */
  | 'HISTORY_CORRUPT'
  /** A header does not name the previous ledger's hash (or skips a sequence number). */
  | 'HISTORY_CHAIN_BROKEN'
  /** The archived tx set is not the one the header commits to. */
  | 'HISTORY_TXSET_MISMATCH'
  /** The archived SCP statements are not a quorum's for the header's value. */
  | 'HISTORY_NOT_PROVEN'
  /** Applying the archived tx set gave another header than the archived one. */
  | 'LEDGER_HASH_MISMATCH'
  /** The store to catch up holds ledgers of another network. */
  | 'HISTORY_STORE_MISMATCH'
  /** The node's store is open in another process (a running node): catch-up needs it stopped. */
  | 'HISTORY_STORE_LOCKED'
  /** The writer's store lacks a ledger it should hold (a bug or a damaged store). */
  | 'HISTORY_STORE_INCOMPLETE'
  /** Reading or writing the archive failed at the file-system level. */
  | 'HISTORY_IO';

export class HistoryError extends Error {
  readonly code: HistoryErrorCode;
  readonly details?: Record<string, unknown>;
  /**
   * Set by catchUp: the store's last closed ledger when it stopped (every ledger up to it verified), so
   * that the caller can say where a rerun will resume.
   */
  lastClosed?: number;

  constructor(code: HistoryErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'HistoryError';
    this.code = code;
    if (details !== undefined) this.details = details;
  }

  toJSON(): { code: string; message: string; details?: Record<string, unknown>; lastClosed?: number } {
    return {
      code: this.code,
      message: this.message,
      ...(this.details !== undefined && { details: this.details }),
      ...(this.lastClosed !== undefined && { lastClosed: this.lastClosed }),
    };
  }
}
