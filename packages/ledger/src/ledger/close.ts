/**
 * Closing a ledger: the deterministic state transition of the network.
 *
 *   closeLedger(input, state, log) -> LedgerCloseResult
 *
 * is a pure function of its arguments: it reads the last closed state and transaction log, writes
 * neither, and returns everything the caller persists in one atomic write (header, results, state
 * changes, new log nodes). Same inputs, same bytes, on every node.
 *
 * Per envelope, in tx-set order: decode -> network id -> time bounds -> signatures -> source registered
 * -> sequence number; a failed check gives a coded result (never a throw) and changes nothing. A
 * transaction passing them all is applied: its operations run all-or-nothing through the domain, its
 * source's sequence number is consumed either way, and a leaf is appended to the log. After the last
 * transaction, custody offers past their expiry are expired.
 *
 * Throws (LedgerError) only on a caller's broken precondition (wrong previous header, a log that does
 * not match it, close time not after the previous one, oversized tx set) or a violated domain invariant:
 * both mean this node must stop rather than write a state its peers would not.
 */

import { equalBytes } from '../crypto/bytes.js';
import { getSuite } from '../crypto/registry.js';
import type { SignatureSuite } from '../crypto/suite.js';
import { applyOperations } from '../domain/apply.js';
import { checkExpiredOffers } from '../domain/operations/custody.js';
import type { Alert } from '../domain/state.js';
import { LedgerError } from '../errors.js';
import { MerkleLog } from '../merkle/log.js';
import type { MerkleNode } from '../merkle/store.js';
import {
  txHash as computeTxHash,
  decodeEnvelope,
  type TransactionEnvelope,
  verifyEnvelope,
  withinTimeBounds,
} from '../tx/envelope.js';
import { nextSeq, seqKey, seqRecord, signerIds, sourceIdOf } from './accounts.js';
import { ChangeSet, type StateReader } from './change-set.js';
import { resultsHash, type StateChange, stateCommitment, txSetHash } from './hashes.js';
import { headerHash, type LedgerHeader, PROTOCOL_VERSION } from './header.js';
import { MerkleOverlay, type MerkleReader } from './merkle-overlay.js';
import { encodeLeaf, encodeResult, type LedgerTxResult } from './result.js';

/** Transactions per ledger (DESIGN.md principle 4). The herder must not nominate more. */
export const MAX_TX_SET_SIZE = 5_000;
/** Bytes of one envelope in a tx set; matches TX_DECODE_LIMITS.maxBytes. */
export const MAX_ENVELOPE_BYTES = 64 * 1024;

export interface CloseLedgerInput {
  /** The last closed header; the new ledger is prev.sequence + 1. */
  readonly prev: LedgerHeader;
  /** The externalized transaction set: encoded envelopes, in apply order. */
  readonly txSet: readonly Uint8Array[];
  /** Unix seconds agreed through SCP; must be after prev.closeTime. */
  readonly closeTime: number;
  readonly networkId: Uint8Array;
  /** The network's signature suite (or its name). */
  readonly suite: SignatureSuite | string;
  /**
   * Optional: true for envelope bytes whose signatures this node already verified (the herder caches
   * verdicts when it admits a transaction). Only skips work; it must never change an outcome.
   */
  readonly alreadyVerified?: (envelope: Uint8Array, env: TransactionEnvelope) => boolean;
}

/** An applied transaction, as stored and as a receipt needs it. */
export interface AppliedTx {
  readonly txIndex: number;
  readonly txHash: Uint8Array;
  readonly envelope: Uint8Array;
  readonly result: LedgerTxResult;
  readonly resultBytes: Uint8Array;
  /** Position of its leaf in the transaction log. */
  readonly leafIndex: number;
  readonly source: string;
}

export interface LedgerCloseResult {
  readonly header: LedgerHeader;
  readonly headerHash: Uint8Array;
  readonly txSet: readonly Uint8Array[];
  /** One per envelope of txSet, in order. */
  readonly results: readonly LedgerTxResult[];
  readonly resultBytes: readonly Uint8Array[];
  readonly applied: readonly AppliedTx[];
  /** Ascending key order; value null = deleted. */
  readonly stateChanges: readonly StateChange[];
  /** New transaction-log nodes, in append order. */
  readonly logNodes: readonly MerkleNode[];
  /** Alerts raised at close (expired custody offers). */
  readonly closeAlerts: readonly Alert[];
}

function precondition(cond: boolean, code: string, message: string, details?: Record<string, unknown>) {
  if (!cond) throw new LedgerError(code, message, details);
}

type Verdict = { ok: true; env: TransactionEnvelope; hash: Uint8Array; source: string } | LedgerTxResult;

/** Every check before apply. Reads `state`; writes nothing. */
function admit(
  bytes: Uint8Array,
  input: CloseLedgerInput,
  suite: SignatureSuite,
  state: StateReader,
): Verdict {
  if (bytes.length > MAX_ENVELOPE_BYTES) {
    return {
      code: 'TX_MALFORMED',
      message: `envelope of ${bytes.length} bytes; at most ${MAX_ENVELOPE_BYTES}`,
    };
  }
  let env: TransactionEnvelope;
  try {
    env = decodeEnvelope(bytes);
  } catch (e) {
    // Any failure to decode untrusted bytes is the envelope's fault; stopping the node would let one
    // bad envelope halt the network. (The decoder's limits keep this deterministic: no stack overflow.)
    return { code: 'TX_MALFORMED', message: e instanceof Error ? e.message : String(e) };
  }
  const hash = computeTxHash(env);
  const txHash = Buffer.from(hash).toString('hex');
  if (!equalBytes(env.networkId, input.networkId)) return { code: 'TX_WRONG_NETWORK', txHash };
  const tb = env.timeBounds;
  if (tb.maxTime !== 0 && tb.minTime > tb.maxTime) return { code: 'TX_BAD_TIME_BOUNDS', txHash };
  if (!withinTimeBounds(tb, input.closeTime)) {
    return { code: input.closeTime < tb.minTime ? 'TX_TOO_EARLY' : 'TX_TOO_LATE', txHash };
  }
  if (input.alreadyVerified?.(bytes, env) !== true) {
    const v = verifyEnvelope(env, suite);
    if (!v.ok)
      return { code: v.code, txHash, ...(v.index !== undefined && { message: `signature ${v.index}` }) };
  }
  const source = sourceIdOf(state, env.source);
  if (source === undefined) return { code: 'TX_SOURCE_UNKNOWN', txHash };
  const expected = nextSeq(state, source);
  if (env.seq !== expected) {
    return { code: 'TX_BAD_SEQ', txHash, message: `sequence ${env.seq}, expected ${expected}` };
  }
  return { ok: true, env, hash, source };
}

export function closeLedger(
  input: CloseLedgerInput,
  state: StateReader,
  log: MerkleReader,
): LedgerCloseResult {
  const { prev, txSet, closeTime } = input;
  precondition(
    prev.protocolVersion === PROTOCOL_VERSION,
    'LEDGER_PROTOCOL_MISMATCH',
    'unsupported protocol',
    {
      protocolVersion: prev.protocolVersion,
    },
  );
  precondition(
    equalBytes(prev.networkId, input.networkId),
    'LEDGER_WRONG_NETWORK',
    'previous header is of another network',
  );
  precondition(
    Number.isSafeInteger(closeTime) && closeTime > prev.closeTime,
    'LEDGER_BAD_CLOSE_TIME',
    `close time ${closeTime} is not after ${prev.closeTime}`,
  );
  precondition(txSet.length <= MAX_TX_SET_SIZE, 'LEDGER_TX_SET_TOO_LARGE', `${txSet.length} transactions`, {
    max: MAX_TX_SET_SIZE,
  });
  precondition(
    txSet.every((b) => b instanceof Uint8Array),
    'LEDGER_TX_SET_MALFORMED',
    'tx set entries must be byte strings',
  );
  precondition(log.size() === prev.logSize, 'LEDGER_LOG_MISMATCH', 'the log is not at the previous ledger', {
    logSize: log.size(),
    expected: prev.logSize,
  });
  const suite = typeof input.suite === 'string' ? getSuite(input.suite) : input.suite;
  const sequence = prev.sequence + 1;
  const previousHash = headerHash(prev);
  const changes = new ChangeSet(state);
  const overlay = new MerkleOverlay(log);
  const merkle = new MerkleLog(overlay);
  const results: LedgerTxResult[] = [];
  const resultBytes: Uint8Array[] = [];
  const pending: Omit<AppliedTx, 'resultBytes' | 'leafIndex'>[] = [];

  for (let txIndex = 0; txIndex < txSet.length; txIndex++) {
    const bytes = txSet[txIndex]!;
    // Admission reads the change set: an earlier transaction of this ledger may have registered the
    // source or consumed a sequence number.
    const verdict = admit(bytes, input, suite, changes);
    if (!('ok' in verdict)) {
      results.push(verdict);
      continue;
    }
    const { env, hash, source } = verdict;
    const signers = signerIds(env.signatures.map((x) => x.publicKey));
    const applied = applyOperations(changes, env.operations, {
      signers,
      source,
      closeTime,
      ledgerSeq: sequence,
      txIndex,
    });
    changes.put(seqKey(source), seqRecord(env.seq + 1n));
    const result: LedgerTxResult = {
      code: applied.ok ? 'TX_SUCCESS' : 'TX_FAILED',
      txHash: Buffer.from(hash).toString('hex'),
      operations: applied.results,
      ...(applied.alerts.length > 0 && { alerts: applied.alerts }),
    };
    results.push(result);
    pending.push({ txIndex, txHash: hash, envelope: bytes, result, source });
  }
  const closeAlerts = checkExpiredOffers(changes, closeTime, sequence);

  const appliedTxs: AppliedTx[] = [];
  for (const r of results) resultBytes.push(encodeResult(r));
  for (const p of pending) {
    const rb = resultBytes[p.txIndex]!;
    const leafIndex = merkle.append(encodeLeaf(sequence, p.txIndex, p.envelope, rb));
    appliedTxs.push({ ...p, resultBytes: rb, leafIndex });
  }
  const stateChanges = changes.changes();
  const header: LedgerHeader = {
    protocolVersion: PROTOCOL_VERSION,
    networkId: input.networkId,
    sequence,
    previousHash,
    closeTime,
    txSetHash: txSetHash(previousHash, txSet),
    resultsHash: resultsHash(resultBytes),
    stateCommitment: stateCommitment(prev.stateCommitment, sequence, stateChanges),
    logRoot: merkle.root(),
    logSize: merkle.size,
  };
  return {
    header,
    headerHash: headerHash(header),
    txSet: [...txSet],
    results,
    resultBytes,
    applied: appliedTxs,
    stateChanges,
    logNodes: overlay.added(),
    closeAlerts,
  };
}
