// Catch-up from a history archive: replays the archived ledgers after the store's last closed one,
// trusting nothing in the files but what it re-derives. For each ledger, in order:
//   1. the header extends our chain (sequence + 1, previousHash = hash of our last header);
//   2. the tx set is the one the header commits to (txSetHash binds it to previousHash);
//   3. a quorum of the genesis validators signed the commit of (txSetHash, closeTime) for that slot;
//   4. applying the tx set on our own state gives exactly the archived header (applyLedger with
//      expectedHeaderHash), and only then is the ledger stored, in its one atomic write.
// Step 3 is what makes a forged archive harmless: anyone can write a chain of well-formed headers, but
// not a quorum's signatures. Step 4 means this node never stores a ledger it did not compute itself.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  applyLedger,
  buildGenesisLedger,
  equalBytes,
  type GenesisDescription,
  getSuite,
  headerHash,
  LedgerError,
  type LedgerHeader,
  type LedgerStore,
  networkIdOf,
  type ScpVerifier,
  type SignatureSuite,
  txSetHash,
} from '@qm/ledger';
import { scpVerifierFor } from '../receipt/scp-verifier.js';
import { HistoryError } from './errors.js';
import {
  type ArchivedLedger,
  type ArchiveIndex,
  type Checkpoint,
  checkpointFileName,
  checkpointIndexOf,
  checkpointRange,
  decodeCheckpoint,
  MAX_CHECKPOINT_BYTES,
  readIndex,
} from './format.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

export interface CatchUpProgress {
  /** The ledger just applied. */
  readonly sequence: number;
  /** Ledgers applied so far by this run, and how many it set out to apply. */
  readonly done: number;
  readonly total: number;
  readonly txCount: number;
}

export interface CatchUpOptions {
  readonly store: LedgerStore;
  readonly archiveDir: string;
  readonly genesis: GenesisDescription;
  /** The network's signature suite (default: the genesis's). */
  readonly suite?: SignatureSuite | string;
  readonly onProgress?: (p: CatchUpProgress) => void;
  /** Stop after this ledger (default: the archive's latest). */
  readonly to?: number;
}

export interface CatchUpSummary {
  /** The store's last closed ledger before the run. */
  readonly startedAt: number;
  /** ... and after it, with its hex header hash. */
  readonly lastClosed: number;
  readonly lastHash: string;
  readonly applied: number;
  readonly transactions: number;
  /** The archive's latest ledger (a node can then catch the rest up from its peers). */
  readonly archiveLatest: number;
}

/**
 * Replays the archive onto `store`. Stops at the first problem with a HistoryError (codes in
 * errors.ts); every ledger stored before it was fully verified, so the store can resume from there
 * once the archive is repaired. A store with no ledger gets the genesis ledger first.
 */
export function catchUp(opts: CatchUpOptions): CatchUpSummary {
  const { store, genesis } = opts;
  const networkId = networkIdOf(genesis);
  const suite =
    typeof opts.suite === 'string' ? getSuite(opts.suite) : (opts.suite ?? getSuite(genesis.suite));
  const index = readIndex(opts.archiveDir);
  if (index.networkId !== hex(networkId)) {
    throw new HistoryError(
      'HISTORY_ARCHIVE_MISMATCH',
      `${opts.archiveDir} is the archive of another network`,
      {
        archive: index.networkId,
        genesis: hex(networkId),
      },
    );
  }

  let prev = store.lastClosed();
  if (prev === null) {
    store.putClosedLedger(buildGenesisLedger(genesis), []);
    prev = store.lastClosed()!;
  } else if (!equalBytes(prev.networkId, networkId)) {
    throw new HistoryError(
      'HISTORY_STORE_MISMATCH',
      'the store holds ledgers of another network than the genesis',
    );
  }
  const startedAt = prev.sequence;
  const target = Math.min(index.latest, opts.to ?? index.latest);
  const total = Math.max(0, target - startedAt);
  const verify = scpVerifierFor(genesis);
  let applied = 0;
  let transactions = 0;

  try {
    while (prev.sequence < target) {
      const checkpoint = loadCheckpoint(
        opts.archiveDir,
        index,
        checkpointIndexOf(prev.sequence + 1, index.checkpointSize),
        networkId,
      );
      for (const ledger of checkpoint.ledgers) {
        if (ledger.header.sequence <= prev.sequence) continue;
        if (ledger.header.sequence > target) break;
        prev = replayOne(store, prev, ledger, suite, verify);
        applied++;
        transactions += ledger.txSet.length;
        opts.onProgress?.({ sequence: prev.sequence, done: applied, total, txCount: ledger.txSet.length });
      }
    }
  } catch (e) {
    if (e instanceof HistoryError) e.lastClosed = prev.sequence;
    throw e;
  }
  return {
    startedAt,
    lastClosed: prev.sequence,
    lastHash: hex(headerHash(prev)),
    applied,
    transactions,
    archiveLatest: index.latest,
  };
}

function loadCheckpoint(dir: string, index: ArchiveIndex, k: number, networkId: Uint8Array): Checkpoint {
  const { first, last } = checkpointRange(k, index.checkpointSize);
  const name = checkpointFileName(first, last);
  const path = join(dir, name);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new HistoryError(
        'HISTORY_CHECKPOINT_MISSING',
        `${name} is missing (the index says ledgers up to ${index.latest})`,
        {
          file: name,
        },
      );
    }
    throw new HistoryError('HISTORY_IO', `cannot read ${path}: ${(e as Error).message}`, { file: name });
  }
  if (bytes.length > MAX_CHECKPOINT_BYTES + 1024) {
    throw new HistoryError('HISTORY_CORRUPT', `${name}: ${bytes.length} bytes, over the limit`, {
      file: name,
    });
  }
  return decodeCheckpoint(bytes, { first, last, networkId }, name);
}

function replayOne(
  store: LedgerStore,
  prev: LedgerHeader,
  ledger: ArchivedLedger,
  suite: SignatureSuite,
  verify: ScpVerifier,
): LedgerHeader {
  const hash = checkArchivedLedger(prev, ledger, verify);
  try {
    return applyLedgerChecked(store, ledger, suite, hash);
  } catch (e) {
    if (e instanceof LedgerError && e.code === 'LEDGER_HASH_MISMATCH') {
      throw new HistoryError(
        'LEDGER_HASH_MISMATCH',
        `ledger ${ledger.header.sequence}: ${e.message}`,
        e.details,
      );
    }
    throw e;
  }
}

/**
 * Checks steps 1-3 for a ledger that claims to follow `prev` (from an archive or from a peer): it extends
 * the chain, its tx set is the one its header names, and a quorum signed its commit. Returns its header
 * hash, which applying the tx set must reproduce (step 4, the caller's). Throws HistoryError.
 */
export function checkArchivedLedger(
  prev: LedgerHeader,
  ledger: ArchivedLedger,
  verify: ScpVerifier,
): Uint8Array {
  const h = ledger.header;
  const prevHash = headerHash(prev);
  if (h.sequence !== prev.sequence + 1 || !equalBytes(h.previousHash, prevHash)) {
    throw new HistoryError(
      'HISTORY_CHAIN_BROKEN',
      `archived ledger ${h.sequence} does not extend ledger ${prev.sequence} (${hex(prevHash).slice(0, 16)}…)`,
      { sequence: h.sequence, previousHash: hex(h.previousHash), expected: hex(prevHash) },
    );
  }
  if (!equalBytes(txSetHash(prevHash, ledger.txSet), h.txSetHash)) {
    throw new HistoryError(
      'HISTORY_TXSET_MISMATCH',
      `archived tx set of ledger ${h.sequence} is not the one its header names`,
      {
        sequence: h.sequence,
      },
    );
  }
  const hash = headerHash(h);
  const proof = verify(h, hash, ledger.scpEnvelopes);
  if (!proof.ok) {
    throw new HistoryError('HISTORY_NOT_PROVEN', `ledger ${h.sequence}: ${proof.reason}`, {
      sequence: h.sequence,
      statements: ledger.scpEnvelopes.length,
    });
  }
  return hash;
}

function applyLedgerChecked(
  store: LedgerStore,
  ledger: ArchivedLedger,
  suite: SignatureSuite,
  expectedHeaderHash: Uint8Array,
): LedgerHeader {
  return applyLedger(store, {
    txSet: ledger.txSet,
    closeTime: ledger.header.closeTime,
    suite,
    scpEnvelopes: ledger.scpEnvelopes,
    expectedHeaderHash,
  }).header;
}
