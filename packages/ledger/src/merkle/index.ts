export { EMPTY_ROOT, HASH_BYTES, leafHash, nodeHash } from './hash.js';
export { MerkleLog } from './log.js';
export { MemoryMerkleStore, type MerkleNode, type MerkleStore } from './store.js';
export { verifyConsistency, verifyInclusion } from './verify.js';
