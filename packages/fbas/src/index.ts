export * from './analyze.js';
export { Budget, type Outcome, withBudget } from './budget.js';
export { type CriticalityResult, criticality } from './criticality.js';
export { FbasError, type FbasErrorCode } from './errors.js';
export { allMinimalQuorums, blockingSets, haltingSets, type IndexFamily, splittingSets } from './families.js';
export { type WhatIf, type WhatIfResult, whatIf } from './halting.js';
export { minimalHittingSets } from './hitting-sets.js';
export { implicitMinimalHittingSets } from './implicit-hitting-sets.js';
export { checkIntersection, type IntersectionResult } from './intersection.js';
export { type GroupBy, groupKey, type MergedNetwork, mergeBy } from './merge.js';
export {
  canonicalQSet,
  minimalElements,
  minimalQuorums,
  symmetricMinimalQuorums,
} from './minimal-quorums.js';
export * from './model.js';
export {
  applyOrganizations,
  type NetworkFormat,
  type ParsedNetwork,
  parseJson,
  parseNetwork,
} from './parse.js';
export { type Mask, maskOf, membersOf, QuorumEngine, satisfies } from './quorums.js';
export { findQuorumPair, type PairQuery } from './sat.js';
export { stronglyConnectedComponents } from './scc.js';
export { minimalSplittingSets } from './splitting.js';
export { analyzeStructure, type NetworkStructure } from './structure.js';
export { topTier } from './top-tier.js';
