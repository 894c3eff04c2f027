// Public API of @steward/domain-kernel: the one domain error, the checks that throw it and
// the shared business vocabularies. Pure TypeScript, no dependencies.
export { collectIssues, DomainError, fail, isDomainError, type DomainIssue } from './domain-error';
export { toFieldErrors, toRuleName, type DomainFieldError } from './rule-name';
export { codeFor, type CheckCodes, type CheckCodeTable, type CheckFailure } from './check-codes';
export {
  assertArray,
  assertBoolean,
  assertKnownKeys,
  assertNonBlank,
  assertNullableString,
  assertObject,
  assertOneOf,
  assertString,
  fieldPath,
  isRecord,
  unknownKeys,
} from './shape';
export { assertFinite, assertIntegerInRange, assertMinorUnits, assertNumber, assertRange, assertSafeInteger } from './numbers';
export { daysFromCivil, instantMs, parseInstant, type InstantOptions } from './instant';
export {
  ACCOUNT_LEAD_CHANNELS,
  PROJECT_KINDS,
  PROJECT_LEADS,
  PROJECT_SIZES,
  RMA_KINDS,
  SUPPORT_LEVELS,
  TICKET_CATEGORIES,
  TICKET_PRIORITIES,
  TICKET_STATUS_CLASSES,
  TIERS,
  VOUCHER_KINDS,
  type AccountLeadChannel,
  type ProjectKind,
  type ProjectLead,
  type ProjectSize,
  type RmaKind,
  type SupportLevel,
  type TicketCategory,
  type TicketPriority,
  type TicketStatusClass,
  type Tier,
  type VoucherKind,
} from './vocabulary';
