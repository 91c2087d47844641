import { FbasError } from '@qm/fbas';
import { Command, CommanderError } from 'commander';
import { registerCatchupCommands } from './commands/catchup.js';
import { registerDevnetCommands } from './commands/devnet.js';
import { register as registerKeysCommands } from './commands/keys.js';
import { register as registerNetworkCommands } from './commands/network.js';
import { registerNodeCommands } from './commands/node.js';
import { registerQueryCommands } from './commands/query.js';
import { registerQuorumCommands } from './commands/quorum.js';
import { registerReceiptCommands } from './commands/receipt.js';
import { registerStatusCommands } from './commands/status.js';
import { registerTxCommands } from './commands/tx.js';
import { CliError } from './errors.js';
import type { CliIo } from './io.js';

/**
 * The `qm` program. Each command group lives in src/commands/<group>.ts and registers itself here, so
 * later groups (keys, genesis, node, devnet, tx, receipt, catch-up) are one import and one call each.
 */
export function buildProgram(io: CliIo): Command {
  const program = new Command('qm')
    .description('Quartermaster: permissioned logistics ledger on the Stellar Consensus Protocol')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError();
  registerQuorumCommands(program, io);
  registerKeysCommands(program, io);
  registerNetworkCommands(program, io);
  registerNodeCommands(program, io);
  registerDevnetCommands(program, io);
  registerReceiptCommands(program, io);
  registerCatchupCommands(program, io);
  registerStatusCommands(program, io);
  registerTxCommands(program, io);
  registerQueryCommands(program, io);
  return program;
}

/** Runs `qm` with `argv` (without node and script); returns the exit code instead of exiting. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    // Commander already printed why (usage: exit 2), or a command reported its own error (qm.reported).
    if (e instanceof CommanderError) return e.code === 'qm.reported' ? e.exitCode : e.exitCode === 0 ? 0 : 2;
    if (e instanceof CliError || e instanceof FbasError) {
      io.err(`qm: error ${e.code}: ${e.message}\n`);
      return e instanceof CliError && e.code === 'BAD_ARGUMENT' ? 2 : 1;
    }
    // A bug, not bad input: still no stack trace for the user, but say so plainly.
    io.err(`qm: internal error: ${(e as Error).message ?? String(e)}\n`);
    return 70;
  }
}
