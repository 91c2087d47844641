/** The fire harness: a seeded nemesis over real validator processes, and checkers over what it recorded. */
export { type CampaignSummary, summarize } from './campaign.js';
export {
  CHECKERS,
  type CheckerName,
  checkAgreement,
  checkAll,
  checkDurability,
  checkHalting,
  checkRecovery,
  type Violation,
} from './checkers.js';
export * from './history.js';
export { renderCampaign, spliceCampaign } from './report.js';
export { type FireRunOptions, type FireRunResult, firePort, runFire } from './run.js';
export { type FaultStep, faultSchedule, type ScheduleOptions } from './schedule.js';
