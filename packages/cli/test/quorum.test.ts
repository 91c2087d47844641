import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { siblingOrganizationsFile } from '../src/commands/quorum.js';
import type { CliIo } from '../src/io.js';
import { runCli } from '../src/program.js';

async function run(...argv: string[]) {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => (out += t), err: (t) => (err += t), interactive: false };
  const code = await runCli(argv, io);
  return { code, out, err };
}

const dir = mkdtempSync(path.join(tmpdir(), 'qm-cli-'));
const write = (name: string, doc: unknown) => {
  const file = path.join(dir, name);
  writeFileSync(file, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return file;
};
const qset = { threshold: 2, validators: ['a', 'b', 'c'], innerSets: [] };
const network = write('net.json', {
  nodes: [
    { id: 'a', name: 'Alpha', organization: 'X', quorumSet: qset },
    { id: 'b', name: 'Bravo', organization: 'Y', quorumSet: qset },
    { id: 'c', name: 'Charlie', organization: 'Z', quorumSet: qset },
    { id: 'w', name: 'Watcher', quorumSet: { threshold: 1, validators: ['a'], innerSets: [] } },
  ],
});

describe('qm quorum analyze', () => {
  it('prints the verdict and the weakest points in plain words first', async () => {
    const r = await run('quorum', 'analyze', network, '--node', 'Watcher');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[2]).toBe('Verdict: SAFE: every two quorums intersect (quorum intersection holds).');
    expect(r.out).toContain(
      'If these 2 nodes fail, the network halts: {Alpha, Bravo} or {Alpha, Charlie} or {Bravo, Charlie}.',
    );
    expect(r.out).toContain('If this node fails, Watcher halts: {Alpha}.');
    expect(r.out).toContain('By organization (each organization acting as one unit): SAFE');
    expect(r.out.indexOf('Details')).toBeGreaterThan(r.out.indexOf('Verdict'));
  });

  it('what-if: crashed and Byzantine nodes', async () => {
    const r = await run('quorum', 'analyze', network, '--node', 'w', '--down', 'Alpha', '--byzantine', 'b');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Watcher HALTS.');
    expect(r.out).toContain('Correct nodes still agree');
  });

  it('--json prints the machine result', async () => {
    const r = await run('quorum', 'analyze', network, '--json', '--by', 'org');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.format).toBe('quartermaster');
    expect(json.intersection).toEqual({ status: 'done', intersects: true, reason: 'sat-unsatisfiable' });
    expect(json.minimalBlockingSets.sets).toEqual([
      ['a', 'b'],
      ['a', 'c'],
      ['b', 'c'],
    ]);
    expect(json.byGroup.organization.minimalQuorums.count).toBe(3);
  });

  it('analyzes a Quartermaster genesis file as deployed: named validators, organizations, quorum sets', async () => {
    const net = path.join(dir, 'genesis-net');
    const init = await run(
      'network',
      'init',
      net,
      '--validators',
      '4',
      '--orgs',
      '4',
      '--base-port',
      '23000',
    );
    expect(init.code).toBe(0);
    const r = await run('quorum', 'analyze', path.join(net, 'genesis.json'), '--json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.format).toBe('quartermaster');
    expect(json.intersection).toMatchObject({ status: 'done', intersects: true });
    // 4 validators, 3 of 4: any 2 of them halt the network.
    expect(json.minimalBlockingSets.sets).toHaveLength(6);
    expect(json.minimalBlockingSets.sets.every((s: string[]) => s.length === 2)).toBe(true);
    const text = await run('quorum', 'analyze', path.join(net, 'genesis.json'));
    expect(text.out).toContain('node-1');
    // A broken genesis is refused with the field named, as qm network / qm node would.
    const bad = write('bad-genesis.json', { format: 'qm-genesis/1', name: 'x' });
    const refused = await run('quorum', 'analyze', bad);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toMatch(/validators|suite|organizations/);
  });

  it('reports an unsafe network with the two disjoint quorums', async () => {
    const split = write('split.json', {
      nodes: [
        { id: 'a', quorumSet: { threshold: 1, validators: ['a'], innerSets: [] } },
        { id: 'b', quorumSet: { threshold: 1, validators: ['b'], innerSets: [] } },
      ],
    });
    const r = await run('quorum', 'analyze', split);
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      'Verdict: UNSAFE: two disjoint quorums exist and could each close different ledgers: {a} and {b}.',
    );
  });

  it.each([
    [['quorum', 'analyze', path.join(dir, 'nope.json')], 1, 'qm: error FILE_NOT_FOUND:'],
    [['quorum', 'analyze', write('bad.json', '{oops')], 1, 'qm: error BAD_JSON:'],
    [['quorum', 'analyze', write('odd.json', { x: 1 })], 1, 'qm: error UNKNOWN_FORMAT:'],
    [
      ['quorum', 'analyze', network, '--node', 'Zulu'],
      1,
      "qm: error UNKNOWN_NODE: no node with key or name 'Zulu'",
    ],
    [['quorum', 'analyze', network, '--budget', 'soon'], 2, 'qm: error BAD_ARGUMENT:'],
  ])('%j exits %i with a stable code and no stack trace', async (argv, code, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(code);
    expect(r.err.startsWith(message)).toBe(true);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('says so when --by names an attribute the input does not carry', async () => {
    const r = await run('quorum', 'analyze', network, '--by', 'country');
    expect(r.code).toBe(0);
    expect(r.out).toContain('By country: the input names no countries, so there is nothing to merge.');
  });

  it('rejects an unknown --by value through commander (usage error, exit 2)', async () => {
    const r = await run('quorum', 'analyze', network, '--by', 'planet');
    expect(r.code).toBe(2);
    expect(r.err).toContain("argument 'planet' is invalid");
  });

  it('finds the organizations file beside a stellarbeat snapshot', () => {
    const nodes = write('2019-09-17_nodes.json', []);
    write('2019-09-17_organizations.json', []);
    expect(siblingOrganizationsFile(nodes)).toBe(path.join(dir, '2019-09-17_organizations.json'));
    expect(siblingOrganizationsFile(network)).toBeUndefined();
  });
});
