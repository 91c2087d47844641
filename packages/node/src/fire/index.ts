/** The fire harness: a seeded nemesis over real validator processes, and checkers over what it recorded. */
export { type CampaignSummary, summarize } from './campaign.js';
export {
  CHECKERS,
  type CheckerName,
  checkAgreement,
  checkAll,
  checkCorruption,
  checkDurability,
  checkHalting,
  checkProgress,
  checkRecovery,
  type Violation,
} from './checkers.js';
export { checkpoint, damageFile, integrityOf } from './faults.js';
export * from './history.js';
export { type LinkMode, LinkProxy } from './link-proxy.js';
export {
  ClusterLinks,
  components,
  editNodeConfig,
  type Link,
  linksBetween,
  linksOf,
  type Prediction,
  predictPartition,
} from './links.js';
export { renderCampaign, spliceCampaign } from './report.js';
export { type FireRunOptions, type FireRunResult, firePort, runFire } from './run.js';
export {
  CORRUPT_FILES,
  type CorruptPlan,
  type FaultStep,
  faultSchedule,
  type ScheduleOptions,
} from './schedule.js';
