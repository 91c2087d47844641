import { type Frame, FrameType, frameSize } from './frame.js';

/**
 * What a full queue does with one more frame of a type:
 * - drop-newest: refuse the new frame (the sender learns it through send() returning false). For
 *   requests and answers the requester retries, and for transactions backpressure is the point.
 * - drop-oldest: evict the oldest queued frame of the same type and keep the new one. For SCP and status,
 *   where a newer message makes an older one less useful.
 */
export type DropPolicy = 'drop-newest' | 'drop-oldest';

/** One entry per frame type: adding a FrameType without a policy is a compile error. */
export const DROP_POLICY: Readonly<Record<FrameType, DropPolicy>> = {
  [FrameType.scp]: 'drop-oldest',
  [FrameType.tx]: 'drop-newest',
  [FrameType.txsetRequest]: 'drop-newest',
  [FrameType.txset]: 'drop-newest',
  [FrameType.ledgerRequest]: 'drop-newest',
  [FrameType.ledger]: 'drop-newest',
  [FrameType.statusRequest]: 'drop-newest',
  [FrameType.status]: 'drop-oldest',
};

/**
 * Frames each type may have queued to one peer. Separate queues per type, so a burst of transactions can
 * never push an SCP envelope out. Sized for ~1 s of a busy network at the targets of issue 4.
 */
export const DEFAULT_QUEUE_CAPACITY: Readonly<Record<FrameType, number>> = {
  [FrameType.scp]: 1_000,
  [FrameType.tx]: 10_000,
  [FrameType.txsetRequest]: 64,
  [FrameType.txset]: 16,
  [FrameType.ledgerRequest]: 64,
  [FrameType.ledger]: 1_024,
  [FrameType.statusRequest]: 8,
  [FrameType.status]: 8,
};

/** Bytes queued to one peer across all types (large tx sets and ledgers are bounded by this). */
export const DEFAULT_MAX_QUEUED_BYTES = 32 * 1024 * 1024;

/**
 * Order in which queued frames leave: tx sets, then consensus (a late SCP message can stall a slot), then
 * what unblocks consensus (status, tx set fetches), catch-up, and transactions last. A tx set goes before
 * the SCP statements queued with it because a statement naming a tx set the peer lacks is held there and
 * makes it ask for the (large) tx set again.
 */
export const DRAIN_PRIORITY: readonly FrameType[] = [
  FrameType.txset,
  FrameType.scp,
  FrameType.statusRequest,
  FrameType.status,
  FrameType.txsetRequest,
  FrameType.ledgerRequest,
  FrameType.ledger,
  FrameType.tx,
];

export interface QueueLimits {
  readonly capacity: Readonly<Record<FrameType, number>>;
  readonly maxQueuedBytes: number;
}

export const DEFAULT_QUEUE_LIMITS: QueueLimits = {
  capacity: DEFAULT_QUEUE_CAPACITY,
  maxQueuedBytes: DEFAULT_MAX_QUEUED_BYTES,
};

export interface PushResult {
  /** Whether the new frame is now queued. */
  readonly accepted: boolean;
  /** Older frames evicted to make room (drop-oldest). */
  readonly evicted: number;
}

/** A FIFO with O(1) amortized shift (Array.shift is O(n)). */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;
  get length(): number {
    return this.items.length - this.head;
  }
  push(item: T): void {
    this.items.push(item);
  }
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head]!;
    this.head++;
    // Compact once the dead prefix dominates, keeping memory proportional to what is queued.
    if (this.head > 64 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
  clear(): void {
    this.items = [];
    this.head = 0;
  }
}

/** One peer's bounded outbound queue: a FIFO per frame type, drained in DRAIN_PRIORITY order. */
export class OutboundQueue {
  private readonly queues = new Map<FrameType, Fifo<Frame>>();
  private queuedBytes = 0;
  private queuedFrames = 0;

  constructor(private readonly limits: QueueLimits = DEFAULT_QUEUE_LIMITS) {
    for (const type of DRAIN_PRIORITY) this.queues.set(type, new Fifo());
  }

  get length(): number {
    return this.queuedFrames;
  }

  get bytes(): number {
    return this.queuedBytes;
  }

  push(frame: Frame): PushResult {
    const fifo = this.queues.get(frame.type)!;
    const size = frameSize(frame);
    const capacity = this.limits.capacity[frame.type];
    const policy = DROP_POLICY[frame.type];
    let evicted = 0;
    const fits = () => fifo.length < capacity && this.queuedBytes + size <= this.limits.maxQueuedBytes;
    while (!fits()) {
      // Only evict within the same type: another type's frames are never sacrificed for this one.
      if (policy !== 'drop-oldest' || fifo.length === 0) return { accepted: false, evicted };
      const old = fifo.shift()!;
      this.queuedBytes -= frameSize(old);
      this.queuedFrames--;
      evicted++;
    }
    fifo.push(frame);
    this.queuedBytes += size;
    this.queuedFrames++;
    return { accepted: true, evicted };
  }

  /** The next frame to send, highest priority type first; undefined when empty. */
  shift(): Frame | undefined {
    if (this.queuedFrames === 0) return undefined;
    for (const type of DRAIN_PRIORITY) {
      const frame = this.queues.get(type)!.shift();
      if (frame) {
        this.queuedBytes -= frameSize(frame);
        this.queuedFrames--;
        return frame;
      }
    }
    return undefined;
  }

  /** Empties the queue; returns how many frames were discarded. */
  clear(): number {
    const n = this.queuedFrames;
    for (const fifo of this.queues.values()) fifo.clear();
    this.queuedBytes = 0;
    this.queuedFrames = 0;
    return n;
  }
}
