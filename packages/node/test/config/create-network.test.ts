import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allNodesOf } from '@qm/scp';
import { afterAll, describe, expect, it } from 'vitest';
import {
  bftThreshold,
  checkGenesisQuorum,
  createNetwork,
  hasQuorumErrors,
  loadGenesis,
  loadNodeConfig,
  loadNodeSetup,
  networkIdOf,
  parseGenesis,
  quorumSetOf,
  readSecretKey,
  recommendedQuorumSet,
  resolveNodeIdentity,
  writeNetwork,
} from '../../src/config/index.js';
import { testNetwork } from './fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'qm-network-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('recommendedQuorumSet', () => {
  it('is a flat BFT threshold for one organization and two levels for several', () => {
    expect([1, 2, 3, 4, 5, 7, 10].map(bftThreshold)).toEqual([1, 2, 3, 3, 4, 5, 7]);
    expect(recommendedQuorumSet([['a', 'b', 'c', 'd']])).toEqual({
      threshold: 3,
      validators: ['a', 'b', 'c', 'd'],
      innerSets: [],
    });
    expect(recommendedQuorumSet([['a', 'b', 'c', 'd'], ['e'], ['f', 'g'], ['h', 'i', 'j']])).toEqual({
      threshold: 3,
      validators: ['e'],
      innerSets: [
        { threshold: 3, validators: ['a', 'b', 'c', 'd'], innerSets: [] },
        { threshold: 2, validators: ['f', 'g'], innerSets: [] },
        { threshold: 3, validators: ['h', 'i', 'j'], innerSets: [] },
      ],
    });
  });
});

describe('createNetwork', () => {
  for (const [validators, organizations] of [
    [4, 1],
    [7, 1],
    [7, 3],
    [8, 4],
  ] as const) {
    it(`builds a valid ${validators}-validator, ${organizations}-organization network without quorum errors`, () => {
      const n = testNetwork(validators, organizations);
      const g = parseGenesis(JSON.stringify(n.genesis));
      expect(g.validators).toHaveLength(validators);
      expect(g.organizations).toHaveLength(organizations);
      expect(new Set(g.validators.map((v) => v.org)).size).toBe(organizations);
      expect(g.members).toHaveLength(5 * organizations);
      expect(allNodesOf(g.quorumSets as never).sort()).toEqual(g.validators.map((v) => v.nodeId).sort());
      const warnings = checkGenesisQuorum(g);
      expect(hasQuorumErrors(warnings), JSON.stringify(warnings)).toBe(false);
      expect(n.nodeConfigs).toHaveLength(validators);
      expect(n.secrets).toHaveLength(validators + 5 * organizations);
    });
  }

  it('gives 4 validators in one organization a flat 3-of-4 that survives any one failure', () => {
    const g = testNetwork(4, 1).genesis;
    expect(g.quorumSets).toMatchObject({ threshold: 3, innerSets: [] });
    expect(checkGenesisQuorum(g).filter((w) => w.level !== 'info')).toEqual([]);
  });

  it('is deterministic with a seed and fresh without one', () => {
    expect(networkIdOf(testNetwork().genesis)).toEqual(networkIdOf(testNetwork().genesis));
    const opts = {
      name: 'x',
      suite: 'ed25519',
      validators: 4,
      basePort: 20000,
      host: '127.0.0.1',
      createdAt: 1,
    } as const;
    expect(createNetwork(opts).genesis.validators[0]!.nodeId).not.toBe(
      createNetwork(opts).genesis.validators[0]!.nodeId,
    );
  });

  it('supports ecdsa-p256', () => {
    const g = parseGenesis(JSON.stringify(testNetwork(4, 1, 'ecdsa-p256').genesis));
    expect(g.suite).toBe('ecdsa-p256');
  });

  it('rejects impossible options', () => {
    const base = { name: 'x', suite: 'ed25519', validators: 4, basePort: 11625, host: '127.0.0.1' } as const;
    expect(() => createNetwork({ ...base, validators: 0 })).toThrow(/validators/);
    expect(() => createNetwork({ ...base, basePort: 65_530 })).toThrow(/no room/);
    expect(() => createNetwork({ ...base, membersPerRole: 0 })).toThrow(/membersPerRole/);
  });

  it('lets organizations beyond the validators run none (member organizations)', () => {
    const base = { name: 'x', suite: 'ed25519', validators: 4, basePort: 11625, host: '127.0.0.1' } as const;
    const n = createNetwork({ ...base, organizations: 10 });
    expect(n.genesis.organizations).toHaveLength(10);
    expect(new Set(n.genesis.validators.map((v) => v.org)).size).toBe(4);
    expect(n.members.filter((m) => m.org === n.genesis.organizations[9]!.code).length).toBeGreaterThan(0);
    const g = parseGenesis(JSON.stringify(n.genesis));
    // The quorum set names only organizations that run validators: 3 of the 4.
    expect(quorumSetOf(g, g.validators[0]!.nodeId).threshold).toBe(3);
  });

  it('gives each organization several members per role when asked (more transaction sources)', () => {
    const base = { name: 'x', suite: 'ed25519', validators: 4, basePort: 11625, host: '127.0.0.1' } as const;
    const one = createNetwork({ ...base, organizations: 2 });
    const three = createNetwork({ ...base, organizations: 2, membersPerRole: 3 });
    expect(three.members).toHaveLength(3 * one.members.length);
    expect(new Set(three.members.map((m) => m.id)).size).toBe(three.members.length);
    expect(three.members.filter((m) => m.name.endsWith('-3'))).toHaveLength(one.members.length);
    expect(parseGenesis(JSON.stringify(three.genesis)).members).toHaveLength(three.members.length);
  });
});

describe('writeNetwork', () => {
  it('writes files that load back, with private keys, and ties each node to its genesis entry', () => {
    const dir = join(root, 'net');
    const n = testNetwork(4, 2);
    const written = writeNetwork(dir, n);
    expect(written).toContain('genesis.json');
    expect(written).toContain('node-4/config.json');
    expect(written).toContain('members/NQM002-auditor.key');
    expect(written).toContain('README.txt');

    const g = loadGenesis(join(dir, 'genesis.json'));
    expect(g).toEqual(n.genesis);
    n.nodeConfigs.forEach((nc, i) => {
      const config = loadNodeConfig(join(dir, nc.path));
      expect(config.genesis).toBe(join(dir, 'genesis.json'));
      expect(config.dataDir).toBe(join(dir, `node-${i + 1}`, 'data'));
      expect(statSync(config.secretKeyFile).mode & 0o777).toBe(0o600);
      const identity = resolveNodeIdentity(g, readSecretKey(config.secretKeyFile));
      expect(identity.index).toBe(i);
      expect(identity.validator.p2p.port).toBe(config.p2p.port);
    });
    const setup = loadNodeSetup(join(dir, 'node-3', 'config.json'));
    expect(setup.identity.validator.name).toBe('node-3');
    expect(setup.config.admin).toEqual({ host: '127.0.0.1', port: 11647 });
    for (const m of n.members) expect(readFileSync(join(dir, m.path), 'utf8').trim()).toBe(m.secret);
    const readme = readFileSync(join(dir, 'README.txt'), 'utf8');
    expect(readme).toContain('node-1/config.json');
    expect(readme).toContain(n.members[0]!.id);
  });

  it('refuses a non-empty directory unless forced', () => {
    const dir = join(root, 'busy');
    writeNetwork(dir, testNetwork());
    expect(() => writeNetwork(dir, testNetwork())).toThrow(
      expect.objectContaining({ code: 'CONFIG_EXISTS' }),
    );
    expect(writeNetwork(dir, testNetwork(), { force: true })).toContain('genesis.json');
  });

  it('resolveNodeIdentity rejects a key that is not a validator of the network', () => {
    const g = testNetwork().genesis;
    const stranger = testNetwork(4, 1).secrets.find((s) => s.path.startsWith('members/'))!.seed;
    expect(() => resolveNodeIdentity(g, stranger)).toThrow(/not a validator of network "test-net"/);
  });
});

describe('checkGenesisQuorum', () => {
  const withQuorumSets = (quorumSets: unknown, validators = 4) => {
    const g = JSON.parse(JSON.stringify(testNetwork(validators).genesis));
    g.quorumSets = quorumSets;
    return parseGenesis(JSON.stringify(g));
  };
  const ids = testNetwork().genesis.validators.map((v) => v.nodeId);
  const codes = (g: ReturnType<typeof withQuorumSets>) => checkGenesisQuorum(g).map((w) => w.code);

  it('reports a configuration that can fork', () => {
    // Two halves that each trust only themselves: {1,2} and {3,4} are disjoint quorums.
    const half = (a: string, b: string) => ({ threshold: 2, validators: [a, b], innerSets: [] });
    const g = withQuorumSets({
      [ids[0]!]: half(ids[0]!, ids[1]!),
      [ids[1]!]: half(ids[0]!, ids[1]!),
      [ids[2]!]: half(ids[2]!, ids[3]!),
      [ids[3]!]: half(ids[2]!, ids[3]!),
    });
    const w = checkGenesisQuorum(g);
    const split = w.find((x) => x.code === 'NO_QUORUM_INTERSECTION');
    expect(split?.level).toBe('error');
    expect(split?.message).toMatch(/node-1, node-2.*node-3, node-4|node-3, node-4.*node-1, node-2/);
  });

  it('warns about a threshold below a majority and about single points of failure', () => {
    expect(codes(withQuorumSets({ threshold: 2, validators: ids, innerSets: [] }))).toContain(
      'THRESHOLD_BELOW_MAJORITY',
    );
    expect(codes(withQuorumSets({ threshold: 4, validators: ids, innerSets: [] }))).toContain(
      'SINGLE_NODE_HALTS',
    );
  });

  it('reports a validator nobody trusts', () => {
    expect(codes(withQuorumSets({ threshold: 2, validators: ids.slice(0, 3), innerSets: [] }))).toContain(
      'VALIDATOR_NOT_TRUSTED',
    );
  });
});

it('a written genesis edited by hand is checked again on load', () => {
  const dir = join(root, 'edited');
  writeNetwork(dir, testNetwork());
  const file = join(dir, 'genesis.json');
  const g = JSON.parse(readFileSync(file, 'utf8'));
  g.validators[2].p2p.port = 'eleven';
  writeFileSync(file, JSON.stringify(g, null, 2));
  expect(() => loadGenesis(file)).toThrow(
    expect.objectContaining({ code: 'CONFIG_INVALID', field: 'validators[2].p2p.port', file }),
  );
});
