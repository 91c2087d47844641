/** Reading config files from disk, and tying a node's secret to its entry in the genesis. */
import { dirname, resolve } from 'node:path';
import { equalBytes } from '@qm/ledger';
import { ConfigError, ROOT_FIELD } from './errors.js';
import { GENESIS_FORMAT, type Genesis, type GenesisValidator, parseGenesis } from './genesis.js';
import { nodeKeyPair, publicIdOf, readSecretKey, transportKeyPair } from './keys.js';
import {
  loadNodeConfig,
  NODE_CONFIG_FORMAT,
  type NodeConfig,
  parseNodeConfig,
  readConfigFile,
} from './node-config.js';
import { parseJsonText } from './reader.js';

function attributed<T>(file: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof ConfigError) throw e.inFile(file);
    throw e;
  }
}

export function loadGenesis(file: string): Genesis {
  const text = readConfigFile(file);
  return attributed(file, () => parseGenesis(text));
}

export type ConfigFile = { kind: 'genesis'; genesis: Genesis } | { kind: 'node'; config: NodeConfig };

/** Reads a genesis or a node config, told apart by its `format` field (for `qm config check`). */
export function loadConfigFile(file: string): ConfigFile {
  const text = readConfigFile(file);
  return attributed(file, (): ConfigFile => {
    const doc = parseJsonText(text);
    const format = typeof doc === 'object' && doc !== null ? (doc as { format?: unknown }).format : undefined;
    if (format === GENESIS_FORMAT) return { kind: 'genesis', genesis: parseGenesis(text) };
    if (format === NODE_CONFIG_FORMAT) {
      return { kind: 'node', config: parseNodeConfig(text, dirname(resolve(file))) };
    }
    throw new ConfigError(
      'CONFIG_INVALID',
      format === undefined ? ROOT_FIELD : 'format',
      `must be '${GENESIS_FORMAT}' (a genesis file) or '${NODE_CONFIG_FORMAT}' (a node config), not ${JSON.stringify(format ?? null)}`,
    );
  });
}

export interface NodeIdentity {
  validator: GenesisValidator;
  index: number;
  nodeKey: ReturnType<typeof nodeKeyPair>;
  transportKey: ReturnType<typeof transportKeyPair>;
}

/**
 * Finds the validator a node seed belongs to and checks that the genesis lists the transport key this
 * seed derives; a node started with the wrong key file fails here with a clear message, not later with
 * peers refusing its handshake.
 */
export function resolveNodeIdentity(
  genesis: Genesis,
  seed: Uint8Array,
  secretKeyFile?: string,
): NodeIdentity {
  const nodeId = publicIdOf('node', genesis.suite, seed);
  const index = genesis.validators.findIndex((v) => v.nodeId === nodeId);
  if (index < 0) {
    throw new ConfigError(
      'CONFIG_INVALID',
      'secretKeyFile',
      `this key is node ${nodeId}, which is not a validator of network "${genesis.name}"`,
      secretKeyFile,
    );
  }
  const validator = genesis.validators[index]!;
  const transportKey = transportKeyPair(seed);
  if (!equalBytes(transportKey.publicKey, Buffer.from(validator.transportPublicKey, 'hex'))) {
    throw new ConfigError(
      'CONFIG_INVALID',
      `validators[${index}].transportPublicKey`,
      `does not match the transport key derived from ${validator.name}'s secret key`,
    );
  }
  return { validator, index, nodeKey: nodeKeyPair(genesis.suite, seed), transportKey };
}

export interface NodeSetup {
  config: NodeConfig;
  genesis: Genesis;
  identity: NodeIdentity;
  /** The node's 32-byte seed (secret: keep it out of logs). */
  seed: Uint8Array;
}

/**
 * Everything `qm node run` needs from disk, checked together: the node config, the genesis it names,
 * and the secret key, which must belong to one of the genesis validators. Errors name the file and field.
 */
export function loadNodeSetup(configFile: string): NodeSetup {
  const config = loadNodeConfig(configFile);
  const genesis = loadGenesis(config.genesis);
  const seed = readSecretKey(config.secretKeyFile);
  const identity = resolveNodeIdentity(genesis, seed, config.secretKeyFile);
  return { config, genesis, identity, seed };
}
