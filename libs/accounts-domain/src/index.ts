// Public API of @steward/accounts-domain: pure functions over plain data (DOMAIN.md §1).
// Errors: every function throws `DomainError` from @steward/domain-kernel with one of these codes.
export { AccountsErrorCode } from './errors';
export {
  computeTiers,
  DEFAULT_TIER_THRESHOLD,
  TIERS,
  type Tier,
  type TierAssignment,
  type TieringAccount,
  type TieringOptions,
  type TieringResult,
  type TierOverride,
  type TierReason,
  type TierSummaryRow,
} from './tiering';
export {
  buildStakeholderMap,
  findReportsToCycle,
  BUYING_ROLES,
  INFLUENCE_LEVELS,
  STAKEHOLDER_GAP_CODES,
  type BuyingRole,
  type InfluenceLevel,
  type StakeholderContact,
  type StakeholderGap,
  type StakeholderGapCode,
  type StakeholderMap,
  type StakeholderNode,
} from './stakeholders';
