// In-process runs of `qm` command groups with captured output, the way src/program.ts runs them.
import { Command, CommanderError } from 'commander';
import type { CliIo } from '../../src/io.js';

export interface Captured extends CliIo {
  stdout: string;
  stderr: string;
}

export function captureIo(): Captured {
  const io: Captured = {
    stdout: '',
    stderr: '',
    interactive: false,
    out: (t) => {
      io.stdout += t;
    },
    err: (t) => {
      io.stderr += t;
    },
  };
  return io;
}

export type Register = (program: Command, io: CliIo) => void;

/** Parses argv with only these command groups; returns the exit code a CommanderError carries (0 if none). */
export async function runCommands(
  registers: readonly Register[],
  argv: string[],
): Promise<{ code: number; io: Captured }> {
  const io = captureIo();
  const program = new Command('qm').exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
  for (const register of registers) register(program, io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return { code: 0, io };
  } catch (e) {
    if (e instanceof CommanderError) return { code: e.exitCode, io };
    throw e;
  }
}
