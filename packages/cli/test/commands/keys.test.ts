import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, publicIdOf, readSecretKey } from '@qm/node';
import { afterAll, describe, expect, it } from 'vitest';
import { keysGenerate, keysShow, REPORTED_FAILURE, register } from '../../src/commands/keys.js';
import { captureIo, type Register, runCommands } from './harness.js';

const runWith = (register: Register, argv: string[]) => runCommands([register], argv);

const dir = mkdtempSync(join(tmpdir(), 'qm-cli-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const seed = new Uint8Array(32).fill(9);

describe('qm keys generate', () => {
  it('writes a 0600 secret file and prints the public id, not the secret', () => {
    const io = captureIo();
    const out = join(dir, 'node.key');
    expect(keysGenerate({ kind: 'node', suite: 'ed25519', out }, io, seed)).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readSecretKey(out)).toEqual(seed);
    expect(io.stdout).toContain(`node id:        ${publicIdOf('node', 'ed25519', seed)}`);
    expect(io.stdout).toMatch(/transport key:\s+[0-9a-f]{64}/);
    expect(io.stdout).not.toMatch(/\bS[A-Z2-7]{55}\b/);
  });

  it('prints the secret (with a warning) when there is no --out, and JSON with --json', () => {
    const io = captureIo();
    keysGenerate({ kind: 'member', suite: 'ecdsa-p256', json: true }, io, seed);
    const report = JSON.parse(io.stdout);
    expect(report).toMatchObject({
      kind: 'member',
      suite: 'ecdsa-p256',
      publicId: publicIdOf('member', 'ecdsa-p256', seed),
    });
    expect(report.secret).toMatch(/^S/);
    const text = captureIo();
    keysGenerate({ kind: 'device', suite: 'ed25519' }, text, seed);
    expect(text.stdout).toMatch(/^device id:\s+D/m);
    expect(text.stderr).toMatch(/printed once/);
  });

  it('never overwrites an existing file', () => {
    const out = join(dir, 'exists.key');
    writeFileSync(out, 'precious');
    expect(() => keysGenerate({ kind: 'member', suite: 'ed25519', out }, captureIo(), seed)).toThrow(
      expect.objectContaining({ code: 'CONFIG_EXISTS' }),
    );
    expect(readFileSync(out, 'utf8')).toBe('precious');
  });

  it('is wired into the program with its options', async () => {
    const out = join(dir, 'via-program.key');
    const { code, io } = await runWith(register, [
      'keys',
      'generate',
      '--kind',
      'node',
      '--suite',
      'ecdsa-p256',
      '--out',
      out,
    ]);
    expect(code).toBe(0);
    expect(io.stdout).toMatch(/^node id:\s+N/m);
    const bad = await runWith(register, ['keys', 'generate', '--kind', 'admiral']);
    expect(bad.code).not.toBe(0);
    expect(bad.io.stderr).toMatch(/--kind.*admiral|admiral.*--kind|Allowed choices/);
  });
});

describe('qm keys show', () => {
  it('shows every public id of a key file and warns when others can read it', () => {
    const file = join(dir, 'show.key');
    keysGenerate({ kind: 'member', suite: 'ed25519', out: file }, captureIo(), seed);
    const io = captureIo();
    expect(keysShow(file, { suite: 'ed25519' }, io)).toBe(0);
    for (const kind of ['node', 'member', 'device'] as const)
      expect(io.stdout).toContain(publicIdOf(kind, 'ed25519', seed));
    expect(io.stderr).toBe('');
    const loose = join(dir, 'loose.key');
    writeFileSync(loose, readFileSync(file), { mode: 0o644 });
    const io2 = captureIo();
    keysShow(loose, { suite: 'ed25519', kind: 'member', json: true }, io2);
    expect(JSON.parse(io2.stdout).keys).toHaveLength(1);
    expect(io2.stderr).toMatch(/mode 644/);
  });

  it('fails with a code, exit 1 and no stack trace on a bad key file', async () => {
    const file = join(dir, 'garbage.key');
    writeFileSync(file, 'not a key');
    expect(() => keysShow(file, { suite: 'ed25519' }, captureIo())).toThrow(ConfigError);
    const { code, io } = await runWith(register, ['keys', 'show', file]);
    expect(code).toBe(1);
    expect(io.stderr).toMatch(new RegExp(`^qm: error KEY_FILE_INVALID: ${file}: not a secret key id`));
    expect(io.stderr).not.toMatch(/\n\s+at /);
    expect(REPORTED_FAILURE).toBe('qm.reported');
  });
});
