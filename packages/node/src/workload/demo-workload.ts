/**
 * The demo workload of `qm devnet` and the load benchmark: seeds a network with logistics data, then
 * produces a steady stream of realistic activity (custody hand-offs, moves, maintenance, usage,
 * install/remove, RFID scans, stock issues and receipts).
 *
 * Deterministic: the same actors, seed and clock give the same bytes. Every transaction is built
 * against the workload's own model of the state (world.ts) so that nearly all of them succeed; an
 * entity touched by a transaction whose outcome is unknown is not touched again until `noteResult`
 * settles it, because transactions of different sources may land in one ledger in either order.
 */
import { defaultParams, encodeEnvelope, sha256, signTransaction, type Transaction, txHash } from '@qm/ledger';
import { ACTIVITY_WEIGHTS, ActivityPlanner, type ScanLimits } from './activities.js';
import { ActorDirectory, type Actors } from './actors.js';
import { sitesForOrg } from './catalog.js';
import { ACTIVITY_KINDS, type Plan, type SiteInfo, type TxKind } from './plan.js';
import { Prng } from './prng.js';
import { planSeed } from './seed-plan.js';
import { type Snapshot, World } from './world.js';

export interface DemoWorkloadOptions {
  actors: Actors;
  /** PRNG seed (default 1). */
  seed?: number;
  /** Unix seconds, for scan times; default the system clock. Inject it for reproducible bytes. */
  now?: () => number;
  /** The network's scan parameters, if not the defaults: ordinary scans must not raise alerts. */
  scanLimits?: Partial<ScanLimits>;
  /**
   * A transaction whose result has not been noted after this many later transactions is taken as
   * succeeded, so a caller that never reports results does not starve the workload (default 1000).
   */
  settleAfter?: number;
}

/** What the ledger did with a transaction. `failed`: applied as TX_FAILED (sequence consumed). */
export type TxOutcome = 'success' | 'failed' | 'rejected';

export interface GeneratedTx {
  readonly bytes: Uint8Array;
  /** Lower-case hex tx hash, as the HTTP API reports it. */
  readonly hash: string;
  readonly kind: TxKind;
  readonly source: string;
  readonly seq: bigint;
}

interface InFlight {
  readonly tx: GeneratedTx;
  readonly snapshot: Snapshot;
  readonly index: number;
  readonly plan: Plan;
}

/** Below the node's per-source queue limit (64), leaving room for retries. */
export const MAX_IN_FLIGHT_PER_SOURCE = 48;

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Result JSON or LedgerTxResult: finds the offer id a successful offerCustody reported. */
export function offerIdFromResult(result: unknown): string | undefined {
  const ops = (result as { operations?: unknown } | null | undefined)?.operations;
  if (!Array.isArray(ops)) return undefined;
  for (const op of ops) {
    const events = (op as { events?: unknown })?.events;
    if (!Array.isArray(events)) continue;
    for (const e of events) {
      const ev = e as { type?: unknown; data?: { offerId?: unknown } };
      if (ev.type === 'custodyOffered' && typeof ev.data?.offerId === 'string') return ev.data.offerId;
    }
  }
  return undefined;
}

/** Result codes of the failing operations in a result (LedgerTxResult or its JSON). */
function failureCodes(result: unknown): string[] {
  const ops = (result as { operations?: unknown } | null | undefined)?.operations;
  if (!Array.isArray(ops)) return [];
  return ops.flatMap((op) => {
    const o = op as { ok?: unknown; code?: unknown };
    return o?.ok === false && typeof o.code === 'string' && o.code !== 'NOT_APPLIED' ? [o.code] : [];
  });
}

export class DemoWorkload {
  readonly directory: ActorDirectory;
  readonly world = new World();
  /** Transactions generated per kind. */
  readonly counts: Record<TxKind, number>;
  readonly #rng: Prng;
  readonly #planner: ActivityPlanner;
  readonly #settleAfter: number;
  readonly #seqs = new Map<string, bigint>();
  readonly #inFlight = new Map<string, InFlight>();
  /** Unsettled transactions per source: a node queues at most 64 per source (TX_SOURCE_LIMIT). */
  readonly #perSource = new Map<string, number>();
  readonly #sites: SiteInfo[] = [];
  #generated = 0;
  #seed: GeneratedTx[][] | undefined;
  #last: GeneratedTx | undefined;

  constructor(opts: DemoWorkloadOptions) {
    this.directory = new ActorDirectory(opts.actors);
    this.#rng = new Prng(opts.seed ?? 1);
    this.#settleAfter = opts.settleAfter ?? 1000;
    this.counts = Object.fromEntries([...ACTIVITY_KINDS, 'seed'].map((k) => [k, 0])) as Record<
      TxKind,
      number
    >;
    // Device keys come from the workload seed, so a rerun registers the same devices.
    const seedBytes = new Uint8Array(4);
    new DataView(seedBytes.buffer).setUint32(0, opts.seed ?? 1);
    const orgs = this.directory.orgCodes;
    orgs.forEach((org, i) => {
      const operator = this.directory.withRole(org, 'device-operator');
      for (const s of sitesForOrg(org, i)) {
        const device =
          operator &&
          this.directory.device(
            `${s.id}-reader`,
            org,
            sha256(seedBytes, new TextEncoder().encode(`qm/workload/device/${s.id}`)),
          );
        this.#sites.push({ ...s, org, ...(device !== undefined && { device }) });
      }
    });
    const now = opts.now ?? (() => Math.floor(Date.now() / 1000));
    const defaults = defaultParams();
    this.#planner = new ActivityPlanner(this.world, this.directory, this.#rng, this.#sites, now, {
      scanDistanceMaxMeters: opts.scanLimits?.scanDistanceMaxMeters ?? defaults.scanDistanceMaxMeters,
      scanSpeedMaxMetersPerSecond:
        opts.scanLimits?.scanSpeedMaxMetersPerSecond ?? defaults.scanSpeedMaxMetersPerSecond,
    });
  }

  /** The last transaction generated (its kind, hash and source), for callers that track outcomes. */
  get last(): GeneratedTx | undefined {
    return this.#last;
  }

  /** Transactions generated but not yet settled by noteResult. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  get sites(): readonly { id: string; org: string; name: string; device?: string }[] {
    return this.#sites.map((s) => ({
      id: s.id,
      org: s.org,
      name: s.name,
      ...(s.device && { device: s.device.id }),
    }));
  }

  // --- seeding ---------------------------------------------------------------------------------------

  /**
   * The demo data in dependency phases: every transaction of a phase depends only on earlier phases,
   * so a client submitting to a live network should wait for a phase to commit before the next.
   */
  seedPhases(): Uint8Array[][] {
    this.#seed ??= this.#buildSeed();
    return this.#seed.map((phase) => phase.map((t) => t.bytes));
  }

  /** The demo data, in an order that applies cleanly in one ledger or several. */
  seedTransactions(): Uint8Array[] {
    return this.seedPhases().flat();
  }

  /** The seed transactions with their hashes and sources. */
  seedDetails(): GeneratedTx[] {
    this.seedPhases();
    return this.#seed!.flat();
  }

  #buildSeed(): GeneratedTx[][] {
    const phases = planSeed(this.world, this.directory, this.#sites);
    return phases.map((phase) => phase.map((plan) => this.#emit(plan)));
  }

  // --- activity --------------------------------------------------------------------------------------

  /** One activity transaction. Seeds first if seedTransactions() was not called. */
  next(): Uint8Array {
    return this.nextTx().bytes;
  }

  nextTx(): GeneratedTx {
    const tx = this.tryNextTx();
    if (tx) return tx;
    const fallback = this.#planner.plan('receive') ?? this.#planner.plan('scan');
    if (!fallback) throw new Error('the workload has nothing to act on (no sites, members or items)');
    return this.#emit(fallback);
  }

  /**
   * Like nextTx, but null when every source that has something to do already has its fill of unsettled
   * transactions (the node would refuse more from it): a load client then holds back until some settle.
   */
  tryNextTx(): GeneratedTx | null {
    this.seedPhases();
    this.#settleStale();
    const weights = ACTIVITY_KINDS.map((k) => [k, ACTIVITY_WEIGHTS[k]] as const);
    // Draw until a kind has something to act on from a source with room.
    for (let attempt = 0; attempt < 50; attempt++) {
      const kind = this.#rng.weighted(weights);
      const plan = this.#planner.plan(kind);
      if (plan && (this.#perSource.get(plan.signer.id) ?? 0) < MAX_IN_FLIGHT_PER_SOURCE)
        return this.#emit(plan);
    }
    return null;
  }

  // --- signing and bookkeeping -----------------------------------------------------------------------

  #emit(plan: Plan): GeneratedTx {
    const seq = this.#seqs.get(plan.signer.id) ?? 1n;
    const tx: Transaction = {
      networkId: this.directory.actors.networkId,
      source: plan.signer.publicKey,
      seq,
      timeBounds: { minTime: 0, maxTime: 0 },
      operations: plan.ops,
    };
    const sig = signTransaction(tx, this.directory.suite, plan.signer.privateKey);
    const bytes = encodeEnvelope({ ...tx, signatures: [sig] });
    const hash = hex(txHash(tx));
    const snapshot = this.world.snapshot(plan.items, plan.stock);
    plan.apply();
    this.world.lock(snapshot, hash);
    this.#seqs.set(plan.signer.id, seq + 1n);
    const generated: GeneratedTx = { bytes, hash, kind: plan.kind, source: plan.signer.id, seq };
    this.#perSource.set(plan.signer.id, (this.#perSource.get(plan.signer.id) ?? 0) + 1);
    this.#inFlight.set(hash, {
      tx: generated,
      snapshot,
      index: this.#generated++,
      plan,
    });
    this.counts[plan.kind]++;
    this.#last = generated;
    return generated;
  }

  /**
   * Settles a transaction: `success` keeps its effect (and learns an offer's id from `result`, the
   * ledger's result or the API's JSON of it); `failed` (applied as TX_FAILED: its sequence number is
   * used) and `rejected` (never applied: it is not) roll its effect back. For a rejection, pass the
   * node's `{code, message}` as `result`: it tells where the source's sequence stands (see #resync).
   * Accepts `true`/`false` for success/failed.
   */
  noteResult(hash: string | Uint8Array, outcome: TxOutcome | boolean, result?: unknown): void {
    const key = typeof hash === 'string' ? hash.toLowerCase() : hex(hash);
    const f = this.#inFlight.get(key);
    if (!f) return;
    const o: TxOutcome = outcome === true ? 'success' : outcome === false ? 'failed' : outcome;
    this.#forget(f);
    if (o === 'success') {
      if (f.plan.offered !== undefined) {
        const item = this.world.items.get(f.plan.offered);
        const id = offerIdFromResult(result);
        if (item?.offer && id !== undefined) item.offer.id = id;
        // Without a result the offer id is unknown; leave the item alone rather than guess.
      }
      return;
    }
    this.world.restore(f.snapshot);
    f.plan.onFailure?.(failureCodes(result));
    if (o === 'rejected') this.#resync(f.tx, result);
  }

  /**
   * After a rejection: where does the source's sequence stand? A node says (`TX_BAD_SEQ`: "next is N"
   * at submit, "expected N" at close). Behind the ledger: jump ahead. A gap before this transaction
   * (an earlier one was lost): rewind to it and drop the later ones, which can no longer apply. Another
   * transaction already queued with this number (`TX_SEQ_TAKEN`) will use it: nothing to do.
   */
  #resync(tx: GeneratedTx, result: unknown): void {
    const { code, message } = (result ?? {}) as { code?: unknown; message?: unknown };
    if (code === 'TX_SEQ_TAKEN') return;
    const m = typeof message === 'string' ? /(?:next is|expected) (\d+)/.exec(message) : null;
    const expected = code === 'TX_BAD_SEQ' && m ? BigInt(m[1]!) : undefined;
    const next = this.#seqs.get(tx.source) ?? 1n;
    if (expected !== undefined && expected > tx.seq) {
      if (expected > next) this.#seqs.set(tx.source, expected);
      return;
    }
    const rewindTo = expected ?? tx.seq;
    if (next <= rewindTo) return;
    this.#seqs.set(tx.source, rewindTo);
    const later = [...this.#inFlight.values()].filter(
      (x) => x.tx.source === tx.source && x.tx.seq >= rewindTo,
    );
    for (const x of later.sort((a, b) => b.index - a.index)) {
      this.#forget(x);
      this.world.restore(x.snapshot);
    }
  }

  #forget(f: InFlight): void {
    this.#inFlight.delete(f.tx.hash);
    this.world.unlock(f.snapshot, f.tx.hash);
    const n = (this.#perSource.get(f.tx.source) ?? 1) - 1;
    if (n > 0) this.#perSource.set(f.tx.source, n);
    else this.#perSource.delete(f.tx.source);
  }

  /** The sequence number the workload will give the source's next transaction. */
  nextSeqOf(sourceId: string): bigint {
    return this.#seqs.get(sourceId) ?? 1n;
  }

  #settleStale(): void {
    const horizon = this.#generated - this.#settleAfter;
    // The map keeps generation order, so the stale ones are at its front.
    for (const f of this.#inFlight.values()) {
      if (f.index >= horizon) break;
      this.noteResult(f.tx.hash, 'success');
    }
  }
}
