/** Ledger headers, the ledger close, genesis, and the storage interface. */

// Receipts are re-exported here so that the package entry point (which exports this module) carries
// them too; receipt/ imports ledger/ modules directly, never this index, so there is no cycle.
export * from '../receipt/index.js';
export { deviceIdOf, memberIdOf, nextSeq, SEQ_PREFIX, seqKey, signerIds, sourceIdOf } from './accounts.js';
export { type ApplyLedgerInput, applyLedger } from './apply.js';
export { canonicalJson, canonicalJsonBytes, isJsonExact, parseCanonicalJson } from './canonical-json.js';
export { ChangeSet, type StateReader } from './change-set.js';
export {
  type AppliedTx,
  type CloseLedgerInput,
  closeLedger,
  type LedgerCloseResult,
  MAX_ENVELOPE_BYTES,
  MAX_TX_SET_SIZE,
} from './close.js';
export {
  buildGenesisLedger,
  GENESIS_TAG,
  type GenesisDescription,
  type GenesisLedger,
  MAX_QUORUM_DEPTH,
  MAX_QUORUM_NODES,
  NETWORK_KEY,
  networkIdOf,
  parseGenesisDescription,
  type QuorumSetDescription,
  VALIDATORS_KEY,
} from './genesis.js';
export {
  envelopeHash,
  RESULTS_TAG,
  resultsHash,
  STATE_TAG,
  type StateChange,
  stateCommitment,
  TX_SET_TAG,
  txSetHash,
} from './hashes.js';
export {
  decodeHeader,
  encodeHeader,
  HASH_BYTES as HEADER_HASH_BYTES,
  headerHash,
  headerRecord,
  headerSchema,
  type LedgerHeader,
  PROTOCOL_VERSION,
  ZERO_HASH,
} from './header.js';
export { MemoryLedgerStore, nsnKey } from './memory-store.js';
export { MerkleOverlay, type MerkleReader } from './merkle-overlay.js';
export { type LifeLimitMargin, partsNearLifeLimit } from './queries.js';
export {
  consensusResult,
  encodeLeaf,
  encodeResult,
  isApplied,
  LEAF_TAG,
  LEDGER_TX_CODES,
  type LedgerTxCode,
  type LedgerTxResult,
} from './result.js';
export {
  type AlertQuery,
  checkExtends,
  type HistoryEntry,
  historyOf,
  type LedgerStore,
  MAX_QUERY_ROWS,
  type StoredTx,
} from './storage.js';
