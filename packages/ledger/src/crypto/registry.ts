/**
 * Suite registry: the network's genesis names a suite, nodes look it up here. New suites (GOST R
 * 34.10-2012 with Streebog, SM2 with SM3) register themselves with `registerSuite` without any change
 * to code that only speaks the SignatureSuite interface.
 */
import { LedgerError } from '../errors.js';
import { ecdsaP256 } from './ecdsa-p256.js';
import { ed25519 } from './ed25519.js';
import type { SignatureSuite } from './suite.js';

export const DEFAULT_SUITE = 'ed25519';

const suites = new Map<string, SignatureSuite>([
  [ed25519.name, ed25519],
  [ecdsaP256.name, ecdsaP256],
]);

export function registerSuite(suite: SignatureSuite): void {
  if (suites.has(suite.name)) {
    throw new LedgerError('CRYPTO_SUITE_EXISTS', `signature suite ${suite.name} is already registered`, {
      suite: suite.name,
    });
  }
  suites.set(suite.name, suite);
}

export function getSuite(name: string = DEFAULT_SUITE): SignatureSuite {
  const suite = suites.get(name);
  if (suite === undefined) {
    throw new LedgerError('CRYPTO_UNKNOWN_SUITE', `unknown signature suite ${name}`, {
      suite: name,
      known: [...suites.keys()],
    });
  }
  return suite;
}

export function listSuites(): string[] {
  return [...suites.keys()];
}
