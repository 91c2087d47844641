/**
 * A validator's own config file: where its genesis, secret key and data live and where it listens.
 * What the whole network must agree on lives in the genesis file; this file is local to one machine.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ConfigError, ROOT_FIELD } from './errors.js';
import { childPath, type Endpoint, parseJsonText, Reader, readEndpoint } from './reader.js';

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
  /**
   * Dial these validators (by their genesis name) at another address than the one the genesis
   * advertises: a NAT, a tunnel, or a test harness's proxy. Peers not listed are dialed as advertised.
   */
  peerAddresses?: Record<string, Endpoint>;
  /**
   * Added to the system clock for everything the validator decides by time (close times, timers):
   * for testing, and for simulating a host whose clock drifts. 0 or absent in production.
   */
  clockOffsetMs?: number;
}

/** Bound on `clockOffsetMs`: one day either way (a larger offset is a broken host, not a test). */
export const CLOCK_OFFSET_MS_MAX = 86_400_000;
/** Bound on the number of `peerAddresses` entries (a network's validator count is bounded the same way). */
export const PEER_ADDRESSES_MAX = 1000;

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
  const f = root.object(
    ['format', 'genesis', 'secretKeyFile', 'dataDir', 'p2p', 'http', 'admin'],
    ['log', 'peerAddresses', 'clockOffsetMs'],
  );
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
  if (f.peerAddresses !== undefined) {
    const peers: Record<string, Endpoint> = {};
    for (const [name, r] of f.peerAddresses.entries(PEER_ADDRESSES_MAX)) {
      if (name.length === 0 || name.length > 64) r.fail('is not a validator name (1-64 characters)');
      peers[name] = readEndpoint(r);
    }
    config.peerAddresses = peers;
  }
  if (f.clockOffsetMs !== undefined) {
    config.clockOffsetMs = f.clockOffsetMs.integer(-CLOCK_OFFSET_MS_MAX, CLOCK_OFFSET_MS_MAX, ' ms');
  }
  return config;
}

/**
 * The address to dial each validator at: its `peerAddresses` entry, else what the genesis advertises.
 * A `peerAddresses` name that is no validator of the genesis is an error naming that entry (a typo
 * would otherwise silently leave the peer on its advertised address).
 */
export function peerDialAddresses(
  config: Pick<NodeConfig, 'peerAddresses'>,
  validators: readonly { name: string; p2p: Endpoint }[],
): Endpoint[] {
  const overrides = config.peerAddresses ?? {};
  const names = new Set(validators.map((v) => v.name));
  for (const name of Object.keys(overrides)) {
    if (!names.has(name)) {
      new Reader(name, childPath('peerAddresses', name)).fail(
        `"${name}" names no validator of the genesis (validators: ${[...names].join(', ')})`,
      );
    }
  }
  return validators.map((v) => overrides[v.name] ?? v.p2p);
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
