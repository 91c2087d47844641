/** Reads the validators' final views (ledger hashes, acknowledged transactions) into the history. */
import type { LocalCluster } from '../run/local-cluster.js';
import { acknowledged, type FinalViews, type History } from './history.js';
import { mapLimit } from './probe.js';

async function ledgerHashes(c: LocalCluster, i: number): Promise<Record<string, string>> {
  const top = (await c.ledgerOf(i)) ?? 0;
  const out: Record<string, string> = {};
  for (let from = 1; from <= top; from += 200) {
    const page = await c.get<{ sequence: number; hash: string }[]>(i, `/v1/ledgers?from=${from}&limit=200`);
    for (const l of page ?? []) if (l.sequence <= top) out[l.sequence] = l.hash;
  }
  return out;
}

export async function collectFinalViews(c: LocalCluster, h: History): Promise<FinalViews> {
  const nodes = c.nodes.map((_, i) => i);
  const hashes = acknowledged(h).map((t) => t.hash);
  const ledgers = await Promise.all(nodes.map((i) => ledgerHashes(c, i)));
  const txs = await Promise.all(
    nodes.map(async (i) => {
      const seen = await mapLimit(hashes, 4, (hash) =>
        c.get<{ status: string; ledger?: number }>(i, `/v1/transactions/${hash}`),
      );
      return Object.fromEntries(
        hashes.map((hash, k) => {
          const s = seen[k];
          return [hash, s ? { status: s.status, ledger: s.ledger ?? null } : null];
        }),
      );
    }),
  );
  return { ledgers, txs };
}
