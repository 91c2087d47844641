/**
 * `qm network init DIR`: a new network's genesis, node configs and keys in one directory, with the
 * quorum configuration checked before anyone runs it; `qm config check FILE`: validate a genesis or node
 * config (and, for a node, the genesis and key it points to), naming the bad field.
 */
import { isIP } from 'node:net';
import { basename, join, resolve } from 'node:path';
import {
  checkGenesisQuorum,
  createNetwork,
  type Genesis,
  genesisFileHash,
  hasQuorumErrors,
  loadConfigFile,
  loadNodeSetup,
  NETWORK_SUITES,
  type NetworkSuite,
  networkIdText,
  type QuorumWarning,
  validateGenesis,
  writeNetwork,
} from '@qm/node';
import { type Command, Option } from 'commander';
import { CliError } from '../errors.js';
import { type CliIo, processIo } from '../io.js';
import { reportingErrors } from './keys.js';

const HOSTNAME =
  /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

function intOption(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) {
    throw new CliError('BAD_ARGUMENT', `${flag} must be an integer from ${min} to ${max}, got '${text}'`);
  }
  return n;
}

function printWarnings(io: CliIo, warnings: readonly QuorumWarning[]): void {
  if (warnings.length === 0) {
    io.out('quorum: intersection holds; no single validator or organization can halt the network\n');
    return;
  }
  io.out('quorum:\n');
  for (const w of warnings) io.out(`  ${w.level} ${w.code}: ${w.message}\n`);
}

export interface NetworkInitOptions {
  validators: number;
  orgs: number;
  suite: NetworkSuite;
  basePort: number;
  host: string;
  force?: boolean;
  /** Network name; default the directory's name. */
  name?: string;
  json?: boolean;
  /** Deterministic keys and time, for tests. */
  seed?: Uint8Array;
  createdAt?: number;
}

/** `qm network init`. Exit code 0; quorum warnings are printed, not fatal (errors would be a bug here). */
export function networkInit(dir: string, opts: NetworkInitOptions, io: CliIo): number {
  if (isIP(opts.host) === 0 && !HOSTNAME.test(opts.host)) {
    throw new CliError('BAD_ARGUMENT', `--host must be a host name or an IP address, got '${opts.host}'`);
  }
  const name = opts.name ?? basename(resolve(dir));
  if (name.length === 0 || name.length > 64) {
    throw new CliError(
      'BAD_ARGUMENT',
      `the network name must be 1 to 64 characters; pass --name (got '${name}')`,
    );
  }
  let network: ReturnType<typeof createNetwork>;
  try {
    network = createNetwork({
      name,
      suite: opts.suite,
      validators: opts.validators,
      organizations: opts.orgs,
      basePort: opts.basePort,
      host: opts.host,
      ...(opts.seed !== undefined && { seed: opts.seed }),
      ...(opts.createdAt !== undefined && { createdAt: opts.createdAt }),
    });
  } catch (e) {
    if (e instanceof RangeError) throw new CliError('BAD_ARGUMENT', e.message);
    throw e;
  }
  // What we write must be what a node will accept: validate the genesis exactly as it will be read.
  validateGenesis(JSON.parse(JSON.stringify(network.genesis)));
  const files = writeNetwork(dir, network, { force: opts.force === true });
  const warnings = checkGenesisQuorum(network.genesis);
  const networkId = networkIdText(network.genesis);
  if (opts.json) {
    io.out(`${JSON.stringify({ ok: true, dir, name, networkId, files, warnings }, null, 2)}\n`);
    return 0;
  }
  io.out(`network "${name}" (${networkId}), suite ${opts.suite}, written to ${dir}:\n`);
  for (const f of files) io.out(`  ${join(dir, f)}\n`);
  printWarnings(io, warnings);
  io.out(`start a validator: qm node run --config ${join(dir, network.nodeConfigs[0]!.path)}\n`);
  return 0;
}

export interface ConfigCheckOptions {
  json?: boolean;
}

function genesisSummary(g: Genesis): Record<string, unknown> {
  return {
    name: g.name,
    networkId: networkIdText(g),
    fileHash: Buffer.from(genesisFileHash(g)).toString('hex'),
    suite: g.suite,
    organizations: g.organizations.length,
    members: g.members.length,
    validators: g.validators.map((v) => v.name),
  };
}

/**
 * `qm config check FILE`: 0 when valid, 1 when the file (or, for a node config, its genesis or key
 * file) is invalid or the quorum configuration has errors.
 */
export function configCheck(file: string, opts: ConfigCheckOptions, io: CliIo): number {
  const loaded = loadConfigFile(file);
  let genesis: Genesis;
  const result: Record<string, unknown> = { ok: true, file, kind: loaded.kind };
  if (loaded.kind === 'genesis') {
    genesis = loaded.genesis;
  } else {
    // A node config is only good if its genesis and key are too, and the key is one of its validators.
    const setup = loadNodeSetup(file);
    genesis = setup.genesis;
    result.node = {
      name: setup.identity.validator.name,
      nodeId: setup.identity.validator.nodeId,
      ...setup.config,
    };
  }
  const warnings = checkGenesisQuorum(genesis);
  result.ok = !hasQuorumErrors(warnings);
  result.genesis = genesisSummary(genesis);
  result.warnings = warnings;
  if (opts.json) {
    io.out(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    const s = result.genesis as ReturnType<typeof genesisSummary>;
    if (loaded.kind === 'node') {
      const node = result.node as { name: string; nodeId: string };
      io.out(`${file}: valid node config for ${node.name} (${node.nodeId})\n`);
    } else {
      io.out(`${file}: valid genesis\n`);
    }
    io.out(
      `network "${s.name}" (${s.networkId}), suite ${s.suite}: ${s.organizations} organization(s), ` +
        `${s.members} member(s), ${(s.validators as string[]).length} validator(s)\n`,
    );
    io.out(`genesis file hash ${s.fileHash} (compare across nodes: they must hold the same file)\n`);
    printWarnings(io, warnings);
  }
  return result.ok ? 0 : 1;
}

interface InitFlags {
  validators: string;
  orgs: string;
  suite: NetworkSuite;
  basePort: string;
  host: string;
  force?: boolean;
  name?: string;
  json?: boolean;
}

export function register(program: Command, io: CliIo = processIo): void {
  const network = program.command('network').description('create a network');
  network
    .command('init')
    .description('write a new network: genesis.json, node-N/ (config and key), members/ keys, README.txt')
    .argument('<dir>', 'directory to create (must be empty unless --force)')
    .option('--validators <n>', 'number of validators', '4')
    .option(
      '--orgs <n>',
      'number of organizations (validators are spread over them; any beyond the validators run none)',
      '1',
    )
    .addOption(new Option('--suite <suite>', 'signature suite').choices(NETWORK_SUITES).default('ed25519'))
    .option('--base-port <port>', 'node i uses base+10i (p2p), +1 (http), +2 (admin)', '11625')
    .option('--host <host>', 'address validators bind and advertise', '127.0.0.1')
    .option('--name <name>', "network name (default: the directory's name)")
    .option('--force', 'write into a non-empty directory, replacing network files')
    .option('--json', 'machine-readable output')
    .action((dir: string, flags: InitFlags) =>
      reportingErrors(io, flags.json, () =>
        networkInit(
          dir,
          {
            validators: intOption('--validators', flags.validators, 1, 1000),
            orgs: intOption('--orgs', flags.orgs, 1, 999),
            suite: flags.suite,
            basePort: intOption('--base-port', flags.basePort, 1, 65_535),
            host: flags.host,
            ...(flags.force !== undefined && { force: flags.force }),
            ...(flags.name !== undefined && { name: flags.name }),
            ...(flags.json !== undefined && { json: flags.json }),
          },
          io,
        ),
      ),
    );

  program
    .command('config')
    .description('configuration files')
    .command('check')
    .description('validate a genesis file or a node config (with its genesis and key), naming any bad field')
    .argument('<file>', 'genesis.json or a node config.json')
    .option('--json', 'machine-readable output')
    .action((file: string, flags: ConfigCheckOptions) =>
      reportingErrors(io, flags.json, () => configCheck(file, flags, io)),
    );
}
