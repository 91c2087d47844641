/** The demo workload and the HTTP load driver used by `qm devnet` and the load benchmark. */
export { ACTIVITY_WEIGHTS } from './activities.js';
export { ActorDirectory, type Actors, type Signer } from './actors.js';
export { BULK, SERIALIZED, sitesForOrg } from './catalog.js';
export {
  DemoWorkload,
  type DemoWorkloadOptions,
  type GeneratedTx,
  MAX_IN_FLIGHT_PER_SOURCE,
  offerIdFromResult,
  type TxOutcome,
} from './demo-workload.js';
export { ACTIVITY_KINDS, type ActivityKind, type TxKind } from './plan.js';
export { Prng } from './prng.js';
export { type LoadReport, type LoadSource, type RunLoadOptions, runLoad } from './run-load.js';
export { type SeedNetworkOptions, type SeedReport, type SeedSource, seedNetwork } from './seed-network.js';
export { readEvents, type SseEvent, SseParser } from './sse.js';
export { type Percentiles, percentile, percentiles } from './stats.js';
