import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import {
  buildGenesisLedger,
  closeLedger,
  encodeId,
  getSuite,
  MemoryLedgerStore,
  networkIdOf,
  txSetHash,
} from '@qm/ledger';
import {
  checkpointFileName,
  createNetwork,
  encodeConsensusValue,
  encodeScpEnvelope,
  genesisDescription,
  HistoryArchiveWriter,
  loadNodeConfig,
  nodeKeyPair,
  openNodeLedgerStore,
  scpSigningPayload,
  writeNetwork,
} from '@qm/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { progressView, registerCatchupCommands } from '../../src/commands/catchup.js';
import { captureIo, runCommands } from './harness.js';

const qm = (argv: string[]) => runCommands([registerCatchupCommands], argv);

const root = mkdtempSync(join(tmpdir(), 'qm-cli-catchup-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const netDir = join(root, 'net');
const archive = join(root, 'archive');
const configOf = (i: number) => join(netDir, `node-${i}`, 'config.json');

/**
 * A 4-validator network written as `qm network init` does, and an archive of its first 40 ledgers
 * (checkpoints of 16: ledgers 1..32), each externalized by the signatures of all four validators.
 */
beforeAll(() => {
  const net = createNetwork({
    name: 'catchup-net',
    suite: 'ed25519',
    validators: 4,
    basePort: 12625,
    host: '127.0.0.1',
    seed: new Uint8Array(32).fill(5),
    createdAt: 1_800_000_000,
  });
  writeNetwork(netDir, net);
  const genesis = genesisDescription(net.genesis);
  const networkId = networkIdOf(genesis);
  const suite = getSuite(genesis.suite);
  const signers = net.secrets
    .map((s) => nodeKeyPair(net.genesis.suite, s.seed))
    .map((k) => ({ id: encodeId('node', k.publicKey), key: k }))
    .filter((s) => genesis.validators.some((v) => v.id === s.id));
  expect(signers).toHaveLength(4);

  const store = new MemoryLedgerStore();
  store.putClosedLedger(buildGenesisLedger(genesis), []);
  for (let n = 1; n <= 40; n++) {
    const prev = store.lastClosed()!;
    const closeTime = genesis.time + n;
    const r = closeLedger({ prev, txSet: [], closeTime, networkId, suite }, store, store.merkle);
    const value = encodeConsensusValue({ txSetHash: txSetHash(r.header.previousHash, []), closeTime });
    const scp = signers.map(({ id, key }) => {
      const statement: Parameters<typeof encodeScpEnvelope>[0]['statement'] = {
        nodeId: id,
        slotIndex: n,
        pledges: {
          type: 'externalize',
          commit: { counter: 1, value },
          nH: 1,
          commitQuorumSetHash: new Uint8Array(32),
        },
      };
      return encodeScpEnvelope({
        statement,
        signature: suite.sign(key.privateKey, scpSigningPayload(networkId, statement)),
      });
    });
    store.putClosedLedger(r, scp);
  }
  new HistoryArchiveWriter(archive, networkId, { checkpointSize: 16 }).publish(store);
});

describe('qm catchup', () => {
  it('catches a stopped node up, with progress lines and a summary; a rerun has nothing to do', async () => {
    const { code, io } = await qm(['catchup', '--config', configOf(1), '--archive', archive]);
    expect(io.stderr).not.toContain('error');
    expect(code).toBe(0);
    expect(io.stdout).toMatch(/caught up: ledgers 1\.\.32 \(32 ledgers, 0 transactions\)/);
    expect(io.stdout).toMatch(/last closed ledger: 32 [0-9a-f]{64}/);
    expect(io.stderr).toContain('catching up: ledger 32 (32/32, 100%)');
    const again = await qm(['catchup', '--config', configOf(1), '--archive', archive]);
    expect(again.code).toBe(0);
    expect(again.io.stdout).toContain('already at ledger 32');
  });

  it('prints a JSON summary with --json, and stops early with --to', async () => {
    const { code, io } = await qm([
      'catchup',
      '--config',
      configOf(2),
      '--archive',
      archive,
      '--to',
      '20',
      '--json',
    ]);
    expect(code).toBe(0);
    expect(io.stderr).toBe('');
    expect(JSON.parse(io.stdout)).toMatchObject({ ok: true, startedAt: 0, lastClosed: 20, applied: 20 });
  });

  it('reports a corrupt checkpoint, and where a rerun resumes', async () => {
    const bad = join(root, 'bad-archive');
    cpSync(archive, bad, { recursive: true });
    const file = join(bad, checkpointFileName(17, 32));
    const bytes = new Uint8Array(readFileSync(file));
    bytes[100]! ^= 0xff;
    writeFileSync(file, bytes);

    const { code, io } = await qm(['catchup', '--config', configOf(3), '--archive', bad]);
    expect(code).toBe(1);
    expect(io.stderr).toContain('qm: error HISTORY_CORRUPT');
    expect(io.stderr).toContain('verified ledgers up to 16');
    const json = await qm(['catchup', '--config', configOf(3), '--archive', bad, '--json']);
    expect(JSON.parse(json.io.stdout)).toMatchObject({
      ok: false,
      error: { code: 'HISTORY_CORRUPT', lastClosed: 16 },
    });
  });

  it('refuses while the node runs (its store is open), saying to stop it', async () => {
    const dataDir = loadNodeConfig(configOf(4)).dataDir;
    await qm(['catchup', '--config', configOf(4), '--archive', archive, '--to', '5']);
    // What a running node holds: its ledger store, open.
    const running = openNodeLedgerStore(dataDir);
    try {
      const { code, io } = await qm(['catchup', '--config', configOf(4), '--archive', archive]);
      expect(code).toBe(1);
      expect(io.stderr).toContain('qm: error HISTORY_STORE_LOCKED');
      expect(io.stderr).toContain('stop it');
      expect(running.lastClosed()!.sequence).toBe(5);
    } finally {
      running.close();
    }
  });

  it('names a bad config file and a bad --to', async () => {
    const missing = await qm(['catchup', '--config', join(root, 'nope.json'), '--archive', archive]);
    expect(missing.code).toBe(1);
    expect(missing.io.stderr).toMatch(/qm: error CONFIG_/);
    const badTo = await qm(['catchup', '--config', configOf(1), '--archive', archive, '--to', 'x']);
    expect(badTo.code).not.toBe(0);
    expect(badTo.io.stderr).toContain('expected a ledger sequence number');
  });
});

describe('progress', () => {
  const steps = (total: number) =>
    [...Array(total)].map((_, i) => ({ sequence: 100 + i + 1, done: i + 1, total, txCount: 0 }));

  it('draws a bar on a terminal', () => {
    let drawn = '';
    const sink = new Writable({
      write: (chunk, _encoding, done) => {
        drawn += String(chunk);
        done();
      },
    });
    const terminal = Object.assign(sink, {
      isTTY: true,
      columns: 120,
    });
    const view = progressView({ ...captureIo(), interactive: true }, false, terminal);
    for (const p of steps(50)) view.update(p);
    view.stop();
    expect(drawn).toContain('catching up [');
    expect(drawn).toContain('100% | ledger 150 | 50/50');
  });

  it('prints twenty lines at most otherwise, and none with --json', () => {
    const io = captureIo();
    const view = progressView(io, false);
    for (const p of steps(1000)) view.update(p);
    const lines = io.stderr.trim().split('\n');
    expect(lines).toHaveLength(20);
    expect(lines.at(-1)).toBe('catching up: ledger 1100 (1000/1000, 100%)');
    const quiet = captureIo();
    for (const p of steps(10)) progressView(quiet, true).update(p);
    expect(quiet.stderr).toBe('');
  });
});
