// Several herders on a manual clock, wired by an in-memory network with a fixed latency, over a tiny
// in-memory ledger (a tx set is a list of opaque transactions; a ledger hash chains the tx set hashes).
import { ed25519, encode, getSuite, schema, sha256 } from '@qm/ledger';
import type { NodeId, QuorumSet } from '@qm/scp';
import { ManualClock } from '../../src/consensus/clock.js';
import { QuorumSetRegistry } from '../../src/consensus/quorum-sets.js';
import { DEFAULT_HERDER_CONFIG, Herder, type HerderNetwork } from '../../src/herder/herder.js';
import type { ClosedLedger, LastClosed, LedgerApp, TxSetData } from '../../src/herder/ledger-app.js';
import { MemoryScpStateStore } from '../../src/herder/scp-state-store.js';

const txSetSchema = schema.record({ prev: schema.bytes({ length: 32 }), txs: schema.array(schema.bytes()) });

/** What survives a restart: closed ledgers and persisted SCP state. */
export class MemoryLedger implements LedgerApp {
  readonly ledgers: LastClosed[] = [
    { seq: 0, hash: new Uint8Array(32), txSetHash: new Uint8Array(32), closeTime: 0 },
  ];
  readonly scpState = new MemoryScpStateStore();
  lastClosed(): LastClosed {
    return this.ledgers.at(-1)!;
  }
  /** Set: every tx set this node builds carries this marker, so that no two nodes build the same one. */
  marker: Uint8Array | null = null;
  buildTxSet(txs: readonly Uint8Array[]): TxSetData {
    const all = this.marker ? [this.marker, ...txs] : [...txs];
    const bytes = encode({ prev: this.lastClosed().hash, txs: all });
    return { hash: sha256(bytes), bytes, txCount: all.length, previousLedgerHash: this.lastClosed().hash };
  }
  parseTxSet(bytes: Uint8Array): TxSetData | null {
    try {
      const t = schema.decodeWith(txSetSchema, bytes);
      return { hash: sha256(bytes), bytes, txCount: t.txs.length, previousLedgerHash: t.prev };
    } catch {
      return null;
    }
  }
  close(txSet: TxSetData, closeTime: number): ClosedLedger {
    const prev = this.lastClosed();
    const hash = sha256(prev.hash, txSet.hash, new TextEncoder().encode(String(closeTime)));
    this.ledgers.push({ seq: prev.seq + 1, hash, txSetHash: txSet.hash, closeTime });
    return { seq: prev.seq + 1, hash, txHashes: [] };
  }
  nextSequence(): bigint | null {
    return 1n;
  }
  saveScpState(slot: number, envelope: Uint8Array, txSets: readonly Uint8Array[]): void {
    this.scpState.save(slot, envelope, txSets);
  }
  loadScpState(slot: number) {
    return this.scpState.load(slot);
  }
}

export function cluster(ids: NodeId[], threshold: number, latencyMs = 20) {
  const clock = new ManualClock();
  const suite = getSuite('ed25519');
  const networkId = sha256(new TextEncoder().encode('test network'));
  const keys = new Map(ids.map((id, i) => [id, suite.generateKeyPair(new Uint8Array(32).fill(i + 1))]));
  const nodeKeys = new Map([...keys].map(([id, k]) => [id, k.publicKey]));
  const qset: QuorumSet = { threshold, validators: ids, innerSets: [] };
  const ledgers = new Map(ids.map((id) => [id, new MemoryLedger()]));
  const herders = new Map<NodeId, Herder>();
  const up = new Set<NodeId>();
  /** Tx sets each node pushed to its peers, and tx sets fetched on demand. */
  const txSetPushes = new Map<NodeId, number>();
  let txSetRequests = 0;

  const deliver = (to: NodeId, fn: (h: Herder) => void) =>
    clock.schedule(latencyMs, () => {
      const h = herders.get(to);
      if (h && up.has(to)) fn(h);
    });
  const networkFor = (me: NodeId): HerderNetwork => {
    const others = () => ids.filter((id) => id !== me && up.has(me));
    return {
      broadcastScp: (env, except) => {
        for (const p of others()) if (p !== except) deliver(p, (h) => relay(h, p, env, me));
      },
      broadcastTx: (tx, except) => {
        for (const p of others()) if (p !== except) deliver(p, (h) => h.receiveTransaction(tx, me));
      },
      broadcastTxSet: (bytes) => {
        txSetPushes.set(me, (txSetPushes.get(me) ?? 0) + 1);
        for (const p of others()) deliver(p, (h) => h.receiveTxSet(bytes));
      },
      requestTxSet: (hash, from) => {
        txSetRequests++;
        deliver(from, (h) => {
          const bytes = h.txSetBytes(hash);
          if (bytes) deliver(me, (mine) => mine.receiveTxSet(bytes));
        });
      },
      requestScpState: (fromSlot) => {
        for (const p of others()) {
          deliver(p, (h) => {
            for (const env of h.scpStateFrom(fromSlot)) deliver(me, (mine) => mine.receiveScp(env, p));
          });
        }
      },
      sendScp: (to, env) => deliver(to, (h) => h.receiveScp(env, me)),
    };
  };
  // Flooding: a fresh valid envelope goes on to the others.
  const relay = (h: Herder, self: NodeId, env: Uint8Array, from: NodeId) => {
    const r = h.receiveScp(env, from);
    if (r.ok && r.fresh)
      for (const p of ids)
        if (p !== self && p !== from && up.has(self)) deliver(p, (x) => x.receiveScp(env, self));
  };

  /** Starts a herder; `clockOffsetMs` skews its clock (timers still fire on the shared clock). */
  const start = (id: NodeId, clockOffsetMs = 0) => {
    const registry = new QuorumSetRegistry();
    registry.add(qset);
    const h = new Herder({
      nodeId: id,
      networkId,
      suite,
      privateKey: keys.get(id)!.privateKey,
      quorumSet: qset,
      quorumSets: registry,
      nodeKeys,
      app: ledgers.get(id)!,
      clock:
        clockOffsetMs === 0
          ? clock
          : { nowMs: () => clock.nowMs() + clockOffsetMs, schedule: (ms, cb) => clock.schedule(ms, cb) },
      network: networkFor(id),
      config: DEFAULT_HERDER_CONFIG,
    });
    herders.set(id, h);
    up.add(id);
    h.start();
    return h;
  };
  const stop = (id: NodeId) => {
    herders.get(id)?.stop();
    up.delete(id);
  };
  return {
    clock,
    ids,
    herders,
    ledgers,
    start,
    stop,
    up,
    suite,
    networkId,
    ed25519,
    txSetPushes,
    txSetRequests: () => txSetRequests,
  };
}
