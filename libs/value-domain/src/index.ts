// Errors: every function throws `DomainError` from @steward/domain-kernel with one of these codes.
export { ValueDomainErrorCode } from './errors';
export { applyRate, applyRatio, apportion, ratio, roundHalfEven, type Money, type Ratio } from './money';
export * from './lifetime-value';
export * from './market-damage';
export * from './word-of-mouth';
export * from './scorecard';
export * from './red-flags';
export * from './health';
export * from './outcome-contract';
export * from './voucher-roi';
