/**
 * Why an input was rejected. Stable codes: callers map them to transport errors. Every
 * error is a `DomainError` from `@steward/domain-kernel` carrying one of these codes, with
 * `issues` listing every problem when a validator collects more than one.
 */
export enum SupportDomainErrorCode {
  /** A required field is missing or has the wrong type. */
  Required = 'REQUIRED',
  /** A value is outside its allowed set or range. */
  InvalidValue = 'INVALID_VALUE',
  /** An object carries a key this library does not know (typo guard). */
  UnknownField = 'UNKNOWN_FIELD',
  /** Not an IANA time zone that Intl knows. */
  InvalidTimeZone = 'INVALID_TIME_ZONE',
  /** Not a `HH:MM` wall-clock time. */
  InvalidTime = 'INVALID_TIME',
  /** Not a real `YYYY-MM-DD` calendar date. */
  InvalidDate = 'INVALID_DATE',
  /** Not an ISO 8601 instant with `Z` or an explicit offset. */
  InvalidInstant = 'INVALID_INSTANT',
  /** A working interval whose end is not after its start. */
  InvalidInterval = 'INVALID_INTERVAL',
  /** Two working intervals of the same weekday overlap. */
  OverlappingIntervals = 'OVERLAPPING_INTERVALS',
  /** A business-hours calendar with no working interval in the whole week. */
  NoWorkingHours = 'NO_WORKING_HOURS',
  /** Timeline entries are not in chronological order. */
  OutOfOrder = 'OUT_OF_ORDER',
  /** A status change the ticket lifecycle does not allow. */
  InvalidTransition = 'INVALID_TRANSITION',
  /** Two policy rules share an id. */
  DuplicateId = 'DUPLICATE_ID',
  /** The last policy rule is not a catch-all (empty `when`). */
  MissingCatchAll = 'MISSING_CATCH_ALL',
  /** A rule placed after a catch-all can never match. */
  UnreachableRule = 'UNREACHABLE_RULE',
  /** A name that refers to nothing: a calendar that is not defined, a hand-off queue no rule of the level uses. */
  UnknownReference = 'UNKNOWN_REFERENCE',
  /** The calendar has no working time for years ahead (e.g. every working day is a holiday). */
  DeadlineUnreachable = 'DEADLINE_UNREACHABLE',
}
