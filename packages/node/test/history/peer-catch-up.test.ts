import { applyLedger, buildGenesisLedger, headerHash, MemoryLedgerStore } from '@qm/ledger';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/consensus/clock.js';
import { HistoryError } from '../../src/history/errors.js';
import { decodeArchivedLedger, encodeArchivedLedger } from '../../src/history/format.js';
import { encodeLedgerRequest, PeerCatchUp } from '../../src/history/peer-catch-up.js';
import { type Frame, FrameType } from '../../src/overlay/frame.js';
import { scpVerifierFor } from '../../src/receipt/scp-verifier.js';
import { closeUpTo, genesis } from './fixture.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** A peer that only answers requests from its store. */
function servingPeer(store: MemoryLedgerStore, clock: ManualClock): PeerCatchUp {
  return new PeerCatchUp({
    store,
    verify: scpVerifierFor(genesis),
    clock,
    send: () => {},
    punish: () => {},
    connectedPeers: () => [],
    closeProven: () => false,
  });
}

/** A node catching up, and peers (each a store that answers through its own PeerCatchUp). */
function setup(peers: Record<string, MemoryLedgerStore>) {
  const clock = new ManualClock();
  const store = new MemoryLedgerStore();
  store.putClosedLedger(buildGenesisLedger(genesis), []);
  const sent: { peer: string; frame: Frame }[] = [];
  const punished: { peer: string; reason: string }[] = [];
  const node = new PeerCatchUp({
    store,
    verify: scpVerifierFor(genesis),
    clock,
    send: (peer, frame) => sent.push({ peer, frame }),
    punish: (peer, reason) => punished.push({ peer, reason }),
    connectedPeers: () => Object.keys(peers),
    closeProven: (l, hash) => {
      applyLedger(store, {
        txSet: l.txSet,
        closeTime: l.header.closeTime,
        suite: 'ed25519',
        scpEnvelopes: l.scpEnvelopes,
        expectedHeaderHash: hash,
      });
      return true;
    },
  });
  const servers = Object.fromEntries(Object.entries(peers).map(([name, s]) => [name, servingPeer(s, clock)]));
  /** Delivers the pending requests to the peers and their answers back, until nothing is pending. */
  const pump = () => {
    while (sent.length > 0) {
      const { peer, frame } = sent.shift()!;
      expect(frame.type).toBe(FrameType.ledgerRequest);
      for (const f of servers[peer]!.answer(frame.payload)!) node.receive(peer, f.payload);
    }
  };
  return { clock, store, node, sent, punished, pump };
}

function chain(upTo: number, opts?: Parameters<typeof closeUpTo>[2]): MemoryLedgerStore {
  const s = new MemoryLedgerStore();
  closeUpTo(s, upTo, opts);
  return s;
}

describe('catch-up from peers', () => {
  it('fetches the missing ledgers from a peer that is ahead, in batches, to the same headers', () => {
    const honest = chain(40);
    const t = setup({ p1: honest });
    t.node.notePeerClosed('p1', 40);
    expect(t.sent[0]!.peer).toBe('p1');
    t.pump();
    expect(t.store.lastClosed()!.sequence).toBe(40);
    expect(t.node.applied).toBe(40);
    for (let s = 0; s <= 40; s++)
      expect(hex(headerHash(t.store.getHeader(s)!))).toBe(hex(headerHash(honest.getHeader(s)!)));
    expect(t.store.getScpEnvelopes(7)!.length).toBe(3);
    expect(t.punished).toEqual([]);
  });

  it('leaves a gap of one ledger to SCP', () => {
    const t = setup({ p1: chain(1) });
    t.node.notePeerClosed('p1', 1);
    expect(t.sent).toEqual([]);
  });

  it('punishes a peer whose ledger is not proven by a quorum, keeps what was proven, and asks another', () => {
    // The forger's ledger 3 carries the commit of only 2 of 4 validators (threshold 3).
    const forged = chain(6, { signers: (seq) => (seq === 3 ? [0, 1] : [0, 1, 2]) });
    const t = setup({ forger: forged, honest: chain(6) });
    t.node.notePeerClosed('forger', 6);
    t.pump();
    expect(t.punished).toEqual([{ peer: 'forger', reason: expect.stringContaining('HISTORY_NOT_PROVEN') }]);
    expect(t.store.lastClosed()!.sequence).toBe(2);
    t.node.notePeerClosed('honest', 6);
    t.pump();
    expect(t.store.lastClosed()!.sequence).toBe(6);
  });

  it('punishes garbage and ignores ledgers nobody asked for', () => {
    const t = setup({ p1: chain(5), p2: chain(5) });
    const unasked = servingPeer(chain(5), t.clock).answer(encodeLedgerRequest(1, 5))!;
    for (const f of unasked) t.node.receive('p2', f.payload);
    expect(t.store.lastClosed()!.sequence).toBe(0);
    t.node.notePeerClosed('p1', 5);
    t.node.receive('p1', new Uint8Array([0xa1, 0x01, 0x02]));
    expect(t.punished).toEqual([{ peer: 'p1', reason: expect.stringContaining('HISTORY_CORRUPT') }]);
  });

  it('asks another peer when one does not answer in time', () => {
    const t = setup({ silent: chain(5), p2: chain(5) });
    t.node.notePeerClosed('silent', 5);
    t.node.notePeerClosed('p2', 4);
    expect(t.sent.map((s) => s.peer)).toEqual(['silent']);
    t.sent.length = 0;
    t.clock.advance(3000);
    expect(t.sent.map((s) => s.peer)).toEqual(['p2']);
    t.pump();
    expect(t.store.lastClosed()!.sequence).toBe(4);
  });

  it('refuses malformed or oversized requests', () => {
    const t = setup({});
    const server = servingPeer(chain(3), t.clock);
    expect(server.answer(new Uint8Array(5))).toBeNull();
    expect(server.answer(encodeLedgerRequest(1, 65))).toBeNull();
    expect(server.answer(encodeLedgerRequest(0, 1))).toBeNull();
    expect(server.answer(encodeLedgerRequest(2, 10))!.length).toBe(2);
    expect(server.answer(encodeLedgerRequest(9, 10))).toEqual([]);
  });
  it('decodes a ledger frame or rejects it with HISTORY_CORRUPT, never anything else', () => {
    const s = chain(3);
    const valid = encodeArchivedLedger({
      header: s.getHeader(2)!,
      txSet: s.getTxSet(2)!,
      scpEnvelopes: s.getScpEnvelopes(2)!,
    });
    expect(hex(encodeArchivedLedger(decodeArchivedLedger(valid, 'x')))).toBe(hex(valid));
    const mutated = fc.tuple(
      fc.nat(valid.length - 1),
      fc.integer({ min: 0, max: 255 }),
      fc.nat(valid.length),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          mutated.map(([i, b, cut]) => {
            const m = valid.slice(0, Math.max(1, cut));
            if (i < m.length) m[i] = b;
            return m;
          }),
        ),
        (bytes) => {
          try {
            decodeArchivedLedger(bytes, 'fuzz');
          } catch (e) {
            expect(e).toBeInstanceOf(HistoryError);
            expect((e as HistoryError).code).toBe('HISTORY_CORRUPT');
          }
        },
      ),
      { numRuns: 2000, seed: 4 },
    );
  });
});
