import type { OverlayClock } from '../../src/overlay/index.js';

/** A clock tests step by hand; timers fire in time order when advanced past them. */
export class ManualClock implements OverlayClock {
  private nowMs = 1_000_000;
  private timers: { atMs: number; fn: () => void; cancelled: boolean }[] = [];

  now(): number {
    return this.nowMs;
  }

  setTimer(ms: number, fn: () => void): () => void {
    const t = { atMs: this.nowMs + ms, fn, cancelled: false };
    this.timers.push(t);
    return () => {
      t.cancelled = true;
    };
  }

  advance(ms: number): void {
    const target = this.nowMs + ms;
    for (;;) {
      const due = this.timers.filter((t) => !t.cancelled && t.atMs <= target).sort((a, b) => a.atMs - b.atMs);
      const next = due[0];
      if (!next) break;
      this.nowMs = next.atMs;
      next.cancelled = true;
      next.fn();
    }
    this.timers = this.timers.filter((t) => !t.cancelled);
    this.nowMs = target;
  }
}

/** Polls `condition` until true; fails with `what` after `timeoutMs`. No timing is asserted. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);
