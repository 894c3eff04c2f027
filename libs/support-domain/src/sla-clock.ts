import { calendarEngine, type BusinessCalendar, type CalendarEngine } from './calendar';
import { fail } from '@steward/domain-kernel';
import { SupportDomainErrorCode } from './errors';
import { formatInstant, parseInstant, type Instant } from './instant';
import { MINUTE_MS } from './local-date';
import { parseTimeline, PAUSED, RUNNING, STOPPED, TICKET_STATUSES, type ParsedTimeline, type TicketStatus, type TicketTimeline } from './timeline';

/** SLA targets in business minutes, already resolved for the ticket's priority. Absent = not tracked. */
export interface SlaTargets {
  firstResponse?: number;
  nextResponse?: number;
  /** While the ticket is open, an agent's public update is owed this long after the previous one. */
  periodicUpdate?: number;
  resolution?: number;
  /** The current step (queue) solves or escalates the ticket within this (see `ComputeSlaInput.handoff`). */
  handoff?: number;
}

/**
 * - `running`: counting, not yet due;
 * - `paused`: not counting (a paused status, or a reply awaiting a reopened ticket), not breached;
 * - `met`: stopped on time;
 * - `breached`: the deadline passed while the clock ran (stays breached even once stopped).
 */
export type SlaState = 'running' | 'paused' | 'met' | 'breached';

/** One SLA clock at `now`. Minutes are business minutes unless named "wall". */
export interface SlaClock {
  targetMinutes: number;
  startedAt: Instant;
  /** When the clock stopped (agent response, resolution); null while it still runs or is paused. */
  stoppedAt: Instant | null;
  /**
   * The deadline. Running: when the target will be used up. Paused: the earliest possible
   * deadline, i.e. if the clock resumed at `now` (it only moves later while the pause lasts).
   * Breached: the deadline that was missed (= breachedAt). Met: the deadline in force when it stopped.
   */
  dueAt: Instant;
  elapsedMinutes: number;
  /** max(0, target − elapsed). */
  remainingMinutes: number;
  /** Business minutes that fell inside paused statuses (the time the pause took off the clock). */
  pausedMinutes: number;
  /** Wall-clock minutes spent in paused statuses, business hours or not. */
  pausedWallMinutes: number;
  breached: boolean;
  breachedAt: Instant | null;
  state: SlaState;
}

/** Next-response clocks, one per cycle (customer reply → next agent response). */
export interface NextResponseSla {
  /** The latest cycle; null while no customer reply has ever waited for an answer. */
  current: SlaClock | null;
  /** Every cycle, oldest first. */
  cycles: SlaClock[];
  breachedCycles: number;
}

export interface ComputeSlaInput {
  calendar: BusinessCalendar;
  targets: SlaTargets;
  timeline: TicketTimeline;
  now: Instant;
  /** Statuses during which every clock pauses. Default `['waiting-on-customer']`. resolved/closed stop clocks instead. */
  pausedStatuses?: TicketStatus[];
  /**
   * The step whose hand-off clock `targets.handoff` measures: it starts when the ticket
   * entered the step (default: its creation) and stops when the step ended (`stoppedAt`, an
   * escalation) or while the ticket is resolved/closed (a reopen resumes it, like resolution).
   */
  handoff?: { startedAt: Instant; stoppedAt?: Instant | null };
}

export interface SlaResult {
  now: Instant;
  /** null when no first-response target is set. */
  firstResponse: SlaClock | null;
  nextResponse: NextResponseSla | null;
  /** Cycles from each agent response to the next one (or the resolution); same shape as next response. */
  periodicUpdate: NextResponseSla | null;
  resolution: SlaClock | null;
  handoff: SlaClock | null;
}

const DEFAULT_PAUSED: ReadonlySet<TicketStatus> = new Set<TicketStatus>(['waiting-on-customer']);
const TARGET_KEYS = ['firstResponse', 'nextResponse', 'periodicUpdate', 'resolution', 'handoff'] as const;

/**
 * Computes the first-response, next-response and resolution SLA clocks of one ticket at
 * `now`, in business time of `calendar`, skipping paused statuses. See README for the rules.
 */
export function computeSla(input: ComputeSlaInput): SlaResult {
  if (typeof input !== 'object' || input === null) return fail(SupportDomainErrorCode.Required, 'input', 'expected {calendar, targets, timeline, now}');
  const engine = calendarEngine(input.calendar);
  const targets = parseTargets(input.targets);
  const now = parseInstant(input.now, 'now');
  const paused = parsePausedStatuses(input.pausedStatuses);
  const tl = parseTimeline(input.timeline, now, paused);

  // The first-response clock stops at the first agent response, or when the ticket is
  // resolved/closed first (the resolution notice answers the customer).
  const firstAgent = tl.responseByAgent.indexOf(true);
  const agentAt = firstAgent >= 0 ? tl.responseAt[firstAgent] : Infinity;
  const transitionAt = firstAtOrAfter(tl.stopTransitions, tl.createdAt);
  const firstStop = Math.min(agentAt, transitionAt);

  return {
    now: formatInstant(now),
    firstResponse: targets.firstResponse === undefined ? null : runClock(engine, tl, tl.createdAt, firstStop, targets.firstResponse),
    nextResponse: targets.nextResponse === undefined ? null : nextResponseCycles(engine, tl, firstStop, firstAgent, agentAt <= transitionAt, targets.nextResponse),
    periodicUpdate: targets.periodicUpdate === undefined ? null : periodicUpdateCycles(engine, tl, targets.periodicUpdate),
    resolution: targets.resolution === undefined ? null : runClock(engine, tl, tl.createdAt, resolutionStop(tl), targets.resolution),
    handoff: targets.handoff === undefined ? null : handoffClock(engine, tl, input.handoff, targets.handoff),
  };
}

/**
 * Periodic updates: every agent response opens a cycle that the next agent response (or the
 * next move into resolved/closed) stops. Responses at the same instant, or at the instant of
 * a resolution, open nothing.
 */
function periodicUpdateCycles(engine: CalendarEngine, tl: ParsedTimeline, target: number): NextResponseSla {
  const agentTimes: number[] = [];
  tl.responseAt.forEach((at, i) => {
    if (tl.responseByAgent[i] && agentTimes[agentTimes.length - 1] !== at) agentTimes.push(at);
  });
  const cycles: SlaClock[] = [];
  agentTimes.forEach((opened, k) => {
    const stop = Math.min(agentTimes[k + 1] ?? Infinity, firstAtOrAfter(tl.stopTransitions, opened));
    if (stop > opened) cycles.push(runClock(engine, tl, opened, stop, target));
  });
  const current = cycles.length > 0 ? cycles[cycles.length - 1] : null;
  return { current, cycles, breachedCycles: cycles.filter((c) => c.breached).length };
}

/** The hand-off clock of one step: from entering it until it ended (escalation) or, while resolved/closed, the resolution. */
function handoffClock(engine: CalendarEngine, tl: ParsedTimeline, span: ComputeSlaInput['handoff'], target: number): SlaClock {
  if (span !== undefined && (typeof span !== 'object' || span === null)) return fail(SupportDomainErrorCode.Required, 'handoff', 'expected {startedAt, stoppedAt?}');
  const start = span === undefined ? tl.createdAt : parseInstant(span.startedAt, 'handoff.startedAt');
  if (start < tl.createdAt) return fail(SupportDomainErrorCode.OutOfOrder, 'handoff.startedAt', 'a step cannot start before the ticket was created');
  let stop = resolutionStop(tl);
  if (stop < start) stop = Infinity;
  if (span?.stoppedAt !== undefined && span.stoppedAt !== null) {
    const ended = parseInstant(span.stoppedAt, 'handoff.stoppedAt');
    if (ended < start) return fail(SupportDomainErrorCode.OutOfOrder, 'handoff.stoppedAt', 'a step cannot end before it started');
    stop = Math.min(stop, ended);
  }
  return runClock(engine, tl, start, stop, target);
}

function parseTargets(targets: unknown): SlaTargets & Record<string, number | undefined> {
  if (typeof targets !== 'object' || targets === null) return fail(SupportDomainErrorCode.Required, 'targets', 'expected {firstResponse?, nextResponse?, resolution?} in minutes');
  const t = targets as Record<string, unknown>;
  const out: Record<string, number | undefined> = {};
  for (const key of Object.keys(t)) {
    if (!(TARGET_KEYS as readonly string[]).includes(key)) return fail(SupportDomainErrorCode.UnknownField, `targets.${key}`, 'expected firstResponse, nextResponse or resolution');
    const v = t[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
      return fail(SupportDomainErrorCode.InvalidValue, `targets.${key}`, `expected a positive number of minutes, got ${JSON.stringify(v)}`);
    }
    out[key] = Math.round(v * MINUTE_MS);
  }
  return out;
}

function parsePausedStatuses(list: unknown): ReadonlySet<TicketStatus> {
  if (list === undefined) return DEFAULT_PAUSED;
  if (!Array.isArray(list)) return fail(SupportDomainErrorCode.Required, 'pausedStatuses', 'expected an array of statuses');
  list.forEach((s: unknown, i) => {
    if (!(TICKET_STATUSES as readonly unknown[]).includes(s) || s === 'resolved' || s === 'closed') {
      fail(SupportDomainErrorCode.InvalidValue, `pausedStatuses[${i}]`, `expected new, triaged, in-progress or waiting-on-customer (resolved/closed stop clocks), got ${JSON.stringify(s)}`);
    }
  });
  return new Set(list as TicketStatus[]);
}

function firstAtOrAfter(sorted: number[], t: number): number {
  for (const x of sorted) if (x >= t) return x;
  return Infinity;
}

function firstAfter(sorted: number[], t: number): number {
  for (const x of sorted) if (x > t) return x;
  return Infinity;
}

/** The resolution clock is stopped only while the ticket currently is resolved/closed; a reopen resumes it. */
function resolutionStop(tl: ParsedTimeline): number {
  const last = tl.stopTransitions.length - 1;
  return last >= 0 && tl.kinds[tl.kinds.length - 1] === STOPPED ? tl.stopTransitions[last] : Infinity;
}

/**
 * A cycle opens at the first customer reply after the first response, stops at the next
 * agent response or the next resolve/close; replies inside an open cycle do not restart it.
 */
function nextResponseCycles(engine: CalendarEngine, tl: ParsedTimeline, firstStop: number, firstAgent: number, stoppedByAgent: boolean, target: number): NextResponseSla {
  const cycles: SlaClock[] = [];
  const n = tl.responseAt.length;
  // Replies the first response already answers are not next-response cycles.
  let i = 0;
  if (firstStop === Infinity) i = n;
  else if (stoppedByAgent) i = firstAgent + 1;
  else while (i < n && tl.responseAt[i] <= firstStop) i++;
  while (i < n) {
    if (tl.responseByAgent[i]) {
      i++;
      continue;
    }
    const opened = tl.responseAt[i];
    let j = i + 1;
    while (j < n && !tl.responseByAgent[j]) j++;
    const agentStop = j < n ? tl.responseAt[j] : Infinity;
    const transitionStop = firstAtOrAfter(tl.stopTransitions, opened);
    const stop = Math.min(agentStop, transitionStop);
    cycles.push(runClock(engine, tl, opened, stop, target));
    if (agentStop <= transitionStop) {
      i = j + 1;
    } else {
      // Replies up to and at the resolution were answered by it.
      const after = firstAfter(tl.responseAt, transitionStop);
      i = after === Infinity ? n : Math.max(i + 1, tl.responseAt.indexOf(after));
    }
  }
  const current = cycles.length > 0 ? cycles[cycles.length - 1] : null;
  return { current, cycles, breachedCycles: cycles.filter((c) => c.breached).length };
}

/** Deadline from a point where the clock (re)starts with `remaining` ms left. */
function dueFrom(engine: CalendarEngine, from: number, remaining: number): number {
  // With nothing left, the deadline is the next working instant: a clock that paused exactly
  // at its deadline and resumes outside hours is not breached before work resumes.
  return remaining > 0 ? engine.addBusinessMs(from, remaining) : engine.nextWorkingInstant(from);
}

/** One clock over `[start, min(stop, now))`, counting running periods and skipping others. */
function runClock(engine: CalendarEngine, tl: ParsedTimeline, start: number, stop: number, target: number): SlaClock {
  const end = Math.min(stop, tl.now);
  let elapsed = 0;
  let paused = 0;
  let pausedWall = 0;
  let breachedAt = NaN;
  // Where the deadline is anchored: start of the last running stretch and what was left then.
  let anchor = start;
  let anchorRemaining = target;
  let anchorRunning = false;
  let k = 0;
  while (k < tl.ends.length && tl.ends[k] <= start) k++;
  for (; k < tl.starts.length && tl.starts[k] < end; k++) {
    const a = Math.max(tl.starts[k], start);
    const b = Math.min(tl.ends[k], end);
    if (a >= b) continue;
    const kind = tl.kinds[k];
    if (kind === RUNNING) {
      const worked = engine.businessMsBetween(a, b);
      const remaining = target - elapsed;
      if (!anchorRunning) {
        anchor = a;
        anchorRemaining = remaining;
        anchorRunning = true;
      }
      // The deadline falls inside this stretch only if the stretch has at least the remaining time.
      if (Number.isNaN(breachedAt) && worked >= remaining) {
        const due = dueFrom(engine, anchor, anchorRemaining);
        // Strictly before b: a clock stopped or paused exactly at its deadline is on time.
        if (due < b) breachedAt = due;
      }
      elapsed += worked;
    } else {
      anchorRunning = false;
      if (kind === PAUSED) {
        paused += engine.businessMsBetween(a, b);
        pausedWall += b - a;
      }
    }
  }
  const breached = !Number.isNaN(breachedAt);
  const stopped = stop <= tl.now;
  let dueAt: number;
  if (breached) dueAt = breachedAt;
  else if (anchorRunning) dueAt = dueFrom(engine, anchor, anchorRemaining);
  // Paused (or never ran): the deadline if the clock resumed at the end of what we know.
  else dueAt = dueFrom(engine, end, target - elapsed);
  let state: SlaState;
  if (breached) state = 'breached';
  else if (stopped) state = 'met';
  else state = currentKind(tl) === RUNNING ? 'running' : 'paused';
  return {
    targetMinutes: target / MINUTE_MS,
    startedAt: formatInstant(start),
    stoppedAt: stopped ? formatInstant(stop) : null,
    dueAt: formatInstant(dueAt),
    elapsedMinutes: elapsed / MINUTE_MS,
    remainingMinutes: Math.max(0, target - elapsed) / MINUTE_MS,
    pausedMinutes: paused / MINUTE_MS,
    pausedWallMinutes: pausedWall / MINUTE_MS,
    breached,
    breachedAt: breached ? formatInstant(breachedAt) : null,
    state,
  };
}

function currentKind(tl: ParsedTimeline): number {
  return tl.kinds[tl.kinds.length - 1];
}
