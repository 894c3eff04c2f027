// Public API of @steward/feedback-domain: pure functions over plain data.
// Errors: every function throws `DomainError` from @steward/domain-kernel with one of these codes.
export { FeedbackErrorCode } from './errors';
export { nps, enps, type NpsResult } from './nps';
export { csat, type CsatResult } from './csat';
export { ces, type CesResult } from './ces';
export {
  engagement,
  engagementBand,
  respondentEngagement,
  ENGAGEMENT_BANDS,
  ENGAGEMENT_LEVELS,
  type EngagementBand,
  type EngagementLevel,
  type EngagementLevelScores,
  type EngagementResponse,
  type EngagementResult,
  type RespondentEngagement,
} from './engagement';
export {
  addResponse,
  cesFromRollup,
  csatFromRollup,
  emptyRollup,
  engagementFromRollup,
  enpsFromRollup,
  mergeAll,
  mergeRollups,
  npsFromRollup,
  rollupOf,
  ROLLUP_KINDS,
  ROLLUP_LENGTH,
  type ResponseByKind,
  type Rollup,
  type RollupKind,
} from './rollup';
export {
  keyDrivers,
  minimumSample,
  MAX_SHAPLEY_DRIVERS,
  PRIORITY_QUADRANTS,
  type DriverResult,
  type KeyDriverInput,
  type KeyDriverMethod,
  type KeyDriverRespondent,
  type KeyDriverResult,
  type PriorityQuadrant,
} from './key-drivers';
export { fDistributionUpperTail, regularizedIncompleteBeta, studentTTwoSided } from './stats';
export {
  analyseDrivers,
  allSubsetRSquared,
  logisticRegression,
  MISSING_RULE,
  prng,
  sampledShapley,
  shapleyFromSubsets,
  type AnalysedDriver,
  type AnalysisQuadrant,
  type AnalysisRespondent,
  type DriverAnalysis,
  type DriverAnalysisInput,
  type OutcomeType,
} from './driver-analysis';
