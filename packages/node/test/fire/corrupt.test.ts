// The corrupt fault's tools on a real SQLite file: damage is where the plan says, a missing WAL falls back
// to its database, and the harness's integrity verdict tells a sound store from a damaged one.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { checkpoint, damageFile, integrityOf } from '../../src/fire/index.js';

const root = mkdtempSync(join(tmpdir(), 'qm-fire-corrupt-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A data directory holding a WAL-mode ledger.sqlite with some rows, closed (so checkpointed). */
function dataDir(name: string): { dir: string; path: string } {
  const dir = join(root, name);
  mkdirSync(dir);
  const path = join(dir, 'ledger.sqlite');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB)');
  const put = db.prepare('INSERT INTO t (v) VALUES (?)');
  for (let i = 0; i < 200; i++) put.run(Buffer.alloc(500, i));
  db.close();
  return { dir, path };
}

describe('corrupt fault tools', () => {
  it('a sound database passes; one with its header overwritten does not', () => {
    const { dir, path } = dataDir('a');
    checkpoint(path);
    expect(integrityOf(path)).toBe('ok');
    const before = readFileSync(path);
    const dmg = damageFile(dir, {
      file: 'ledger.sqlite',
      mode: 'overwrite',
      atPermille: 0,
      bytes: 64,
      byteSeed: 1,
    });
    expect(dmg).toEqual({
      file: 'ledger.sqlite',
      mode: 'overwrite',
      sizeBefore: before.length,
      offset: 0,
      bytes: 64,
    });
    expect(readFileSync(path).subarray(0, 64).equals(before.subarray(0, 64))).toBe(false);
    expect(integrityOf(path)).toMatch(/^unreadable: SQLITE_NOTADB/);
  });

  it('truncates at the planned fraction, and a missing WAL falls back to its database', () => {
    const { dir, path } = dataDir('b');
    expect(existsSync(`${path}-wal`)).toBe(false);
    const size = statSync(path).size;
    const half = Math.floor(size / 2);
    const dmg = damageFile(dir, {
      file: 'ledger.sqlite-wal',
      mode: 'truncate',
      atPermille: 500,
      bytes: 1,
      byteSeed: 2,
    });
    expect(dmg).toEqual({
      file: 'ledger.sqlite',
      mode: 'truncate',
      sizeBefore: size,
      offset: half,
      bytes: size - half,
    });
    expect(statSync(path).size).toBe(half);
    expect(integrityOf(path)).not.toBe('ok');
  });
});
