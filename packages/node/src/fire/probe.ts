/** Small reads of the live cluster that the nemesis and the final collection share. */
import { existsSync, readFileSync } from 'node:fs';
import type { LocalCluster } from '../run/local-cluster.js';

export interface QuorumView {
  stuck: boolean;
  members: { node: string; status: string }[];
}
export interface StatusView {
  nodeId: string;
  state: string;
  ledger: { seq: number; hash: string };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export const heightsOf = (c: LocalCluster, nodes: readonly number[]): Promise<(number | null)[]> =>
  Promise.all(nodes.map((i) => c.ledgerOf(i)));

export const missingOf = (q: QuorumView | null): string[] =>
  (q?.members ?? []).filter((m) => m.status === 'missing').map((m) => m.node);

/** Polls `check` every `everyMs` until it holds; resolves with the ms it took, or null after `timeoutMs`. */
export async function pollUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  everyMs = 250,
): Promise<number | null> {
  const t0 = performance.now();
  for (;;) {
    if (await check()) return Math.round(performance.now() - t0);
    if (performance.now() - t0 > timeoutMs) return null;
    await sleep(everyMs);
  }
}

/** Runs `f` over `xs` with at most `n` at once (the final read-back must not flood 2 shared cores). */
export async function mapLimit<T, R>(xs: readonly T[], n: number, f: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(xs.length);
  let next = 0;
  const worker = async () => {
    while (next < xs.length) {
      const i = next++;
      out[i] = await f(xs[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, xs.length) }, worker));
  return out;
}

/** Did the validator's last start fail on a port in use (see watchExits)? */
export function portTaken(logPath: string): boolean {
  if (!existsSync(logPath)) return false;
  const text = readFileSync(logPath, 'utf8');
  const tail = text.slice(-2000).trimEnd().split('\n').at(-1) ?? '';
  return /^error EADDRINUSE\b/.test(tail);
}
