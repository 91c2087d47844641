// A validator as an operating-system process: start from the config, stop cleanly on SIGTERM/SIGINT,
// and turn configuration mistakes into one clear line and exit code 1 (no stack trace).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../config/index.js';
import { startNode } from './start-node.js';

/** The dashboard, when built (npm run build -w @qm/web). */
export const DASHBOARD_DIR = fileURLToPath(new URL('../../../web/dist', import.meta.url));

export async function runNodeProcess(configFile: string | undefined): Promise<void> {
  if (!configFile) {
    process.stderr.write('usage: qm node run --config FILE\n');
    process.exit(2);
  }
  try {
    const node = await startNode(
      configFile,
      existsSync(DASHBOARD_DIR) ? { dashboardDir: DASHBOARD_DIR } : {},
    );
    const shutdown = () => void node.stop().then(() => process.exit(0));
    process.once('SIGTERM', shutdown);
    process.once('SIGINT', shutdown);
  } catch (e) {
    const err = e as { code?: string; message?: string };
    if (e instanceof ConfigError || typeof err.code === 'string') {
      process.stderr.write(`error ${err.code ?? 'ERROR'}: ${err.message}\n`);
      process.exit(1);
    }
    throw e;
  }
}
