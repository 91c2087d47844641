import { runNodeProcess } from '@qm/node/run';
import type { Command } from 'commander';
import type { CliIo } from '../io.js';

/** `qm node run --config FILE`: one validator in the foreground until SIGTERM or Ctrl-C. */
export function registerNodeCommands(program: Command, _io: CliIo): void {
  const node = program.command('node').description('run a validator');
  node
    .command('run')
    .description('start the validator described by a node config (written by `qm network init`)')
    .requiredOption('--config <file>', 'node config file (qm-node/1)')
    .action(async (flags: { config: string }) => {
      await runNodeProcess(flags.config);
      // The process now serves until a signal stops it.
      await new Promise(() => {});
    });
}
