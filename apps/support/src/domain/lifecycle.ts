import type { StatusClass } from '@steward/support-domain';

/** What a status change means for the ticket (and which events it publishes). */
export type TransitionKind = 'same' | 'move' | 'resolve' | 'close' | 'reopen';

export type TransitionVerdict = { ok: true; kind: TransitionKind } | { ok: false; reason: 'not-allowed' | 'reopen-window'; message: string };

const OPEN: ReadonlySet<StatusClass> = new Set(['new', 'triaged', 'in-progress', 'waiting']);
export const isOpenClass = (c: StatusClass): boolean => OPEN.has(c);

/**
 * The ticket lifecycle (DOMAIN.md §2) on status classes: new → triaged → in-progress ⇄
 * waiting → resolved → closed. Open classes move freely among themselves (never back to
 * new); any open class may be resolved; only a resolved ticket is closed; a resolved or
 * closed ticket is reopened into in-progress, within `reopenWindowDays` of its resolution.
 */
export function checkTransition(from: StatusClass, to: StatusClass, o: { resolvedAt: string | null; now: string; reopenWindowDays: number }): TransitionVerdict {
  if (from === to) return { ok: true, kind: from === 'new' ? 'same' : 'move' };
  if (to === 'new') return { ok: false, reason: 'not-allowed', message: 'a ticket never goes back to new' };
  if (isOpenClass(from)) {
    if (to === 'closed') return { ok: false, reason: 'not-allowed', message: 'resolve the ticket before closing it' };
    return { ok: true, kind: to === 'resolved' ? 'resolve' : 'move' };
  }
  if (from === 'resolved' && to === 'closed') return { ok: true, kind: 'close' };
  if (to !== 'in-progress') return { ok: false, reason: 'not-allowed', message: `a ${from} ticket can only be ${from === 'resolved' ? 'closed or ' : ''}reopened into an in-progress status` };
  const resolvedAt = o.resolvedAt ? Date.parse(o.resolvedAt) : NaN;
  if (!Number.isNaN(resolvedAt) && Date.parse(o.now) - resolvedAt > o.reopenWindowDays * 86_400_000) {
    return { ok: false, reason: 'reopen-window', message: `the reopen window of ${o.reopenWindowDays} days after the resolution (${o.resolvedAt}) has passed: open a new ticket` };
  }
  return { ok: true, kind: 'reopen' };
}

/** After-sales order states and the moves between them. */
export const RMA_MOVES: Readonly<Record<string, readonly string[]>> = {
  requested: ['approved', 'rejected', 'cancelled'],
  approved: ['scheduled', 'waiting-for-parts', 'in-progress', 'cancelled'],
  scheduled: ['in-progress', 'waiting-for-parts', 'cancelled'],
  'in-progress': ['waiting-for-parts', 'completed', 'cancelled'],
  'waiting-for-parts': ['scheduled', 'in-progress', 'cancelled'],
  rejected: [],
  completed: [],
  cancelled: [],
};

export const isFinalRma = (status: string): boolean => (RMA_MOVES[status] ?? []).length === 0;
