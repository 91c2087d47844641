import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFbas, type Fbas, parseNetwork } from '../src/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** The shared data sits beside the repository: ../shared/data/stellar-networks. */
export const dataDir = path.resolve(repoRoot, '..', 'shared', 'data', 'stellar-networks');

export function loadNetwork(relative: string, organizations?: string): Fbas {
  const text = readFileSync(path.join(dataDir, relative), 'utf8');
  const orgs =
    organizations === undefined ? undefined : readFileSync(path.join(dataDir, organizations), 'utf8');
  return buildFbas(parseNetwork(text, orgs).nodes);
}

export const haveData = existsSync(dataDir);
