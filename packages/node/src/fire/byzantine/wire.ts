// Small helpers of the rogue validator: what it learns from the traffic it hears (the open slot, the
// last closed ledger's hash, recent envelopes and transactions), tx sets and values in the node's own
// encodings, and raw writes under the frame layer for the garbage mode.
import { randomBytes } from 'node:crypto';
import { decode, encode, txSetHash } from '@qm/ledger';
import type { Envelope } from '@qm/scp';
import { decodeConsensusValue, encodeConsensusValue } from '../../consensus/consensus-value.js';
import { decodeScpEnvelope } from '../../consensus/scp-codec.js';
import type { Libp2pTransport } from '../../overlay/libp2p-transport.js';

export interface HeardEnvelope {
  readonly atMs: number;
  readonly bytes: Uint8Array;
  readonly env: Envelope;
}

export interface HeardTxSet {
  readonly atMs: number;
  readonly bytes: Uint8Array;
  readonly prev: Uint8Array;
}

/** A tx set in the node's wire form ({prev, txs}, deterministic CBOR) and its hash. */
export function buildTxSet(
  prev: Uint8Array,
  txs: readonly Uint8Array[],
): { hash: Uint8Array; bytes: Uint8Array } {
  return { hash: txSetHash(prev, txs), bytes: encode({ prev, txs: [...txs] } as never) };
}

export const consensusValue = (txSetHash: Uint8Array, closeTime: number): Uint8Array =>
  encodeConsensusValue({ txSetHash, closeTime });

/** The `prev` of a tx set off the wire (null when it is not one). */
export function txSetPrev(bytes: Uint8Array): Uint8Array | null {
  try {
    const v = decode(bytes, { maxBytes: 8 * 1024 * 1024 }) as { prev?: unknown } | null;
    return v && v.prev instanceof Uint8Array && v.prev.length === 32 ? v.prev : null;
  } catch {
    return null;
  }
}

/**
 * What a peer learns by listening: every SCP envelope and tx set flooded to it. The open slot is the
 * highest slot anyone is still voting on, or one past the highest slot anyone externalized.
 */
export class TrafficView {
  /** Per sender: the slot it is open on, and when we last heard it. */
  private readonly openOf = new Map<string, { slot: number; atMs: number }>();
  private slotOverride = 0;
  /** The highest slot anyone was heard open on. */
  maxSlot = 0;
  /** Hash of the ledger the honest nodes build on (the `prev` of the newest tx set heard). */
  lclHash: Uint8Array | null = null;
  readonly envelopes: HeardEnvelope[] = [];
  readonly txSets: HeardTxSet[] = [];
  readonly txs: { atMs: number; bytes: Uint8Array }[] = [];
  /** Close times seen in values, so forged values are not rejected for going back in time. */
  maxCloseTime = 0;

  /** `self`: our own node id; our statements flooded back to us say nothing about the open slot. */
  constructor(
    private readonly self: string,
    private readonly keep = 5_000,
  ) {}

  noteScp(bytes: Uint8Array, nowMs: number): Envelope | null {
    let env: Envelope;
    try {
      env = decodeScpEnvelope(bytes);
    } catch {
      return null;
    }
    const st = env.statement;
    const open = st.pledges.type === 'externalize' ? st.slotIndex + 1 : st.slotIndex;
    const was = this.openOf.get(st.nodeId);
    if (st.nodeId !== this.self && open > this.maxSlot) this.maxSlot = open;
    if (st.nodeId !== this.self && (!was || open >= was.slot))
      this.openOf.set(st.nodeId, { slot: open, atMs: nowMs });
    for (const v of valuesOfStatement(env)) {
      try {
        const cv = decodeConsensusValue(v);
        if (cv.closeTime > this.maxCloseTime) this.maxCloseTime = cv.closeTime;
      } catch {
        // not a consensus value
      }
    }
    push(this.envelopes, { atMs: nowMs, bytes, env }, this.keep);
    return env;
  }

  /**
   * The open slot: the lowest one any validator heard in the last 3 s is on (so "the open slot" is never
   * a slot ahead of the slowest honest validator); 0 before anyone was heard.
   */
  get slot(): number {
    if (this.slotOverride > 0) return this.slotOverride;
    const now = Date.now();
    let lowest = 0;
    for (const { slot, atMs } of this.openOf.values()) {
      if (now - atMs <= 3_000 && (lowest === 0 || slot < lowest)) lowest = slot;
    }
    return lowest;
  }

  set slot(s: number) {
    this.slotOverride = s;
  }

  noteTxSet(bytes: Uint8Array, nowMs: number): void {
    const prev = txSetPrev(bytes);
    if (!prev) return;
    this.lclHash = prev;
    push(this.txSets, { atMs: nowMs, bytes, prev }, 200);
  }

  noteTx(bytes: Uint8Array, nowMs: number): void {
    push(this.txs, { atMs: nowMs, bytes }, 2_000);
  }
}

function push<T>(list: T[], item: T, max: number): void {
  list.push(item);
  if (list.length > max) list.splice(0, list.length - max);
}

export function valuesOfStatement(env: Envelope): Uint8Array[] {
  const p = env.statement.pledges;
  switch (p.type) {
    case 'nominate':
      return [...p.votes, ...p.accepted];
    case 'prepare':
      return [
        p.ballot.value,
        ...(p.prepared ? [p.prepared.value] : []),
        ...(p.preparedPrime ? [p.preparedPrime.value] : []),
      ];
    case 'confirm':
      return [p.ballot.value];
    case 'externalize':
      return [p.commit.value];
  }
}

/** Values in SCP's order (bytewise), as nominate statements must list them. */
export function sortValues(values: Uint8Array[]): Uint8Array[] {
  return [...values].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

interface RawLink {
  readonly out: { readonly stream: { send(data: Uint8Array): boolean } } | null;
}

/**
 * Writes bytes straight onto our stream to `peer`, under the frame layer (no length prefix or frame
 * check added): how the garbage mode sends what encodeFrame would refuse. Reaches into the transport's
 * private link table on purpose; false when there is no open link.
 */
export function writeRaw(transport: Libp2pTransport, peer: string, bytes: Uint8Array): boolean {
  const links = (transport as unknown as { byNodeId: Map<string, RawLink> }).byNodeId;
  const stream = links.get(peer)?.out?.stream;
  if (!stream) return false;
  try {
    stream.send(bytes);
    return true;
  } catch {
    return false;
  }
}

/** A length prefix (big-endian u32) and body, as the overlay frames them. */
export function prefixed(length: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + body.length);
  new DataView(out.buffer).setUint32(0, length >>> 0);
  out.set(body, 4);
  return out;
}

export const random = (n: number): Uint8Array => new Uint8Array(randomBytes(n));
