import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { register as registerNetworkCommands } from '../../src/commands/network.js';
import { registerQuorumCommands } from '../../src/commands/quorum.js';
import { registerStatusCommands } from '../../src/commands/status.js';
import { runCommands } from './harness.js';

const run = (argv: string[]) =>
  runCommands([registerQuorumCommands, registerNetworkCommands, registerStatusCommands], argv);

const N = (i: number) => `N${String(i).repeat(55)}`;
const names = ['alpha-1', 'bravo-2', 'charlie-3', 'delta-4'];

const network = {
  self: N(1),
  validators: names.map((name, i) => ({
    nodeId: N(i + 1),
    name,
    org: `org-${i + 1}`,
    http: `http://127.0.0.1:${11621 + 10 * i}`,
    quorumSet: { threshold: 3, validators: [N(1), N(2), N(3), N(4)], innerSets: [] },
  })),
  analysis: {
    intersects: true,
    topTier: 'unknown',
    minimalBlockingSets: { status: 'done', count: 6, smallest: 2, sets: [[N(1), N(2)]] },
    minimalSplittingSets: { status: 'done', count: 4, smallest: 2, sets: [[N(1), N(2)]] },
    byOrganization: null,
    criticalOrganizations: { status: 'done', critical: [] },
  },
};

function status(state: 'synced' | 'stuck') {
  return {
    nodeId: N(1),
    network: { name: 'devnet', id: 'ab'.repeat(32), suite: 'ed25519' },
    state,
    ledger: {
      seq: 42,
      hash: 'cd'.repeat(32),
      closeTime: 1_700_000_000,
      sinceLastCloseMs: state === 'stuck' ? 61_000 : 800,
    },
    txQueue: 3,
    peers: state === 'stuck' ? 1 : 3,
    summary: state === 'stuck' ? 'stuck for 61.0 s' : 'closing ledgers; halts if 1 more member(s) fail',
  };
}

function quorum(stuck: boolean) {
  const member = (i: number, missing: boolean) => ({
    node: N(i),
    status: missing ? 'missing' : 'agree',
    lastHeardAgoMs: missing ? 60_000 : 300,
    possiblyDead: false,
    lag: missing ? null : 0,
  });
  return {
    nodeId: N(1),
    stuck,
    stuckForMs: stuck ? 61_000 : 0,
    members: [member(2, false), member(3, stuck), member(4, stuck)],
    failAt: stuck ? 0 : 1,
    failWith: stuck ? [] : [N(4)],
    unsatisfied: stuck ? [{ path: 'top', threshold: 3, satisfied: 2, unavailable: [N(3), N(4)] }] : [],
    restoreSets: stuck ? [[N(3)], [N(4)]] : [],
    restoreSearchTruncated: false,
    summary: 'x',
  };
}

async function fakeNode(state: 'synced' | 'stuck'): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify();
  app.get('/v1/status', async () => status(state));
  app.get('/v1/quorum', async () => quorum(state === 'stuck'));
  app.get('/v1/network', async () => network);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url };
}

/** A port nothing listens on: bind one, close it. */
async function deadPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

describe('qm status, quorum health, network', () => {
  let synced: { app: FastifyInstance; url: string };
  let stuck: { app: FastifyInstance; url: string };
  beforeAll(async () => {
    synced = await fakeNode('synced');
    stuck = await fakeNode('stuck');
  });
  afterAll(async () => {
    await synced.app.close();
    await stuck.app.close();
  });

  it('reports a synced node', async () => {
    const { code, io } = await run(['status', '--node', synced.url]);
    expect(code).toBe(0);
    expect(io.stdout).toMatch(/state\s+synced/);
    expect(io.stdout).toContain('#42');
    expect(io.stdout).toMatch(/peers\s+3 connected/);
    expect(io.stdout).not.toContain('HALTED');
  });

  it('explains a stuck node: since when, who is missing, what restores progress', async () => {
    const { code, io } = await run(['status', '--node', stuck.url]);
    expect(code).toBe(0);
    expect(io.stdout).toMatch(/state\s+STUCK/);
    expect(io.stdout).toContain('HALTED: no ledger has closed since');
    expect(io.stdout).toContain('charlie-3');
    expect(io.stdout).toContain('delta-4');
    expect(io.stdout).toMatch(
      /progress resumes when any one of these sets of nodes is back:\n {2}- charlie-3/,
    );
    expect(io.stdout).toContain('unsatisfied slice: the top-level quorum set has 2 of the 3 it needs');
  });

  it('prints status and diagnosis as JSON', async () => {
    const { code, io } = await run(['status', '--node', `${stuck.url}/`, '--json']);
    expect(code).toBe(0);
    const doc = JSON.parse(io.stdout);
    expect(doc.state).toBe('stuck');
    expect(doc.diagnosis.restoreSets).toEqual([[N(3)], [N(4)]]);
  });

  it('says NODE_UNREACHABLE with exit 1 when nothing listens', async () => {
    const port = await deadPort();
    const { code, io } = await run(['status', '--node', `http://127.0.0.1:${port}`]);
    expect(code).toBe(1);
    expect(io.stderr).toMatch(
      /^qm: error NODE_UNREACHABLE: cannot reach the validator API at http:\/\/127\.0\.0\.1:\d+/,
    );
    expect(io.stderr).not.toContain('    at ');
    const j = await run(['status', '--node', `http://127.0.0.1:${port}`, '--json']);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.io.stdout).error.code).toBe('NODE_UNREACHABLE');
  });

  it('shows quorum health per member with fail_at', async () => {
    const { code, io } = await run(['quorum', 'health', '--node', synced.url]);
    expect(code).toBe(0);
    expect(io.stdout).toMatch(/fail_at\s+1: 1 more member failure\(s\) would halt this node, e\.g\. delta-4/);
    expect(io.stdout).toMatch(/bravo-2 \(N2222222…\)\s+agree\s+0\s+300 ms ago/);
    const j = await run(['quorum', 'health', '--node', stuck.url, '--json']);
    expect(JSON.parse(j.io.stdout).failAt).toBe(0);
  });

  it('shows the network and its quorum verdict, leaving `network init` alone', async () => {
    const { code, io } = await run(['network', '--node', synced.url]);
    expect(code).toBe(0);
    expect(io.stdout).toContain('alpha-1 *');
    expect(io.stdout).toContain('intersection: holds');
    expect(io.stdout).toContain('blocking sets (can halt the network): smallest has 2 node(s)');
    // The group's option must not swallow the subcommand's own flags.
    const help = await run(['network', 'init', '--help']);
    expect(help.code).toBe(0);
    expect(help.io.stdout).toMatch(/Usage: qm network init/);
  });

  it('reads the API address from a node config (--config)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qm-status-'));
    try {
      const port = Number(new URL(synced.url).port);
      const config = join(dir, 'config.json');
      writeFileSync(
        config,
        JSON.stringify({
          format: 'qm-node/1',
          genesis: 'genesis.json',
          secretKeyFile: 'secret.key',
          dataDir: 'data',
          p2p: { host: '0.0.0.0', port: port === 1 ? 2 : 1 },
          http: { host: '0.0.0.0', port },
          admin: { host: '127.0.0.1', port: 0 },
        }),
      );
      const { code, io } = await run(['status', '--config', config]);
      expect(code).toBe(0);
      expect(io.stdout).toContain(`at http://127.0.0.1:${port}`);
      const init = await run(['network', 'init', join(dir, 'net'), '--json', '--validators', '1']);
      // `network init --json` still gets its own --json although the group now has an action.
      expect(init.code).toBe(0);
      expect(JSON.parse(init.io.stdout).ok).toBe(true);
      expect(readFileSync(join(dir, 'net', 'genesis.json'), 'utf8')).toContain('qm-genesis/1');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a malformed --node URL as a bad argument', async () => {
    await expect(run(['status', '--node', 'not a url'])).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
  });
});
