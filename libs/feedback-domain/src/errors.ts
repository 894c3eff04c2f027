/**
 * Why a feedback computation refused its input. String values so the code survives
 * JSON transport unchanged (a service sends `{ code, message, details }`). Every error is a
 * `DomainError` from `@steward/domain-kernel` carrying one of these codes.
 */
export enum FeedbackErrorCode {
  /** Wrong shape: not an array / object, unknown option, duplicate driver name. */
  InvalidInput = 'FEEDBACK_INVALID_INPUT',
  /** A score is not an integer on its scale (e.g. 11 on the 0–10 NPS scale). */
  ScoreOutOfRange = 'FEEDBACK_SCORE_OUT_OF_RANGE',
  /** A stored rollup is malformed (wrong length, negative or inconsistent counts). */
  InvalidRollup = 'FEEDBACK_INVALID_ROLLUP',
  /** Two rollups of different kinds, or a rollup read as the wrong kind. */
  RollupKindMismatch = 'FEEDBACK_ROLLUP_KIND_MISMATCH',
  /** A requested key driver appears in no respondent's items. */
  UnknownDriver = 'FEEDBACK_UNKNOWN_DRIVER',
  /** More drivers than the exact Shapley decomposition handles (2^k subsets). */
  TooManyDrivers = 'FEEDBACK_TOO_MANY_DRIVERS',
  /** Too few complete respondents for a stable regression. */
  InsufficientSample = 'FEEDBACK_INSUFFICIENT_SAMPLE',
  /** A driver or the outcome is constant, so it cannot explain or be explained. */
  NoVariance = 'FEEDBACK_NO_VARIANCE',
}
