// A whole-node network in one process on virtual time: real Validators (SCP, herder, ledger close,
// receipts, peer catch-up) on a MemoryHub whose deliveries and timers run on the simulator's VirtualClock.
// Each validator is a "process": an incarnation (Validator object, its timers, its frame handlers) that
// can be killed (kill -9: nothing of it runs again, its disk stays), stopped cleanly, paused (SIGSTOP:
// its timers and inbound frames are held, then run on resume), and given a skewed wall clock.
import { headerHash, MemoryLedgerStore, networkIdOf } from '@qm/ledger';
import {
  type Clock,
  encodeFrame,
  type Frame,
  FrameType,
  MemoryHub,
  MemoryScpStateStore,
  type MemoryTransport,
  type PendingDelivery,
  type Transport,
  Validator,
} from '@qm/node';
import type { NodeId } from '@qm/scp';
import { VirtualClock } from '../clock.js';
import type { Prng } from '../prng.js';
import type { NodeTopology } from './topologies.js';

/** Virtual time 0 is this wall-clock instant (just after the genesis time of every topology). */
export const EPOCH_MS = 1_800_000_000_000;
export const MALLORY = 'mallory';

export interface LinkCondition {
  /** Added to every frame's delay on this directed link. */
  readonly extraDelayMs: number;
  /** Probability that a frame is lost. */
  readonly loss: number;
}

export interface ClosedRecord {
  readonly node: NodeId;
  readonly seq: number;
  readonly hash: string;
  readonly atMs: number;
}

export interface ExceptionRecord {
  readonly node: string;
  readonly where: string;
  readonly atMs: number;
  readonly message: string;
}

export interface LogRecord {
  readonly node: string;
  readonly atMs: number;
  readonly msg: string;
  readonly data?: string;
}

type ProcState = 'up' | 'down' | 'paused';

interface Incarnation {
  readonly n: number;
  frameHandlers: ((from: string, frame: Frame) => void)[];
  peerHandlers: ((peer: string, connected: boolean) => void)[];
}

class Proc {
  state: ProcState = 'down';
  validator: Validator | null = null;
  inc: Incarnation | null = null;
  incarnations = 0;
  skewMs = 0;
  /** Work that fell due while paused (timers, frames, peer events), run in order on resume. */
  held: (() => void)[] = [];
  readonly store = new MemoryLedgerStore();
  readonly scpState = new MemoryScpStateStore();
  constructor(
    readonly index: number,
    readonly id: NodeId,
    readonly seed: Uint8Array,
    readonly mem: MemoryTransport,
  ) {}
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

export class NodeNet {
  readonly vclock = new VirtualClock();
  readonly hub: MemoryHub;
  readonly procs: Proc[];
  readonly closes: ClosedRecord[] = [];
  readonly exceptions: ExceptionRecord[] = [];
  readonly errorLogs: LogRecord[] = [];
  /** Punishments one validator handed another (Byzantine traffic only comes from mallory). */
  readonly punishments: { node: string; peer: string; reason: string; atMs: number }[] = [];
  readonly networkId: Uint8Array;
  readonly stats = { framesDelivered: 0, framesLost: 0, framesHeld: 0, malloryFrames: 0 };
  private readonly conditions = new Map<string, LinkCondition>();
  private readonly lastArrival = new Map<string, number>();
  /** Frames mallory overheard as a peer (for replays), newest last, bounded. */
  readonly overheard: Frame[] = [];
  private mallory: MemoryTransport | null = null;

  constructor(
    readonly topo: NodeTopology,
    private readonly prng: Prng,
    private readonly baseDelay: [number, number] = [2, 15],
  ) {
    const vclock = this.vclock;
    this.networkId = networkIdOf(topo.genesis);
    this.hub = new MemoryHub({
      clock: {
        now: () => EPOCH_MS + vclock.now(),
        setTimer: (ms, fn) => {
          const h = vclock.schedule(Math.max(0, ms), () => this.guard('hub', 'hub timer', fn));
          return () => vclock.cancel(h);
        },
      },
      scheduler: (d) => this.schedule(d),
      logger: {
        info() {},
        warn: (message, fields) => {
          if (message !== 'overlay: peer punished' || !fields) return;
          const f = fields as { node: string; peer: string; reason: string };
          if (f.peer !== MALLORY)
            this.punishments.push({ node: f.node, peer: f.peer, reason: f.reason, atMs: vclock.now() });
        },
      },
    });
    this.procs = topo.ids.map((id, i) => {
      const p = new Proc(i, id, topo.seeds[i]!, this.hub.transport(id));
      // One dispatcher per hub member, for the life of the run: it forwards to the live incarnation.
      p.mem.onFrame((from, frame) => this.dispatch(p, 'frame', () => frame, from));
      p.mem.onPeerChange((peer, up) => this.dispatchPeer(p, peer, up));
      return p;
    });
  }

  now(): number {
    return this.vclock.now();
  }

  // --- process control -------------------------------------------------------------------------------

  /** Boots a validator from its disk (first boot: genesis). */
  async boot(i: number): Promise<void> {
    const p = this.procs[i]!;
    if (p.state !== 'down') return;
    const inc: Incarnation = { n: ++p.incarnations, frameHandlers: [], peerHandlers: [] };
    p.inc = inc;
    p.held = [];
    p.state = 'up';
    let v: Validator;
    try {
      v = new Validator({
        genesis: this.topo.genesis,
        seed: p.seed,
        store: p.store,
        scpState: p.scpState,
        transport: this.transportFor(p, inc),
        clock: this.clockFor(p, inc),
        log: (level, msg, data) => {
          if (level === 'error')
            this.errorLogs.push({
              node: p.id,
              atMs: this.now(),
              msg,
              ...(data && { data: JSON.stringify(data).slice(0, 300) }),
            });
        },
      });
      v.herder.onLedgerClosed((e) =>
        this.closes.push({ node: p.id, seq: e.seq, hash: hex(e.hash), atMs: this.now() }),
      );
      p.validator = v;
      await v.start();
    } catch (err) {
      this.recordException(p.id, 'boot', err);
      p.state = 'down';
      p.inc = null;
      p.validator = null;
    }
  }

  /** kill -9: the incarnation never runs again; the OS closes its connections; the disk stays. */
  kill(i: number): void {
    const p = this.procs[i]!;
    if (p.state === 'down') return;
    p.state = 'down';
    p.inc = null;
    p.validator = null;
    p.held = [];
    void p.mem.stop();
  }

  /** A clean shutdown (Validator.stop), as on SIGTERM. */
  async stop(i: number): Promise<void> {
    const p = this.procs[i]!;
    if (p.state === 'down') return;
    if (p.state === 'paused') this.resume(i);
    try {
      await p.validator?.stop();
    } catch (err) {
      this.recordException(p.id, 'stop', err);
    }
    this.kill(i);
  }

  pause(i: number): void {
    const p = this.procs[i]!;
    if (p.state === 'up') p.state = 'paused';
  }

  resume(i: number): void {
    const p = this.procs[i]!;
    if (p.state !== 'paused') return;
    p.state = 'up';
    const held = p.held;
    p.held = [];
    // SIGCONT: the overdue timers and the frames the kernel buffered run as soon as the process does.
    const inc = p.inc;
    this.vclock.schedule(0, () => {
      for (const work of held) {
        if (p.inc !== inc || p.state === 'down') return;
        if (p.state === 'paused') {
          p.held.push(work);
          continue;
        }
        work();
      }
    });
  }

  setSkew(i: number, ms: number): void {
    this.procs[i]!.skewMs = ms;
  }

  isUp(i: number): boolean {
    return this.procs[i]!.state === 'up';
  }

  stateOf(i: number): ProcState {
    return this.procs[i]!.state;
  }

  validator(i: number): Validator | null {
    const p = this.procs[i]!;
    return p.state === 'up' ? p.validator : null;
  }

  // --- links -----------------------------------------------------------------------------------------

  setCondition(a: NodeId, b: NodeId, c: LinkCondition): void {
    this.conditions.set(`${a}>${b}`, c);
    this.conditions.set(`${b}>${a}`, c);
  }

  clearConditions(): void {
    this.conditions.clear();
  }

  private schedule(d: PendingDelivery): void {
    const key = `${d.from}>${d.to}`;
    const c = this.conditions.get(key);
    const now = this.vclock.now();
    if (c && this.prng.chance(c.loss)) {
      this.stats.framesLost++;
      this.vclock.schedule(0, () => d.drop());
      return;
    }
    const delay = this.prng.int(this.baseDelay[0], this.baseDelay[1]) + (c?.extraDelayMs ?? 0);
    // A link is a TCP stream: frames arrive in the order they were sent.
    const at = Math.max(now + delay, this.lastArrival.get(key) ?? 0);
    this.lastArrival.set(key, at);
    this.vclock.scheduleAt(at, () => {
      this.stats.framesDelivered++;
      d.deliver();
    });
  }

  // --- per-incarnation clock and transport -------------------------------------------------------------

  private clockFor(p: Proc, inc: Incarnation): Clock {
    const vclock = this.vclock;
    return {
      nowMs: () => EPOCH_MS + vclock.now() + p.skewMs,
      schedule: (delayMs, cb) => {
        let cancelled = false;
        const h = vclock.schedule(Math.max(0, Number.isFinite(delayMs) ? delayMs : 0), () =>
          this.dispatch(p, 'timer', () => (cancelled ? null : cb), undefined, inc),
        );
        return () => {
          cancelled = true;
          vclock.cancel(h);
        };
      },
    };
  }

  private transportFor(p: Proc, inc: Incarnation): Transport {
    const mem = p.mem;
    return {
      localNodeId: mem.localNodeId,
      start: () => mem.start(),
      stop: () => mem.stop(),
      send: (peer, frame) => mem.send(peer, frame),
      broadcast: (frame, except) => mem.broadcast(frame, except),
      connectedPeers: () => mem.connectedPeers(),
      onFrame: (h) => {
        inc.frameHandlers.push(h);
      },
      onPeerChange: (h) => {
        inc.peerHandlers.push(h);
      },
      punish: (peer, reason, ms) => mem.punish(peer, reason, ms),
      stats: () => mem.stats(),
    };
  }

  /**
   * Runs work for a process: dropped when its incarnation is gone (killed), held while it is paused,
   * and any exception it throws is recorded (a real process would die of it).
   */
  private dispatch(
    p: Proc,
    what: 'frame' | 'timer',
    get: () => Frame | (() => void) | null,
    from?: string,
    inc?: Incarnation,
  ): void {
    const target = inc ?? p.inc;
    if (!target || p.inc !== target || p.state === 'down') return;
    const run = () => {
      if (p.inc !== target || p.state === 'down') return;
      const x = get();
      if (x === null) return;
      if (what === 'timer') this.guard(p.id, 'timer', x as () => void);
      else {
        const frame = x as Frame;
        for (const h of target.frameHandlers)
          this.guard(p.id, `frame type ${frame.type}`, () => h(from!, frame));
      }
    };
    if (p.state === 'paused') {
      this.stats.framesHeld++;
      p.held.push(run);
      return;
    }
    run();
  }

  private dispatchPeer(p: Proc, peer: string, up: boolean): void {
    const inc = p.inc;
    if (!inc || p.state === 'down') return;
    const run = () => {
      if (p.inc !== inc || p.state === 'down') return;
      for (const h of inc.peerHandlers) this.guard(p.id, 'peer change', () => h(peer, up));
    };
    if (p.state === 'paused') p.held.push(run);
    else run();
  }

  guard(node: string, where: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.recordException(node, where, err);
    }
  }

  private recordException(node: string, where: string, err: unknown): void {
    const e = err as Error;
    this.exceptions.push({
      node,
      where,
      atMs: this.now(),
      message: `${e?.name ?? 'Error'}: ${e?.message ?? String(err)}`.slice(0, 400),
    });
  }

  // --- Byzantine peer ----------------------------------------------------------------------------------

  /** Starts mallory: a peer the (open) memory overlay lets in, that overhears floods for later replay. */
  async startMallory(): Promise<void> {
    if (this.mallory) return;
    const m = this.hub.transport(MALLORY);
    m.onFrame((_from, frame) => {
      if (frame.type !== FrameType.scp && frame.type !== FrameType.tx && frame.type !== FrameType.txset)
        return;
      this.overheard.push(frame);
      if (this.overheard.length > 2000) this.overheard.splice(0, 1000);
    });
    await m.start();
    this.mallory = m;
  }

  /** Raw bytes written on the link from `from` (mallory or a validator whose key was stolen) to `to`. */
  inject(from: string, to: NodeId, body: Uint8Array): void {
    this.stats.malloryFrames++;
    // The receiver runs as on a frame arrival: not while paused, not when dead.
    const p = this.procs.find((x) => x.id === to)!;
    if (p.state !== 'up') return;
    this.guard(to, 'injected frame', () => this.hub.injectRaw(from, to, body));
  }

  injectFrame(from: string, to: NodeId, frame: Frame): void {
    this.inject(from, to, encodeFrame(frame));
  }

  // --- observations ------------------------------------------------------------------------------------

  lastClosed(i: number): number {
    return this.procs[i]!.store.lastClosed()?.sequence ?? -1;
  }

  /** Header hashes of every stored ledger of validator i, by sequence. */
  chain(i: number): string[] {
    const store = this.procs[i]!.store;
    const top = store.lastClosed()?.sequence ?? -1;
    const out: string[] = [];
    for (let s = 0; s <= top; s++) {
      const h = store.getHeader(s);
      out.push(h ? hex(headerHash(h)) : '');
    }
    return out;
  }

  storedTx(i: number, hash: string): { ledger: number; code: string } | null {
    const t = this.procs[i]!.store.getTx(Buffer.from(hash, 'hex'));
    return t ? { ledger: t.ledgerSeq, code: t.result.code } : null;
  }

  /** Lets promise callbacks (transport start/stop) run. */
  static settle(): Promise<void> {
    return new Promise((r) => setImmediate(r));
  }
}
