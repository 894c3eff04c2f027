// Public API of @steward/support-domain: business calendars, SLA clocks and support-level routing.
// Errors: every function throws `DomainError` from @steward/domain-kernel with one of these codes.
export { SupportDomainErrorCode } from './errors';
export { type Instant } from './instant';
export {
  addBusinessMinutes,
  businessMinutesBetween,
  validateBusinessCalendar,
  WEEKDAYS,
  type AlwaysOpenCalendar,
  type BusinessCalendar,
  type BusinessHoursCalendar,
  type Weekday,
  type WorkingInterval,
} from './calendar';
export { instantsAtWallClock, isValidTimeZone, offsetAt, toWallClock, wallClockToInstant, type Disambiguation, type WallClockMs } from './zoned-time';
export { TICKET_STATUSES, type StatusChange, type TicketResponse, type TicketStatus, type TicketTimeline } from './timeline';
export { computeSla, type ComputeSlaInput, type NextResponseSla, type SlaClock, type SlaResult, type SlaState, type SlaTargets } from './sla-clock';
export * from './support-policy';
export * from './routing';
export { clocksOf, checkWarnings, nextSlaCheck, reachedSignals, SLA_CLOCK_KINDS, type KeyedClock, type SlaClockKind, type SlaSignal } from './sla-milestones';
export * from './policy-document';
