/**
 * Puts the demo data on a live network: each seed phase is posted and must commit before the next,
 * because transactions of different sources in one ledger may apply in any order.
 */
import { decodeEnvelope, txHash } from '@qm/ledger';
import type { TxOutcome } from './demo-workload.js';

export interface SeedSource {
  seedPhases(): Uint8Array[][];
  noteResult?(hash: string, outcome: TxOutcome, result?: unknown): void;
}

export interface SeedNetworkOptions {
  urls: readonly string[];
  workload: SeedSource;
  /** Per phase (default 60 s). */
  timeoutMs?: number;
  pollIntervalMs?: number;
}

export interface SeedReport {
  submitted: number;
  committed: number;
  failed: number;
  /** Rejected at submit (by code), or never committed in time (TIMEOUT). */
  rejectedByCode: Record<string, number>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function seedNetwork(opts: SeedNetworkOptions): Promise<SeedReport> {
  const urls = opts.urls.map((u) => u.replace(/\/+$/, ''));
  if (urls.length === 0) throw new RangeError('seedNetwork needs at least one validator URL');
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const pollMs = opts.pollIntervalMs ?? 250;
  const report: SeedReport = { submitted: 0, committed: 0, failed: 0, rejectedByCode: {} };
  const reject = (hash: string, code: string, body?: unknown) => {
    report.rejectedByCode[code] = (report.rejectedByCode[code] ?? 0) + 1;
    opts.workload.noteResult?.(hash, 'rejected', body);
  };
  for (const phase of opts.workload.seedPhases()) {
    const waiting = new Set<string>();
    for (const bytes of phase) {
      const hash = Buffer.from(txHash(decodeEnvelope(bytes))).toString('hex');
      report.submitted++;
      try {
        const res = await fetch(`${urls[0]}/v1/transactions`, {
          method: 'POST',
          headers: { 'content-type': 'application/octet-stream' },
          body: bytes,
        });
        const body = (await res.json().catch(() => ({}))) as { code?: string };
        if (res.status === 202) waiting.add(hash);
        else reject(hash, body.code ?? `HTTP_${res.status}`, body);
      } catch {
        reject(hash, 'NETWORK_ERROR');
      }
    }
    const deadline = Date.now() + timeoutMs;
    while (waiting.size > 0 && Date.now() < deadline) {
      await sleep(pollMs);
      for (const hash of [...waiting]) {
        const res = await fetch(`${urls[0]}/v1/transactions/${hash}`).catch(() => undefined);
        if (!res?.ok) {
          await res?.arrayBuffer();
          continue;
        }
        const body = (await res.json()) as { status?: string; result?: unknown };
        if (body.status !== 'committed' && body.status !== 'failed') continue;
        waiting.delete(hash);
        if (body.status === 'committed') report.committed++;
        else report.failed++;
        opts.workload.noteResult?.(hash, body.status === 'committed' ? 'success' : 'failed', body.result);
      }
    }
    for (const hash of waiting) reject(hash, 'TIMEOUT');
  }
  return report;
}
