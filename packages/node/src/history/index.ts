// History archives (docs/history.md): checkpoint files written by validators, and catch-up from them.
export { writeFileAtomic } from './atomic-file.js';
export { type CatchUpOptions, type CatchUpProgress, type CatchUpSummary, catchUp } from './catch-up.js';
export { HistoryError, type HistoryErrorCode } from './errors.js';
export {
  ARCHIVE_FORMAT,
  type ArchivedLedger,
  type ArchiveIndex,
  CHECKPOINT_FORMAT,
  type Checkpoint,
  checkpointFileName,
  checkpointIndexOf,
  checkpointRange,
  DEFAULT_CHECKPOINT_SIZE,
  decodeCheckpoint,
  encodeCheckpoint,
  INDEX_FILE,
  readIndex,
} from './format.js';
export {
  assertStoreNotInUse,
  type CatchUpNodeOptions,
  catchUpNode,
  LEDGER_DB_FILE,
  openNodeLedgerStore,
} from './node-store.js';
export {
  HistoryArchiveWriter,
  type HistoryArchiveWriterOptions,
  type HistoryLog,
  historyPublisher,
  type PublishResult,
} from './writer.js';
