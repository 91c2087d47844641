// Starts a rogue validator as a process of its own (rogue-main.ts under tsx), as the nemesis and the
// tests drive it: its stderr goes to a log file, its report comes back when it exits.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RogueMode, RogueReport } from './rogue.js';

export const ROGUE_REPORT_PREFIX = 'ROGUE_REPORT ';

const MAIN = fileURLToPath(new URL('./rogue-main.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));

export interface SpawnRogueOptions {
  readonly configFile: string;
  readonly mode: RogueMode;
  readonly durationMs: number;
  readonly logPath: string;
  readonly listen?: string;
  readonly targets?: readonly string[];
  readonly dataDir?: string;
  readonly conflictSlots?: readonly number[];
}

export interface RogueProcess {
  readonly pid: number | undefined;
  /** Resolves when the process exits: its report (null if it printed none) and exit code. */
  readonly done: Promise<{ report: RogueReport | null; code: number | null; signal: string | null }>;
  /** Asks it to end now (SIGTERM); it still reports. */
  end(): void;
}

export function spawnRogue(o: SpawnRogueOptions): RogueProcess {
  const args = ['--import', 'tsx', MAIN, '--config', o.configFile, '--mode', o.mode];
  args.push('--duration-ms', String(o.durationMs));
  if (o.listen) args.push('--listen', o.listen);
  if (o.targets) args.push('--targets', o.targets.join(','));
  if (o.dataDir) args.push('--data-dir', o.dataDir);
  // '=' form: a value starting with '-' would read as an option.
  if (o.conflictSlots) args.push(`--conflict-slots=${o.conflictSlots.join(',')}`);
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(o.logPath, { flags: 'a' });
  child.stderr!.pipe(log);
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  const done = new Promise<{ report: RogueReport | null; code: number | null; signal: string | null }>(
    (resolve) => {
      child.once('exit', (code, signal) => {
        const line = out.split('\n').find((l) => l.startsWith(ROGUE_REPORT_PREFIX));
        let report: RogueReport | null = null;
        if (line) {
          try {
            report = JSON.parse(line.slice(ROGUE_REPORT_PREFIX.length)) as RogueReport;
          } catch {
            report = null;
          }
        }
        if (!line && out.length > 0) log.write(out);
        resolve({ report, code, signal });
      });
    },
  );
  return { pid: child.pid, done, end: () => void child.kill('SIGTERM') };
}
