// One validator: the ledger store, the herder (SCP + tx queue), the overlay and the health view wired
// together, and exposed to the HTTP API through NodeView.

import { type Analysis, analyze, buildFbas, type Outcome } from '@qm/fbas';
import {
  buildGenesisLedger,
  buildReceipt,
  decodeId,
  encodeId,
  encodeReceipt,
  equalBytes,
  type GenesisDescription,
  getSuite,
  headerHash,
  type LedgerStore,
  networkIdOf,
  type ReceiptTrust,
  type ScpVerifier,
  trustFromGenesis,
  txHash,
  verifyReceipt,
} from '@qm/ledger';
import type { NodeId, QuorumSet } from '@qm/scp';
import { type Json, type NodeView, toJson } from './api/node-view.js';
import { type Clock, systemClock } from './consensus/clock.js';
import { QuorumSetRegistry } from './consensus/quorum-sets.js';
import { diagnoseHalt, type MemberStatus } from './health/halt-diagnosis.js';
import { DEFAULT_HERDER_CONFIG, Herder, type HerderConfig, type HerderNetwork } from './herder/herder.js';
import type { ScpStateStore } from './herder/scp-state-store.js';
import { PeerCatchUp } from './history/peer-catch-up.js';
import { historyPublisher } from './history/writer.js';
import { StoreLedgerApp } from './ledger-app/store-ledger-app.js';
import { NodeMetrics } from './metrics.js';
import { Flooder } from './overlay/flooder.js';
import { type Frame, FrameType } from './overlay/frame.js';
import type { Transport } from './overlay/transport.js';
import { scpVerifierFor } from './receipt/scp-verifier.js';

export interface ValidatorParams {
  readonly genesis: GenesisDescription;
  /** The node's 32-byte secret seed (its key pair in the network's suite derives from it). */
  readonly seed: Uint8Array;
  readonly store: LedgerStore;
  readonly scpState: ScpStateStore;
  readonly transport: Transport;
  readonly clock?: Clock;
  readonly herder?: Partial<HerderConfig>;
  /** A node is "stuck" when no ledger closed for this long. */
  readonly stuckAfterMs?: number;
  /** A member silent for this long is flagged as possibly dead. */
  readonly possiblyDeadAfterMs?: number;
  readonly log?: (level: 'info' | 'warn' | 'error', msg: string, data?: object) => void;
  /** Where to publish history checkpoints (docs/history.md); none when absent. */
  readonly historyArchiveDir?: string;
  /** Names and API addresses of the validators, for the dashboard's network view. */
  readonly directory?: readonly { readonly id: NodeId; readonly name: string; readonly http?: string }[];
}

export class ValidatorError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ValidatorError';
  }
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
/** Receipts of ledgers up to this height include the header chain from genesis (about 250 bytes a header). */
const RECEIPT_GENESIS_CHAIN_MAX = 1000;
const u32 = (n: number) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n);
  return b;
};

export class Validator implements NodeView {
  readonly nodeId: NodeId;
  readonly networkId: Uint8Array;
  readonly herder: Herder;
  private readonly flooder: Flooder;
  readonly peerCatchUp: PeerCatchUp;
  readonly meters = new NodeMetrics();
  private readonly clock: Clock;
  private readonly quorumSets = new Map<NodeId, QuorumSet>();
  private readonly ledgerListeners = new Set<(l: Json) => void>();
  private readonly params: ValidatorParams;
  private readonly trust: ReceiptTrust;
  private readonly scpVerifier: ScpVerifier;
  /** The quorum analysis of the network's configuration (computed once: quorum sets come from genesis). */
  readonly analysis: Analysis;

  constructor(params: ValidatorParams) {
    this.params = params;
    const { genesis, store, transport } = params;
    this.clock = params.clock ?? systemClock;
    const suite = getSuite(genesis.suite);
    const keys = suite.generateKeyPair(params.seed);
    this.nodeId = encodeId('node', keys.publicKey);
    this.networkId = networkIdOf(genesis);
    const me = genesis.validators.find((v) => v.id === this.nodeId);
    if (!me)
      throw new ValidatorError(
        'NOT_A_VALIDATOR',
        `${this.nodeId} is not a validator of network ${genesis.name}`,
      );

    const last = store.lastClosed();
    if (last === null) store.putClosedLedger(buildGenesisLedger(genesis), []);
    else if (!equalBytes(last.networkId, this.networkId)) {
      throw new ValidatorError(
        'STORE_OF_ANOTHER_NETWORK',
        'the data directory holds ledgers of another network',
      );
    }

    this.trust = trustFromGenesis(genesis);
    this.scpVerifier = scpVerifierFor(genesis);
    const registry = new QuorumSetRegistry();
    const nodeKeys = new Map<NodeId, Uint8Array>();
    for (const v of genesis.validators) {
      this.quorumSets.set(v.id, v.quorumSet);
      registry.add(v.quorumSet);
      nodeKeys.set(v.id, decodeId(v.id, 'node').bytes);
    }
    this.analysis = analyze(
      buildFbas(genesis.validators.map((v) => ({ id: v.id, organization: v.org, quorumSet: v.quorumSet }))),
      { budgetMs: 2000, groupBy: ['organization'] },
    );
    const intersection = this.analysis.intersection;
    if (intersection.status === 'done' && !intersection.intersects) {
      params.log?.('error', 'the quorum configuration lacks quorum intersection: the network can fork', {
        quorums: intersection.quorums,
      });
    }
    const config: HerderConfig = { ...DEFAULT_HERDER_CONFIG, ...params.herder };
    this.herder = new Herder({
      nodeId: this.nodeId,
      networkId: this.networkId,
      suite,
      privateKey: keys.privateKey,
      quorumSet: me.quorumSet,
      quorumSets: registry,
      nodeKeys,
      // Signatures verified when a transaction entered the queue are not verified again at close.
      app: new StoreLedgerApp(store, params.scpState, this.networkId, suite, (bytes, env) =>
        this.herder.queue.isAdmitted(bytes, txHash(env)),
      ),
      clock: this.clock,
      network: this.herderNetwork(transport),
      config,
      ...(params.log && { log: params.log }),
    });
    if (params.historyArchiveDir) {
      this.herder.onLedgerClosed(
        historyPublisher(store, params.historyArchiveDir, this.networkId, params.log),
      );
    }
    this.peerCatchUp = new PeerCatchUp({
      store,
      verify: this.scpVerifier,
      clock: this.clock,
      send: (peer, frame) => transport.send(peer, frame),
      punish: (peer, reason) => transport.punish(peer, reason),
      connectedPeers: () => transport.connectedPeers(),
      closeProven: (l, hash) =>
        this.herder.closeProvenLedger(l.header.sequence, l.txSet, l.header.closeTime, l.scpEnvelopes, hash),
      ...(params.log && { log: params.log }),
    });
    this.herder.onPeerProgress((peer, closed) => this.peerCatchUp.notePeerClosed(peer, closed));
    this.flooder = new Flooder(transport, {
      clock: { now: () => this.clock.nowMs(), setTimer: (ms, fn) => this.clock.schedule(ms, fn) },
    });
    this.flooder.onMessage((from, frame) => this.onFrame(from, frame));
    transport.onPeerChange((peer, connected) => {
      this.meters.peers.set(transport.connectedPeers().length);
      // A peer that just (re)connected may hold statements we missed: ask it for the open slot.
      if (connected)
        transport.send(peer, { type: FrameType.statusRequest, payload: u32(this.herder.lastClosed.seq + 1) });
    });
    this.herder.onLedgerClosed((e) => {
      this.meters.ledgerSeq.set(e.seq);
      this.meters.closeInterval.observe(e.intervalMs / 1000);
      this.meters.txPerLedger.observe(e.txCount);
      this.meters.applyTime.observe(e.applyMs / 1000);
      if (e.consensusMs !== null) this.meters.consensusTime.observe(e.consensusMs / 1000);
      this.meters.txQueue.set(this.herder.queue.size);
      const json = toJson({
        seq: e.seq,
        hash: e.hash,
        closeTime: e.closeTime,
        txCount: e.txCount,
        intervalMs: e.intervalMs,
        consensusMs: e.consensusMs,
        applyMs: e.applyMs,
      });
      for (const l of this.ledgerListeners) l(json);
    });
    this.meters.ledgerSeq.set(store.lastClosed()!.sequence);
  }

  async start(): Promise<void> {
    await this.params.transport.start();
    this.herder.start();
  }

  async stop(): Promise<void> {
    this.peerCatchUp.stop();
    this.herder.stop();
    await this.params.transport.stop();
  }

  // --- overlay <-> herder -------------------------------------------------------------------------------

  private herderNetwork(transport: Transport): HerderNetwork {
    return {
      broadcastScp: (env, except) => this.flooder.flood({ type: FrameType.scp, payload: env }, except),
      broadcastTx: (tx, except) => this.flooder.flood({ type: FrameType.tx, payload: tx }, except),
      broadcastTxSet: (bytes) => transport.broadcast({ type: FrameType.txset, payload: bytes }),
      requestTxSet: (hash, from) => transport.send(from, { type: FrameType.txsetRequest, payload: hash }),
      requestScpState: (fromSlot) =>
        transport.broadcast({ type: FrameType.statusRequest, payload: u32(fromSlot) }),
      sendScp: (to, env) => transport.send(to, { type: FrameType.scp, payload: env }),
    };
  }

  private onFrame(from: string, frame: Frame): void {
    const transport = this.params.transport;
    this.herder.noteHeard(from);
    switch (frame.type) {
      case FrameType.scp: {
        const r = this.herder.receiveScp(frame.payload, from);
        this.meters.scpEnvelopes.inc({ result: r.ok ? (r.fresh ? 'fresh' : 'duplicate') : r.code });
        if (!r.ok && r.punish) transport.punish(from, r.code);
        // Flood: a fresh, verified envelope goes on to everyone else.
        if (r.ok && r.fresh) this.flooder.flood(frame, from);
        return;
      }
      case FrameType.tx: {
        const r = this.herder.receiveTransaction(frame.payload, from);
        this.meters.txSubmitted.inc({ result: r.ok ? 'accepted' : r.code });
        return;
      }
      case FrameType.txsetRequest: {
        const bytes = frame.payload.length === 32 ? this.herder.txSetBytes(frame.payload) : null;
        if (bytes) transport.send(from, { type: FrameType.txset, payload: bytes });
        return;
      }
      case FrameType.txset:
        if (!this.herder.receiveTxSet(frame.payload)) transport.punish(from, 'malformed tx set');
        return;
      case FrameType.ledgerRequest: {
        const frames = this.peerCatchUp.answer(frame.payload);
        if (frames === null) transport.punish(from, 'malformed ledger request');
        else for (const f of frames) transport.send(from, f);
        return;
      }
      case FrameType.ledger:
        this.peerCatchUp.receive(from, frame.payload);
        return;
      case FrameType.statusRequest: {
        if (frame.payload.length !== 4) {
          transport.punish(from, 'malformed state request');
          return;
        }
        const fromSlot = new DataView(frame.payload.buffer, frame.payload.byteOffset, 4).getUint32(0);
        for (const env of this.herder.scpStateFrom(fromSlot))
          transport.send(from, { type: FrameType.scp, payload: env });
        return;
      }
      default:
        return;
    }
  }

  // --- NodeView ----------------------------------------------------------------------------------------

  /** Health of this node and its quorum set, with the halt diagnosis when stuck. */
  health() {
    const lcl = this.herder.lastClosed;
    const qi = this.herder.scp.getJsonQuorumInfo(lcl.seq + 1) ?? this.herder.scp.getJsonQuorumInfo(lcl.seq);
    const stuckAfterMs = this.params.stuckAfterMs ?? 5000;
    const possiblyDeadAfterMs = this.params.possiblyDeadAfterMs ?? 60_000;
    // A peer is missing when its link is down, or when it is connected but has said nothing for longer
    // than a live node's silence can last (it resyncs every resyncAfterMs while stuck).
    const resyncMs = this.params.herder?.resyncAfterMs ?? DEFAULT_HERDER_CONFIG.resyncAfterMs;
    const silentAfterMs = Math.max(10_000, 3 * resyncMs);
    const connected = new Set(this.params.transport.connectedPeers());
    const statusOf = (n: NodeId): MemberStatus => {
      const ago = this.herder.lastHeardAgoMs(n);
      if (ago === null || ago > silentAfterMs || (!connected.has(n) && ago > 1000)) return 'missing';
      if (qi?.disagree.includes(n)) return 'disagree';
      if (qi?.agree.includes(n) && !qi.delayed.includes(n)) return 'agree';
      return (this.herder.lagOf(n) ?? 0) > 1 ? 'delayed' : 'agree';
    };
    return diagnoseHalt({
      localNode: this.nodeId,
      quorumSets: this.quorumSets,
      statusOf,
      lastHeardAgoMs: (n) => this.herder.lastHeardAgoMs(n),
      failAt: qi?.failAt ?? 0,
      failWith: qi?.failWith ?? [],
      sinceLastCloseMs: this.herder.msSinceLastClose,
      stuckAfterMs,
      possiblyDeadAfterMs,
    });
  }

  status(): Json {
    const h = this.params.store.lastClosed()!;
    const health = this.health();
    this.meters.stuck.set(health.stuck ? 1 : 0);
    this.meters.failAt.set(health.failAt);
    return toJson({
      nodeId: this.nodeId,
      network: { name: this.params.genesis.name, id: this.networkId, suite: this.params.genesis.suite },
      state: health.stuck ? 'stuck' : 'synced',
      ledger: {
        seq: h.sequence,
        hash: headerHash(h),
        closeTime: h.closeTime,
        sinceLastCloseMs: this.herder.msSinceLastClose,
      },
      txQueue: this.herder.queue.size,
      peers: this.params.transport.connectedPeers().length,
      // Our clock against the close times the network agrees on (a skewed host clock shows here).
      clock: { offsetMs: this.herder.clockOffsetMs, suspect: this.herder.clockSuspect },
      summary: health.summary,
    });
  }

  quorum(): Json {
    const health = this.health();
    return toJson({
      nodeId: this.nodeId,
      ...health,
      members: health.members.map((m) => ({ ...m, lag: this.herder.lagOf(m.node) })),
    });
  }

  peers(): Json {
    return toJson(this.params.transport.stats());
  }

  network(): Json {
    const names = new Map((this.params.directory ?? []).map((d) => [d.id, d]));
    const a = this.analysis;
    const value = <T extends object>(o: Outcome<T>): T | 'unknown' => (o.status === 'done' ? o : 'unknown');
    const intersection = value(a.intersection);
    return toJson({
      self: this.nodeId,
      validators: this.params.genesis.validators.map((v) => ({
        nodeId: v.id,
        name: names.get(v.id)?.name ?? v.id.slice(0, 8),
        org: v.org,
        http: names.get(v.id)?.http ?? null,
        quorumSet: v.quorumSet,
      })),
      analysis: {
        intersects: intersection === 'unknown' ? 'unknown' : intersection.intersects,
        ...(intersection !== 'unknown' &&
          !intersection.intersects && { disjointQuorums: intersection.quorums }),
        topTier: value(a.topTier),
        minimalBlockingSets: value(a.minimalBlockingSets),
        minimalSplittingSets: value(a.minimalSplittingSets),
        byOrganization: a.byGroup.organization
          ? {
              minimalBlockingSets: value(a.byGroup.organization.minimalBlockingSets),
              topTier: value(a.byGroup.organization.topTier),
            }
          : null,
        criticalOrganizations: a.criticality ? value(a.criticality) : 'unknown',
      },
    });
  }

  submitTransaction(bytes: Uint8Array) {
    const r = this.herder.receiveTransaction(bytes);
    this.meters.txSubmitted.inc({ result: r.ok ? 'accepted' : r.code });
    this.meters.txQueue.set(this.herder.queue.size);
    return r.ok ? { ok: true, hash: hex(r.hash) } : { ok: false, code: r.code, message: r.message };
  }

  transaction(hashHex: string): Json | null {
    const hash = Buffer.from(hashHex, 'hex');
    const stored = this.params.store.getTx(hash);
    if (stored) {
      return toJson({
        hash: hashHex,
        status: stored.result.code === 'TX_SUCCESS' ? 'committed' : 'failed',
        ledger: stored.ledgerSeq,
        result: stored.result,
      });
    }
    return this.herder.queue.has(hash) ? { hash: hashHex, status: 'pending' } : null;
  }

  ledger(seq: number): Json | null {
    const h = this.params.store.getHeader(seq);
    if (!h) return null;
    return toJson({ ...h, hash: headerHash(h), txCount: this.params.store.getTxSet(seq)?.length ?? 0 });
  }

  ledgers(fromSeq: number | null, limit: number): Json {
    const top = this.params.store.lastClosed()!.sequence;
    const start = fromSeq ?? Math.max(0, top - limit + 1);
    const out: Json[] = [];
    for (let s = Math.min(top, start + limit - 1); s >= start; s--) {
      const l = this.ledger(s);
      if (l) out.push(l);
    }
    return out;
  }

  ledgerTransactions(seq: number): Json | null {
    const results = this.params.store.getResults(seq);
    if (!results) return null;
    const transactions: Json[] = [];
    for (const bytes of results) {
      const result = JSON.parse(Buffer.from(bytes).toString('utf8')) as { code: string; txHash?: string };
      if (result.txHash === undefined) continue; // undecodable envelope: it has no hash to look for
      const status =
        result.code === 'TX_SUCCESS' ? 'committed' : result.code === 'TX_FAILED' ? 'failed' : 'rejected';
      transactions.push(toJson({ hash: result.txHash, status, result }));
    }
    return { seq, transactions };
  }

  item(uii: string): Json | null {
    const r = this.params.store.itemByUii(uii);
    return r ? toJson(r) : null;
  }

  stock(query: { nsn?: string; location?: string }): Json {
    if (!query.nsn) return [];
    return toJson(this.params.store.stockByNsn(query.nsn.replaceAll('-', ''), query.location));
  }

  alerts(query: { kind?: string; limit: number }): Json {
    return toJson(
      this.params.store.alerts({
        limit: query.limit,
        ...(query.kind !== undefined && { kind: query.kind as never }),
      }),
    );
  }

  /** A receipt for an applied transaction, with the ledger's SCP statements, and its verification here. */
  receipt(hashHex: string): Json | null {
    const hash = Buffer.from(hashHex, 'hex');
    if (!this.params.store.getTx(hash)) return null;
    // While the chain is short the receipt carries every header back to genesis, so a verifier anchors it
    // on the genesis file alone; beyond that the quorum's SCP statements anchor it.
    const seq = this.params.store.getTx(hash)!.ledgerSeq;
    const receipt = buildReceipt(this.params.store, hash, {
      includeScp: true,
      ...(seq <= RECEIPT_GENESIS_CHAIN_MAX && { chainFrom: 0 }),
    });
    const bytes = encodeReceipt(receipt);
    const verification = verifyReceipt(bytes, this.trust, { verifyScp: this.scpVerifier });
    return toJson({
      txHash: hashHex,
      ledger: receipt.ledgerSeq,
      receipt: bytes,
      header: receipt.header,
      headerHash: receipt.headerHash,
      leafIndex: receipt.leafIndex,
      inclusionProof: receipt.inclusionProof,
      scpStatements: receipt.scpEnvelopes?.length ?? 0,
      verification,
    });
  }

  onLedger(listener: (ledger: Json) => void): () => void {
    this.ledgerListeners.add(listener);
    return () => this.ledgerListeners.delete(listener);
  }

  metrics(): Promise<string> {
    this.status(); // refreshes the health gauges
    return this.meters.text();
  }
}
