import { fail } from '@steward/domain-kernel';
import { SupportDomainErrorCode } from './errors';
import { parseInstant, type Instant } from './instant';

export const TICKET_STATUSES = ['new', 'triaged', 'in-progress', 'waiting-on-customer', 'resolved', 'closed'] as const;
/** Ticket lifecycle: new → triaged → in-progress ⇄ waiting-on-customer → resolved → closed; reopen = resolved/closed → in-progress. */
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** The ticket entered `status` at `at`. */
export interface StatusChange {
  at: Instant;
  status: TicketStatus;
}

/** A public message on the ticket: an agent's answer or the customer's reply. */
export interface TicketResponse {
  at: Instant;
  by: 'agent' | 'customer';
}

/** What happened to a ticket, oldest first. The first status change (status `new`) is its creation. */
export interface TicketTimeline {
  statusChanges: StatusChange[];
  responses?: TicketResponse[];
}

/** How a status period affects every SLA clock. */
export const RUNNING = 0;
export const PAUSED = 1;
/** resolved/closed: nothing is owed, nothing counts, and it is not a pause either. */
export const STOPPED = 2;
export type PeriodKind = typeof RUNNING | typeof PAUSED | typeof STOPPED;

/** A timeline cut at `now`, as numbers. */
export interface ParsedTimeline {
  createdAt: number;
  now: number;
  /** Status periods `[starts[k], ends[k])` covering createdAt..now, with their kind. */
  starts: number[];
  ends: number[];
  kinds: PeriodKind[];
  /** Instants the ticket went from an open status into resolved/closed (ascending). */
  stopTransitions: number[];
  responseAt: number[];
  responseByAgent: boolean[];
}

const isStopped = (s: TicketStatus): boolean => s === 'resolved' || s === 'closed';

function allowed(from: TicketStatus, to: TicketStatus): boolean {
  if (to === 'new') return false;
  if (from === 'resolved') return to === 'resolved' || to === 'closed' || to === 'in-progress';
  if (from === 'closed') return to === 'closed' || to === 'in-progress';
  return true;
}

/**
 * Validates the timeline and cuts it at `now`: entries after `now` are ignored, so a
 * full history can be replayed at any past moment.
 */
export function parseTimeline(timeline: unknown, now: number, paused: ReadonlySet<TicketStatus>): ParsedTimeline {
  if (typeof timeline !== 'object' || timeline === null) return fail(SupportDomainErrorCode.Required, 'timeline', 'expected {statusChanges, responses}');
  const { statusChanges, responses } = timeline as Partial<TicketTimeline>;
  if (!Array.isArray(statusChanges) || statusChanges.length === 0) {
    return fail(SupportDomainErrorCode.Required, 'timeline.statusChanges', 'expected a non-empty array; the first entry (status new) is the creation');
  }
  const out: ParsedTimeline = { createdAt: 0, now, starts: [], ends: [], kinds: [], stopTransitions: [], responseAt: [], responseByAgent: [] };
  let prevAt = -Infinity;
  let prevStatus: TicketStatus | null = null;
  for (let i = 0; i < statusChanges.length; i++) {
    const field = `timeline.statusChanges[${i}]`;
    const change = statusChanges[i] as Partial<StatusChange> | null;
    if (typeof change !== 'object' || change === null) return fail(SupportDomainErrorCode.Required, field, 'expected {at, status}');
    const at = parseInstant(change.at, `${field}.at`);
    const status = change.status as TicketStatus;
    if (!(TICKET_STATUSES as readonly string[]).includes(status)) {
      return fail(SupportDomainErrorCode.InvalidValue, `${field}.status`, `expected one of ${TICKET_STATUSES.join(', ')}, got ${JSON.stringify(status)}`);
    }
    if (at < prevAt) return fail(SupportDomainErrorCode.OutOfOrder, `${field}.at`, 'status changes must be in chronological order');
    if (prevStatus === null ? status !== 'new' : !allowed(prevStatus, status)) {
      return fail(SupportDomainErrorCode.InvalidTransition, `${field}.status`, prevStatus === null ? 'a ticket starts as new' : `${prevStatus} → ${status} is not allowed`);
    }
    if (i === 0) {
      if (at > now) return fail(SupportDomainErrorCode.InvalidValue, 'now', 'now is before the ticket was created');
      out.createdAt = at;
    }
    if (at <= now) {
      const n = out.starts.length;
      if (n > 0) out.ends[n - 1] = at;
      out.starts.push(at);
      out.ends.push(now);
      out.kinds.push(isStopped(status) ? STOPPED : paused.has(status) ? PAUSED : RUNNING);
      if (isStopped(status) && prevStatus !== null && !isStopped(prevStatus)) out.stopTransitions.push(at);
    }
    prevAt = at;
    prevStatus = status;
  }
  if (responses !== undefined) {
    if (!Array.isArray(responses)) return fail(SupportDomainErrorCode.Required, 'timeline.responses', 'expected an array of {at, by}');
    prevAt = -Infinity;
    for (let i = 0; i < responses.length; i++) {
      const field = `timeline.responses[${i}]`;
      const r = responses[i] as Partial<TicketResponse> | null;
      if (typeof r !== 'object' || r === null) return fail(SupportDomainErrorCode.Required, field, 'expected {at, by}');
      const at = parseInstant(r.at, `${field}.at`);
      if (r.by !== 'agent' && r.by !== 'customer') return fail(SupportDomainErrorCode.InvalidValue, `${field}.by`, `expected agent or customer, got ${JSON.stringify(r.by)}`);
      if (at < prevAt) return fail(SupportDomainErrorCode.OutOfOrder, `${field}.at`, 'responses must be in chronological order');
      if (at < out.createdAt) return fail(SupportDomainErrorCode.OutOfOrder, `${field}.at`, 'a response cannot precede the ticket creation');
      prevAt = at;
      if (at <= now) {
        out.responseAt.push(at);
        out.responseByAgent.push(r.by === 'agent');
      }
    }
  }
  return out;
}
