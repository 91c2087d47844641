/**
 * The network between the fire harness's validators: one LinkProxy per ordered pair (validator i dials
 * validator j at proxy i->j, through the `peerAddresses` field of i's node config), so the nemesis can cut
 * or slow each direction of each link; and the quorum analyzer's prediction of who can still close
 * ledgers over what is left of the network.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFbas, QuorumEngine, type RawQuorumSet, whatIf } from '@qm/fbas';
import type { QuorumSet } from '@qm/scp';
import { type Genesis, loadGenesis, quorumSetOf } from '../config/index.js';
import type { Endpoint } from '../config/reader.js';
import type { LocalCluster } from '../run/local-cluster.js';
import { LinkProxy } from './link-proxy.js';

/** An undirected link between two validators (both directions are cut or slowed together). */
export type Link = readonly [number, number];

/**
 * The proxy port of i -> j: inside validator i's block of 10 ports (p2p, http, admin take the first 3),
 * so it stays in the run's port range and never collides with another validator's listeners.
 */
export const proxyPort = (p2pPortOfI: number, j: number): number => p2pPortOfI + 3 + j;

/** Edits validator i's node config in place (the next start of the process reads it). */
export function editNodeConfig(
  c: LocalCluster,
  i: number,
  edit: (config: Record<string, unknown>) => void,
): void {
  const path = c.nodes[i]!.configPath;
  const config = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  edit(config);
  writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`);
}

/**
 * A proxy on its planned port, or on any free port when that one is held: the run's ports lie inside the
 * kernel's ephemeral range, so an outbound socket can hold it (the config is written after, with the
 * port actually bound, so nothing else needs to know).
 */
async function startProxy(port: number, target: Endpoint): Promise<LinkProxy> {
  try {
    return await LinkProxy.start({ host: '127.0.0.1', port }, target);
  } catch (e) {
    if ((e as { code?: string }).code !== 'EADDRINUSE') throw e;
    return LinkProxy.start({ host: '127.0.0.1', port: 0 }, target);
  }
}

export class ClusterLinks {
  private constructor(
    /** proxies[i][j]: what i says to j; null on the diagonal. */
    readonly proxies: (LinkProxy | null)[][],
  ) {}

  /**
   * Starts the 12 proxies of a 4-validator cluster (n(n-1) in general) and points every validator's
   * config at them. Call before the validators start.
   */
  static async open(c: LocalCluster): Promise<ClusterLinks> {
    const genesis = loadGenesis(join(c.dir, 'genesis.json'));
    const vs = genesis.validators;
    const proxies: (LinkProxy | null)[][] = [];
    try {
      for (let i = 0; i < vs.length; i++) {
        const row: (LinkProxy | null)[] = [];
        proxies.push(row);
        for (let j = 0; j < vs.length; j++) {
          const target: Endpoint = { host: vs[j]!.p2p.host, port: vs[j]!.p2p.port };
          row.push(i === j ? null : await startProxy(proxyPort(vs[i]!.p2p.port, j), target));
        }
      }
    } catch (e) {
      await Promise.all(proxies.flat().map((p) => p?.close()));
      throw e;
    }
    for (let i = 0; i < vs.length; i++) {
      editNodeConfig(c, i, (config) => {
        config.peerAddresses = Object.fromEntries(
          vs.flatMap((v, j) =>
            i === j ? [] : [[v.name, { host: '127.0.0.1', port: proxies[i]![j]!.port }]],
          ),
        );
      });
    }
    return new ClusterLinks(proxies);
  }

  get size(): number {
    return this.proxies.length;
  }

  #both(link: Link): LinkProxy[] {
    const [a, b] = link;
    return [this.proxies[a]![b]!, this.proxies[b]![a]!];
  }

  /** Cuts both directions of each link. */
  cut(links: readonly Link[]): void {
    for (const l of links) for (const p of this.#both(l)) p.cut();
  }

  /** Delays both directions of each link by `delayMs`. */
  slow(links: readonly Link[], delayMs: number): void {
    for (const l of links) for (const p of this.#both(l)) p.slow(delayMs);
  }

  /** Every link open and fast again. */
  heal(): void {
    for (const p of this.proxies.flat()) p?.heal();
  }

  async close(): Promise<void> {
    await Promise.all(this.proxies.flat().map((p) => p?.close()));
  }
}

/** Every link between two different groups (a partition cuts exactly these). */
export function linksBetween(groups: readonly (readonly number[])[]): Link[] {
  const out: Link[] = [];
  for (let g = 0; g < groups.length; g++)
    for (let h = g + 1; h < groups.length; h++)
      for (const a of groups[g]!) for (const b of groups[h]!) out.push(a < b ? [a, b] : [b, a]);
  return out;
}

/** All links of validator i among n validators. */
export function linksOf(i: number, n: number): Link[] {
  return Array.from({ length: n }, (_, j) => j)
    .filter((j) => j !== i)
    .map((j): Link => (i < j ? [i, j] : [j, i]));
}

/**
 * The validators that can talk to each other once `cut` links are gone, as connected components.
 * SCP envelopes are flooded on (overlay/flooder.ts), so a path of open links is enough: a validator
 * reachable only through a bridge still hears everyone.
 */
export function components(n: number, cut: readonly Link[]): number[][] {
  const isCut = new Set(cut.map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`));
  const seen = new Array<boolean>(n).fill(false);
  const out: number[][] = [];
  for (let s = 0; s < n; s++) {
    if (seen[s]) continue;
    const comp: number[] = [];
    const stack = [s];
    seen[s] = true;
    while (stack.length > 0) {
      const v = stack.pop()!;
      comp.push(v);
      for (let w = 0; w < n; w++) {
        if (!seen[w] && w !== v && !isCut.has(`${Math.min(v, w)}-${Math.max(v, w)}`)) {
          seen[w] = true;
          stack.push(w);
        }
      }
    }
    out.push(comp.sort((a, b) => a - b));
  }
  return out;
}

export interface Prediction {
  /** Validators the analyzer says keep closing ledgers. */
  live: number[];
  /** Validators the analyzer says must halt. */
  halted: number[];
  /** Per validator: the connected component it is in (what it can still hear). */
  componentOf: number[][];
}

const toRaw = (q: QuorumSet): RawQuorumSet => ({
  threshold: q.threshold,
  validators: [...q.validators],
  innerSets: q.innerSets.map(toRaw),
});

/**
 * Who can make progress with these links cut, from packages/fbas: for each connected component, every
 * validator outside it is as good as down (what-if analysis), and the component's validators that still
 * have a quorum inside it are live; the rest halt. A validator is live iff it is live in its component.
 */
export function predictPartition(genesis: Genesis, cut: readonly Link[]): Prediction {
  const vs = genesis.validators;
  const fbas = buildFbas(
    vs.map((v) => ({ id: v.nodeId, name: v.name, quorumSet: toRaw(quorumSetOf(genesis, v.nodeId)) })),
  );
  const engine = new QuorumEngine(fbas);
  const idx = vs.map((v) => fbas.index.get(v.nodeId)!);
  const comps = components(vs.length, cut);
  const componentOf: number[][] = new Array(vs.length);
  const live: number[] = [];
  for (const comp of comps) {
    for (const v of comp) componentOf[v] = comp;
    const down = vs.map((_, i) => i).filter((i) => !comp.includes(i));
    const r = whatIf(engine, { down: down.map((i) => idx[i]!), byzantine: [] });
    for (const v of comp) if (r.live.includes(idx[v]!)) live.push(v);
  }
  live.sort((a, b) => a - b);
  return { live, halted: vs.map((_, i) => i).filter((i) => !live.includes(i)), componentOf };
}
