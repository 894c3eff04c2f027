import { assertArray, fail } from '@steward/domain-kernel';
import { calendarEngine, type BusinessCalendar } from './calendar';
import { SupportDomainErrorCode } from './errors';
import { formatInstant, parseInstant, type Instant } from './instant';
import { MINUTE_MS } from './local-date';
import type { SlaClock, SlaResult } from './sla-clock';

/** The kinds of SLA clock a ticket can carry. */
export const SLA_CLOCK_KINDS = ['firstResponse', 'nextResponse', 'periodicUpdate', 'resolution', 'handoff'] as const;
export type SlaClockKind = (typeof SLA_CLOCK_KINDS)[number];

/**
 * One clock of a result with a stable key: `firstResponse`, `resolution`, `handoff`, and one
 * per cycle `nextResponse#1`, `periodicUpdate#3` (1-based, in the order the cycles opened).
 */
export interface KeyedClock {
  key: string;
  kind: SlaClockKind;
  clock: SlaClock;
}

/** Every clock of a result, keyed. */
export function clocksOf(r: SlaResult): KeyedClock[] {
  const out: KeyedClock[] = [];
  if (r.firstResponse) out.push({ key: 'firstResponse', kind: 'firstResponse', clock: r.firstResponse });
  r.nextResponse?.cycles.forEach((clock, i) => out.push({ key: `nextResponse#${i + 1}`, kind: 'nextResponse', clock }));
  r.periodicUpdate?.cycles.forEach((clock, i) => out.push({ key: `periodicUpdate#${i + 1}`, kind: 'periodicUpdate', clock }));
  if (r.resolution) out.push({ key: 'resolution', kind: 'resolution', clock: r.resolution });
  if (r.handoff) out.push({ key: 'handoff', kind: 'handoff', clock: r.handoff });
  return out;
}

/** Something an SLA clock has reached: a warning threshold (a fraction of its target) or its breach. */
export interface SlaSignal {
  key: string;
  kind: SlaClockKind;
  signal: 'warning' | 'breach';
  /** The warning's fraction of the target (0.75); absent for a breach. */
  fraction?: number;
  /** Breach: the deadline that was missed. Warning: the result's `now` (when it was found). */
  at: Instant;
}

/**
 * Checks warning thresholds: fractions of a target, strictly between 0 and 1, ascending,
 * at most 5 (e.g. `[0.75, 0.9]`).
 */
export function checkWarnings(warnings: unknown, field = 'warnings'): number[] {
  assertArray(warnings, field, SupportDomainErrorCode.Required);
  if (warnings.length > 5) fail(SupportDomainErrorCode.InvalidValue, field, 'at most 5 warning thresholds');
  warnings.forEach((w, i) => {
    if (typeof w !== 'number' || !Number.isFinite(w) || w <= 0 || w >= 1) fail(SupportDomainErrorCode.InvalidValue, `${field}[${i}]`, `expected a fraction of the target between 0 and 1 (exclusive), got ${JSON.stringify(w)}`);
    if (i > 0 && w <= (warnings[i - 1] as number)) fail(SupportDomainErrorCode.InvalidValue, `${field}[${i}]`, 'thresholds must be strictly ascending');
  });
  return warnings as number[];
}

/**
 * What the clocks have reached at the result's `now`: every breach, and every warning
 * threshold reached by a clock that is still owed (running or paused; a met or breached
 * clock needs no warning any more). Callers keep what they already reported and report
 * the rest: the same facts come out however late they are looked at.
 */
export function reachedSignals(r: SlaResult, warnings: readonly number[]): SlaSignal[] {
  const out: SlaSignal[] = [];
  for (const { key, kind, clock } of clocksOf(r)) {
    if (clock.breached) {
      out.push({ key, kind, signal: 'breach', at: clock.breachedAt! });
      continue;
    }
    if (clock.state !== 'running' && clock.state !== 'paused') continue;
    for (const fraction of warnings) {
      if (clock.elapsedMinutes >= fraction * clock.targetMinutes) out.push({ key, kind, signal: 'warning', fraction, at: r.now });
    }
  }
  return out;
}

/**
 * The earliest instant after `now` at which a clock reaches something new if nothing else
 * happens to the ticket: the next warning threshold or the deadline of a running clock.
 * A clock is breached only once it ran past its deadline (a response exactly at the
 * deadline is on time), so the deadline's check is 1 ms after it. Paused and stopped
 * clocks reach nothing until the ticket changes. Null: nothing is running.
 */
export function nextSlaCheck(r: SlaResult, warnings: readonly number[], calendar: BusinessCalendar): Instant | null {
  const engine = calendarEngine(calendar);
  const now = parseInstant(r.now, 'now');
  let next = Infinity;
  for (const { clock } of clocksOf(r)) {
    if (clock.state !== 'running') continue;
    next = Math.min(next, parseInstant(clock.dueAt, 'dueAt') + 1);
    const elapsedMs = Math.round(clock.elapsedMinutes * MINUTE_MS);
    for (const fraction of warnings) {
      const threshold = Math.round(fraction * clock.targetMinutes * MINUTE_MS);
      if (threshold > elapsedMs) {
        next = Math.min(next, engine.addBusinessMs(now, threshold - elapsedMs));
        break;
      }
    }
  }
  return next === Infinity ? null : formatInstant(Math.max(next, now + 1));
}
