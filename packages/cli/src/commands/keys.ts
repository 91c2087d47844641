/**
 * `qm keys generate` and `qm keys show`: a key is a 32-byte seed kept as an 'S...' secret id in a 0600
 * file; its public ids (N... node, M... member, D... device) depend on the network's signature suite.
 */
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import {
  ConfigError,
  NETWORK_SUITES,
  type NetworkSuite,
  publicIdOf,
  readSecretKey,
  SEED_BYTES,
  secretIdOf,
  transportPublicKeyHex,
  writeSecretKey,
} from '@qm/node';
import { type Command, CommanderError, Option } from 'commander';
import { type CliIo, processIo } from '../io.js';

export const KEY_KINDS = ['member', 'node', 'device'] as const;
export type KeyKind = (typeof KEY_KINDS)[number];

/**
 * The CommanderError code of a failure the command has already reported to the user; the program's
 * runner should exit with its exitCode (1) and print nothing more.
 */
export const REPORTED_FAILURE = 'qm.reported';

/**
 * Runs a command body: a ConfigError (bad config, bad key file, refusing to overwrite) is printed as
 * `qm: error CODE: file: field: message` (or as JSON with --json), never as a stack trace, and the
 * command fails with exit code 1. Other errors (CliError, bugs) go on to the program's runner.
 */
export function reportingErrors(io: CliIo, json: boolean | undefined, run: () => number): void {
  let code: number;
  try {
    code = run();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    if (json) io.out(`${JSON.stringify({ ok: false, error: e.toJSON() }, null, 2)}\n`);
    else io.err(`qm: error ${e.code}: ${e.describe()}\n`);
    code = 1;
  }
  if (code !== 0) throw new CommanderError(code, REPORTED_FAILURE, '');
}

export interface KeysGenerateOptions {
  kind: KeyKind;
  suite: NetworkSuite;
  /** Write the secret to this file (0600) instead of printing it. */
  out?: string;
  json?: boolean;
}

export interface KeyReport {
  kind: KeyKind;
  suite: NetworkSuite;
  /** N..., M... or D... */
  publicId: string;
  /** Ed25519 transport key (hex) a node lists in the genesis; nodes only. */
  transportPublicKey?: string;
  file?: string;
  /** Printed only when not written to a file. */
  secret?: string;
}

function describeKey(kind: KeyKind, suite: NetworkSuite, seed: Uint8Array): KeyReport {
  const report: KeyReport = { kind, suite, publicId: publicIdOf(kind, suite, seed) };
  if (kind === 'node') report.transportPublicKey = transportPublicKeyHex(seed);
  return report;
}

function printReport(io: CliIo, r: KeyReport): void {
  io.out(`${`${r.kind} id:`.padEnd(16)}${r.publicId}\n`);
  io.out(`${'suite:'.padEnd(16)}${r.suite}\n`);
  if (r.transportPublicKey !== undefined) io.out(`${'transport key:'.padEnd(16)}${r.transportPublicKey}\n`);
  if (r.file !== undefined) io.out(`${'secret in:'.padEnd(16)}${r.file} (mode 0600)\n`);
  if (r.secret !== undefined) io.out(`${'secret:'.padEnd(16)}${r.secret}\n`);
}

/** `qm keys generate`. `seed` is injectable for tests; by default it comes from the system CSPRNG. */
export function keysGenerate(
  opts: KeysGenerateOptions,
  io: CliIo,
  seed: Uint8Array = new Uint8Array(randomBytes(SEED_BYTES)),
): number {
  const report = describeKey(opts.kind, opts.suite, seed);
  if (opts.out !== undefined) {
    // A secret overwritten is a key lost for good: never replace an existing file.
    writeSecretKey(opts.out, seed, { exclusive: true });
    report.file = opts.out;
  } else {
    report.secret = secretIdOf(seed);
    if (!opts.json)
      io.err('qm: the secret is printed once; keep it private (use --out FILE to write a 0600 file)\n');
  }
  if (opts.json) io.out(`${JSON.stringify(report, null, 2)}\n`);
  else printReport(io, report);
  return 0;
}

export interface KeysShowOptions {
  suite: NetworkSuite;
  /** Show only this kind's id; default all three. */
  kind?: KeyKind;
  json?: boolean;
}

/** `qm keys show FILE`: the public ids of a secret key file, without printing the secret. */
export function keysShow(file: string, opts: KeysShowOptions, io: CliIo): number {
  const seed = readSecretKey(file);
  const kinds = opts.kind === undefined ? KEY_KINDS : [opts.kind];
  const reports = kinds.map((k) => ({ ...describeKey(k, opts.suite, seed), file }));
  const mode = statSync(file).mode & 0o777;
  const loose = (mode & 0o077) !== 0;
  if (opts.json) {
    io.out(`${JSON.stringify({ file, mode: mode.toString(8), keys: reports }, null, 2)}\n`);
  } else {
    io.out(`${'file:'.padEnd(16)}${file}\n${'suite:'.padEnd(16)}${opts.suite}\n`);
    for (const r of reports) {
      io.out(`${`${r.kind} id:`.padEnd(16)}${r.publicId}\n`);
      if (r.transportPublicKey !== undefined)
        io.out(`${'transport key:'.padEnd(16)}${r.transportPublicKey}\n`);
    }
  }
  if (loose)
    io.err(`qm: warning: ${file} has mode ${mode.toString(8)}; others can read it (chmod 600 ${file})\n`);
  return 0;
}

export function register(program: Command, io: CliIo = processIo): void {
  const keys = program.command('keys').description('generate and inspect key files');
  keys
    .command('generate')
    .description('generate a key: prints its public id and writes (or prints) its secret')
    .addOption(new Option('--kind <kind>', 'what the key is for').choices(KEY_KINDS).default('member'))
    .addOption(
      new Option('--suite <suite>', "the network's signature suite")
        .choices(NETWORK_SUITES)
        .default('ed25519'),
    )
    .option('--out <file>', 'write the secret to this new file (mode 0600) instead of printing it')
    .option('--json', 'machine-readable output')
    .action((flags: KeysGenerateOptions) => reportingErrors(io, flags.json, () => keysGenerate(flags, io)));
  keys
    .command('show')
    .description("show a secret key file's public ids (never the secret)")
    .argument('<file>', "file holding an 'S...' secret")
    .addOption(new Option('--kind <kind>', 'show only this kind of id').choices(KEY_KINDS))
    .addOption(
      new Option('--suite <suite>', "the network's signature suite")
        .choices(NETWORK_SUITES)
        .default('ed25519'),
    )
    .option('--json', 'machine-readable output')
    .action((file: string, flags: KeysShowOptions) =>
      reportingErrors(io, flags.json, () => keysShow(file, flags, io)),
    );
}
