import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadGenesis } from '@qm/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configCheck, networkInit, register } from '../../src/commands/network.js';
import { captureIo, type Register, runCommands } from './harness.js';

const runWith = (register: Register, argv: string[]) => runCommands([register], argv);

const root = mkdtempSync(join(tmpdir(), 'qm-cli-network-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const seed = new Uint8Array(32).fill(3);
const defaults = {
  validators: 4,
  orgs: 1,
  suite: 'ed25519',
  basePort: 11625,
  host: '127.0.0.1',
  seed,
} as const;

describe('qm network init', () => {
  it('writes the network, lists the files and reports a clean quorum', () => {
    const dir = join(root, 'alpha');
    const io = captureIo();
    expect(networkInit(dir, defaults, io)).toBe(0);
    expect(io.stdout).toMatch(/^network "alpha" \(W[A-Z2-7]{55}\), suite ed25519, written to /);
    expect(io.stdout).toContain(join(dir, 'node-4', 'secret.key'));
    expect(io.stdout).toContain(join(dir, 'members', 'WQM001-admin.key'));
    expect(io.stdout).toMatch(/quorum: intersection holds/);
    expect(loadGenesis(join(dir, 'genesis.json')).validators).toHaveLength(4);
  });

  it('prints quorum warnings for a fragile layout, and JSON with --json', () => {
    const io = captureIo();
    networkInit(join(root, 'fragile'), { ...defaults, validators: 2, orgs: 2, json: true }, io);
    const r = JSON.parse(io.stdout);
    expect(r.ok).toBe(true);
    expect(r.warnings.map((w: { code: string }) => w.code)).toContain('SINGLE_NODE_HALTS');
    expect(r.files).toContain('genesis.json');
  });

  it('runs through the program: options, non-empty directory, --force', async () => {
    const dir = join(root, 'beta');
    const args = [
      'network',
      'init',
      dir,
      '--validators',
      '7',
      '--orgs',
      '3',
      '--base-port',
      '21000',
      '--suite',
      'ecdsa-p256',
    ];
    const first = await runWith(register, args);
    expect(first.code).toBe(0);
    const g = loadGenesis(join(dir, 'genesis.json'));
    expect(g.suite).toBe('ecdsa-p256');
    expect(g.validators[6]!.p2p.port).toBe(21060);
    const again = await runWith(register, args);
    expect(again.code).toBe(1);
    expect(again.io.stderr).toMatch(/^qm: error CONFIG_EXISTS: .*beta: directory is not empty/);
    expect((await runWith(register, [...args, '--force'])).code).toBe(0);
  });

  it('rejects bad options with BAD_ARGUMENT', async () => {
    await expect(
      runWith(register, ['network', 'init', join(root, 'x'), '--validators', 'four']),
    ).rejects.toMatchObject({
      code: 'BAD_ARGUMENT',
      message: expect.stringMatching(/--validators must be an integer/),
    });
    expect(() => networkInit(join(root, 'y'), { ...defaults, orgs: 1000 }, captureIo())).toThrow(
      expect.objectContaining({ code: 'BAD_ARGUMENT' }),
    );
    expect(() => networkInit(join(root, 'z'), { ...defaults, host: 'bad host' }, captureIo())).toThrow(
      /--host/,
    );
  });
});

describe('qm config check', () => {
  const dir = join(root, 'checked');
  beforeAll(() => {
    networkInit(dir, defaults, captureIo());
  });

  it('accepts a valid genesis and a valid node config (with its genesis and key)', () => {
    const io = captureIo();
    expect(configCheck(join(dir, 'genesis.json'), {}, io)).toBe(0);
    expect(io.stdout).toMatch(/valid genesis/);
    const node = captureIo();
    expect(configCheck(join(dir, 'node-2', 'config.json'), {}, node)).toBe(0);
    expect(node.stdout).toMatch(/valid node config for node-2 \(N/);
  });

  it('prints the bad field and exits 1', async () => {
    const file = join(dir, 'broken-genesis.json');
    const g = JSON.parse(readFileSync(join(dir, 'genesis.json'), 'utf8'));
    g.validators[2].p2p.port = 99_999;
    writeFileSync(file, JSON.stringify(g));
    const { code, io } = await runWith(register, ['config', 'check', file]);
    expect(code).toBe(1);
    expect(io.stderr).toBe(
      `qm: error CONFIG_INVALID: ${file}: validators[2].p2p.port: must be between 1 and 65535, not 99999\n`,
    );
    const json = await runWith(register, ['config', 'check', file, '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.io.stdout).error).toEqual({
      code: 'CONFIG_INVALID',
      field: 'validators[2].p2p.port',
      message: 'must be between 1 and 65535, not 99999',
      file,
    });
  });

  it('follows a node config to a wrong key file', async () => {
    const config = JSON.parse(readFileSync(join(dir, 'node-1', 'config.json'), 'utf8'));
    config.secretKeyFile = '../members/WQM001-admin.key';
    const file = join(dir, 'node-1', 'wrong-key.json');
    writeFileSync(file, JSON.stringify(config));
    const { code, io } = await runWith(register, ['config', 'check', file]);
    expect(code).toBe(1);
    expect(io.stderr).toMatch(
      /CONFIG_INVALID: .*WQM001-admin\.key: secretKeyFile: this key is node N\w+, which is not a validator/,
    );
  });

  it('fails on a quorum configuration that can fork', () => {
    const g = JSON.parse(readFileSync(join(dir, 'genesis.json'), 'utf8'));
    const ids: string[] = g.validators.map((v: { nodeId: string }) => v.nodeId);
    const half = (a: string, b: string) => ({ threshold: 2, validators: [a, b], innerSets: [] });
    g.quorumSets = Object.fromEntries(
      ids.map((id, i) => [id, i < 2 ? half(ids[0]!, ids[1]!) : half(ids[2]!, ids[3]!)]),
    );
    const file = join(dir, 'split.json');
    writeFileSync(file, JSON.stringify(g));
    const io = captureIo();
    expect(configCheck(file, {}, io)).toBe(1);
    expect(io.stdout).toMatch(/error NO_QUORUM_INTERSECTION: two disjoint quorums/);
  });

  it('says what a file of unknown format should be', async () => {
    const file = join(dir, 'other.json');
    writeFileSync(file, '{"hello": 1}');
    const { code, io } = await runWith(register, ['config', 'check', file]);
    expect(code).toBe(1);
    expect(io.stderr).toMatch(/must be 'qm-genesis\/1' \(a genesis file\) or 'qm-node\/1'/);
  });
});
