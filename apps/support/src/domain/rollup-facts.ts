/**
 * What one ticket contributes to the report rollups, and the difference between two
 * contributions. Every ticket change appends only the difference (a few delta rows), so
 * rollups stay exact through reopenings, priority changes and late breaches, and no report
 * ever scans tickets.
 */

export const MEASURES = [
  'tickets',
  'fr_met',
  'fr_breached',
  'res_met',
  'res_breached',
  'resolved',
  'fcr',
  'complaints',
  'escalated',
  'reopened',
  'open',
  'open_breached',
  'steps',
  'handed_off',
  'resolved_in_step',
  'ho_met',
  'ho_breached',
  'exited',
  'held_ms',
] as const;
export type Measure = (typeof MEASURES)[number];

/** One row of a contribution: its dimensions and its (non-zero) measures. */
export interface Fact {
  kind: 'ticket' | 'step';
  /** UTC day the ticket was created (kind ticket) or entered the step (kind step). */
  day: string;
  level: string;
  step: number;
  queue: string;
  teamId: string | null;
  priority: string;
  m: Partial<Record<Measure, number>>;
}

export type ClockOutcome = 'running' | 'paused' | 'met' | 'breached' | null;

export interface StepFacts {
  step: number;
  queue: string;
  teamId: string | null;
  enteredAt: string;
  leftAt: string | null;
  leftBecause: string | null;
  /** The step's hand-off clock: final for a step the ticket left, live for the current one. */
  handoff: ClockOutcome;
}

export interface TicketFacts {
  createdAt: string;
  level: string;
  step: number;
  queue: string;
  teamId: string | null;
  priority: string;
  open: boolean;
  /** resolved or closed (merged duplicates are not counted as resolved). */
  resolved: boolean;
  merged: boolean;
  firstResponse: ClockOutcome;
  resolution: ClockOutcome;
  breached: boolean;
  agentResponses: number;
  escalations: number;
  reopenCount: number;
  complaint: boolean;
  steps: StepFacts[];
}

const day = (iso: string) => iso.slice(0, 10);
const flag = (b: boolean) => (b ? 1 : 0);

function clean(m: Partial<Record<Measure, number>>): Partial<Record<Measure, number>> {
  const out: Partial<Record<Measure, number>> = {};
  for (const k of MEASURES) if (m[k]) out[k] = m[k];
  return out;
}

/** The facts a ticket contributes now: one ticket row and one row per step it entered. */
export function contributionOf(t: TicketFacts): Fact[] {
  const resolved = t.resolved && !t.merged;
  const facts: Fact[] = [
    {
      kind: 'ticket',
      day: day(t.createdAt),
      level: t.level,
      step: t.step,
      queue: t.queue,
      teamId: t.teamId,
      priority: t.priority,
      m: clean({
        tickets: 1,
        fr_met: flag(t.firstResponse === 'met'),
        fr_breached: flag(t.firstResponse === 'breached'),
        res_met: flag(t.resolution === 'met' && resolved),
        res_breached: flag(t.resolution === 'breached'),
        resolved: flag(resolved),
        fcr: flag(resolved && t.agentResponses <= 1 && t.escalations === 0 && t.reopenCount === 0),
        complaints: flag(t.complaint),
        escalated: flag(t.escalations > 0),
        reopened: flag(t.reopenCount > 0),
        open: flag(t.open),
        open_breached: flag(t.open && t.breached),
      }),
    },
  ];
  for (const s of t.steps) {
    const left = s.leftAt !== null;
    facts.push({
      kind: 'step',
      day: day(s.enteredAt),
      level: t.level,
      step: s.step,
      queue: s.queue,
      teamId: s.teamId,
      priority: t.priority,
      m: clean({
        steps: 1,
        handed_off: flag(left && s.leftBecause !== 'resolved' && s.leftBecause !== 'merged'),
        resolved_in_step: flag(left && s.leftBecause === 'resolved'),
        ho_met: flag(s.handoff === 'met'),
        ho_breached: flag(s.handoff === 'breached'),
        exited: flag(left),
        held_ms: left ? Math.max(0, Date.parse(s.leftAt!) - Date.parse(s.enteredAt)) : 0,
      }),
    });
  }
  return facts;
}

export const factKey = (f: Omit<Fact, 'm'>): string => [f.kind, f.day, f.level, f.step, f.queue, f.teamId ?? '', f.priority].join('|');

/** The delta rows that turn `prev` into `next` (measure differences per dimension key; zero rows left out). */
export function diffFacts(prev: readonly Fact[], next: readonly Fact[]): Fact[] {
  const acc = new Map<string, Fact>();
  const add = (f: Fact, sign: 1 | -1) => {
    const key = factKey(f);
    let row = acc.get(key);
    if (!row) acc.set(key, (row = { ...f, m: {} }));
    for (const k of MEASURES) {
      const v = f.m[k];
      if (v) row.m[k] = (row.m[k] ?? 0) + sign * v;
    }
  };
  for (const f of prev) add(f, -1);
  for (const f of next) add(f, 1);
  return [...acc.values()].map((f) => ({ ...f, m: clean(f.m) })).filter((f) => Object.keys(f.m).length > 0);
}
