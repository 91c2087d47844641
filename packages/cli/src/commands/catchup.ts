/**
 * `qm catchup --config NODE_CONFIG --archive DIR [--to N] [--json]`: replays a history archive into a
 * stopped node's ledger store, verifying every ledger (header chain, a quorum's SCP statements, and
 * this node's own apply), so that a node down for longer than its peers keep SCP slots can rejoin.
 */
import {
  type CatchUpProgress,
  ConfigError,
  catchUpNode,
  genesisDescription,
  HistoryError,
  loadNodeSetup,
} from '@qm/node';
import { SingleBar } from 'cli-progress';
import { type Command, CommanderError, InvalidArgumentError } from 'commander';
import type { CliIo } from '../io.js';
import { REPORTED_FAILURE } from './keys.js';

export interface CatchupFlags {
  config: string;
  archive: string;
  to?: number;
  json?: boolean;
}

/** How progress is shown: a bar on a terminal, else a line per twentieth of the work (none with --json). */
export interface ProgressView {
  update(p: CatchUpProgress): void;
  stop(): void;
}

export function progressView(
  io: CliIo,
  json: boolean,
  /** Where the bar draws (io.interactive means stderr is a terminal); tests pass a fake terminal. */
  terminal: NodeJS.WritableStream = process.stderr,
): ProgressView {
  if (io.interactive) {
    const bar = new SingleBar({
      stream: terminal,
      format: 'catching up [{bar}] {percentage}% | ledger {ledger} | {value}/{total} | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: false,
    });
    let started = false;
    return {
      update: (p) => {
        if (!started) bar.start(p.total, 0, { ledger: p.sequence });
        started = true;
        bar.update(p.done, { ledger: p.sequence });
      },
      stop: () => {
        if (started) bar.stop();
      },
    };
  }
  if (json) return { update: () => {}, stop: () => {} };
  return {
    update: (p) => {
      const step = Math.max(1, Math.ceil(p.total / 20));
      if (p.done % step === 0 || p.done === p.total) {
        io.err(
          `catching up: ledger ${p.sequence} (${p.done}/${p.total}, ${Math.floor((100 * p.done) / p.total)}%)\n`,
        );
      }
    },
    stop: () => {},
  };
}

/** The command's body; returns the exit code (0 caught up, 1 a reported failure). */
export function catchup(flags: CatchupFlags, io: CliIo): number {
  const json = flags.json === true;
  let view: ProgressView | undefined;
  try {
    const setup = loadNodeSetup(flags.config);
    view = progressView(io, json);
    const started = performance.now();
    const r = catchUpNode({
      dataDir: setup.config.dataDir,
      archiveDir: flags.archive,
      genesis: genesisDescription(setup.genesis),
      onProgress: (p) => view!.update(p),
      ...(flags.to !== undefined && { to: flags.to }),
    });
    view.stop();
    const seconds = (performance.now() - started) / 1000;
    if (json) {
      io.out(`${JSON.stringify({ ok: true, ...r, seconds: Number(seconds.toFixed(3)) }, null, 2)}\n`);
      return 0;
    }
    const name = setup.identity.validator.name;
    if (r.applied === 0) {
      io.out(
        `${name} is already at ledger ${r.lastClosed}; the archive ends at ${r.archiveLatest}: nothing to do\n`,
      );
    } else {
      io.out(
        `${name} caught up: ledgers ${r.startedAt + 1}..${r.lastClosed} (${r.applied} ledgers, ` +
          `${r.transactions} transactions) in ${seconds.toFixed(1)} s, each proven by a quorum's SCP statements\n`,
      );
    }
    io.out(`last closed ledger: ${r.lastClosed} ${r.lastHash}\n`);
    io.out(`start the node (qm node run --config ${flags.config}) to follow the network from there\n`);
    return 0;
  } catch (e) {
    view?.stop();
    if (!(e instanceof ConfigError || isCodedError(e))) throw e;
    report(io, json, e);
    return 1;
  }
}

/**
 * Errors with a stable code: HistoryError, the ledger's LedgerError (a damaged store: STORE_CORRUPT),
 * SQLite's (SQLITE_CANTOPEN) and the file system's. They are the user's to act on, so they are reported
 * by code, not as internal errors. (Duck-typed: the CLI does not depend on @qm/ledger directly.)
 */
function isCodedError(e: unknown): e is Error & { code: string; details?: unknown } {
  return e instanceof Error && typeof (e as { code?: unknown }).code === 'string';
}

function report(
  io: CliIo,
  json: boolean,
  e: ConfigError | (Error & { code: string; details?: unknown }),
): void {
  if (json) {
    const error =
      e instanceof ConfigError || e instanceof HistoryError
        ? e.toJSON()
        : { code: e.code, message: e.message, ...(e.details !== undefined && { details: e.details }) };
    io.out(`${JSON.stringify({ ok: false, error }, null, 2)}\n`);
    return;
  }
  io.err(`qm: error ${e.code}: ${e instanceof ConfigError ? e.describe() : e.message}\n`);
  if (e instanceof HistoryError && e.lastClosed !== undefined) {
    io.err(
      `the store holds verified ledgers up to ${e.lastClosed}; nothing unverified was written. ` +
        'Fix or replace the archive and rerun to resume from there.\n',
    );
  }
  if (e instanceof HistoryError && e.code === 'HISTORY_STORE_LOCKED') {
    io.err('the node is running: stop it (Ctrl-C or SIGTERM to `qm node run`), then rerun qm catchup.\n');
  }
}

function ledgerNumber(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError('expected a ledger sequence number (1 or more)');
  }
  return n;
}

export function registerCatchupCommands(program: Command, io: CliIo): void {
  program
    .command('catchup')
    .description('catch a stopped node up from a history archive, verifying every ledger')
    .requiredOption('--config <file>', 'node config file (qm-node/1); the node must be stopped')
    .requiredOption('--archive <dir>', 'history archive directory (archive.json + ledgers/)')
    .option('--to <ledger>', 'stop after this ledger (default: the end of the archive)', ledgerNumber)
    .option('--json', 'machine-readable summary')
    .action((flags: CatchupFlags) => {
      const code = catchup(flags, io);
      if (code !== 0) throw new CommanderError(code, REPORTED_FAILURE, '');
    });
}
