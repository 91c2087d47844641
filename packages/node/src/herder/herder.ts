// The herder connects SCP and the ledger (stellar-core's Herder): it admits transactions, nominates a tx
// set and close time for the next ledger, checks peers' values, holds envelopes until the tx sets they
// name have arrived, closes the ledger SCP externalizes, and keeps what health reports need.
import type { SignatureSuite } from '@qm/ledger';
import {
  ballotStatementValues,
  type Envelope,
  EnvelopeState,
  type NodeId,
  type QuorumSet,
  SCP,
  type SlotIndex,
  ValidationLevel,
  type Value,
} from '@qm/scp';
import type { Clock } from '../consensus/clock.js';
import {
  type ConsensusValue,
  decodeConsensusValue,
  encodeConsensusValue,
} from '../consensus/consensus-value.js';
import { NodeScpDriver, type TimeoutConfig } from '../consensus/node-driver.js';
import type { QuorumSetRegistry } from '../consensus/quorum-sets.js';
import { decodeScpEnvelope, encodeScpEnvelope, scpSigningPayload } from '../consensus/scp-codec.js';
import type { LastClosed, LedgerApp, TxSetData } from './ledger-app.js';
import { type AdmitResult, TxQueue, type TxQueueLimits } from './tx-queue.js';

export interface HerderConfig {
  /** Target interval between ledger closes. */
  readonly targetCloseMs: number;
  readonly maxTxPerLedger: number;
  /** Envelopes for slots further ahead are ignored (stellar-core's validity bracket). */
  readonly maxSlotsAhead: number;
  /** SCP slots (and tx sets) kept behind the last closed ledger, to answer peers catching up. */
  readonly retainSlots: number;
  /** How far in the future a nominated close time may be. */
  readonly maxClockDriftMs: number;
  /** A node that has not closed a ledger for this long asks its peers for their SCP state. */
  readonly resyncAfterMs: number;
  readonly timeouts: TimeoutConfig;
  readonly txQueue: TxQueueLimits;
}

export const DEFAULT_HERDER_CONFIG: HerderConfig = {
  targetCloseMs: 1000,
  maxTxPerLedger: 5000,
  maxSlotsAhead: 8,
  retainSlots: 64,
  maxClockDriftMs: 5000,
  resyncAfterMs: 3000,
  timeouts: { nominationRoundMs: 1000, ballotRoundMs: 1000, maxTimeoutMs: 30 * 60_000 },
  txQueue: { maxPerSource: 64, maxTotal: 20_000 },
};

/** How the herder reaches its peers; the node maps these onto overlay frames. */
export interface HerderNetwork {
  broadcastScp(envelope: Uint8Array, except?: NodeId): void;
  broadcastTx(tx: Uint8Array, except?: NodeId): void;
  broadcastTxSet(txSet: Uint8Array): void;
  requestTxSet(hash: Uint8Array, from: NodeId): void;
  /** Asks peers for their SCP statements from `fromSlot` on (a node that fell behind). */
  requestScpState(fromSlot: SlotIndex): void;
  sendScp(to: NodeId, envelope: Uint8Array): void;
}

export type ScpReceipt =
  | { readonly ok: true; readonly fresh: boolean }
  | { readonly ok: false; readonly code: string; readonly punish: boolean };

export interface LedgerClosedEvent {
  readonly seq: number;
  readonly hash: Uint8Array;
  /** Unix seconds. */
  readonly closeTime: number;
  readonly txCount: number;
  /** Wall-clock time since the previous close on this node. */
  readonly intervalMs: number;
  /** From our nomination for the slot to its externalization (null: we did not nominate it). */
  readonly consensusMs: number | null;
  /** Applying and persisting the ledger. */
  readonly applyMs: number;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
/** Envelopes held for missing tx sets, per sender and slot (only the newest counts in SCP anyway). */
const MAX_PENDING = 1000;

export class Herder {
  readonly scp: SCP;
  readonly queue: TxQueue;
  private readonly driver: NodeScpDriver;
  private lcl: LastClosed;
  private readonly txSets = new Map<string, { data: TxSetData; slot: SlotIndex }>();
  private readonly pending = new Map<string, { env: Envelope; missing: Set<string> }>();
  /** Envelopes for slots after the open one, by slot, then sender and kind (newest kept). */
  private readonly ahead = new Map<SlotIndex, Map<string, { env: Envelope; from: NodeId }>>();
  private readonly txSetRequestedMs = new Map<string, number>();
  /** Slots externalized ahead of the next one to close (we were behind). */
  private readonly externalizedAhead = new Map<SlotIndex, Value>();
  private readonly lastHeardMs = new Map<NodeId, number>();
  private readonly highestSlotOf = new Map<NodeId, SlotIndex>();
  private readonly seenEnvelopes = new Set<string>();
  private readonly closedListeners: ((e: LedgerClosedEvent) => void)[] = [];
  private readonly progressListeners: ((node: NodeId, closedSeq: number) => void)[] = [];
  private lastCloseWallMs: number;
  private lastClockOffsetMs: number | null = null;
  private lastClockWarningMs = Number.NEGATIVE_INFINITY;
  /** When we last started nominating, and for which slot: the next ledger is due a target interval later. */
  private lastTrigger: { slot: SlotIndex; atMs: number } | null = null;
  /** The tx set we built for the open slot, until a statement of ours names it (then peers need it). */
  private unpushedTxSet: { hash: string; bytes: Uint8Array } | null = null;
  private cancelTrigger: (() => void) | null = null;
  private cancelResync: (() => void) | null = null;
  private stopped = false;

  constructor(
    private readonly opts: {
      readonly nodeId: NodeId;
      readonly networkId: Uint8Array;
      readonly suite: SignatureSuite;
      readonly privateKey: Uint8Array;
      readonly quorumSet: QuorumSet;
      readonly quorumSets: QuorumSetRegistry;
      /** Public keys of the validators whose SCP statements we accept. */
      readonly nodeKeys: ReadonlyMap<NodeId, Uint8Array>;
      readonly app: LedgerApp;
      readonly clock: Clock;
      readonly network: HerderNetwork;
      readonly config: HerderConfig;
      readonly log?: (level: 'info' | 'warn' | 'error', msg: string, data?: object) => void;
    },
  ) {
    this.lcl = opts.app.lastClosed();
    this.lastCloseWallMs = opts.clock.nowMs();
    this.queue = new TxQueue(opts.networkId, opts.suite, opts.config.txQueue);
    this.driver = new NodeScpDriver({
      networkId: opts.networkId,
      suite: opts.suite,
      privateKey: opts.privateKey,
      clock: opts.clock,
      quorumSets: opts.quorumSets,
      timeouts: opts.config.timeouts,
      hooks: {
        validateValue: (slot, value, nomination) => this.validateValue(slot, value, nomination),
        combineCandidates: (slot, values) => this.combineCandidates(slot, values),
        persistEnvelope: (env) => this.persistEnvelope(env),
        emitEnvelope: (env) => {
          this.pushOwnTxSets(env);
          this.opts.network.broadcastScp(encodeScpEnvelope(env));
        },
        valueExternalized: (slot, value) => {
          // SCP is not re-entrant: close the ledger after the current call returns.
          this.opts.clock.schedule(0, () => this.onExternalized(slot, value));
        },
      },
    });
    this.scp = new SCP(this.driver, opts.nodeId, true, opts.quorumSet);
  }

  /** Restores our SCP statements for the next slot (after a restart) and starts closing ledgers. */
  start(): void {
    const slot = this.lcl.seq + 1;
    const saved = this.opts.app.loadScpState(slot);
    for (const bytes of saved.txSets) this.rememberTxSet(bytes, slot);
    // Every statement we sent was saved in order; restore the newest nomination and the newest ballot
    // statement (each protocol takes one), nomination first.
    const decoded = saved.envelopes.map(decodeScpEnvelope);
    const newest = (nomination: boolean) =>
      decoded.filter((e) => (e.statement.pledges.type === 'nominate') === nomination).at(-1);
    const envs = [newest(true), newest(false)].filter((e) => e !== undefined);
    for (const env of envs) this.scp.setStateFromEnvelope(slot, env);
    if (envs.length > 0) this.log('info', 'restored SCP state', { slot, statements: envs.length });
    this.scheduleTrigger();
    this.scheduleResync();
    this.opts.network.requestScpState(slot);
  }

  stop(): void {
    this.stopped = true;
    this.cancelTrigger?.();
    this.cancelResync?.();
    this.driver.stopAll();
  }

  onLedgerClosed(listener: (e: LedgerClosedEvent) => void): void {
    this.closedListeners.push(listener);
  }

  /**
   * Called for every correctly signed statement from a peer, in range or not, with the ledger the peer
   * must have closed to send it: how the node learns it has fallen behind further than SCP can bridge.
   */
  onPeerProgress(listener: (node: NodeId, closedSeq: number) => void): void {
    this.progressListeners.push(listener);
  }

  get lastClosed(): LastClosed {
    return this.lcl;
  }

  get msSinceLastClose(): number {
    return this.opts.clock.nowMs() - this.lastCloseWallMs;
  }

  /**
   * Our clock minus the close time the network agreed for the last ledger we closed through consensus
   * (null before the first). Normally 0 to a second or two (close times are whole seconds, set when a
   * slot starts); far outside that, this node's clock (or the network's) is off.
   */
  get clockOffsetMs(): number | null {
    return this.lastClockOffsetMs;
  }

  /** True when the offset says this node's clock disagrees with its peers' by more than the drift bound. */
  get clockSuspect(): boolean {
    const o = this.lastClockOffsetMs;
    return (
      o !== null &&
      (o < -this.opts.config.maxClockDriftMs ||
        o > this.opts.config.maxClockDriftMs + this.opts.config.targetCloseMs)
    );
  }

  /** Milliseconds since anything arrived from `node` (null: never). */
  lastHeardAgoMs(node: NodeId): number | null {
    const t = this.lastHeardMs.get(node);
    return t === undefined ? null : this.opts.clock.nowMs() - t;
  }

  /** Ledgers `node` is behind us, from the slots of its statements (null: never heard). */
  lagOf(node: NodeId): number | null {
    const s = this.highestSlotOf.get(node);
    return s === undefined ? null : Math.max(0, this.lcl.seq - s);
  }

  /** Any traffic from a peer shows it is alive (the overlay calls this for every frame). */
  noteHeard(node: NodeId): void {
    this.lastHeardMs.set(node, this.opts.clock.nowMs());
  }

  // --- transactions ------------------------------------------------------------------------------

  /** Admits a transaction from a client or a peer; a fresh valid one is flooded on. */
  receiveTransaction(bytes: Uint8Array, from?: NodeId): AdmitResult {
    const r = this.queue.admit(bytes, (src) => this.opts.app.nextSequence(src), this.opts.clock.nowMs());
    if (r.ok && r.fresh) this.opts.network.broadcastTx(bytes, from);
    return r;
  }

  // --- SCP envelopes ---------------------------------------------------------------------------------

  /**
   * An SCP envelope from a peer: decoded, signature checked against the sender's registered key, slot
   * in range; held until the tx sets it names are here; then given to SCP. Fresh valid envelopes are
   * flooded on by the caller.
   */
  receiveScp(bytes: Uint8Array, from: NodeId): ScpReceipt {
    let env: Envelope;
    try {
      env = decodeScpEnvelope(bytes);
    } catch (e) {
      return { ok: false, code: (e as { code?: string }).code ?? 'DECODE_ERROR', punish: true };
    }
    const st = env.statement;
    const key = this.opts.nodeKeys.get(st.nodeId);
    if (!key) return { ok: false, code: 'SCP_UNKNOWN_NODE', punish: false };
    const id = hex(bytes.subarray(0, Math.min(bytes.length, 4096)));
    if (this.seenEnvelopes.has(id)) return { ok: true, fresh: false };
    if (!this.opts.suite.verify(key, scpSigningPayload(this.opts.networkId, st), env.signature)) {
      return { ok: false, code: 'SCP_BAD_SIGNATURE', punish: true };
    }
    if (st.nodeId === this.opts.nodeId) return { ok: true, fresh: false };
    const slot = st.slotIndex;
    const peerClosed = st.pledges.type === 'externalize' ? slot : slot - 1;
    for (const l of this.progressListeners) l(st.nodeId, peerClosed);
    if (
      slot < this.lcl.seq - this.opts.config.retainSlots ||
      slot > this.lcl.seq + this.opts.config.maxSlotsAhead
    ) {
      return { ok: false, code: 'SCP_SLOT_OUT_OF_RANGE', punish: false };
    }
    this.remember(id);
    this.noteHeard(st.nodeId);
    if (peerClosed > (this.highestSlotOf.get(st.nodeId) ?? 0)) this.highestSlotOf.set(st.nodeId, peerClosed);
    if (slot > this.lcl.seq + 1) {
      // Not our slot yet: SCP could only call its values "maybe valid" now, which would mark the slot
      // not fully validated for good and keep us silent in it (stellar-core's herder queues such
      // envelopes too). It waits for its turn; it still floods on.
      this.holdForSlot(env, from);
      return { ok: true, fresh: true };
    }
    this.admitToScp(env, from);
    return { ok: true, fresh: true };
  }

  /** Gives an envelope of the open (or an old) slot to SCP, once the tx sets it names are here. */
  private admitToScp(env: Envelope, from: NodeId): void {
    const missing = this.missingTxSets(env);
    if (missing.size > 0) this.hold(env, missing, from);
    else this.deliver(env);
  }

  /** Keeps the newest statement of each kind per sender for a slot ahead, until it is the open one. */
  private holdForSlot(env: Envelope, from: NodeId): void {
    const st = env.statement;
    const slot = this.ahead.get(st.slotIndex) ?? new Map<string, { env: Envelope; from: NodeId }>();
    slot.set(`${st.nodeId}/${st.pledges.type === 'nominate' ? 'n' : 'b'}`, { env, from });
    this.ahead.set(st.slotIndex, slot);
  }

  /** The open slot moved: what was held for it goes to SCP, in arrival order. */
  private releaseHeldForOpenSlot(): void {
    const open = this.lcl.seq + 1;
    for (const s of [...this.ahead.keys()]) {
      if (s > open) continue;
      const held = this.ahead.get(s)!;
      this.ahead.delete(s);
      if (s === open) for (const { env, from } of held.values()) this.admitToScp(env, from);
    }
  }

  /** A tx set from a peer (answer to our request, or pushed with a nomination). */
  receiveTxSet(bytes: Uint8Array): boolean {
    const data = this.rememberTxSet(bytes, this.lcl.seq + 1);
    if (!data) return false;
    const key = hex(data.hash);
    // A peer built the same tx set and sent it to everyone: ours need not go out.
    if (this.unpushedTxSet?.hash === key) this.unpushedTxSet = null;
    // A slot decided before its tx set arrived can close now.
    if (this.externalizedAhead.has(this.lcl.seq + 1)) this.closeNextIfDecided();
    for (const [id, p] of [...this.pending]) {
      if (!p.missing.delete(key) || p.missing.size > 0) continue;
      this.pending.delete(id);
      this.deliver(p.env);
    }
    return true;
  }

  /** Bytes of a tx set we hold, to answer a peer. */
  txSetBytes(hash: Uint8Array): Uint8Array | null {
    return this.txSets.get(hex(hash))?.data.bytes ?? null;
  }

  /** Our view of the slots from `fromSlot` on, for a peer catching up (as stellar-core sends on request). */
  scpStateFrom(fromSlot: SlotIndex, maxSlots = 16): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (const slot of this.scp.getKnownSlots()) {
      if (slot < fromSlot || slot >= fromSlot + maxSlots) continue;
      const envs = this.scp.isSlotExternalized(slot)
        ? this.scp.getExternalizingState(slot)
        : this.scp.getCurrentState(slot);
      for (const e of envs) out.push(encodeScpEnvelope(e));
    }
    return out;
  }

  private deliver(env: Envelope): void {
    if (this.stopped) return;
    const r = this.scp.receiveEnvelope(env);
    if (r !== EnvelopeState.Valid)
      this.log('info', 'SCP ignored an envelope', { from: env.statement.nodeId });
  }

  private remember(id: string): void {
    this.seenEnvelopes.add(id);
    if (this.seenEnvelopes.size > 50_000) {
      // Forget the oldest half (insertion order); an old envelope seen again is simply re-checked.
      let n = 0;
      for (const k of this.seenEnvelopes) {
        if (n++ > 25_000) break;
        this.seenEnvelopes.delete(k);
      }
    }
  }

  private hold(env: Envelope, missing: Set<string>, from: NodeId): void {
    const id = `${env.statement.nodeId}/${env.statement.slotIndex}/${env.statement.pledges.type}`;
    if (this.pending.size >= MAX_PENDING && !this.pending.has(id)) return;
    this.pending.set(id, { env, missing });
    const now = this.opts.clock.nowMs();
    for (const h of missing) {
      // One request per tx set per second, to the peer that named it.
      if ((this.txSetRequestedMs.get(h) ?? Number.NEGATIVE_INFINITY) > now - 1000) continue;
      this.txSetRequestedMs.set(h, now);
      this.opts.network.requestTxSet(Buffer.from(h, 'hex'), from);
    }
  }

  private missingTxSets(env: Envelope): Set<string> {
    const missing = new Set<string>();
    for (const v of valuesOf(env)) {
      let cv: ConsensusValue;
      try {
        cv = decodeConsensusValue(v);
      } catch {
        continue; // SCP rejects it through validateValue
      }
      const h = hex(cv.txSetHash);
      if (!this.txSets.has(h)) missing.add(h);
    }
    return missing;
  }

  private rememberTxSet(bytes: Uint8Array, slot: SlotIndex): TxSetData | null {
    const data = this.opts.app.parseTxSet(bytes);
    if (!data) return null;
    const key = hex(data.hash);
    if (!this.txSets.has(key)) this.txSets.set(key, { data, slot });
    return data;
  }

  // --- values ------------------------------------------------------------------------------------------

  private validateValue(slot: SlotIndex, value: Value, nomination: boolean): ValidationLevel {
    let v: ConsensusValue;
    try {
      v = decodeConsensusValue(value);
    } catch {
      return ValidationLevel.Invalid;
    }
    // Slots other than the next one cannot be checked against our state.
    if (slot !== this.lcl.seq + 1) return ValidationLevel.MaybeValid;
    if (v.closeTime <= this.lcl.closeTime) return ValidationLevel.Invalid;
    if (nomination && v.closeTime * 1000 > this.opts.clock.nowMs() + this.opts.config.maxClockDriftMs) {
      return ValidationLevel.Invalid;
    }
    const txSet = this.txSets.get(hex(v.txSetHash))?.data;
    if (!txSet) return ValidationLevel.MaybeValid;
    if (hex(txSet.previousLedgerHash) !== hex(this.lcl.hash)) return ValidationLevel.Invalid;
    if (txSet.txCount > this.opts.config.maxTxPerLedger) return ValidationLevel.Invalid;
    return ValidationLevel.FullyValid;
  }

  /** The candidate with the largest tx set (ties: the larger hash), with the latest close time. */
  private combineCandidates(_slot: SlotIndex, values: readonly Value[]): Value | null {
    let best: { v: ConsensusValue; count: number } | null = null;
    let closeTime = 0;
    for (const raw of values) {
      const v = decodeConsensusValue(raw);
      closeTime = Math.max(closeTime, v.closeTime);
      const count = this.txSets.get(hex(v.txSetHash))?.data.txCount ?? 0;
      if (
        best === null ||
        count > best.count ||
        (count === best.count && hex(v.txSetHash) > hex(best.v.txSetHash))
      ) {
        best = { v, count };
      }
    }
    return best ? encodeConsensusValue({ txSetHash: best.v.txSetHash, closeTime }) : null;
  }

  private noteClockOffset(offsetMs: number): void {
    this.lastClockOffsetMs = offsetMs;
    if (!this.clockSuspect || this.opts.clock.nowMs() - this.lastClockWarningMs < 60_000) return;
    this.lastClockWarningMs = this.opts.clock.nowMs();
    this.log('warn', "this node's clock disagrees with the close times its peers agree on", {
      offsetMs,
      boundMs: this.opts.config.maxClockDriftMs,
    });
  }

  /** Pushes our own tx set to the peers before the first statement of ours that names it. */
  private pushOwnTxSets(env: Envelope): void {
    const own = this.unpushedTxSet;
    if (!own) return;
    for (const v of valuesOf(env)) {
      try {
        if (hex(decodeConsensusValue(v).txSetHash) !== own.hash) continue;
      } catch {
        continue;
      }
      this.unpushedTxSet = null;
      this.opts.network.broadcastTxSet(own.bytes);
      return;
    }
  }

  private persistEnvelope(env: Envelope): void {
    const txSets: Uint8Array[] = [];
    for (const v of valuesOf(env)) {
      try {
        const t = this.txSets.get(hex(decodeConsensusValue(v).txSetHash));
        if (t) txSets.push(t.data.bytes);
      } catch {
        // our own statements only carry values we validated
      }
    }
    this.opts.app.saveScpState(env.statement.slotIndex, encodeScpEnvelope(env), txSets);
  }

  // --- ledger close ------------------------------------------------------------------------------------

  private scheduleTrigger(): void {
    this.cancelTrigger?.();
    // One target interval after the close time the network agreed for the ledger just closed, so every
    // validator nominates at the same instant (the round's leader is not late) and consensus and apply
    // time do not stretch the interval; never before the next close time (whole seconds) can start.
    const closeTimeMs = this.lcl.closeTime * 1000;
    const due =
      Math.max(closeTimeMs + this.opts.config.targetCloseMs, closeTimeMs + 1000) - this.opts.clock.nowMs();
    this.cancelTrigger = this.opts.clock.schedule(Math.max(0, due), () => this.triggerNextLedger());
  }

  /** Nominates a tx set from the queue and a close time for the next ledger. */
  private triggerNextLedger(): void {
    if (this.stopped) return;
    const slot = this.lcl.seq + 1;
    if (this.scp.isSlotExternalized(slot)) return;
    this.lastTrigger = { slot, atMs: this.opts.clock.nowMs() };
    const next = (src: Uint8Array) => this.opts.app.nextSequence(src);
    const txSet = this.opts.app.buildTxSet(this.queue.take(this.opts.config.maxTxPerLedger, next));
    this.rememberTxSet(txSet.bytes, slot);
    // Sent with our first statement that names it: only a nomination leader votes for its own value,
    // so most nodes never need to send theirs (a peer missing one asks for it).
    this.unpushedTxSet = { hash: hex(txSet.hash), bytes: txSet.bytes };
    const closeTime = Math.max(Math.floor(this.opts.clock.nowMs() / 1000), this.lcl.closeTime + 1);
    const value = encodeConsensusValue({ txSetHash: txSet.hash, closeTime });
    const prev = encodeConsensusValue({ txSetHash: this.lcl.txSetHash, closeTime: this.lcl.closeTime });
    this.scp.nominate(slot, value, prev);
  }

  private onExternalized(slot: SlotIndex, value: Value): void {
    if (this.stopped || slot <= this.lcl.seq) return;
    if (slot > this.lcl.seq + 1) {
      this.externalizedAhead.set(slot, value);
      this.opts.network.requestScpState(this.lcl.seq + 1);
      return;
    }
    const v = decodeConsensusValue(value);
    const txSet = this.txSets.get(hex(v.txSetHash))?.data;
    if (!txSet) {
      // Externalized from others' statements before the tx set arrived: close when it does.
      this.externalizedAhead.set(slot, value);
      this.log('warn', 'externalized a tx set we do not have yet', { slot });
      return;
    }
    if (hex(txSet.previousLedgerHash) !== hex(this.lcl.hash)) {
      // The network agreed on a tx set built on another ledger than ours: applying it would fork us.
      this.log('error', 'externalized tx set does not build on our last closed ledger; not applying', {
        slot,
      });
      return;
    }
    const scpEnvelopes = this.scp.getExternalizingState(slot).map(encodeScpEnvelope);
    this.closeWith(txSet, v.closeTime, scpEnvelopes);
  }

  /**
   * Closes the next ledger from a peer's copy that a quorum's statements prove (catch-up beyond the slots
   * SCP still holds; the caller checked chain and proof). Applying it must give `expectedHash`, or the
   * ledger app throws before writing. Returns false when it is not the next ledger (SCP closed it first).
   */
  closeProvenLedger(
    seq: number,
    txs: readonly Uint8Array[],
    closeTime: number,
    scpEnvelopes: readonly Uint8Array[],
    expectedHash: Uint8Array,
  ): boolean {
    if (this.stopped || seq !== this.lcl.seq + 1) return false;
    this.closeWith(this.opts.app.buildTxSet(txs), closeTime, scpEnvelopes, expectedHash);
    return true;
  }

  private closeWith(
    txSet: TxSetData,
    closeTime: number,
    scpEnvelopes: readonly Uint8Array[],
    expectedHash?: Uint8Array,
  ): void {
    const started = this.opts.clock.nowMs();
    const closed = this.opts.app.close(txSet, closeTime, scpEnvelopes, expectedHash);
    const now = this.opts.clock.nowMs();
    const consensusMs = this.lastTrigger?.slot === closed.seq ? started - this.lastTrigger.atMs : null;
    const intervalMs = now - this.lastCloseWallMs;
    // Only slots we took part in from their start: catching up closes old slots with old close times.
    if (expectedHash === undefined && this.lastTrigger?.slot === closed.seq)
      this.noteClockOffset(started - closeTime * 1000);
    this.lastCloseWallMs = now;
    this.lcl = this.opts.app.lastClosed();
    this.releaseHeldForOpenSlot();
    this.queue.prune(closed.txHashes, (src) => this.opts.app.nextSequence(src));
    this.forgetBefore(this.lcl.seq - this.opts.config.retainSlots);
    // A slot we were still voting on was closed from a peer's copy: stop its nomination timers.
    if (!this.scp.isSlotExternalized(closed.seq)) this.scp.stopNomination(closed.seq);
    for (const l of this.closedListeners) {
      l({
        seq: closed.seq,
        hash: closed.hash,
        closeTime,
        txCount: closed.txHashes.length,
        intervalMs,
        consensusMs,
        applyMs: now - started,
      });
    }
    this.closeNextIfDecided();
    this.scheduleTrigger();
  }

  /** The next slot may already be decided (we were catching up): close it too, with its own value. */
  private closeNextIfDecided(): void {
    const next = this.lcl.seq + 1;
    const value =
      this.externalizedAhead.get(next) ??
      (this.scp.isSlotExternalized(next) ? this.scp.getExternalizedValue(next) : null);
    if (!value) return;
    this.externalizedAhead.delete(next);
    this.opts.clock.schedule(0, () => this.onExternalized(next, value));
  }

  private forgetBefore(slot: SlotIndex): void {
    if (slot <= 0) return;
    this.scp.purgeSlots(slot);
    for (const [k, t] of this.txSets) if (t.slot < slot) this.txSets.delete(k);
    for (const [id, p] of this.pending)
      if (p.env.statement.slotIndex <= this.lcl.seq) this.pending.delete(id);
    for (const s of this.externalizedAhead.keys()) if (s <= this.lcl.seq) this.externalizedAhead.delete(s);
  }

  /** A node that closes nothing for a while asks its peers what they have (lost messages, a partition). */
  private scheduleResync(): void {
    this.cancelResync = this.opts.clock.schedule(this.opts.config.resyncAfterMs, () => {
      if (this.stopped) return;
      if (this.msSinceLastClose >= this.opts.config.resyncAfterMs)
        this.opts.network.requestScpState(this.lcl.seq + 1);
      this.scheduleResync();
    });
  }

  private log(level: 'info' | 'warn' | 'error', msg: string, data?: object): void {
    this.opts.log?.(level, msg, data);
  }
}

/** The values an envelope names (nomination votes and accepted values, or its ballots' values). */
function valuesOf(env: Envelope): Value[] {
  const p = env.statement.pledges;
  return p.type === 'nominate' ? [...p.votes, ...p.accepted] : ballotStatementValues(p);
}
