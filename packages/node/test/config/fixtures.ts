// A small valid network for config tests, built deterministically.
import { type CreatedNetwork, createNetwork, type Genesis } from '../../src/config/index.js';

export const TEST_SEED = new Uint8Array(32).fill(7);

export function testNetwork(
  validators = 4,
  organizations = 1,
  suite: 'ed25519' | 'ecdsa-p256' = 'ed25519',
): CreatedNetwork {
  return createNetwork({
    name: 'test-net',
    suite,
    validators,
    organizations,
    basePort: 11625,
    host: '127.0.0.1',
    seed: TEST_SEED,
    createdAt: 1_764_000_000,
  });
}

/** A deep copy of a valid genesis as plain JSON, for tests to break one field of. */
export function genesisJson(network: CreatedNetwork = testNetwork()): Record<string, unknown> & Genesis {
  return JSON.parse(JSON.stringify(network.genesis));
}

/** A JSON document a test reaches into to break one field; typed loosely on purpose. */
// biome-ignore lint/suspicious/noExplicitAny: tests write arbitrary (also wrongly typed) values into JSON.
export type LooseJson = any;
