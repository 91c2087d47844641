// Catch-up from peers, for a validator that fell further behind than the SCP slots its peers still hold
// (the herder's retainSlots): it asks one peer that is ahead for the next ledgers, and checks each one
// exactly as catch-up from an archive does (chain, tx set, a quorum's signatures on its commit) before
// the herder applies it and compares the result with the proven header. A peer is trusted for nothing:
// a ledger that fails a check gets it punished, and a peer that does not answer in time is skipped.
import type { LedgerHeader, LedgerStore, ScpVerifier } from '@qm/ledger';
import type { NodeId } from '@qm/scp';
import type { Cancel, Clock } from '../consensus/clock.js';
import { type Frame, FrameType, MAX_FRAME_BYTES } from '../overlay/frame.js';
import { checkArchivedLedger } from './catch-up.js';
import { HistoryError } from './errors.js';
import { type ArchivedLedger, decodeArchivedLedger, encodeArchivedLedger } from './format.js';

export interface PeerCatchUpOptions {
  readonly store: LedgerStore;
  readonly verify: ScpVerifier;
  readonly clock: Clock;
  send(peer: NodeId, frame: Frame): void;
  punish(peer: NodeId, reason: string): void;
  connectedPeers(): readonly NodeId[];
  /** Applies a checked ledger (Herder.closeProvenLedger); false when it was not the next one. */
  closeProven(ledger: ArchivedLedger, headerHash: Uint8Array): boolean;
  /** Ledgers asked for in one request (default 32). */
  readonly batch?: number;
  /** A request unanswered this long goes to another peer (default 3 s). */
  readonly timeoutMs?: number;
  readonly log?: (level: 'info' | 'warn' | 'error', msg: string, data?: object) => void;
}

/** ledgerRequest payload: u32 first sequence, u16 count. */
export function encodeLedgerRequest(from: number, count: number): Uint8Array {
  const b = new Uint8Array(6);
  const v = new DataView(b.buffer);
  v.setUint32(0, from);
  v.setUint16(4, count);
  return b;
}

export function decodeLedgerRequest(p: Uint8Array): { from: number; count: number } | null {
  if (p.length !== 6) return null;
  const v = new DataView(p.buffer, p.byteOffset, 6);
  return { from: v.getUint32(0), count: v.getUint16(4) };
}

/** Most ledgers one request may ask for, and most bytes of ledgers one answer sends. */
export const MAX_LEDGERS_PER_REQUEST = 64;
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;
/** A peer behind by this many ledgers or fewer is left to SCP (it still has the slots' statements). */
const SCP_BRIDGES = 1;

interface InFlight {
  readonly peer: NodeId;
  readonly from: number;
  readonly to: number;
  readonly cancel: Cancel;
}

export class PeerCatchUp {
  private readonly batch: number;
  private readonly timeoutMs: number;
  /** The highest ledger each peer has shown it closed. */
  private readonly peerClosed = new Map<NodeId, number>();
  /** Peers that failed us recently, and until when they are skipped. */
  private readonly skipUntil = new Map<NodeId, number>();
  private readonly received = new Map<number, ArchivedLedger>();
  private inFlight: InFlight | null = null;
  private stopped = false;
  /** Ledgers closed from peers' copies since start (for status and tests). */
  applied = 0;

  constructor(private readonly o: PeerCatchUpOptions) {
    this.batch = Math.min(o.batch ?? 32, MAX_LEDGERS_PER_REQUEST);
    this.timeoutMs = o.timeoutMs ?? 3000;
  }

  stop(): void {
    this.stopped = true;
    this.inFlight?.cancel();
    this.inFlight = null;
  }

  /** A peer showed (by a signed statement) that it closed `closedSeq`. */
  notePeerClosed(peer: NodeId, closedSeq: number): void {
    if (closedSeq > (this.peerClosed.get(peer) ?? 0)) this.peerClosed.set(peer, closedSeq);
    this.maybeRequest();
  }

  /** The next ledgers we hold from the requested one on, for a peer catching up. */
  answer(request: Uint8Array): Frame[] | null {
    const r = decodeLedgerRequest(request);
    if (r === null || r.from === 0 || r.count === 0 || r.count > MAX_LEDGERS_PER_REQUEST) return null;
    const top = this.o.store.lastClosed()?.sequence ?? 0;
    const frames: Frame[] = [];
    let bytes = 0;
    for (let seq = r.from; seq <= Math.min(top, r.from + r.count - 1); seq++) {
      const header = this.o.store.getHeader(seq);
      const txSet = this.o.store.getTxSet(seq);
      if (!header || !txSet) break;
      const payload = encodeArchivedLedger({
        header,
        txSet,
        scpEnvelopes: this.o.store.getScpEnvelopes(seq) ?? [],
      });
      // A ledger too large for one frame cannot be served this way (the history archive can).
      if (payload.length + 1 > MAX_FRAME_BYTES || bytes + payload.length > MAX_ANSWER_BYTES) break;
      bytes += payload.length;
      frames.push({ type: FrameType.ledger, payload });
    }
    return frames;
  }

  /** A `ledger` frame from a peer. */
  receive(from: NodeId, payload: Uint8Array): void {
    const f = this.inFlight;
    if (this.stopped || f === null || f.peer !== from) return; // late or unasked: ignore
    let ledger: ArchivedLedger;
    try {
      ledger = decodeArchivedLedger(payload, `ledger frame from ${from}`);
    } catch (e) {
      this.fail(from, e instanceof HistoryError ? e.code : 'HISTORY_CORRUPT');
      return;
    }
    const seq = ledger.header.sequence;
    if (seq < f.from || seq > f.to) return;
    this.received.set(seq, ledger);
    this.drain();
  }

  private lastClosed(): LedgerHeader {
    return this.o.store.lastClosed()!;
  }

  /** Applies received ledgers in order, as far as they go. */
  private drain(): void {
    const f = this.inFlight;
    if (f === null) return;
    for (;;) {
      const prev = this.lastClosed();
      for (const s of this.received.keys()) if (s <= prev.sequence) this.received.delete(s);
      const next = this.received.get(prev.sequence + 1);
      if (!next) break;
      this.received.delete(prev.sequence + 1);
      let hash: Uint8Array;
      try {
        hash = checkArchivedLedger(prev, next, this.o.verify);
      } catch (e) {
        this.fail(f.peer, e instanceof HistoryError ? e.code : String(e));
        return;
      }
      try {
        if (this.o.closeProven(next, hash)) this.applied++;
      } catch (e) {
        // Inputs a quorum agreed on gave us another ledger: our state or code differs from the network's.
        // Writing nothing and going no further is the only safe answer (halt, never fork).
        this.o.log?.('error', 'catch-up: a proven ledger applied to another header here; catch-up stopped', {
          sequence: next.header.sequence,
          error: e instanceof Error ? e.message : String(e),
        });
        this.stop();
        return;
      }
    }
    if (this.lastClosed().sequence >= f.to) {
      f.cancel();
      this.inFlight = null;
      this.maybeRequest();
    }
  }

  private fail(peer: NodeId, reason: string): void {
    this.o.log?.('warn', 'catch-up: bad ledger from peer', { peer, reason });
    this.o.punish(peer, `catch-up: ${reason}`);
    this.giveUp(peer);
  }

  private giveUp(peer: NodeId): void {
    this.inFlight?.cancel();
    this.inFlight = null;
    this.received.clear();
    this.skipUntil.set(peer, this.o.clock.nowMs() + 10 * this.timeoutMs);
    this.maybeRequest();
  }

  private maybeRequest(): void {
    if (this.stopped || this.inFlight !== null) return;
    const lcl = this.lastClosed().sequence;
    const now = this.o.clock.nowMs();
    let best: { peer: NodeId; closed: number } | null = null;
    for (const peer of this.o.connectedPeers()) {
      const closed = this.peerClosed.get(peer) ?? 0;
      if ((this.skipUntil.get(peer) ?? 0) > now) continue;
      if (closed > lcl + SCP_BRIDGES && (best === null || closed > best.closed)) best = { peer, closed };
    }
    if (best === null) return;
    const from = lcl + 1;
    const count = Math.min(this.batch, best.closed - lcl);
    const peer = best.peer;
    this.o.log?.('info', 'catch-up: asking a peer for ledgers', { peer, from, count, peerAt: best.closed });
    const cancel = this.o.clock.schedule(this.timeoutMs, () => {
      if (this.inFlight?.peer !== peer) return;
      // A partial answer (the peer's byte limit, or it knew fewer ledgers) is fine: ask again from where
      // we are. Only a peer that sent nothing usable is skipped for a while.
      if (this.lastClosed().sequence >= from) {
        this.inFlight = null;
        this.received.clear();
        this.maybeRequest();
        return;
      }
      this.o.log?.('warn', 'catch-up: peer did not answer in time', { peer, from });
      this.giveUp(peer);
    });
    this.inFlight = { peer, from, to: from + count - 1, cancel };
    this.o.send(peer, { type: FrameType.ledgerRequest, payload: encodeLedgerRequest(from, count) });
  }
}
