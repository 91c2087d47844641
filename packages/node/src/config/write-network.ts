/** Writes a created network to a directory: the layout `qm network init` produces (docs/configuration.md). */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CreatedNetwork } from './create-network.js';
import { ConfigError, ROOT_FIELD } from './errors.js';
import { genesisFileHash, networkIdText } from './genesis.js';
import { writeSecretKey } from './keys.js';

export interface WriteNetworkOptions {
  /** Write into a non-empty directory, replacing files of the same names. */
  force?: boolean;
}

/** Paths written, relative to `dir`, in the order written. */
export function writeNetwork(
  dir: string,
  network: CreatedNetwork,
  options: WriteNetworkOptions = {},
): string[] {
  if (existsSync(dir) && readdirSync(dir).length > 0 && !options.force) {
    throw new ConfigError(
      'CONFIG_EXISTS',
      ROOT_FIELD,
      'directory is not empty; choose another or pass --force to overwrite its network files',
      dir,
    );
  }
  const written: string[] = [];
  const put = (rel: string, text: string) => {
    const full = join(dir, rel);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
    written.push(rel);
  };
  const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

  put('genesis.json', json(network.genesis));
  for (const n of network.nodeConfigs) put(n.path, json(n.config));
  for (const s of network.secrets) {
    const full = join(dir, s.path);
    // Key directories are private too: a listing of members/ already tells who holds keys.
    mkdirSync(dirname(full), { recursive: true, mode: 0o700 });
    writeSecretKey(full, s.seed);
    written.push(s.path);
  }
  put('README.txt', readme(network));
  return written;
}

function readme(network: CreatedNetwork): string {
  const g = network.genesis;
  const lines = [
    `Quartermaster network "${g.name}"`,
    `network id: ${networkIdText(g)}`,
    `genesis file hash: ${Buffer.from(genesisFileHash(g)).toString('hex')}`,
    `signature suite: ${g.suite}`,
    '',
    'genesis.json            the network: organizations, members, validators, quorum sets (share with',
    '                        every operator and auditor; any change makes a different network)',
    '',
    'Validators (start one with: qm node run --config node-N/config.json):',
  ];
  network.nodeConfigs.forEach((n, i) => {
    const v = g.validators[i]!;
    lines.push(
      `  ${n.path.padEnd(22)} ${v.name} (${v.org}) p2p ${v.p2p.host}:${v.p2p.port}, http ${v.http.host}:${v.http.port}, ` +
        `admin ${n.config.admin.host}:${n.config.admin.port}`,
      `  ${dirname(n.path)}/secret.key${' '.repeat(Math.max(1, 12 - dirname(n.path).length))}node ${v.nodeId}`,
    );
  });
  lines.push('', 'Members (demo accounts; each key file holds an S... secret, mode 0600):');
  for (const m of network.members)
    lines.push(`  ${m.path.padEnd(40)} ${m.roles.join(',').padEnd(16)} ${m.id}`);
  lines.push(
    '',
    'Secret key files (*.key) give full control of a node or member: keep them off shared drives, back',
    'them up offline, and copy each node directory only to the machine that runs that node.',
    '',
  );
  return lines.join('\n');
}
