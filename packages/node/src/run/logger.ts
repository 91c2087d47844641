// One JSON object per line on stdout: what operators grep and ship to their log stack.
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  log(level: LogLevel, msg: string, data?: object): void;
}

export function jsonLogger(
  name: string,
  min: LogLevel = 'info',
  write = (line: string) => process.stdout.write(line),
): Logger {
  return {
    log(level, msg, data) {
      if (RANK[level] < RANK[min]) return;
      write(`${JSON.stringify({ t: new Date().toISOString(), level, node: name, msg, ...data })}\n`);
    },
  };
}
