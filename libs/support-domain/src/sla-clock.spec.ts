import type { BusinessCalendar, BusinessHoursCalendar } from './calendar';
import { SupportDomainErrorCode } from './errors';
import { computeSla, type ComputeSlaInput, type SlaClock, type SlaTargets } from './sla-clock';
import type { TicketStatus, TicketTimeline } from './timeline';

// Fixed calendars. All expectations below are hand-computed; the comments show the arithmetic.
const lunchBreak = [
  { start: '09:00', end: '12:00' },
  { start: '13:00', end: '18:00' },
];
/** Berlin office, Mon–Fri 09:00–12:00 + 13:00–18:00 (480 min/day); Good Friday + Easter Monday 2026 off. */
const berlin: BusinessHoursCalendar = {
  kind: 'business-hours',
  timeZone: 'Europe/Berlin',
  weeklyHours: { mon: lunchBreak, tue: lunchBreak, wed: lunchBreak, thu: lunchBreak, fri: lunchBreak },
  holidays: ['2026-04-03', '2026-04-06'],
};
const nineToFive = [{ start: '09:00', end: '17:00' }];
const newYork: BusinessHoursCalendar = {
  kind: 'business-hours',
  timeZone: 'America/New_York',
  weeklyHours: { mon: nineToFive, tue: nineToFive, wed: nineToFive, thu: nineToFive, fri: nineToFive },
};
const night = [
  { start: '00:00', end: '02:00' },
  { start: '20:00', end: '24:00' },
];
/** Night desk in Berlin, every day 20:00–02:00 (written as two intervals around midnight). */
const nightDesk: BusinessHoursCalendar = {
  kind: 'business-hours',
  timeZone: 'Europe/Berlin',
  weeklyHours: { mon: night, tue: night, wed: night, thu: night, fri: night, sat: night, sun: night },
};

/** Factory: `[instant, status]` pairs and `[instant, by]` pairs. */
function makeTicket(changes: Array<[string, TicketStatus]>, responses: Array<[string, 'agent' | 'customer']> = []): TicketTimeline {
  return { statusChanges: changes.map(([at, status]) => ({ at, status })), responses: responses.map(([at, by]) => ({ at, by })) };
}

function sla(calendar: BusinessCalendar, targets: SlaTargets, timeline: TicketTimeline, now: string, extra: Partial<ComputeSlaInput> = {}) {
  return computeSla({ calendar, targets, timeline, now, ...extra });
}

const pick = (c: SlaClock | null | undefined) =>
  c && { state: c.state, elapsed: c.elapsedMinutes, remaining: c.remainingMinutes, due: c.dueAt, breachedAt: c.breachedAt, paused: c.pausedMinutes };

describe('computeSla: first response', () => {
  it('created inside hours, answered in time: Mon 09:30 → agent 10:00 CET = 30 of 60 min, met, due 10:30 CET', () => {
    const r = sla(berlin, { firstResponse: 60 }, makeTicket([['2026-03-02T08:30:00Z', 'new']], [['2026-03-02T09:00:00Z', 'agent']]), '2026-03-02T09:30:00Z');
    expect(pick(r.firstResponse)).toEqual({ state: 'met', elapsed: 30, remaining: 30, due: '2026-03-02T09:30:00.000Z', breachedAt: null, paused: 0 });
    expect(r.firstResponse?.stoppedAt).toBe('2026-03-02T09:00:00.000Z');
  });

  it('created outside hours (Sat 10:00): the clock starts Mon 09:00 CET; at 09:45 elapsed 45, due 10:00 CET', () => {
    const r = sla(berlin, { firstResponse: 60 }, makeTicket([['2026-02-28T09:00:00Z', 'new']]), '2026-03-02T08:45:00Z');
    expect(pick(r.firstResponse)).toEqual({ state: 'running', elapsed: 45, remaining: 15, due: '2026-03-02T09:00:00.000Z', breachedAt: null, paused: 0 });
  });

  it('deadline at the lunch break: created 11:00, 60 min → due 12:00 CET; an answer at 12:30 (lunch) is late, breached at 12:00', () => {
    const r = sla(berlin, { firstResponse: 60 }, makeTicket([['2026-03-02T10:00:00Z', 'new']], [['2026-03-02T11:30:00Z', 'agent']]), '2026-03-02T12:00:00Z');
    expect(pick(r.firstResponse)).toEqual({ state: 'breached', elapsed: 60, remaining: 0, due: '2026-03-02T11:00:00.000Z', breachedAt: '2026-03-02T11:00:00.000Z', paused: 0 });
  });

  it('interval split over lunch: created 11:30, 60 min = 30 before lunch + 30 after → due 13:30 CET; at 12:45 elapsed 30', () => {
    const r = sla(berlin, { firstResponse: 60 }, makeTicket([['2026-03-02T10:30:00Z', 'new']]), '2026-03-02T11:45:00Z');
    expect(pick(r.firstResponse)).toEqual({ state: 'running', elapsed: 30, remaining: 30, due: '2026-03-02T12:30:00.000Z', breachedAt: null, paused: 0 });
  });

  it.each([
    ['exactly at the deadline (10:00 CET) is met', '2026-03-02T09:00:00Z', 'met', null],
    ['one second after the deadline is breached at 10:00 CET', '2026-03-02T09:00:01Z', 'breached', '2026-03-02T09:00:00.000Z'],
  ])('answer %s', (_name, answeredAt, state, breachedAt) => {
    const r = sla(berlin, { firstResponse: 60 }, makeTicket([['2026-03-02T08:00:00Z', 'new']], [[answeredAt, 'agent']]), '2026-03-02T10:00:00Z');
    expect(r.firstResponse).toMatchObject({ state, breachedAt });
  });

  it('running clock at its exact deadline is not yet breached (now = due)', () => {
    const r = sla(berlin, { firstResponse: 60 }, makeTicket([['2026-03-02T08:00:00Z', 'new']]), '2026-03-02T09:00:00Z');
    expect(pick(r.firstResponse)).toMatchObject({ state: 'running', remaining: 0, due: '2026-03-02T09:00:00.000Z', breachedAt: null });
  });

  it('pause that starts exactly at the deadline (10:00 CET) and ends in lunch (12:30): due moves to 13:00, not breached at 12:45', () => {
    const t = makeTicket([
      ['2026-03-02T08:00:00Z', 'new'],
      ['2026-03-02T09:00:00Z', 'waiting-on-customer'],
      ['2026-03-02T11:30:00Z', 'in-progress'],
    ]);
    expect(pick(sla(berlin, { firstResponse: 60 }, t, '2026-03-02T11:45:00Z').firstResponse)).toEqual({
      state: 'running',
      elapsed: 60,
      remaining: 0,
      due: '2026-03-02T12:00:00.000Z',
      breachedAt: null,
      paused: 120, // 10:00–12:00
    });
    // Work resumes at 13:00 with nothing left: breached from 13:00 CET.
    expect(sla(berlin, { firstResponse: 60 }, t, '2026-03-02T12:05:00Z').firstResponse).toMatchObject({ state: 'breached', breachedAt: '2026-03-02T12:00:00.000Z' });
  });

  it('resolving without an agent reply stops the first-response clock (the resolution notice answers)', () => {
    const t = makeTicket(
      [
        ['2026-03-02T08:00:00Z', 'new'],
        ['2026-03-02T09:00:00Z', 'resolved'],
      ],
      [['2026-03-02T08:10:00Z', 'customer']],
    );
    const r = sla(berlin, { firstResponse: 60, nextResponse: 30 }, t, '2026-03-02T09:30:00Z');
    // 09:00 → 10:00 CET = 60 of 60, stopped exactly at the deadline: met.
    expect(r.firstResponse).toMatchObject({ state: 'met', elapsedMinutes: 60, stoppedAt: '2026-03-02T09:00:00.000Z' });
    // The 09:10 customer message came before the first response: no next-response cycle.
    expect(r.nextResponse).toEqual({ current: null, cycles: [], breachedCycles: 0 });
  });
});

describe('computeSla: DST, holidays and midnight', () => {
  it('Berlin spring-forward 2026-03-29: Fri 27 Mar 16:00 CET + 480 → Mon 30 Mar 16:00 CEST (14:00Z); at Mon 12:00 elapsed 120 + 180', () => {
    const r = sla(berlin, { resolution: 480 }, makeTicket([['2026-03-27T15:00:00Z', 'new']]), '2026-03-30T10:00:00Z');
    expect(pick(r.resolution)).toEqual({ state: 'running', elapsed: 300, remaining: 180, due: '2026-03-30T14:00:00.000Z', breachedAt: null, paused: 0 });
  });

  it('Berlin fall-back 2026-10-25: Fri 23 Oct 16:00 CEST + 480 → Mon 26 Oct 16:00 CET (15:00Z)', () => {
    const r = sla(berlin, { resolution: 480 }, makeTicket([['2026-10-23T14:00:00Z', 'new']]), '2026-10-23T14:00:00Z');
    expect(pick(r.resolution)).toMatchObject({ state: 'running', elapsed: 0, due: '2026-10-26T15:00:00.000Z' });
  });

  it.each([
    ['spring-forward 2026-03-08: Fri 6 Mar 15:00 EST + 240 = 120 Fri + 120 Mon → Mon 11:00 EDT (15:00Z)', '2026-03-06T20:00:00Z', '2026-03-09T15:00:00.000Z'],
    ['fall-back 2026-11-01: Fri 30 Oct 15:00 EDT + 240 = 120 Fri + 120 Mon → Mon 11:00 EST (16:00Z)', '2026-10-30T19:00:00Z', '2026-11-02T16:00:00.000Z'],
  ])('America/New_York %s', (_name, created, due) => {
    expect(sla(newYork, { resolution: 240 }, makeTicket([[created, 'new']]), created).resolution?.dueAt).toBe(due);
  });

  it('Easter: Thu 2 Apr 17:00 CEST + 480 = 60 Thu + 420 Tue 7 Apr (Fri and Mon are holidays) → Tue 17:00 CEST', () => {
    const r = sla(berlin, { resolution: 480 }, makeTicket([['2026-04-02T15:00:00Z', 'new']]), '2026-04-02T15:00:00Z');
    expect(r.resolution?.dueAt).toBe('2026-04-07T15:00:00.000Z');
  });

  it('across midnight on the night desk: Mon 23:00 CET + 120 → Tue 01:00 CET; at 00:30 elapsed 90', () => {
    const r = sla(nightDesk, { firstResponse: 120 }, makeTicket([['2026-03-02T22:00:00Z', 'new']]), '2026-03-02T23:30:00Z');
    expect(pick(r.firstResponse)).toEqual({ state: 'running', elapsed: 90, remaining: 30, due: '2026-03-03T00:00:00.000Z', breachedAt: null, paused: 0 });
  });

  it('night desk on spring-forward night: Sat 28 Mar 23:00 CET + 180 → 00:00Z, 01:00Z (01:00 CET→ 02:00 is end) … 20:00 CEST Sun', () => {
    // Sat 23:00–24:00 CET = 60, Sun 00:00–02:00 CET = 120 → 180 used up at 02:00 CET = 01:00Z, where clocks jump to 03:00.
    const r = sla(nightDesk, { firstResponse: 181 }, makeTicket([['2026-03-28T22:00:00Z', 'new']]), '2026-03-28T22:00:00Z');
    // One more minute: next interval Sun 20:00 CEST = 18:00Z → 18:01Z.
    expect(r.firstResponse?.dueAt).toBe('2026-03-29T18:01:00.000Z');
  });
});

describe('computeSla: pauses (waiting-on-customer)', () => {
  it('pause inside hours: Mon 09:00 CET, waiting 10:00–14:00 (180 business min), 480 target → Tue 12:00 CET', () => {
    const t = makeTicket([
      ['2026-03-02T08:00:00Z', 'new'],
      ['2026-03-02T09:00:00Z', 'waiting-on-customer'],
      ['2026-03-02T13:00:00Z', 'in-progress'],
    ]);
    const r = sla(berlin, { resolution: 480 }, t, '2026-03-03T08:00:00Z');
    // elapsed: Mon 09–10 (60) + 14–18 (240) = 300; remaining 180 from Tue 09:00 → 12:00 CET.
    expect(pick(r.resolution)).toEqual({ state: 'running', elapsed: 300, remaining: 180, due: '2026-03-03T11:00:00.000Z', breachedAt: null, paused: 180 });
    expect(r.resolution?.pausedWallMinutes).toBe(240);
  });

  it('pause that starts and ends outside hours (Mon 19:00 → Tue 07:00 CET) changes nothing: due stays Tue 18:00 CET', () => {
    const t = makeTicket([
      ['2026-03-02T08:00:00Z', 'new'],
      ['2026-03-02T18:00:00Z', 'waiting-on-customer'],
      ['2026-03-03T06:00:00Z', 'in-progress'],
    ]);
    const r = sla(berlin, { resolution: 960 }, t, '2026-03-03T09:00:00Z');
    // elapsed: Mon 480 + Tue 09–10 60 = 540.
    expect(pick(r.resolution)).toEqual({ state: 'running', elapsed: 540, remaining: 420, due: '2026-03-03T17:00:00.000Z', breachedAt: null, paused: 0 });
    expect(r.resolution?.pausedWallMinutes).toBe(720);
  });

  it('pause that starts inside hours (16:00) and ends outside (20:00): 120 left, due Tue 11:00 CET; state running at 21:00', () => {
    const t = makeTicket([
      ['2026-03-02T08:00:00Z', 'new'],
      ['2026-03-02T15:00:00Z', 'waiting-on-customer'],
      ['2026-03-02T19:00:00Z', 'in-progress'],
    ]);
    const r = sla(berlin, { resolution: 480 }, t, '2026-03-02T20:00:00Z');
    // elapsed 09–12 + 13–16 = 360; paused 16–18 = 120; due Tue 09:00 + 120 = 11:00 CET.
    expect(pick(r.resolution)).toEqual({ state: 'running', elapsed: 360, remaining: 120, due: '2026-03-03T10:00:00.000Z', breachedAt: null, paused: 120 });
  });

  it('while paused, say so: due is the earliest deadline if the customer answered now (11:00 + 420 → Tue 10:00 CET)', () => {
    const t = makeTicket([
      ['2026-03-02T08:00:00Z', 'new'],
      ['2026-03-02T09:00:00Z', 'waiting-on-customer'],
    ]);
    const r = sla(berlin, { resolution: 480 }, t, '2026-03-02T10:00:00Z');
    // 11–12 (60) + 13–18 (300) + Tue 09–10 (60) = 420.
    expect(pick(r.resolution)).toEqual({ state: 'paused', elapsed: 60, remaining: 420, due: '2026-03-03T09:00:00.000Z', breachedAt: null, paused: 60 });
    expect(r.resolution?.stoppedAt).toBeNull();
  });

  it('a holiday inside a pause counts neither as elapsed nor as paused time', () => {
    const t = makeTicket([
      ['2026-04-02T07:00:00Z', 'new'], // Thu 09:00 CEST
      ['2026-04-02T15:00:00Z', 'waiting-on-customer'], // Thu 17:00
      ['2026-04-07T08:00:00Z', 'in-progress'], // Tue 10:00 (Fri 3 and Mon 6 are holidays)
    ]);
    const r = sla(berlin, { resolution: 960 }, t, '2026-04-07T08:00:00Z');
    // elapsed Thu 09–17 = 420; paused Thu 17–18 (60) + Tue 09–10 (60) = 120;
    // 540 left from Tue 10:00: 120 + 300 → 120 left → Wed 8 Apr 11:00 CEST.
    expect(pick(r.resolution)).toEqual({ state: 'running', elapsed: 420, remaining: 540, due: '2026-04-08T09:00:00.000Z', breachedAt: null, paused: 120 });
  });

  it('a pause after the deadline does not undo the breach', () => {
    const t = makeTicket([
      ['2026-03-02T08:00:00Z', 'new'],
      ['2026-03-02T09:30:00Z', 'waiting-on-customer'],
    ]);
    const r = sla(berlin, { firstResponse: 60 }, t, '2026-03-02T12:00:00Z');
    // Deadline 10:00 CET; running on to 10:30 (elapsed 60 + 30 = 90), then paused 10:30–12:00 (90) until now 13:00.
    expect(pick(r.firstResponse)).toEqual({ state: 'breached', elapsed: 90, remaining: 0, due: '2026-03-02T09:00:00.000Z', breachedAt: '2026-03-02T09:00:00.000Z', paused: 90 });
  });

  it('status flips at the same instant do not pause anything', () => {
    const t = makeTicket([
      ['2026-03-02T08:00:00Z', 'new'],
      ['2026-03-02T09:00:00Z', 'waiting-on-customer'],
      ['2026-03-02T09:00:00Z', 'in-progress'],
    ]);
    expect(pick(sla(berlin, { resolution: 480 }, t, '2026-03-02T10:00:00Z').resolution)).toMatchObject({ elapsed: 120, paused: 0, due: '2026-03-02T17:00:00.000Z' });
  });

  it('custom paused statuses: with `new` paused, the untriaged hour 09–10 does not count', () => {
    const t = makeTicket([
      ['2026-03-02T08:00:00Z', 'new'],
      ['2026-03-02T09:00:00Z', 'triaged'],
    ]);
    const r = sla(berlin, { resolution: 480 }, t, '2026-03-02T10:00:00Z', { pausedStatuses: ['new'] });
    expect(pick(r.resolution)).toMatchObject({ state: 'running', elapsed: 60, paused: 60 });
    // And waiting-on-customer no longer pauses under that policy.
    const w = makeTicket([
      ['2026-03-02T08:00:00Z', 'new'],
      ['2026-03-02T08:00:00Z', 'waiting-on-customer'],
    ]);
    expect(pick(sla(berlin, { resolution: 480 }, w, '2026-03-02T10:00:00Z', { pausedStatuses: ['new'] }).resolution)).toMatchObject({ state: 'running', elapsed: 120 });
  });
});

describe('computeSla: resolution and reopen', () => {
  const resolvedThenReopened = makeTicket([
    ['2026-03-02T08:00:00Z', 'new'], // Mon 09:00 CET
    ['2026-03-02T11:00:00Z', 'resolved'], // Mon 12:00 → 180 used
    ['2026-03-02T14:00:00Z', 'closed'],
    ['2026-03-03T08:00:00Z', 'in-progress'], // reopened Tue 09:00
  ]);

  it('resolved Mon 12:00 after 180 of 480: met, stopped at 12:00', () => {
    const r = sla(berlin, { resolution: 480 }, resolvedThenReopened, '2026-03-02T14:00:00Z');
    expect(pick(r.resolution)).toEqual({ state: 'met', elapsed: 180, remaining: 300, due: '2026-03-02T17:00:00.000Z', breachedAt: null, paused: 0 });
    expect(r.resolution?.stoppedAt).toBe('2026-03-02T11:00:00.000Z');
  });

  it('reopen resumes the clock: Tue 10:00 CET elapsed 180 + 60, due Tue 15:00 CET; resolved time is not a pause', () => {
    const r = sla(berlin, { resolution: 480 }, resolvedThenReopened, '2026-03-03T09:00:00Z');
    expect(pick(r.resolution)).toEqual({ state: 'running', elapsed: 240, remaining: 240, due: '2026-03-03T14:00:00.000Z', breachedAt: null, paused: 0 });
    expect(r.resolution?.pausedWallMinutes).toBe(0);
  });

  it('reopen turns a met clock into a breach: target 240 used up Tue 10:00 CET', () => {
    const r = sla(berlin, { resolution: 240 }, resolvedThenReopened, '2026-03-03T09:30:00Z');
    expect(pick(r.resolution)).toMatchObject({ state: 'breached', elapsed: 270, breachedAt: '2026-03-03T09:00:00.000Z' });
  });

  it('status changes after now are ignored (replay at a past moment)', () => {
    const r = sla(berlin, { resolution: 480 }, resolvedThenReopened, '2026-03-02T10:00:00Z');
    expect(pick(r.resolution)).toMatchObject({ state: 'running', elapsed: 120 });
  });
});

describe('computeSla: next response', () => {
  const conversation = makeTicket(
    [
      ['2026-03-02T08:00:00Z', 'new'],
      ['2026-03-02T08:30:00Z', 'in-progress'],
    ],
    [
      ['2026-03-02T08:30:00Z', 'agent'], // first response 09:30 CET
      ['2026-03-02T09:00:00Z', 'customer'], // cycle 1 opens 10:00
      ['2026-03-02T09:30:00Z', 'customer'], // still cycle 1 (no restart)
      ['2026-03-02T10:00:00Z', 'agent'], // cycle 1: 10–11 = 60, met
      ['2026-03-02T10:30:00Z', 'customer'], // cycle 2 opens 11:30
      ['2026-03-02T13:00:00Z', 'agent'], // cycle 2: 11:30–12 + 13–14 = 90, met
      ['2026-03-02T15:00:00Z', 'customer'], // cycle 3 opens 16:00, 16–18 = 120 → breached at 18:00 CET
    ],
  );

  it('three cycles: 60 met, 90 met, third breached at Mon 18:00 CET', () => {
    const r = sla(berlin, { firstResponse: 60, nextResponse: 120 }, conversation, '2026-03-03T08:30:00Z');
    expect(r.firstResponse).toMatchObject({ state: 'met', elapsedMinutes: 30 });
    expect(r.nextResponse?.cycles.map((c) => [c.startedAt, c.elapsedMinutes, c.state])).toEqual([
      ['2026-03-02T09:00:00.000Z', 60, 'met'],
      ['2026-03-02T10:30:00.000Z', 90, 'met'],
      ['2026-03-02T15:00:00.000Z', 150, 'breached'],
    ]);
    expect(r.nextResponse?.current?.breachedAt).toBe('2026-03-02T17:00:00.000Z');
    expect(r.nextResponse?.breachedCycles).toBe(1);
  });

  it('a customer reply while resolved waits (paused) until the reopen, then counts', () => {
    const t = makeTicket(
      [
        ['2026-03-02T08:00:00Z', 'new'],
        ['2026-03-02T09:00:00Z', 'resolved'], // 10:00 CET; answers the 09:10 message
        ['2026-03-02T10:30:00Z', 'in-progress'], // reopened 11:30
      ],
      [
        ['2026-03-02T08:10:00Z', 'customer'],
        ['2026-03-02T09:00:00Z', 'customer'], // at the resolution instant: answered by it
        ['2026-03-02T10:00:00Z', 'customer'], // 11:00 CET, ticket resolved → cycle opens
      ],
    );
    const before = sla(berlin, { nextResponse: 60 }, t, '2026-03-02T10:15:00Z');
    expect(before.nextResponse?.cycles).toHaveLength(1);
    expect(pick(before.nextResponse?.current)).toMatchObject({ state: 'paused', elapsed: 0, paused: 0 });
    const after = sla(berlin, { nextResponse: 60 }, t, '2026-03-02T11:00:00Z');
    // 11:30–12:00 = 30 of 60; the rest after lunch → 13:30 CET.
    expect(pick(after.nextResponse?.current)).toEqual({ state: 'running', elapsed: 30, remaining: 30, due: '2026-03-02T12:30:00.000Z', breachedAt: null, paused: 0 });
  });

  it('resolving answers an open cycle; a later reply opens a new one', () => {
    const t = makeTicket(
      [
        ['2026-03-02T08:00:00Z', 'new'],
        ['2026-03-02T10:00:00Z', 'resolved'], // 11:00 CET
        ['2026-03-02T12:00:00Z', 'in-progress'],
      ],
      [
        ['2026-03-02T08:15:00Z', 'agent'],
        ['2026-03-02T09:00:00Z', 'customer'], // 10:00 → stopped by the 11:00 resolution: 60, met
        ['2026-03-02T12:00:00Z', 'customer'], // 13:00 → new cycle
        ['2026-03-02T12:30:00Z', 'agent'], // 13:30 → 30, met
      ],
    );
    const r = sla(berlin, { nextResponse: 60 }, t, '2026-03-02T13:00:00Z');
    expect(r.nextResponse?.cycles.map((c) => [c.elapsedMinutes, c.state, c.stoppedAt])).toEqual([
      [60, 'met', '2026-03-02T10:00:00.000Z'],
      [30, 'met', '2026-03-02T12:30:00.000Z'],
    ]);
  });

  it('no first response yet → no next-response cycle', () => {
    const t = makeTicket([['2026-03-02T08:00:00Z', 'new']], [['2026-03-02T08:30:00Z', 'customer']]);
    expect(sla(berlin, { nextResponse: 60 }, t, '2026-03-02T10:00:00Z').nextResponse).toEqual({ current: null, cycles: [], breachedCycles: 0 });
  });

  it('absent targets are not tracked', () => {
    const r = sla(berlin, {}, conversation, '2026-03-02T10:00:00Z');
    expect([r.firstResponse, r.nextResponse, r.resolution]).toEqual([null, null, null]);
    expect(r.now).toBe('2026-03-02T10:00:00.000Z');
  });
});

describe('computeSla: input validation names the bad field', () => {
  const ok = makeTicket([['2026-03-02T08:00:00Z', 'new']]);
  const now = '2026-03-02T10:00:00Z';
  it.each<[string, () => unknown, SupportDomainErrorCode, string]>([
    ['input missing', () => computeSla(null as unknown as ComputeSlaInput), SupportDomainErrorCode.Required, 'input'],
    ['targets missing', () => sla(berlin, null as unknown as SlaTargets, ok, now), SupportDomainErrorCode.Required, 'targets'],
    ['zero resolution target', () => sla(berlin, { resolution: 0 }, ok, now), SupportDomainErrorCode.InvalidValue, 'targets.resolution'],
    ['negative first response', () => sla(berlin, { firstResponse: -5 }, ok, now), SupportDomainErrorCode.InvalidValue, 'targets.firstResponse'],
    ['string target', () => sla(berlin, { nextResponse: '60' as unknown as number }, ok, now), SupportDomainErrorCode.InvalidValue, 'targets.nextResponse'],
    ['unknown target', () => sla(berlin, { response: 5 } as SlaTargets, ok, now), SupportDomainErrorCode.UnknownField, 'targets.response'],
    ['bad calendar', () => sla({ kind: 'business-hours', timeZone: 'X/Y', weeklyHours: { mon: lunchBreak } }, {}, ok, now), SupportDomainErrorCode.InvalidTimeZone, 'calendar.timeZone'],
    ['now without offset', () => sla(berlin, {}, ok, '2026-03-02T10:00:00'), SupportDomainErrorCode.InvalidInstant, 'now'],
    ['now before creation', () => sla(berlin, {}, ok, '2026-03-01T10:00:00Z'), SupportDomainErrorCode.InvalidValue, 'now'],
    ['timeline missing', () => sla(berlin, {}, null as unknown as TicketTimeline, now), SupportDomainErrorCode.Required, 'timeline'],
    ['no status changes', () => sla(berlin, {}, { statusChanges: [] }, now), SupportDomainErrorCode.Required, 'timeline.statusChanges'],
    ['status change not an object', () => sla(berlin, {}, { statusChanges: [null as never] }, now), SupportDomainErrorCode.Required, 'timeline.statusChanges[0]'],
    ['unknown status', () => sla(berlin, {}, makeTicket([['2026-03-02T08:00:00Z', 'open' as TicketStatus]]), now), SupportDomainErrorCode.InvalidValue, 'timeline.statusChanges[0].status'],
    ['not starting as new', () => sla(berlin, {}, makeTicket([['2026-03-02T08:00:00Z', 'triaged']]), now), SupportDomainErrorCode.InvalidTransition, 'timeline.statusChanges[0].status'],
    [
      'closed → resolved',
      () => sla(berlin, {}, makeTicket([['2026-03-02T08:00:00Z', 'new'], ['2026-03-02T08:10:00Z', 'closed'], ['2026-03-02T08:20:00Z', 'resolved']]), now),
      SupportDomainErrorCode.InvalidTransition,
      'timeline.statusChanges[2].status',
    ],
    [
      'resolved → waiting-on-customer (reopen goes to in-progress)',
      () => sla(berlin, {}, makeTicket([['2026-03-02T08:00:00Z', 'new'], ['2026-03-02T08:10:00Z', 'resolved'], ['2026-03-02T08:20:00Z', 'waiting-on-customer']]), now),
      SupportDomainErrorCode.InvalidTransition,
      'timeline.statusChanges[2].status',
    ],
    [
      'back to new',
      () => sla(berlin, {}, makeTicket([['2026-03-02T08:00:00Z', 'new'], ['2026-03-02T08:10:00Z', 'new']]), now),
      SupportDomainErrorCode.InvalidTransition,
      'timeline.statusChanges[1].status',
    ],
    [
      'out of order',
      () => sla(berlin, {}, makeTicket([['2026-03-02T08:00:00Z', 'new'], ['2026-03-02T07:00:00Z', 'triaged']]), now),
      SupportDomainErrorCode.OutOfOrder,
      'timeline.statusChanges[1].at',
    ],
    ['bad status instant', () => sla(berlin, {}, makeTicket([['2026-02-30T08:00:00Z', 'new']]), now), SupportDomainErrorCode.InvalidInstant, 'timeline.statusChanges[0].at'],
    ['responses not an array', () => sla(berlin, {}, { statusChanges: ok.statusChanges, responses: {} as never }, now), SupportDomainErrorCode.Required, 'timeline.responses'],
    ['response not an object', () => sla(berlin, {}, { statusChanges: ok.statusChanges, responses: [7 as never] }, now), SupportDomainErrorCode.Required, 'timeline.responses[0]'],
    ['response by a bot', () => sla(berlin, {}, makeTicket(ok.statusChanges.map((c) => [c.at, c.status]), [['2026-03-02T08:30:00Z', 'bot' as 'agent']]), now), SupportDomainErrorCode.InvalidValue, 'timeline.responses[0].by'],
    [
      'responses out of order',
      () => sla(berlin, {}, makeTicket([['2026-03-02T08:00:00Z', 'new']], [['2026-03-02T08:30:00Z', 'agent'], ['2026-03-02T08:20:00Z', 'customer']]), now),
      SupportDomainErrorCode.OutOfOrder,
      'timeline.responses[1].at',
    ],
    ['response before creation', () => sla(berlin, {}, makeTicket([['2026-03-02T08:00:00Z', 'new']], [['2026-03-02T07:00:00Z', 'customer']]), now), SupportDomainErrorCode.OutOfOrder, 'timeline.responses[0].at'],
    ['paused statuses not an array', () => sla(berlin, {}, ok, now, { pausedStatuses: 'new' as never }), SupportDomainErrorCode.Required, 'pausedStatuses'],
    ['resolved cannot be a pause', () => sla(berlin, {}, ok, now, { pausedStatuses: ['waiting-on-customer', 'resolved'] }), SupportDomainErrorCode.InvalidValue, 'pausedStatuses[1]'],
  ])('%s', (_name, run, code, field) => {
    expect(run).toThrow(expect.objectContaining({ code, field }) as Error);
  });

  it('an undefined target is the same as an absent one', () => {
    expect(sla(berlin, { resolution: undefined }, ok, now).resolution).toBeNull();
  });
});
