// Time is injected (DESIGN.md principle 2): the node runs on the system clock, tests and the simulator
// on a manual or virtual one.

/** Cancels a scheduled callback; calling it twice is harmless. */
export type Cancel = () => void;

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  nowMs(): number;
  schedule(delayMs: number, cb: () => void): Cancel;
}

export const systemClock: Clock = {
  nowMs: () => Date.now(),
  schedule(delayMs, cb) {
    const t = setTimeout(cb, Math.max(0, delayMs));
    t.unref?.();
    return () => clearTimeout(t);
  },
};

/** A clock that moves only when told to; timers fire in time order, ties in scheduling order. */
export class ManualClock implements Clock {
  private now: number;
  private seq = 0;
  private readonly pending = new Map<number, { at: number; cb: () => void }>();

  constructor(startMs = 1_700_000_000_000) {
    this.now = startMs;
  }

  nowMs(): number {
    return this.now;
  }

  schedule(delayMs: number, cb: () => void): Cancel {
    const id = this.seq++;
    this.pending.set(id, { at: this.now + Math.max(0, delayMs), cb });
    return () => this.pending.delete(id);
  }

  /** Advances time by `ms`, firing every timer that falls due (including ones scheduled meanwhile). */
  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      let nextId = -1;
      let nextAt = Number.POSITIVE_INFINITY;
      for (const [id, t] of this.pending) {
        if (t.at < nextAt || (t.at === nextAt && id < nextId)) {
          nextAt = t.at;
          nextId = id;
        }
      }
      if (nextId < 0 || nextAt > until) break;
      const t = this.pending.get(nextId)!;
      this.pending.delete(nextId);
      this.now = Math.max(this.now, t.at);
      t.cb();
    }
    this.now = until;
  }
}
