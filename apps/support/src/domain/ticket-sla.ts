import {
  computeSla,
  nextSlaCheck,
  reachedSignals,
  targetsFor,
  type BusinessCalendar,
  type KeyedClock,
  type Priority,
  type SlaResult,
  type SlaSignal,
  type SlaTargets,
  type SupportLevel,
  type SupportPolicyDocument,
  type TicketTimeline,
} from '@steward/support-domain';
import { ticketClocks, ticketSignals } from './sla-feed';

/** Tighter targets a catalog plan grants, per priority (the entitlement read model). */
export type TargetOverrides = Partial<Record<Priority, Partial<Record<'firstResponse' | 'nextResponse' | 'periodicUpdate' | 'resolution', number>>>>;

/** One step of a ticket's escalation chain as the ticket went through it. */
export interface StepRecord {
  step: number;
  queue: string;
  teamId: string | null;
  enteredAt: string;
  leftAt: string | null;
  leftBecause: string | null;
  /** The step's hand-off clock when it ended (met or breached); null while the ticket is in it. */
  handoff: 'met' | 'breached' | null;
}

/** What the SLA of a ticket depends on. */
export interface SlaSubject {
  level: SupportLevel;
  priority: Priority;
  step: number;
  /** The queue of each step as the rule wrote it (`branch-technical/{region}`): hand-off targets are keyed so. */
  templates: readonly string[];
  calendar: string;
  timeline: TicketTimeline;
  steps: readonly StepRecord[];
  overrides: TargetOverrides;
}

export interface SlaEvaluation {
  result: SlaResult;
  targets: SlaTargets;
  calendar: BusinessCalendar;
  clocks: KeyedClock[];
  signals: SlaSignal[];
  nextCheckAt: string | null;
}

/** The policy's targets for the ticket's level, priority and step, tightened by what its plan grants (the smaller wins). */
export function effectiveTargets(doc: SupportPolicyDocument, s: Pick<SlaSubject, 'level' | 'priority' | 'step' | 'templates' | 'overrides'>): SlaTargets {
  const t = targetsFor(doc, s.level, s.priority, s.templates[s.step] ?? null);
  const o = s.overrides[s.priority] ?? {};
  const out: SlaTargets = { ...t };
  for (const k of ['firstResponse', 'nextResponse', 'periodicUpdate', 'resolution'] as const) {
    const granted = o[k];
    if (granted !== undefined) out[k] = out[k] === undefined ? granted : Math.min(out[k], granted);
  }
  return out;
}

/** The ticket's calendar under its policy version (a calendar removed since falls back to the default). */
export function calendarOf(doc: SupportPolicyDocument, name: string): BusinessCalendar {
  return doc.calendars[name] ?? doc.calendars[doc.defaultCalendar];
}

/** Every clock of the ticket at `now`, what they reached, and when to look again. */
export function evaluateSla(doc: SupportPolicyDocument, s: SlaSubject, now: string): SlaEvaluation {
  const targets = effectiveTargets(doc, s);
  const calendar = calendarOf(doc, s.calendar);
  const current = s.steps[s.steps.length - 1];
  const result = computeSla({
    calendar,
    targets,
    timeline: s.timeline,
    now,
    pausedStatuses: ['waiting-on-customer'],
    ...(targets.handoff !== undefined && current ? { handoff: { startedAt: current.enteredAt, stoppedAt: current.leftAt } } : {}),
  });
  return {
    result,
    targets,
    calendar,
    clocks: ticketClocks(result, s.step),
    signals: ticketSignals(reachedSignals(result, doc.warnings), s.step),
    nextCheckAt: nextSlaCheck(result, doc.warnings, calendar),
  };
}
