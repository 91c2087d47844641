/**
 * A validator's own config file: where its genesis, secret key and data live and where it listens.
 * What the whole network must agree on lives in the genesis file; this file is local to one machine.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ConfigError, ROOT_FIELD } from './errors.js';
import { type Endpoint, parseJsonText, Reader, readEndpoint } from './reader.js';

export const NODE_CONFIG_FORMAT = 'qm-node/1';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Hosts the admin API may bind: admin operations are for the machine's own operator only. */
export const LOOPBACK_HOSTS = ['127.0.0.1', '::1', 'localhost'] as const;

export interface NodeConfig {
  format: typeof NODE_CONFIG_FORMAT;
  /** Path of the genesis file. */
  genesis: string;
  /** Path of the file holding the node's 'S...' secret (see keys.ts). */
  secretKeyFile: string;
  /** Directory of the node's database, SCP statement log and history. */
  dataDir: string;
  /** Where the peer listener binds (may differ from the address the genesis advertises, e.g. 0.0.0.0). */
  p2p: Endpoint;
  /** Public HTTP API listener. */
  http: Endpoint;
  /** Admin API listener; loopback only. */
  admin: Endpoint;
  log?: { level: LogLevel };
}

/**
 * Parses a node config. Relative paths are resolved against `baseDir` (the config file's directory),
 * so a network directory can be moved as a whole; without `baseDir` they are returned as written.
 * Port 0 (any free port) is accepted for listeners, for tests.
 */
export function parseNodeConfig(text: string, baseDir?: string): NodeConfig {
  return validateNodeConfig(parseJsonText(text), baseDir);
}

export function validateNodeConfig(value: unknown, baseDir?: string): NodeConfig {
  const root = new Reader(value);
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    new Reader((value as Record<string, unknown>).format, 'format').literal(NODE_CONFIG_FORMAT);
  }
  const f = root.object(['format', 'genesis', 'secretKeyFile', 'dataDir', 'p2p', 'http', 'admin'], ['log']);
  const path = (r: Reader): string => {
    const p = r.string({ maxLength: 4096 });
    if (p.includes('\0')) r.fail('must not contain a NUL character');
    return baseDir === undefined || isAbsolute(p) ? p : resolve(baseDir, p);
  };
  const config: NodeConfig = {
    format: NODE_CONFIG_FORMAT,
    genesis: path(f.genesis!),
    secretKeyFile: path(f.secretKeyFile!),
    dataDir: path(f.dataDir!),
    p2p: readEndpoint(f.p2p!, true),
    http: readEndpoint(f.http!, true),
    admin: readEndpoint(f.admin!, true),
  };
  if (!(LOOPBACK_HOSTS as readonly string[]).includes(config.admin.host)) {
    new Reader(config.admin.host, 'admin.host').fail(
      `must be a loopback address (${LOOPBACK_HOSTS.join(', ')}): admin operations are not exposed to the network`,
    );
  }
  // Two listeners on one port fail at startup with EADDRINUSE; say which fields collide instead.
  const ports: [string, number][] = [
    ['p2p.port', config.p2p.port],
    ['http.port', config.http.port],
    ['admin.port', config.admin.port],
  ];
  for (let i = 0; i < ports.length; i++) {
    for (let j = 0; j < i; j++) {
      if (ports[i]![1] !== 0 && ports[i]![1] === ports[j]![1]) {
        new Reader(ports[i]![1], ports[i]![0]).fail(`is the same port as ${ports[j]![0]}`);
      }
    }
  }
  if (f.log !== undefined) {
    const log = f.log.object([], ['level']);
    config.log = { level: log.level === undefined ? 'info' : log.level.oneOf(LOG_LEVELS) };
  }
  return config;
}

/** Reads and parses a node config file; errors name the file. */
export function loadNodeConfig(file: string): NodeConfig {
  const text = readConfigFile(file);
  try {
    return parseNodeConfig(text, dirname(resolve(file)));
  } catch (e) {
    if (e instanceof ConfigError) throw e.inFile(file);
    throw e;
  }
}

export function readConfigFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError('CONFIG_UNREADABLE', ROOT_FIELD, `cannot read: ${(e as Error).message}`, file);
  }
}
