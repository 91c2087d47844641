// The node's SCP driver: signatures with the node key over the network-bound statement, timers on the
// injected clock, quorum sets from the registry, and everything about values delegated to the herder.
import { type SignatureSuite, sha256 } from '@qm/ledger';
import type {
  Driver,
  Envelope,
  Hash,
  NodeId,
  QuorumSet,
  SlotIndex,
  TimerId,
  ValidationLevel,
  Value,
} from '@qm/scp';
import type { Cancel, Clock } from './clock.js';
import { decodeConsensusValue } from './consensus-value.js';
import type { QuorumSetRegistry } from './quorum-sets.js';
import { scpSigningPayload } from './scp-codec.js';

/** What the herder decides for SCP. */
export interface ValueHooks {
  validateValue(slot: SlotIndex, value: Value, nomination: boolean): ValidationLevel;
  combineCandidates(slot: SlotIndex, candidates: readonly Value[]): Value | null;
  /** Persist first (never contradict a signed statement after a restart), then the driver emits. */
  persistEnvelope(envelope: Envelope): void;
  emitEnvelope(envelope: Envelope): void;
  valueExternalized(slot: SlotIndex, value: Value): void;
}

export interface TimeoutConfig {
  /** Nomination round n waits n times this, up to the cap (stellar-core: 1 s). */
  readonly nominationRoundMs: number;
  /** Ballot round at counter n waits n times this, up to the cap. */
  readonly ballotRoundMs: number;
  readonly maxTimeoutMs: number;
}

export const DEFAULT_TIMEOUTS: TimeoutConfig = {
  nominationRoundMs: 1000,
  ballotRoundMs: 1000,
  maxTimeoutMs: 30 * 60_000,
};

export class NodeScpDriver implements Driver {
  private readonly timers = new Map<string, Cancel>();

  constructor(
    private readonly opts: {
      readonly networkId: Uint8Array;
      readonly suite: SignatureSuite;
      readonly privateKey: Uint8Array;
      readonly clock: Clock;
      readonly quorumSets: QuorumSetRegistry;
      readonly timeouts: TimeoutConfig;
      readonly hooks: ValueHooks;
    },
  ) {}

  signEnvelope(envelope: Envelope): void {
    envelope.signature = this.opts.suite.sign(
      this.opts.privateKey,
      scpSigningPayload(this.opts.networkId, envelope.statement),
    );
  }
  emitEnvelope(envelope: Envelope): void {
    this.opts.hooks.emitEnvelope(envelope);
  }
  persistEnvelope(envelope: Envelope): void {
    this.opts.hooks.persistEnvelope(envelope);
  }
  getQSet(hash: Hash): QuorumSet | null {
    return this.opts.quorumSets.get(hash);
  }
  getHashOf(parts: readonly Uint8Array[]): Hash {
    return sha256(...parts);
  }
  validateValue(slot: SlotIndex, value: Value, nomination: boolean): ValidationLevel {
    return this.opts.hooks.validateValue(slot, value, nomination);
  }
  extractValidValue(): Value | null {
    return null;
  }
  combineCandidates(slot: SlotIndex, candidates: readonly Value[]): Value | null {
    return this.opts.hooks.combineCandidates(slot, candidates);
  }
  getValueString(value: Value): string {
    try {
      const v = decodeConsensusValue(value);
      return `${Buffer.from(v.txSetHash).toString('hex').slice(0, 8)}@${new Date(v.closeTime * 1000).toISOString()}`;
    } catch {
      return `(undecodable ${value.length} bytes)`;
    }
  }
  computeTimeout(round: number, isNomination: boolean): number {
    const { nominationRoundMs, ballotRoundMs, maxTimeoutMs } = this.opts.timeouts;
    return Math.min(round * (isNomination ? nominationRoundMs : ballotRoundMs), maxTimeoutMs);
  }
  setupTimer(slot: SlotIndex, timerId: TimerId, timeoutMs: number, cb: (() => void) | null): void {
    this.stopTimer(slot, timerId);
    if (cb === null) return;
    const key = `${slot}/${timerId}`;
    const cancel = this.opts.clock.schedule(timeoutMs, () => {
      this.timers.delete(key);
      cb();
    });
    this.timers.set(key, cancel);
  }
  stopTimer(slot: SlotIndex, timerId: TimerId): void {
    const key = `${slot}/${timerId}`;
    this.timers.get(key)?.();
    this.timers.delete(key);
  }
  /** Stops every timer (node shutdown). */
  stopAll(): void {
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
  }
  valueExternalized(slot: SlotIndex, value: Value): void {
    this.opts.hooks.valueExternalized(slot, value);
  }
}

export type { NodeId };
