/**
 * Key files and the keys a node derives from its one secret.
 *
 * A node keeps a single 32-byte seed, stored as a secret id ('S...', strkey with checksum, so a
 * truncated or mistyped file is caught). Two keys derive from it:
 * - the node key, of the network's signature suite: `suite.generateKeyPair(seed)`; its public key is the
 *   node id `N...` that quorum sets name and that signs SCP statements;
 * - the transport key, always Ed25519 (libp2p's identity and Noise handshake key), from
 *   `sha256('qm/transport/v1' || seed)`. Deriving it under its own label keeps the two keys independent
 *   (a transport signature can never be replayed as a consensus signature) and lets an ecdsa-p256
 *   network still use libp2p's Ed25519 peer ids, while the operator backs up one secret, not two.
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { decodeId, ed25519, encodeId, getSuite, type KeyPair, LedgerError, sha256 } from '@qm/ledger';
import { ConfigError, ROOT_FIELD } from './errors.js';

export const SEED_BYTES = 32;
const TRANSPORT_LABEL = new TextEncoder().encode('qm/transport/v1');

/** Suites a network may choose today (GOST and SM2 are reserved, see DESIGN.md). */
export const NETWORK_SUITES = ['ed25519', 'ecdsa-p256'] as const;
export type NetworkSuite = (typeof NETWORK_SUITES)[number];

function checkSeed(seed: Uint8Array): void {
  if (!(seed instanceof Uint8Array) || seed.length !== SEED_BYTES) {
    throw new RangeError(`a key seed must be ${SEED_BYTES} bytes`);
  }
}

/** The Ed25519 seed of the transport (libp2p) key: sha256('qm/transport/v1' || seed). */
export function deriveTransportSeed(seed: Uint8Array): Uint8Array {
  checkSeed(seed);
  return sha256(TRANSPORT_LABEL, seed);
}

export function transportKeyPair(seed: Uint8Array): KeyPair {
  return ed25519.generateKeyPair(deriveTransportSeed(seed));
}

/** Hex of the transport public key, as the genesis file lists it. */
export function transportPublicKeyHex(seed: Uint8Array): string {
  return Buffer.from(transportKeyPair(seed).publicKey).toString('hex');
}

/** The node's consensus key pair in the network's suite. */
export function nodeKeyPair(suite: NetworkSuite, seed: Uint8Array): KeyPair {
  checkSeed(seed);
  return getSuite(suite).generateKeyPair(seed);
}

/** The public id of the key a seed makes: `N...` for a node, `M...` for a member, `D...` for a device. */
export function publicIdOf(
  kind: 'node' | 'member' | 'device',
  suite: NetworkSuite,
  seed: Uint8Array,
): string {
  return encodeId(kind, nodeKeyPair(suite, seed).publicKey);
}

export const secretIdOf = (seed: Uint8Array): string => {
  checkSeed(seed);
  return encodeId('secret', seed);
};

/**
 * Writes a secret key file: the 'S...' id and a newline, readable by the owner only (0600). The mode
 * is set again after writing because `mode` applies only when the file is created. With `exclusive`,
 * an existing file is never replaced (ConfigError CONFIG_EXISTS): a replaced secret is a key lost.
 */
export function writeSecretKey(path: string, seed: Uint8Array, options: { exclusive?: boolean } = {}): void {
  try {
    // `exclusive`: fail rather than replace, atomically (no window between a check and the write).
    writeFileSync(path, `${secretIdOf(seed)}\n`, { mode: 0o600, flag: options.exclusive ? 'wx' : 'w' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new ConfigError('CONFIG_EXISTS', ROOT_FIELD, 'refusing to overwrite an existing key file', path);
    }
    throw e;
  }
  chmodSync(path, 0o600);
}

/** Reads the seed from a secret key file. Throws ConfigError (CONFIG_UNREADABLE or KEY_FILE_INVALID). */
export function readSecretKey(path: string): Uint8Array {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(
      'CONFIG_UNREADABLE',
      ROOT_FIELD,
      `cannot read key file: ${(e as Error).message}`,
      path,
    );
  }
  return parseSecretKey(text, path);
}

/** The seed in a key file's text (surrounding whitespace allowed). */
export function parseSecretKey(text: string, file?: string): Uint8Array {
  const id = text.trim();
  try {
    return decodeId(id, 'secret').bytes;
  } catch (e) {
    if (!(e instanceof LedgerError)) throw e;
    const hint = /^[NMD]/.test(id)
      ? ' (this looks like a public id; the key file must hold the S... secret)'
      : '';
    throw new ConfigError('KEY_FILE_INVALID', ROOT_FIELD, `not a secret key id: ${e.message}${hint}`, file);
  }
}
