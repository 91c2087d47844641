import { buildGenesisLedger, initGenesis, MemoryStore, State } from '@qm/ledger';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  genesisDescription,
  genesisFileHash,
  genesisState,
  networkIdOf,
  networkIdText,
  parseGenesis,
  quorumSetOf,
} from '../../src/config/index.js';
import { genesisJson, type LooseJson, testNetwork } from './fixtures.js';

/** The ConfigError parseGenesis throws for this document. */
function errorOf(doc: unknown): ConfigError {
  try {
    parseGenesis(typeof doc === 'string' ? doc : JSON.stringify(doc));
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('parseGenesis', () => {
  it('accepts what createNetwork builds and returns the same content', () => {
    const g = testNetwork().genesis;
    expect(parseGenesis(JSON.stringify(g, null, 2))).toEqual(g);
  });

  it('names the bad field as a JSON path', () => {
    const cases: [string, (g: LooseJson) => void, string, RegExp][] = [
      [
        'port out of range',
        (g) => (g.validators[2].p2p.port = 70_000),
        'validators[2].p2p.port',
        /between 1 and 65535/,
      ],
      [
        'port not a number',
        (g) => (g.validators[1].http.port = '8080'),
        'validators[1].http.port',
        /integer/,
      ],
      ['missing nodeId', (g) => delete g.validators[0].nodeId, 'validators[0].nodeId', /required/],
      [
        'typo in a field name',
        (g) => (g.validators[3].tranportPublicKey = 'ab'),
        'validators[3].tranportPublicKey',
        /unknown field/,
      ],
      [
        'bad hex key',
        (g) => (g.validators[0].transportPublicKey = 'XYZ'),
        'validators[0].transportPublicKey',
        /hex/,
      ],
      ['bad org code', (g) => (g.organizations[0].code = 'abc'), 'organizations[0].code', /DoDAAC/],
      ['unknown org', (g) => (g.members[4].org = 'ZZZZZZ'), 'members[4].org', /no organization ZZZZZZ/],
      ['bad role', (g) => (g.members[0].roles = ['general']), 'members[0].roles[0]', /one of 'admin'/],
      [
        'member id of a node',
        (g) => (g.members[1].id = g.validators[0].nodeId),
        'members[1].id',
        /member id/,
      ],
      ['unknown suite', (g) => (g.suite = 'rsa'), 'suite', /'ed25519', 'ecdsa-p256'/],
      ['createdAt in ms', (g) => (g.createdAt = Date.now() * 1000), 'createdAt', /unix seconds/],
      ['unknown param', (g) => (g.params = { maxOps: 3 }), 'params.maxOps', /unknown parameter/],
      ['param out of range', (g) => (g.params = { maxOpsPerTx: 0 }), 'params.maxOpsPerTx', /between 1 and/],
      ['timing too small', (g) => (g.consensus = { ballotRoundMs: 1 }), 'consensus.ballotRoundMs', /ms/],
      ['threshold too high', (g) => (g.quorumSets.threshold = 5), 'quorumSets.threshold', /between 1 and 4/],
      [
        'unknown validator in quorum set',
        (g) => (g.quorumSets.validators[1] = 'NXYZ'),
        'quorumSets.validators[1]',
        /not the nodeId/,
      ],
      [
        'duplicate address',
        (g) => (g.validators[1].p2p = g.validators[0].p2p),
        'validators[1].p2p',
        /used by another/,
      ],
      ['wrong format', (g) => (g.format = 'qm-node/1'), 'format', /qm-genesis\/1/],
      ['empty name', (g) => (g.name = ''), 'name', /empty/],
      ['no format', (g) => delete g.format, 'format', /required/],
    ];
    for (const [what, breakIt, field, message] of cases) {
      const g = genesisJson();
      breakIt(g);
      const e = errorOf(g);
      expect({ what, code: e.code, field: e.field }).toEqual({ what, code: 'CONFIG_INVALID', field });
      expect(e.message, what).toMatch(message);
    }
  });

  it('rejects a key of the other suite with a hint', () => {
    const p256 = testNetwork(4, 1, 'ecdsa-p256').genesis;
    const g = genesisJson();
    g.validators[0]!.nodeId = p256.validators[0]!.nodeId;
    const e = errorOf(g);
    expect(e.field).toBe('validators[0].nodeId');
    expect(e.message).toMatch(/33-byte key, but ed25519 public keys are 32 bytes/);
  });

  it('requires enough admins for governance', () => {
    const g = genesisJson();
    g.params = { adminApprovals: 2 };
    const e = errorOf(g);
    expect(e.field).toBe('members');
    expect(e.message).toMatch(/adminApprovals/);
  });

  it('checks per-validator quorum sets cover every validator', () => {
    const g: LooseJson = genesisJson();
    const shared = g.quorumSets;
    const ids: string[] = g.validators.map((v: { nodeId: string }) => v.nodeId);
    g.quorumSets = { [ids[0]!]: shared, [ids[1]!]: shared, [ids[2]!]: shared };
    const e = errorOf(g);
    expect(e.field).toBe('quorumSets');
    expect(e.message).toMatch(/validators\[3\] \(node-4\)/);
    g.quorumSets[ids[3]!] = shared;
    const parsed = parseGenesis(JSON.stringify(g));
    expect(quorumSetOf(parsed, ids[3]!)).toEqual(shared);
  });

  it('reports broken JSON and non-objects', () => {
    expect(errorOf('{"format": ').code).toBe('CONFIG_BAD_JSON');
    expect(errorOf('[]')).toMatchObject({ code: 'CONFIG_INVALID', field: '$' });
  });

  it('fills omitted innerSets so the parsed form is canonical', () => {
    const g = genesisJson();
    delete (g.quorumSets as { innerSets?: unknown }).innerSets;
    expect((parseGenesis(JSON.stringify(g)).quorumSets as { innerSets: unknown }).innerSets).toEqual([]);
  });
});

describe('networkIdOf and genesisFileHash', () => {
  const base = testNetwork().genesis;
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

  it('are stable: independent of JSON key order and whitespace', () => {
    const reordered = Object.fromEntries(Object.entries(genesisJson()).reverse());
    const a = parseGenesis(JSON.stringify(base));
    const b = parseGenesis(JSON.stringify(reordered, null, 4));
    expect(hex(networkIdOf(a))).toBe(hex(networkIdOf(b)));
    expect(hex(genesisFileHash(a))).toBe(hex(genesisFileHash(b)));
    expect(networkIdOf(a)).toHaveLength(32);
    expect(networkIdText(base)).toMatch(/^W[A-Z2-7]{55}$/);
  });

  it('is the network id the ledger puts in the genesis header', () => {
    const g = testNetwork(7, 3).genesis;
    expect(hex(buildGenesisLedger(genesisDescription(g)).networkId)).toBe(hex(networkIdOf(g)));
  });

  it('change when any field changes; the network id only for identity fields', () => {
    const changes: [string, boolean, (g: LooseJson) => void][] = [
      ['name', true, (g) => (g.name = 'other-net')],
      ['createdAt', true, (g) => (g.createdAt += 1)],
      ['organization name', true, (g) => (g.organizations[0].name += ' ')],
      ['member role', true, (g) => (g.members[1].roles = ['auditor'])],
      ['threshold', true, (g) => (g.quorumSets.threshold = 4)],
      ['params', true, (g) => (g.params = { maxOpsPerTx: 100 })],
      ['member order', true, (g) => g.members.reverse()],
      ['member display name', false, (g) => (g.members[1].name = 'x')],
      ['validator port', false, (g) => (g.validators[3].p2p.port += 100)],
      ['http host', false, (g) => (g.validators[0].http.host = 'localhost')],
      ['transport key', false, (g) => (g.validators[0].transportPublicKey = 'ab'.repeat(32))],
      ['consensus', false, (g) => (g.consensus = { targetCloseMs: 2000 })],
    ];
    const ids = new Set([hex(networkIdOf(base))]);
    const files = new Set([hex(genesisFileHash(base))]);
    for (const [what, identity, change] of changes) {
      const g = genesisJson();
      change(g);
      const parsed = parseGenesis(JSON.stringify(g));
      const file = hex(genesisFileHash(parsed));
      expect(files.has(file), what).toBe(false);
      files.add(file);
      const id = hex(networkIdOf(parsed));
      expect(ids.has(id), what).toBe(!identity);
      ids.add(id);
    }
  });
});

describe('genesisState', () => {
  it('is accepted by the ledger initGenesis', () => {
    const g = testNetwork(4, 2).genesis;
    const store = new MemoryStore();
    initGenesis(store, genesisState(g));
    const state = new State(store);
    expect(state.org('WQM001')?.kind).toBe('dodaac');
    expect(state.member(g.members[0]!.id)?.roles).toEqual(['admin']);
    expect(g.members).toHaveLength(10);
  });
});
