// A rogue validator for the fire campaign (issue 6): it holds one validator's stolen secret key, joins
// the overlay on the real libp2p transport with that validator's transport identity, learns the open
// slot from the SCP traffic flooded to it like any peer, and misbehaves in one mode:
//
//   equivocate     for the open slot, signs two different nominations and PREPARE ballots with the key
//                  and sends one version to some peers and the other to the rest;
//   conflict       signs CONFIRM and EXTERNALIZE statements for values nobody proposed (a tx set it
//                  made up with an odd close time, or a tx set hash nobody holds), a different one per
//                  peer, for the open slot, the next one and the one just closed;
//   garbage        floods random bytes and malformed frames on its authenticated streams (unknown frame
//                  types, impossible lengths, undecodable SCP/tx/tx set/request payloads), and random
//                  bytes to the validators' p2p and HTTP ports from unauthenticated sockets;
//   bad-signatures well-formed SCP envelopes and transactions with broken signatures (a flipped bit, a
//                  statement signed with another key, a transaction whose body changed under its
//                  signature);
//   replay         records honest traffic, then replays the old statements, tx sets and transactions;
//   duplicate-key  runs a second, otherwise honest, validator (the real Validator code, its own stores,
//                  starting from a snapshot of the genuine one's ledger) with the key of a validator that
//                  is still running.
//
// Where it listens matters. The other validators write to a peer only on the stream they dial to its
// configured address, so a rogue hears the network only when it listens there: with the genuine
// validator stopped, it takes over its p2p port (the default). Next to a running genuine validator
// (duplicate-key) it listens elsewhere and is deaf: everything it sends arrives, nothing comes back.
//
// Everything is built with the node's own encoders, so only what the mode means to break is broken.
import { existsSync, mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import {
  decodeEnvelope,
  encodeEnvelope,
  getSuite,
  type KeyPair,
  networkIdOf,
  type SignatureSuite,
  txHash,
} from '@qm/ledger';
import type { Envelope, Pledges, Statement } from '@qm/scp';
import Database from 'better-sqlite3';
import { deriveTransportSeed, type Genesis, genesisDescription, loadNodeSetup } from '../../config/index.js';
import { peerDialAddresses } from '../../config/node-config.js';
import { quorumSetHash } from '../../consensus/quorum-sets.js';
import { encodeScpEnvelope, scpSigningPayload } from '../../consensus/scp-codec.js';
import { SqliteScpStateStore } from '../../herder/scp-state-store.js';
import { type Frame, FrameType, frameTypeName } from '../../overlay/frame.js';
import { Libp2pTransport } from '../../overlay/libp2p-transport.js';
import { herderTimingOf } from '../../run/start-node.js';
import { SqliteLedgerStore } from '../../store/index.js';
import { Validator } from '../../validator.js';
import { buildTxSet, consensusValue, prefixed, random, sortValues, TrafficView, writeRaw } from './wire.js';

export const ROGUE_MODES = [
  'equivocate',
  'conflict',
  'garbage',
  'bad-signatures',
  'replay',
  'duplicate-key',
] as const;
export type RogueMode = (typeof ROGUE_MODES)[number];

export const isRogueMode = (s: string): s is RogueMode => (ROGUE_MODES as readonly string[]).includes(s);

export interface RogueOptions {
  /** The node config of the validator whose key is stolen (its secret key file, genesis, ports). */
  readonly configFile: string;
  readonly mode: RogueMode;
  readonly durationMs: number;
  /**
   * Where the rogue listens. Default: that validator's own p2p address (the genuine validator is
   * stopped, so the other validators dial the rogue); '127.0.0.1:0' when the genuine one runs too.
   */
  readonly listen?: string;
  /** Names of the validators to misbehave towards (default: all others). */
  readonly targets?: readonly string[];
  /** duplicate-key: where the second instance keeps its stores (required for that mode). */
  readonly dataDir?: string;
  /**
   * duplicate-key: start from a snapshot of the ledger store in this data directory (default: the
   * stolen validator's own, from its config), so the second instance picks up at the genuine one's
   * ledger, as a copied server would. Set to '' to start from genesis.
   */
  readonly snapshotFrom?: string;
  /**
   * conflict: which slots to sign for, relative to the open one (default -1, 0, +1). -1 is a slot the
   * network closed; +1 and beyond are slots nobody has reached yet.
   */
  readonly conflictSlots?: readonly number[];
  readonly log?: (msg: string, data?: object) => void;
}

export interface RogueReport {
  readonly mode: RogueMode;
  readonly name: string;
  readonly nodeId: string;
  readonly durationMs: number;
  /** The open slot when the rogue first heard the network, and the highest it heard (0: never). */
  readonly firstSlot: number;
  readonly lastSlot: number;
  readonly peersConnectedMax: number;
  readonly connects: number;
  readonly disconnects: number;
  /** What it sent, by kind. */
  readonly sent: Record<string, number>;
  /** Hashes of the forged transactions it sent (none may ever be committed). */
  readonly forgedTxHashes: string[];
  /** duplicate-key: the second instance's last closed ledger. */
  readonly duplicate?: { seq: number; hash: string };
  readonly notes: string[];
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class Rogue {
  readonly nodeId: string;
  readonly name: string;
  private readonly genesis: Genesis;
  private readonly suite: SignatureSuite;
  private readonly keys: KeyPair;
  private readonly networkId: Uint8Array;
  private readonly qsetHash: Uint8Array;
  private readonly transport: Libp2pTransport;
  private readonly targets: string[];
  private readonly view: TrafficView;
  /** Tx sets we made up, by hash, to answer requests for them. */
  private readonly ownTxSets = new Map<string, Uint8Array>();
  private readonly sent: Record<string, number> = {};
  private readonly forged = new Set<string>();
  private readonly notes: string[] = [];
  private readonly log: (msg: string, data?: object) => void;
  private validator: Validator | null = null;
  private readonly seed: Uint8Array;
  private readonly genuineDataDir: string;
  private closeStores: (() => void) | null = null;
  private firstSlot = 0;
  private peersMax = 0;
  private connects = 0;
  private disconnects = 0;
  private counter = 0;
  private startedMs = 0;
  private replayCursor = 0;
  private endAtMs = Number.POSITIVE_INFINITY;

  constructor(private readonly opts: RogueOptions) {
    const { config, genesis, seed, identity } = loadNodeSetup(opts.configFile);
    this.genesis = genesis;
    this.log = opts.log ?? (() => {});
    this.nodeId = identity.validator.nodeId;
    this.name = identity.validator.name;
    this.view = new TrafficView(this.nodeId);
    const desc = genesisDescription(genesis);
    this.suite = getSuite(genesis.suite);
    this.keys = this.suite.generateKeyPair(seed);
    this.networkId = networkIdOf(desc);
    this.qsetHash = quorumSetHash(desc.validators.find((v) => v.id === this.nodeId)!.quorumSet);
    const names = new Map(genesis.validators.map((v) => [v.name, v.nodeId]));
    this.targets = (opts.targets ?? genesis.validators.map((v) => v.name))
      .filter((n) => n !== this.name)
      .map((n) => {
        const id = names.get(n);
        if (!id) throw new RangeError(`no validator named ${n}`);
        return id;
      });
    const dialAt = peerDialAddresses(config, genesis.validators);
    const listen =
      opts.listen ??
      (opts.mode === 'duplicate-key' ? `${config.p2p.host}:0` : `${config.p2p.host}:${config.p2p.port}`);
    this.transport = new Libp2pTransport({
      nodeId: this.nodeId,
      transportSeed: deriveTransportSeed(seed),
      listen,
      peers: genesis.validators.map((v, k) => ({
        nodeId: v.nodeId,
        transportPublicKey: new Uint8Array(Buffer.from(v.transportPublicKey, 'hex')),
        address: `${dialAt[k]!.host}:${dialAt[k]!.port}`,
      })),
      // A rogue redials fast: it wants back in as soon as a ban ends.
      redialMaxMs: 2_000,
    });
    this.seed = seed;
    this.genuineDataDir = config.dataDir;
    if (opts.mode !== 'duplicate-key') {
      this.transport.onFrame((from, frame) => this.onFrame(from, frame));
      this.transport.onPeerChange((peer, up) => {
        this.log(up ? 'peer connected' : 'peer disconnected', { peer });
        if (up) this.connects++;
        else this.disconnects++;
        this.peersMax = Math.max(this.peersMax, this.transport.connectedPeers().length);
      });
    }
  }

  /** Runs the mode for its duration, then leaves the network; resolves with what it did. */
  async run(): Promise<RogueReport> {
    this.startedMs = Date.now();
    if (this.opts.mode === 'duplicate-key') {
      await this.buildDuplicate();
      await this.validator!.start();
    } else await this.transport.start();
    this.log('rogue started', {
      mode: this.opts.mode,
      name: this.name,
      listen: this.transport.listenAddresses(),
    });
    this.endAtMs = Math.min(this.endAtMs, this.startedMs + this.opts.durationMs);
    const tickMs = { equivocate: 300, conflict: 400, garbage: 20, 'bad-signatures': 200, replay: 100 };
    while (Date.now() < this.endAtMs) {
      try {
        this.peersMax = Math.max(this.peersMax, this.transport.connectedPeers().length);
        if (this.opts.mode !== 'duplicate-key') this.tick();
      } catch (e) {
        this.note(`tick failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      await sleep(this.opts.mode === 'duplicate-key' ? 500 : tickMs[this.opts.mode]);
    }
    return this.stop();
  }

  /** Ends the run early (run() then resolves with the report). */
  end(): void {
    this.endAtMs = 0;
  }

  private async stop(): Promise<RogueReport> {
    let duplicate: RogueReport['duplicate'];
    if (this.validator) {
      const l = this.validator.herder.lastClosed;
      duplicate = { seq: l.seq, hash: hex(l.hash) };
      await this.validator.stop();
      this.closeStores?.();
    } else await this.transport.stop();
    return {
      mode: this.opts.mode,
      name: this.name,
      nodeId: this.nodeId,
      durationMs: Date.now() - this.startedMs,
      firstSlot: this.firstSlot,
      lastSlot: Math.max(this.view.maxSlot, this.view.slot),
      peersConnectedMax: this.peersMax,
      connects: this.connects,
      disconnects: this.disconnects,
      sent: { ...this.sent },
      forgedTxHashes: [...this.forged],
      ...(duplicate && { duplicate }),
      notes: this.notes,
    };
  }

  // --- what it hears ---------------------------------------------------------------------------------

  private onFrame(from: string, frame: Frame): void {
    const now = Date.now();
    switch (frame.type) {
      case FrameType.scp: {
        this.view.noteScp(frame.payload, now);
        if (this.firstSlot === 0 && this.view.slot > 0) this.firstSlot = this.view.slot;
        return;
      }
      case FrameType.txset:
        this.view.noteTxSet(frame.payload, now);
        return;
      case FrameType.tx:
        this.view.noteTx(frame.payload, now);
        return;
      case FrameType.txsetRequest: {
        const bytes = this.ownTxSets.get(hex(frame.payload));
        if (bytes) this.send(from, FrameType.txset, bytes, 'txset-answer');
        return;
      }
      default:
        return;
    }
  }

  // --- modes -----------------------------------------------------------------------------------------

  private tick(): void {
    const modes: Record<Exclude<RogueMode, 'duplicate-key'>, () => void> = {
      equivocate: () => this.equivocate(),
      conflict: () => this.conflict(),
      garbage: () => this.garbage(),
      'bad-signatures': () => this.badSignatures(),
      replay: () => this.replay(),
    };
    if (this.opts.mode !== 'duplicate-key') modes[this.opts.mode]();
  }

  /** Two values for the open slot, both buildable on the honest nodes' last ledger, signed for both halves. */
  private equivocate(): void {
    const slot = this.view.slot;
    const lcl = this.view.lclHash;
    const peers = this.connectedTargets();
    if (slot === 0 || !lcl || peers.length === 0) return;
    const closeTime = this.closeTime();
    const a = this.ownTxSet(lcl, []);
    const recent = this.view.txs.at(-1)?.bytes;
    const b = recent ? this.ownTxSet(lcl, [recent]) : a;
    const va = consensusValue(a, closeTime);
    const vb = consensusValue(b, hex(a) === hex(b) ? closeTime + 1 : closeTime);
    this.counter++;
    // Half the peers (at least one) hear A, the rest hear B; each half gets both tx sets so the values
    // validate fully and the lie is as convincing as it can be.
    const half = Math.max(1, Math.floor(peers.length / 2));
    peers.forEach((peer, k) => {
      const v = k < half ? va : vb;
      for (const bytes of this.ownTxSets.values()) this.send(peer, FrameType.txset, bytes, 'txset');
      this.sendScp(
        peer,
        slot,
        { type: 'nominate', quorumSetHash: this.qsetHash, votes: [v], accepted: [] },
        'nominate',
      );
      if (this.counter % 2 === 0) {
        this.sendScp(
          peer,
          slot,
          { type: 'nominate', quorumSetHash: this.qsetHash, votes: sortValues([va, vb]), accepted: [v] },
          'nominate-accepted',
        );
      }
      const ballot = { counter: this.counter, value: v };
      this.sendScp(
        peer,
        slot,
        {
          type: 'prepare',
          quorumSetHash: this.qsetHash,
          ballot,
          prepared: ballot,
          preparedPrime: null,
          nC: 0,
          nH: 0,
        },
        'prepare',
      );
    });
  }

  /** CONFIRM and EXTERNALIZE for values nobody proposed, a different one per peer. */
  private conflict(): void {
    const slot = this.view.slot;
    const lcl = this.view.lclHash;
    const peers = this.connectedTargets();
    if (slot === 0 || !lcl || peers.length === 0) return;
    this.counter++;
    const c = this.counter + 1;
    peers.forEach((peer, k) => {
      for (const s of (this.opts.conflictSlots ?? [-1, 0, 1]).map((d) => slot + d)) {
        if (s < 1) continue;
        // Odd peers: a tx set hash nobody holds. Even peers: an empty tx set we made up (we hand it out),
        // with a close time no honest node proposed.
        const v =
          k % 2 === 1
            ? consensusValue(random(32), this.closeTime() + 2)
            : consensusValue(this.ownTxSet(lcl, []), this.closeTime() + 3 + k);
        const ballot = { counter: c, value: v };
        this.sendScp(
          peer,
          s,
          { type: 'confirm', quorumSetHash: this.qsetHash, ballot, nPrepared: c, nCommit: 1, nH: c },
          'confirm',
        );
        this.sendScp(
          peer,
          s,
          {
            type: 'externalize',
            commit: { counter: 1, value: v },
            nH: c,
            commitQuorumSetHash: this.qsetHash,
          },
          'externalize',
        );
      }
    });
  }

  /**
   * The first third floods frames an honest node rejects without punishing (undecodable transactions);
   * then malformed frames, which it must punish; unauthenticated junk on the p2p and HTTP ports throughout.
   */
  private garbage(): void {
    const phase = (Date.now() - this.startedMs) / this.opts.durationMs;
    for (const peer of this.connectedTargets()) {
      if (phase < 1 / 3) {
        for (let i = 0; i < 10; i++)
          this.send(peer, FrameType.tx, random(16 + Math.floor(Math.random() * 400)), 'junk-tx');
        continue;
      }
      const pick = Math.floor(Math.random() * 7);
      switch (pick) {
        case 0:
          this.raw(peer, random(1 + Math.floor(Math.random() * 256)), 'raw-bytes');
          break;
        case 1:
          this.raw(peer, prefixed(8, Uint8Array.of(0xee, ...random(7))), 'unknown-type');
          break;
        case 2:
          this.raw(peer, prefixed(0xfffffff0, random(16)), 'huge-length');
          break;
        case 3:
          this.send(peer, FrameType.scp, random(64 + Math.floor(Math.random() * 200)), 'junk-scp');
          break;
        case 4:
          this.send(peer, FrameType.txset, random(100), 'junk-txset');
          break;
        case 5:
          this.send(peer, FrameType.statusRequest, random(3), 'junk-status-request');
          break;
        default:
          this.send(peer, FrameType.ledgerRequest, random(9), 'junk-ledger-request');
      }
    }
    if (Math.random() < 0.1) this.junkSockets();
  }

  /** Random bytes to every target's p2p and HTTP port from a fresh, unauthenticated socket. */
  private junkSockets(): void {
    for (const v of this.genesis.validators) {
      if (!this.targets.includes(v.nodeId)) continue;
      for (const ep of [v.p2p, v.http]) {
        const s = connect({ host: ep.host, port: ep.port });
        s.on('error', () => {});
        s.on('connect', () => {
          s.end(random(64 + Math.floor(Math.random() * 2048)));
          this.count('junk-socket');
        });
        s.setTimeout(2_000, () => s.destroy());
      }
    }
  }

  /**
   * Forged transactions throughout (a honest tx with a bit flipped in its signature; a honest tx with its
   * body changed under the old signature); after the first few seconds, SCP envelopes with broken
   * signatures too (which the node must punish).
   */
  private badSignatures(): void {
    const peers = this.connectedTargets();
    if (peers.length === 0) return;
    const recent = this.view.txs.slice(-3);
    for (const { bytes } of recent) {
      let env: ReturnType<typeof decodeEnvelope>;
      try {
        env = decodeEnvelope(bytes);
      } catch {
        continue;
      }
      if (env.signatures.length === 0) continue;
      const [first, ...rest] = env.signatures;
      const flipped = Uint8Array.from(first!.signature);
      flipped[Math.floor(Math.random() * flipped.length)]! ^= 1 << Math.floor(Math.random() * 8);
      const badSig = encodeEnvelope({ ...env, signatures: [{ ...first!, signature: flipped }, ...rest] });
      const moved = { ...env, seq: env.seq + 1_000n + BigInt(this.counter) };
      const badBody = encodeEnvelope(moved);
      this.forged.add(hex(txHash(moved)));
      for (const peer of peers) {
        this.send(peer, FrameType.tx, badSig, 'tx-flipped-signature');
        this.send(peer, FrameType.tx, badBody, 'tx-changed-body');
      }
    }
    this.counter++;
    if (Date.now() - this.startedMs < Math.min(4_000, this.opts.durationMs / 3)) return;
    const slot = this.view.slot;
    const lcl = this.view.lclHash;
    if (slot === 0 || !lcl) return;
    const v = consensusValue(this.ownTxSet(lcl, []), this.closeTime());
    const st: Statement = {
      nodeId: this.nodeId,
      slotIndex: slot,
      pledges: { type: 'nominate', quorumSetHash: this.qsetHash, votes: [v], accepted: [] },
    };
    const kind = this.counter % 3;
    let env: Envelope;
    if (kind === 0) {
      // Our statement, one bit of the signature flipped.
      env = this.sign(st);
      env.signature[Math.floor(Math.random() * env.signature.length)]! ^= 0x10;
    } else if (kind === 1) {
      // Our statement signed with a key that is not ours.
      const other = this.suite.generateKeyPair(random(32));
      env = {
        statement: st,
        signature: this.suite.sign(other.privateKey, scpSigningPayload(this.networkId, st)),
      };
    } else {
      // A statement a peer really made, altered under its signature (its slot moved on by one).
      const heard = this.view.envelopes.at(-1)?.env;
      if (!heard) return;
      env = {
        statement: { ...heard.statement, slotIndex: heard.statement.slotIndex + 1 },
        signature: heard.signature,
      };
    }
    for (const peer of peers)
      this.send(peer, FrameType.scp, encodeScpEnvelope(env), `scp-bad-signature-${kind}`);
  }

  /** Records for the first 40% of the run, then sends the oldest recorded traffic back, round and round. */
  private replay(): void {
    const elapsed = Date.now() - this.startedMs;
    if (elapsed < Math.max(4_000, this.opts.durationMs * 0.4)) return;
    const peers = this.connectedTargets();
    const old = this.view.envelopes.filter((e) => e.atMs < this.startedMs + 3_000 + elapsed / 4);
    if (peers.length === 0 || old.length === 0) return;
    for (let i = 0; i < 20; i++) {
      const e = old[this.replayCursor++ % old.length]!;
      for (const peer of peers) this.send(peer, FrameType.scp, e.bytes, 'replay-scp');
    }
    const txSet = this.view.txSets[this.replayCursor % Math.max(1, this.view.txSets.length)];
    const tx = this.view.txs[this.replayCursor % Math.max(1, this.view.txs.length)];
    for (const peer of peers) {
      if (txSet) this.send(peer, FrameType.txset, txSet.bytes, 'replay-txset');
      if (tx) this.send(peer, FrameType.tx, tx.bytes, 'replay-tx');
    }
  }

  // --- duplicate key -----------------------------------------------------------------------------------

  private async buildDuplicate(): Promise<void> {
    const dir = this.opts.dataDir;
    if (!dir) throw new RangeError('duplicate-key needs a data directory');
    mkdirSync(dir, { recursive: true });
    const from = this.opts.snapshotFrom ?? this.genuineDataDir;
    // The ledger only: with the genuine one's SCP state it would just repeat its statements; without,
    // it nominates and votes on its own, under the same key.
    for (const file of ['ledger.sqlite']) {
      const src = join(from, file);
      if (from === '' || !existsSync(src) || existsSync(join(dir, file))) continue;
      // SQLite's online backup: a consistent copy while the genuine validator keeps writing.
      const db = new Database(src, { readonly: true, fileMustExist: true });
      try {
        await db.backup(join(dir, file));
      } finally {
        db.close();
      }
    }
    const store = new SqliteLedgerStore(join(dir, 'ledger.sqlite'));
    const scpState = new SqliteScpStateStore(join(dir, 'scp-state.sqlite'));
    this.closeStores = () => {
      store.close();
      scpState.close();
    };
    this.log('duplicate starts', { ledger: store.lastClosed()?.sequence ?? 0, snapshotFrom: from });
    // Count what the second instance says, by frame type.
    const send = this.transport.send.bind(this.transport);
    this.transport.send = (peer, frame) => {
      const ok = send(peer, frame);
      if (ok) this.count(`duplicate-${frameTypeName(frame.type)}`);
      return ok;
    };
    this.validator = new Validator({
      genesis: genesisDescription(this.genesis),
      seed: this.seed,
      store,
      scpState,
      transport: this.transport,
      herder: herderTimingOf(this.genesis),
      log: (level, msg, data) => {
        if (level !== 'info') this.log(`duplicate: ${msg}`, { level, ...data });
      },
    });
    this.validator.herder.onLedgerClosed((e) => {
      if (this.firstSlot === 0) this.firstSlot = e.seq;
      this.view.slot = e.seq + 1;
    });
    this.transport.onPeerChange((peer, up) => {
      this.log(up ? 'peer connected' : 'peer disconnected', { peer });
      if (up) this.connects++;
      else this.disconnects++;
    });
  }

  // --- sending -----------------------------------------------------------------------------------------

  private connectedTargets(): string[] {
    const up = new Set(this.transport.connectedPeers());
    return this.targets.filter((t) => up.has(t));
  }

  private closeTime(): number {
    return Math.max(Math.floor(Date.now() / 1000), this.view.maxCloseTime + 1);
  }

  /** A tx set of ours on `prev`, remembered so we can hand it out; returns its hash. */
  private ownTxSet(prev: Uint8Array, txs: readonly Uint8Array[]): Uint8Array {
    const t = buildTxSet(prev, txs);
    const key = hex(t.hash);
    if (!this.ownTxSets.has(key)) {
      this.ownTxSets.set(key, t.bytes);
      // Keep only the newest few: older ones build on ledgers long closed.
      if (this.ownTxSets.size > 8) this.ownTxSets.delete(this.ownTxSets.keys().next().value!);
    }
    return t.hash;
  }

  private sign(st: Statement): Envelope {
    return {
      statement: st,
      signature: this.suite.sign(this.keys.privateKey, scpSigningPayload(this.networkId, st)),
    };
  }

  private sendScp(peer: string, slot: number, pledges: Pledges, kind: string): void {
    const env = this.sign({ nodeId: this.nodeId, slotIndex: slot, pledges });
    this.send(peer, FrameType.scp, encodeScpEnvelope(env), kind);
  }

  private send(peer: string, type: FrameType, payload: Uint8Array, kind: string): void {
    if (this.transport.send(peer, { type, payload })) this.count(kind);
  }

  private raw(peer: string, bytes: Uint8Array, kind: string): void {
    if (writeRaw(this.transport, peer, bytes)) this.count(kind);
  }

  private count(kind: string): void {
    this.sent[kind] = (this.sent[kind] ?? 0) + 1;
  }

  private note(text: string): void {
    if (this.notes.length < 20) this.notes.push(text);
    this.log(text);
  }
}
