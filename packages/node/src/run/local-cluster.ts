// Validators as separate processes on 127.0.0.1, from a network directory written by `qm network init`:
// what `qm devnet` runs and what the multi-process tests drive (start, stop, kill -9, restart).
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { networkIdOf } from '@qm/ledger';
import {
  createNetwork,
  genesisDescription,
  loadGenesis,
  readSecretKey,
  writeNetwork,
} from '../config/index.js';
import type { Actors } from '../workload/index.js';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export interface ClusterOptions {
  readonly validators?: number;
  readonly organizations?: number;
  readonly basePort?: number;
  readonly host?: string;
  /** Deterministic keys (tests); omit for fresh random keys. */
  readonly seed?: Uint8Array;
  readonly name?: string;
  /** Members per demo role and organization (transaction sources for a heavy load). */
  readonly membersPerRole?: number;
}

export interface ClusterNode {
  readonly name: string;
  readonly configPath: string;
  readonly httpUrl: string;
  readonly logPath: string;
  child: ChildProcess | null;
}

export class LocalCluster {
  readonly nodes: ClusterNode[];

  private constructor(
    readonly dir: string,
    nodes: ClusterNode[],
  ) {
    this.nodes = nodes;
  }

  /** Opens the network in `dir`, creating it first when the directory holds none. */
  static open(dir: string, opts: ClusterOptions = {}): LocalCluster {
    const genesisPath = join(dir, 'genesis.json');
    if (!existsSync(genesisPath)) {
      const network = createNetwork({
        name: opts.name ?? 'qm-devnet',
        suite: 'ed25519',
        validators: opts.validators ?? 4,
        organizations: opts.organizations ?? 4,
        basePort: opts.basePort ?? 11_620,
        host: opts.host ?? '127.0.0.1',
        ...(opts.seed && { seed: opts.seed }),
        ...(opts.membersPerRole !== undefined && { membersPerRole: opts.membersPerRole }),
      });
      writeNetwork(dir, network);
    }
    const genesis = loadGenesis(genesisPath);
    const nodes = genesis.validators.map((v) => ({
      name: v.name,
      configPath: join(dir, v.name, 'config.json'),
      httpUrl: `http://${v.http.host}:${v.http.port}`,
      logPath: join(dir, v.name, 'node.log'),
      child: null,
    }));
    return new LocalCluster(dir, nodes);
  }

  /** Starts validator i as a child process; its output goes to its node.log. */
  start(i: number): ClusterNode {
    const node = this.nodes[i]!;
    if (node.child) return node;
    mkdirSync(join(this.dir, node.name), { recursive: true });
    const out = createWriteStream(node.logPath, { flags: 'a' });
    // QM_NODE_ARGS: extra Node.js flags for the validator processes (e.g. "--cpu-prof --cpu-prof-dir=DIR").
    const extra = (process.env.QM_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
    const child = spawn(process.execPath, [...extra, '--import', 'tsx', MAIN, node.configPath], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.pipe(out);
    child.stderr!.pipe(out);
    child.once('exit', () => {
      if (node.child === child) node.child = null;
    });
    node.child = child;
    return node;
  }

  /** Stops validator i: SIGTERM (a clean shutdown) or SIGKILL (a crash); resolves when it has exited. */
  stop(i: number, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const child = this.nodes[i]!.child;
    if (!child) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.nodes.map((_, i) => this.stop(i)));
  }

  /** GET a path of validator i's API as JSON (null when it does not answer). */
  async get<T = unknown>(i: number, path: string): Promise<T | null> {
    try {
      const res = await fetch(`${this.nodes[i]!.httpUrl}${path}`, { signal: AbortSignal.timeout(2000) });
      return res.ok ? ((await res.json()) as T) : null;
    } catch {
      return null;
    }
  }

  /** Waits until `check` holds, polling every 200 ms; throws after `timeoutMs`. */
  async waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
  }

  /** The network's organizations and members with their keys (from members/*.key), for the demo workload. */
  actors(): Actors {
    const genesis = loadGenesis(join(this.dir, 'genesis.json'));
    return {
      networkId: networkIdOf(genesisDescription(genesis)),
      suite: genesis.suite,
      organizations: genesis.organizations.map((o) => ({ code: o.code, name: o.name })),
      members: genesis.members.map((m) => {
        const name = m.name ?? m.id;
        return {
          name,
          org: m.org,
          roles: m.roles,
          seed: readSecretKey(join(this.dir, 'members', `${name}.key`)),
        };
      }),
    };
  }

  async ledgerOf(i: number): Promise<number | null> {
    const s = await this.get<{ ledger: { seq: number } }>(i, '/v1/status');
    return s?.ledger.seq ?? null;
  }
}
