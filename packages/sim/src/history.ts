import { createHash } from 'node:crypto';
import type { NodeId, SlotIndex } from '@qm/scp';

/** One externalization: node, slot, value (hex of the bytes) and virtual time. */
export interface Externalization {
  readonly atMs: number;
  readonly node: NodeId;
  readonly slot: SlotIndex;
  readonly value: string;
}

/** What a live node reported while the network was halted (getMissingNodes and getJsonQuorumInfo). */
export interface StuckProbe {
  readonly atMs: number;
  readonly node: NodeId;
  readonly slot: SlotIndex;
  readonly externalized: boolean;
  readonly missing: readonly NodeId[];
  readonly quorumInfo: unknown;
}

export interface SelfContradiction {
  readonly atMs: number;
  readonly node: NodeId;
  readonly slot: SlotIndex;
  readonly message: string;
}

export interface NodeException {
  readonly atMs: number;
  readonly node: NodeId;
  readonly where: string;
  readonly message: string;
}

/** Faults as they were applied, for the history file and for the halting and liveness checkers. */
export type FaultRecord =
  | { readonly atMs: number; readonly kind: 'crash'; readonly nodes: readonly NodeId[] }
  | { readonly atMs: number; readonly kind: 'restore'; readonly nodes: readonly NodeId[] }
  | { readonly atMs: number; readonly kind: 'partition'; readonly groups: readonly (readonly NodeId[])[] }
  | { readonly atMs: number; readonly kind: 'heal' }
  | { readonly atMs: number; readonly kind: 'links'; readonly conditions: Readonly<Record<string, number>> };

/** The window in which the scenario expects no progress (too many nodes down). */
export interface HaltWindow {
  readonly fromMs: number;
  readonly toMs: number;
  /** Highest slot every live node had externalized when the halt began. */
  readonly lastSlotBefore: SlotIndex;
  readonly down: readonly NodeId[];
}

/** Everything a run produced; the checkers are pure functions of this. */
export interface RunRecord {
  readonly scenario: string;
  readonly seed: number;
  readonly topology: string;
  readonly targetSlots: number;
  readonly nodes: readonly NodeId[];
  /** Nodes that follow the protocol (crashes are benign); agreement and liveness are about them. */
  readonly honest: readonly NodeId[];
  readonly byzantine: Readonly<Record<NodeId, string>>;
  readonly absent: readonly NodeId[];
  readonly externalizations: readonly Externalization[];
  /** Every value some node proposed (hex), honest or Byzantine. */
  readonly proposed: readonly string[];
  readonly faults: readonly FaultRecord[];
  /** Virtual time after which no fault is active (links healthy, partitions healed, crashed restored). */
  readonly healedAtMs: number;
  readonly livenessBoundMs: number;
  readonly halt: HaltWindow | null;
  readonly probes: readonly StuckProbe[];
  readonly exceptions: readonly NodeException[];
  /** Honest nodes' statements that went back on earlier ones for the same slot. */
  readonly contradictions: readonly SelfContradiction[];
  readonly endMs: number;
  readonly stats: Readonly<Record<string, number>>;
  /** SHA-256 over every delivered message (time, link, statement digest): fingerprints the whole run. */
  readonly traceHash: string;
}

/** Deterministic JSON: object keys sorted, so equal records give equal text and equal hashes. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(v as object).sort()) sorted[k] = (v as Record<string, unknown>)[k];
      return sorted;
    }
    return v;
  });
}

/** The replay fingerprint: a hash of the whole record (externalizations, faults, probes, trace). */
export function historyHash(record: RunRecord): string {
  return createHash('sha256').update(canonicalJson(record)).digest('hex');
}
