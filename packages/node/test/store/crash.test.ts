/**
 * kill -9 during ledger writes: a child process closes ledgers in a loop on an SQLite store and is
 * killed with SIGKILL at a random instant; on reopen the store must be exactly at its last closed
 * ledger: the same header hash, state commitment, state and log as a fresh in-memory replay of
 * ledgers 1..lastClosed. Repeated on the same database, so the writer also restarts from a crashed store.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { equalBytes, headerHash, MemoryLedgerStore, MerkleLog } from '@qm/ledger';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteLedgerStore } from '../../src/store/index.js';
import { closeNext, workloadGenesis } from './workload.js';

const here = dirname(fileURLToPath(import.meta.url));
const ROUNDS = 4;

const dir = mkdtempSync(join(tmpdir(), 'qm-crash-'));
const running = new Set<number>();
afterAll(() => {
  // If an assertion or a timeout ended the test early, stop the writer we started (its group, by id).
  for (const pid of running) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {}
  }
  rmSync(dir, { recursive: true, force: true });
});

/** Starts the writer; resolves once it has closed `atLeast` more ledgers, then kills it after `delayMs`. */
function runAndKill(path: string, delayMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    // detached: the writer runs as `npx -> tsx -> node`; kill the whole process group we started.
    const child: ChildProcess = spawn('npx', ['tsx', join(here, 'crash-writer.ts'), path], {
      cwd: here,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child.pid!);
    let closed = 0;
    let stderr = '';
    let killing = false;
    child.stderr!.on('data', (d) => {
      stderr += String(d);
    });
    child.stdout!.on('data', (d) => {
      closed += String(d)
        .split('\n')
        .filter((l) => l.startsWith('closed')).length;
      if (!killing && closed >= 2) {
        killing = true;
        setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), delayMs);
      }
    });
    child.on('exit', (code, signal) => {
      running.delete(child.pid!);
      if (signal === 'SIGKILL' || killing) resolve(closed);
      else reject(new Error(`writer exited (${code ?? signal}) before it was killed: ${stderr}`));
    });
  });
}

describe('SQLite store under kill -9', () => {
  it('reopens at exactly the last closed ledger, every time', async () => {
    const path = join(dir, 'ledger.db');
    const genesis = workloadGenesis();
    let previous = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const printed = await runAndKill(path, Math.floor(Math.random() * 400));
      const store = new SqliteLedgerStore(path);
      const last = store.lastClosed()!;
      // Everything the writer reported as closed is there; at most the one being written is lost.
      expect(last.sequence).toBeGreaterThanOrEqual(previous + printed);
      const replay = new MemoryLedgerStore();
      replay.putClosedLedger(genesis, []);
      while (replay.lastClosed()!.sequence < last.sequence) closeNext(replay, genesis.networkId);
      const want = replay.lastClosed()!;
      expect(Buffer.from(headerHash(last)).toString('hex')).toBe(
        Buffer.from(headerHash(want)).toString('hex'),
      );
      expect(equalBytes(last.stateCommitment, want.stateCommitment)).toBe(true);
      expect(store.keys().map((k) => [k, store.get(k)])).toEqual(
        replay.keys().map((k) => [k, replay.get(k)]),
      );
      expect(equalBytes(new MerkleLog({ ...store.merkle, append() {} }).root(), last.logRoot)).toBe(true);
      expect(store.getTxSet(last.sequence + 1)).toBeUndefined();
      previous = last.sequence;
      store.close();
    }
    expect(previous).toBeGreaterThanOrEqual(ROUNDS * 2);
  });
});
