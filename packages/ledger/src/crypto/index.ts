export { equalBytes } from './bytes.js';
export { ecdsaP256, P256_N } from './ecdsa-p256.js';
export { ed25519 } from './ed25519.js';
export { sha256 } from './hash.js';
export { LruCache } from './lru.js';
export { DEFAULT_SUITE, getSuite, listSuites, registerSuite } from './registry.js';
export {
  DOMAIN_TAG_PATTERN,
  NETWORK_ID_BYTES,
  SIGNING_PAYLOAD_VERSION,
  signingPayload,
} from './signing-payload.js';
export type { KeyPair, SignatureSuite, SuiteName } from './suite.js';
