/** Where a command writes; injected so tests capture output without spawning processes. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Progress goes to stderr only when it is a terminal. */
  interactive: boolean;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  interactive: process.stderr.isTTY === true,
};
