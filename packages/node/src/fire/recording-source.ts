/**
 * Wraps the demo workload so every transaction it hands to seedNetwork/runLoad, and every outcome the
 * client is told, lands in the history: durability is owed exactly to what the client saw acknowledged.
 */
import { decodeEnvelope, txHash } from '@qm/ledger';
import type { DemoWorkload, LoadSource, SeedSource, TxOutcome } from '../workload/index.js';
import type { TxRecord } from './history.js';

const hashOf = (bytes: Uint8Array) => Buffer.from(txHash(decodeEnvelope(bytes))).toString('hex');

export class RecordingSource implements LoadSource, SeedSource {
  readonly #byHash = new Map<string, TxRecord>();

  constructor(
    private readonly workload: DemoWorkload,
    private readonly txs: TxRecord[],
    private readonly clock: () => number,
  ) {}

  seedPhases(): Uint8Array[][] {
    const phases = this.workload.seedPhases();
    for (const phase of phases) for (const bytes of phase) this.#record(hashOf(bytes), 'seed');
    return phases;
  }

  next(): Uint8Array {
    const bytes = this.workload.next();
    this.#record(hashOf(bytes), 'load');
    return bytes;
  }

  noteResult(hash: string, outcome: TxOutcome, result?: unknown): void {
    const rec = this.#byHash.get(hash);
    // The first settlement is what the client was told; a repeat of the same bytes does not undo it.
    if (rec && (rec.outcome === undefined || rec.outcome === 'rejected')) {
      rec.outcome = outcome;
      rec.settledAt = Math.round(this.clock());
    }
    this.workload.noteResult(hash, outcome, result);
  }

  #record(hash: string, phase: TxRecord['phase']): void {
    if (this.#byHash.has(hash)) return;
    const rec: TxRecord = { hash, phase, submittedAt: Math.round(this.clock()) };
    this.#byHash.set(hash, rec);
    this.txs.push(rec);
  }
}
