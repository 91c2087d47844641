export * from './ballots.js';
export type { Driver } from './driver.js';
export * from './errors.js';
export * from './federated-voting.js';
export * from './leader-hashing.js';
export * from './quorum-set.js';
export { SCP } from './scp.js';
export * from './statements.js';
export * from './types.js';
