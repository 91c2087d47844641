// Transactions waiting for a ledger: admitted once (decoded, network checked, signatures verified and
// the verdict cached by hash, sequence in range), bounded per source and in total, handed to the tx set
// builder in a deterministic order.
import {
  DecodeError,
  decodeEnvelope,
  equalBytes,
  LruCache,
  type SignatureSuite,
  type TransactionEnvelope,
  txHash,
  verifyEnvelope,
} from '@qm/ledger';

export interface TxQueueLimits {
  /** Transactions one source may have waiting (and how far ahead of its sequence it may go). */
  readonly maxPerSource: number;
  readonly maxTotal: number;
}

export const DEFAULT_TX_QUEUE_LIMITS: TxQueueLimits = { maxPerSource: 64, maxTotal: 20_000 };

export type AdmitResult =
  | { readonly ok: true; readonly hash: Uint8Array; readonly fresh: boolean }
  | { readonly ok: false; readonly code: string; readonly message: string };

interface Queued {
  readonly bytes: Uint8Array;
  readonly hash: Uint8Array;
  readonly source: string;
  readonly seq: bigint;
  readonly receivedMs: number;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

export class TxQueue {
  private readonly byHash = new Map<string, Queued>();
  private readonly bySource = new Map<string, Map<bigint, Queued>>();
  /** Signature verdicts (true or the failure code) by tx hash: a transaction seen again (flooded by several peers) is not re-verified. */
  private readonly verdicts = new LruCache<string, true | string>(100_000);

  constructor(
    private readonly networkId: Uint8Array,
    private readonly suite: SignatureSuite,
    private readonly limits: TxQueueLimits = DEFAULT_TX_QUEUE_LIMITS,
  ) {}

  get size(): number {
    return this.byHash.size;
  }

  has(hash: Uint8Array): boolean {
    return this.byHash.has(hex(hash));
  }

  /**
   * True when exactly these envelope bytes were admitted (their signatures verified on admission), so the
   * ledger close need not verify them again. Same bytes, not just the same body: another envelope of the
   * transaction could carry other signatures.
   */
  isAdmitted(bytes: Uint8Array, hash: Uint8Array): boolean {
    const q = this.byHash.get(hex(hash));
    return q !== undefined && equalBytes(q.bytes, bytes);
  }

  /**
   * Admits an encoded envelope. `nextSeq` gives a source's next expected sequence from the last closed
   * ledger (null: the source is not a registered member or device).
   */
  admit(bytes: Uint8Array, nextSeq: (source: Uint8Array) => bigint | null, nowMs: number): AdmitResult {
    let env: TransactionEnvelope;
    try {
      env = decodeEnvelope(bytes);
    } catch (e) {
      if (e instanceof DecodeError) return { ok: false, code: e.code, message: e.message };
      throw e;
    }
    if (!equalBytes(env.networkId, this.networkId)) {
      return { ok: false, code: 'TX_WRONG_NETWORK', message: 'transaction is for another network' };
    }
    const hash = txHash(env);
    const key = hex(hash);
    if (this.byHash.has(key)) return { ok: true, hash, fresh: false };
    let verdict = this.verdicts.get(key);
    if (verdict === undefined) {
      const v = verifyEnvelope(env, this.suite);
      verdict = v.ok ? true : v.code;
      this.verdicts.set(key, verdict);
    }
    if (verdict !== true) return { ok: false, code: verdict, message: 'signature verification failed' };
    const expected = nextSeq(env.source);
    if (expected === null)
      return { ok: false, code: 'TX_UNKNOWN_SOURCE', message: 'source is not registered' };
    if (env.seq < expected) {
      return {
        ok: false,
        code: 'TX_BAD_SEQ',
        message: `sequence ${env.seq} already used (next is ${expected})`,
      };
    }
    if (env.seq >= expected + BigInt(this.limits.maxPerSource)) {
      return {
        ok: false,
        code: 'TX_SEQ_TOO_FAR',
        message: `sequence ${env.seq} too far ahead of ${expected}`,
      };
    }
    const source = hex(env.source);
    const mine = this.bySource.get(source) ?? new Map<bigint, Queued>();
    if (mine.has(env.seq)) {
      return {
        ok: false,
        code: 'TX_SEQ_TAKEN',
        message: `another transaction with sequence ${env.seq} is queued`,
      };
    }
    if (mine.size >= this.limits.maxPerSource) {
      return { ok: false, code: 'TX_SOURCE_LIMIT', message: 'too many queued transactions from this source' };
    }
    if (this.byHash.size >= this.limits.maxTotal) {
      return { ok: false, code: 'TX_QUEUE_FULL', message: 'the transaction queue is full; retry later' };
    }
    const q: Queued = { bytes, hash, source, seq: env.seq, receivedMs: nowMs };
    mine.set(env.seq, q);
    this.bySource.set(source, mine);
    this.byHash.set(key, q);
    return { ok: true, hash, fresh: true };
  }

  /**
   * Up to `max` transactions for the next tx set: per source, only a run of consecutive sequences from
   * its next expected one; sources in order of their oldest waiting transaction.
   */
  take(max: number, nextSeq: (source: Uint8Array) => bigint | null): Uint8Array[] {
    const runs: Queued[][] = [];
    for (const [source, mine] of this.bySource) {
      let seq = nextSeq(Buffer.from(source, 'hex'));
      if (seq === null) continue;
      const run: Queued[] = [];
      for (let q = mine.get(seq); q; q = mine.get(++seq)) run.push(q);
      if (run.length > 0) runs.push(run);
    }
    runs.sort((a, b) => a[0]!.receivedMs - b[0]!.receivedMs || (a[0]!.source < b[0]!.source ? -1 : 1));
    const out: Uint8Array[] = [];
    for (const run of runs) {
      for (const q of run) {
        if (out.length >= max) return out;
        out.push(q.bytes);
      }
    }
    return out;
  }

  /** Drops applied transactions and those whose sequence the ledger has passed. */
  prune(applied: readonly Uint8Array[], nextSeq: (source: Uint8Array) => bigint | null): void {
    for (const h of applied) this.remove(hex(h));
    for (const [source, mine] of this.bySource) {
      const next = nextSeq(Buffer.from(source, 'hex'));
      for (const q of [...mine.values()]) if (next === null || q.seq < next) this.remove(hex(q.hash));
    }
  }

  private remove(key: string): void {
    const q = this.byHash.get(key);
    if (!q) return;
    this.byHash.delete(key);
    const mine = this.bySource.get(q.source);
    mine?.delete(q.seq);
    if (mine && mine.size === 0) this.bySource.delete(q.source);
  }
}
