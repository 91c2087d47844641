import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadNodeConfig, parseNodeConfig } from '../../src/config/index.js';
import { peerDialAddresses } from '../../src/config/node-config.js';
import type { LooseJson } from './fixtures.js';

const valid = () => ({
  format: 'qm-node/1',
  genesis: '../genesis.json',
  secretKeyFile: 'secret.key',
  dataDir: 'data',
  p2p: { host: '0.0.0.0', port: 11625 },
  http: { host: '127.0.0.1', port: 11626 },
  admin: { host: '127.0.0.1', port: 11627 },
  log: { level: 'debug' },
});

function errorOf(doc: unknown): ConfigError {
  try {
    parseNodeConfig(JSON.stringify(doc));
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

const dir = mkdtempSync(join(tmpdir(), 'qm-node-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parseNodeConfig', () => {
  it('resolves relative paths against the config directory and keeps absolute ones', () => {
    const c = parseNodeConfig(JSON.stringify({ ...valid(), dataDir: '/var/lib/qm' }), '/etc/qm/node-1');
    expect(c.genesis).toBe('/etc/qm/genesis.json');
    expect(c.secretKeyFile).toBe('/etc/qm/node-1/secret.key');
    expect(c.dataDir).toBe('/var/lib/qm');
    expect(c.log).toEqual({ level: 'debug' });
  });

  it('names the bad field', () => {
    const cases: [string, (c: LooseJson) => void, string, RegExp][] = [
      ['admin on a public address', (c) => (c.admin.host = '0.0.0.0'), 'admin.host', /loopback/],
      ['port clash', (c) => (c.admin.port = 11626), 'admin.port', /same port as http.port/],
      ['bad host', (c) => (c.http.host = 'not a host!'), 'http.host', /host name or an IP/],
      ['missing dataDir', (c) => delete c.dataDir, 'dataDir', /required/],
      ['bad log level', (c) => (c.log.level = 'verbose'), 'log.level', /'fatal'/],
      ['unknown field', (c) => (c.peers = []), 'peers', /unknown field/],
      ['negative port', (c) => (c.p2p.port = -1), 'p2p.port', /between 0 and 65535/],
      ['a genesis given as node config', (c) => (c.format = 'qm-genesis/1'), 'format', /qm-node\/1/],
    ];
    for (const [what, breakIt, field, message] of cases) {
      const c = valid();
      breakIt(c);
      const e = errorOf(c);
      expect({ what, code: e.code, field: e.field }).toEqual({ what, code: 'CONFIG_INVALID', field });
      expect(e.message, what).toMatch(message);
    }
  });

  it('allows port 0 (any free port) on several listeners', () => {
    const c = valid();
    c.p2p.port = 0;
    c.http.port = 0;
    expect(parseNodeConfig(JSON.stringify(c)).http.port).toBe(0);
  });
});

describe('peerAddresses and clockOffsetMs', () => {
  const validators = [
    { name: 'node-0', p2p: { host: '10.0.0.1', port: 11625 } },
    { name: 'node-1', p2p: { host: '10.0.0.2', port: 11625 } },
  ];

  it('are optional, and absent means the genesis addresses and the system clock', () => {
    const c = parseNodeConfig(JSON.stringify(valid()));
    expect(c.peerAddresses).toBeUndefined();
    expect(c.clockOffsetMs).toBeUndefined();
    expect(peerDialAddresses(c, validators)).toEqual(validators.map((v) => v.p2p));
  });

  it('dial a listed peer at its configured address and the others as the genesis says', () => {
    const doc = {
      ...valid(),
      peerAddresses: { 'node-1': { host: '127.0.0.1', port: 40_001 } },
      clockOffsetMs: -30_000,
    };
    const c = parseNodeConfig(JSON.stringify(doc));
    expect(c.clockOffsetMs).toBe(-30_000);
    expect(peerDialAddresses(c, validators)).toEqual([
      { host: '10.0.0.1', port: 11625 },
      { host: '127.0.0.1', port: 40_001 },
    ]);
  });

  it('name the bad field', () => {
    const cases: [string, (c: LooseJson) => void, string, RegExp][] = [
      ['not an object', (c) => (c.peerAddresses = []), 'peerAddresses', /must be an object/],
      [
        'port 0',
        (c) => (c.peerAddresses = { n: { host: 'h', port: 0 } }),
        'peerAddresses.n.port',
        /between 1/,
      ],
      [
        'bad host',
        (c) => (c.peerAddresses = { n: { host: 'a b', port: 1 } }),
        'peerAddresses.n.host',
        /host/,
      ],
      [
        'extra field',
        (c) => (c.peerAddresses = { n: { host: 'h', port: 1, tls: 1 } }),
        'peerAddresses.n.tls',
        /unknown/,
      ],
      ['fractional offset', (c) => (c.clockOffsetMs = 1.5), 'clockOffsetMs', /integer/],
      [
        'offset over a day',
        (c) => (c.clockOffsetMs = 86_400_001),
        'clockOffsetMs',
        /between -86400000 and 86400000 ms/,
      ],
    ];
    for (const [what, breakIt, field, message] of cases) {
      const c = valid() as LooseJson;
      breakIt(c);
      const e = errorOf(c);
      expect({ what, code: e.code, field: e.field }).toEqual({ what, code: 'CONFIG_INVALID', field });
      expect(e.message, what).toMatch(message);
    }
  });

  it('refuse a peerAddresses name that is no validator of the genesis', () => {
    const c = parseNodeConfig(
      JSON.stringify({ ...valid(), peerAddresses: { 'node-9': { host: 'h', port: 1 } } }),
    );
    let caught: unknown;
    try {
      peerDialAddresses(c, validators);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).field).toBe('peerAddresses["node-9"]');
    expect((caught as ConfigError).message).toMatch(
      /names no validator of the genesis \(validators: node-0, node-1\)/,
    );
  });
});

describe('loadNodeConfig', () => {
  it('reads a file, resolving paths against its directory', () => {
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify(valid()));
    expect(loadNodeConfig(file).secretKeyFile).toBe(join(dir, 'secret.key'));
  });

  it('names the file in errors', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ ...valid(), dataDir: 42 }));
    let caught: unknown;
    try {
      loadNodeConfig(file);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).describe()).toBe(`${file}: dataDir: must be a string, not number 42`);
    expect(() => loadNodeConfig(join(dir, 'missing.json'))).toThrow(
      expect.objectContaining({ code: 'CONFIG_UNREADABLE' }),
    );
  });
});
