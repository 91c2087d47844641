import { SimError } from './errors.js';

/** A scheduled callback; `cancelled` lets a cancel be O(1) (the heap drops it lazily when it surfaces). */
export interface TimerHandle {
  readonly atMs: number;
  readonly seq: number;
  cancelled: boolean;
}

interface Entry extends TimerHandle {
  readonly fire: () => void;
}

/**
 * Virtual time: a binary min-heap of events ordered by (time, insertion sequence). Ties fire in the
 * order they were scheduled, so a run is a pure function of its seed. Nothing here reads a real clock.
 */
export class VirtualClock {
  private readonly heap: Entry[] = [];
  private seq = 0;
  private nowMs = 0;
  private fired = 0;

  now(): number {
    return this.nowMs;
  }

  /** Number of events fired so far (a cheap progress and runaway measure). */
  firedCount(): number {
    return this.fired;
  }

  pending(): number {
    return this.heap.length;
  }

  /** Runs `fire` at now + delayMs. */
  schedule(delayMs: number, fire: () => void): TimerHandle {
    if (!Number.isFinite(delayMs) || delayMs < 0) {
      throw new SimError('BAD_TIME', 'delay must be a finite non-negative number', { delayMs });
    }
    return this.scheduleAt(this.nowMs + delayMs, fire);
  }

  scheduleAt(atMs: number, fire: () => void): TimerHandle {
    if (!Number.isFinite(atMs) || atMs < this.nowMs) {
      throw new SimError('BAD_TIME', 'cannot schedule in the past', { atMs, nowMs: this.nowMs });
    }
    const entry: Entry = { atMs, seq: this.seq++, cancelled: false, fire };
    this.push(entry);
    return entry;
  }

  cancel(handle: TimerHandle | null | undefined): void {
    if (handle) handle.cancelled = true;
  }

  /** Time of the next live event, or null when none is pending. */
  peekTime(): number | null {
    this.dropCancelled();
    return this.heap.length > 0 ? this.heap[0]!.atMs : null;
  }

  /** Fires the next live event; false when none is pending. */
  step(): boolean {
    this.dropCancelled();
    const entry = this.pop();
    if (!entry) return false;
    this.nowMs = entry.atMs;
    this.fired++;
    entry.fire();
    return true;
  }

  /**
   * Fires events in order until `stop()` says so (checked after each event), the next event lies past
   * `untilMs`, or none is left. The clock then stands at `untilMs` if the queue ran past or dry before it.
   */
  runUntil(untilMs: number, stop: () => boolean = () => false): void {
    for (;;) {
      if (stop()) return;
      const next = this.peekTime();
      if (next === null || next > untilMs) break;
      this.step();
    }
    if (untilMs > this.nowMs && Number.isFinite(untilMs)) this.nowMs = untilMs;
  }

  private dropCancelled(): void {
    while (this.heap.length > 0 && this.heap[0]!.cancelled) this.pop();
  }

  private less(a: Entry, b: Entry): boolean {
    return a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
  }

  private push(entry: Entry): void {
    const h = this.heap;
    h.push(entry);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  private pop(): Entry | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}
