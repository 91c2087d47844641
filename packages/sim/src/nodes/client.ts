// The client workload: accounts that each keep one signed transaction in flight, submitted through
// Validator.submitTransaction to a random live validator, polled until some validator reports it
// applied (the acknowledgment the durability checker holds the network to), resubmitted elsewhere when
// it lingers (its validator may have crashed before flooding it).
import { encodeEnvelope, signTransaction, type Transaction } from '@qm/ledger';
import type { Prng } from '../prng.js';
import type { NodeNet } from './harness.js';
import { suite } from './topologies.js';

export interface Ack {
  readonly hash: string;
  readonly account: number;
  readonly seq: number;
  /** The validator that reported it applied, the ledger it named, and its status there. */
  readonly node: string;
  readonly ledger: number;
  readonly status: 'committed' | 'failed';
  readonly atMs: number;
}

export interface ClientStats {
  submissions: number;
  accepted: number;
  rejected: Record<string, number>;
  resubmissions: number;
}

const RESUBMIT_AFTER_MS = 4000;

interface Pending {
  readonly hash: string;
  readonly bytes: Uint8Array;
  readonly seq: bigint;
  lastTryMs: number;
  lastNode: number;
}

export class Client {
  readonly acks: Ack[] = [];
  readonly stats: ClientStats = { submissions: 0, accepted: 0, rejected: {}, resubmissions: 0 };
  private readonly nextSeq: bigint[];
  private readonly pending: (Pending | null)[];
  private counter = 0;
  private running = false;

  constructor(
    private readonly net: NodeNet,
    private readonly prng: Prng,
    private readonly tag: number,
  ) {
    this.nextSeq = net.topo.clients.map(() => 1n);
    this.pending = net.topo.clients.map(() => null);
  }

  start(): void {
    this.running = true;
    this.tick();
    this.poll();
  }

  stop(): void {
    this.running = false;
  }

  private liveNodes(): number[] {
    return this.net.procs.map((_, i) => i).filter((i) => this.net.isUp(i));
  }

  private tick(): void {
    if (!this.running) return;
    const free = this.pending.flatMap((p, i) => (p === null ? [i] : []));
    const live = this.liveNodes();
    if (free.length > 0 && live.length > 0) {
      const a = this.prng.pick(free);
      const node = this.prng.pick(live);
      const bytes = this.build(a);
      const env = { hash: '', bytes, seq: this.nextSeq[a]! };
      this.submit(a, node, { ...env, lastTryMs: 0, lastNode: node }, false);
    }
    this.net.vclock.schedule(this.prng.int(150, 600), () => this.tick());
  }

  private build(a: number): Uint8Array {
    const key = this.net.topo.clients[a]!;
    const n = this.counter++;
    const niin = String((this.tag * 1000 + n) % 10_000_000).padStart(7, '0');
    const body: Transaction = {
      networkId: this.net.networkId,
      source: key.publicKey,
      seq: this.nextSeq[a]!,
      timeBounds: { minTime: 0, maxTime: 0 },
      operations: [
        {
          type: 'defineItemClass',
          nsn: `${2800 + a}01${niin}`,
          nomenclature: `NEMESIS PART ${n}`,
          unitOfIssue: 'EA',
          tracking: prng2(n) ? 'serialized' : 'bulk',
        },
      ],
    };
    return encodeEnvelope({ ...body, signatures: [signTransaction(body, suite, key.privateKey)] });
  }

  private submit(a: number, node: number, p: Pending, resubmission: boolean): void {
    const v = this.net.validator(node);
    if (!v) return;
    this.stats.submissions++;
    if (resubmission) this.stats.resubmissions++;
    let r: { ok: boolean; hash?: string; code?: string } = { ok: false, code: 'THREW' };
    this.net.guard(v.nodeId, 'submitTransaction', () => {
      r = v.submitTransaction(p.bytes);
    });
    p.lastTryMs = this.net.now();
    p.lastNode = node;
    if (r.ok) {
      this.stats.accepted++;
      if (!resubmission) this.pending[a] = { ...p, hash: r.hash! };
    } else {
      this.stats.rejected[r.code ?? '?'] = (this.stats.rejected[r.code ?? '?'] ?? 0) + 1;
    }
  }

  private poll(): void {
    if (!this.running) return;
    const live = this.liveNodes();
    for (let a = 0; a < this.pending.length && live.length > 0; a++) {
      const p = this.pending[a];
      if (!p) continue;
      const node = this.prng.pick(live);
      const v = this.net.validator(node)!;
      let status: { status?: string; ledger?: number } | null = null;
      this.net.guard(v.nodeId, 'transaction', () => {
        status = v.transaction(p.hash) as typeof status;
      });
      const s = status as { status?: string; ledger?: number } | null;
      if (s && (s.status === 'committed' || s.status === 'failed')) {
        this.acks.push({
          hash: p.hash,
          account: a,
          seq: Number(p.seq),
          node: v.nodeId,
          ledger: s.ledger!,
          status: s.status,
          atMs: this.net.now(),
        });
        this.nextSeq[a] = p.seq + 1n;
        this.pending[a] = null;
      } else if (this.net.now() - p.lastTryMs > RESUBMIT_AFTER_MS) {
        const others = live.filter((i) => i !== p.lastNode);
        this.submit(a, others.length > 0 ? this.prng.pick(others) : node, p, true);
      }
    }
    this.net.vclock.schedule(400, () => this.poll());
  }
}

const prng2 = (n: number) => (Math.imul(n, 0x9e3779b1) >>> 0) % 2 === 0;
