/**
 * The step between consensus and storage: close the next ledger on a store's last closed state and
 * persist it in its one atomic write. Catch-up passes the header hash the network agreed on, so that a
 * node whose apply disagrees stops before writing a ledger its peers do not have.
 */
import { equalBytes } from '../crypto/bytes.js';
import type { SignatureSuite } from '../crypto/suite.js';
import { LedgerError } from '../errors.js';
import { type CloseLedgerInput, closeLedger, type LedgerCloseResult } from './close.js';
import type { LedgerStore } from './storage.js';

export interface ApplyLedgerInput {
  readonly txSet: readonly Uint8Array[];
  readonly closeTime: number;
  readonly suite: SignatureSuite | string;
  /** The SCP statements that externalized this ledger, stored with it. */
  readonly scpEnvelopes?: readonly Uint8Array[];
  /** When known (catch-up from an archive or peers): the header hash this ledger must produce. */
  readonly expectedHeaderHash?: Uint8Array;
  readonly alreadyVerified?: CloseLedgerInput['alreadyVerified'];
}

/**
 * Closes ledger lastClosed + 1 and stores it. Throws LEDGER_STORE_EMPTY before genesis and
 * LEDGER_HASH_MISMATCH (writing nothing) when the result differs from `expectedHeaderHash`.
 */
export function applyLedger(store: LedgerStore, input: ApplyLedgerInput): LedgerCloseResult {
  const prev = store.lastClosed();
  if (prev === null) throw new LedgerError('LEDGER_STORE_EMPTY', 'the store has no genesis ledger');
  const close = closeLedger(
    {
      prev,
      txSet: input.txSet,
      closeTime: input.closeTime,
      networkId: prev.networkId,
      suite: input.suite,
      ...(input.alreadyVerified !== undefined && { alreadyVerified: input.alreadyVerified }),
    },
    store,
    store.merkle,
  );
  if (input.expectedHeaderHash !== undefined && !equalBytes(close.headerHash, input.expectedHeaderHash)) {
    throw new LedgerError(
      'LEDGER_HASH_MISMATCH',
      `ledger ${close.header.sequence} applied to another header`,
      {
        sequence: close.header.sequence,
        computed: Buffer.from(close.headerHash).toString('hex'),
        expected: Buffer.from(input.expectedHeaderHash).toString('hex'),
      },
    );
  }
  store.putClosedLedger(close, input.scpEnvelopes ?? []);
  return close;
}
