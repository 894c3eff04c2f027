import { isDomainError } from '@steward/domain-kernel';
import type { BusinessHoursCalendar } from './calendar';
import { computeSla, type SlaTargets } from './sla-clock';
import { checkWarnings, clocksOf, nextSlaCheck, reachedSignals } from './sla-milestones';
import type { TicketStatus, TicketTimeline } from './timeline';

// Hand-worked scenarios on a Berlin office calendar (CET = UTC+1 in March 2026).
const office = [
  { start: '09:00', end: '12:00' },
  { start: '13:00', end: '18:00' },
];
const berlin: BusinessHoursCalendar = { kind: 'business-hours', timeZone: 'Europe/Berlin', weeklyHours: { mon: office, tue: office, wed: office, thu: office, fri: office } };
const always = { kind: '24x7' } as const;

function ticket(changes: Array<[string, TicketStatus]>, responses: Array<[string, 'agent' | 'customer']> = []): TicketTimeline {
  return { statusChanges: changes.map(([at, status]) => ({ at, status })), responses: responses.map(([at, by]) => ({ at, by })) };
}

describe('periodic update clock', () => {
  const targets: SlaTargets = { periodicUpdate: 60 };
  it('opens at each agent response and is met by the next one: 10:00 → 10:40 update is 40 of 60 min, the second cycle runs', () => {
    const tl = ticket([['2026-03-02T08:00:00Z', 'new']], [['2026-03-02T09:00:00Z', 'agent'], ['2026-03-02T09:40:00Z', 'agent']]);
    const r = computeSla({ calendar: always, targets, timeline: tl, now: '2026-03-02T10:00:00Z' });
    expect(r.periodicUpdate?.cycles.map((c) => [c.state, c.elapsedMinutes])).toEqual([
      ['met', 40],
      ['running', 20],
    ]);
    expect(r.periodicUpdate?.current?.dueAt).toBe('2026-03-02T10:40:00.000Z');
  });

  it('nothing is owed before the first agent response (the first-response clock covers it)', () => {
    const r = computeSla({ calendar: always, targets, timeline: ticket([['2026-03-02T08:00:00Z', 'new']], [['2026-03-02T08:30:00Z', 'customer']]), now: '2026-03-02T12:00:00Z' });
    expect(r.periodicUpdate).toEqual({ current: null, cycles: [], breachedCycles: 0 });
  });

  it('a late update breaches its cycle: update due 10:00 UTC, next one at 10:30 → breached at 10:00', () => {
    const tl = ticket([['2026-03-02T08:00:00Z', 'new']], [['2026-03-02T09:00:00Z', 'agent'], ['2026-03-02T10:30:00Z', 'agent']]);
    const r = computeSla({ calendar: always, targets, timeline: tl, now: '2026-03-02T10:45:00Z' });
    expect(r.periodicUpdate?.cycles[0]).toMatchObject({ state: 'breached', breachedAt: '2026-03-02T10:00:00.000Z' });
    expect(r.periodicUpdate?.breachedCycles).toBe(1);
  });

  it('resolution stops the cycle; an answer given with the resolution opens none', () => {
    const tl = ticket(
      [
        ['2026-03-02T08:00:00Z', 'new'],
        ['2026-03-02T09:30:00Z', 'resolved'],
      ],
      [['2026-03-02T09:00:00Z', 'agent'], ['2026-03-02T09:30:00Z', 'agent']],
    );
    const r = computeSla({ calendar: always, targets, timeline: tl, now: '2026-03-02T12:00:00Z' });
    expect(r.periodicUpdate?.cycles.map((c) => [c.state, c.elapsedMinutes])).toEqual([['met', 30]]);
  });
});

describe('hand-off clock of a step', () => {
  const tl = ticket([
    ['2026-03-02T08:00:00Z', 'new'],
    ['2026-03-02T08:10:00Z', 'in-progress'],
  ]);
  it('runs from the step start: entered 08:30 UTC (09:30 CET), 10 min target → due 08:40, breached at 08:50', () => {
    const r = computeSla({ calendar: berlin, targets: { handoff: 10 }, timeline: tl, now: '2026-03-02T08:50:00Z', handoff: { startedAt: '2026-03-02T08:30:00Z' } });
    expect(r.handoff).toMatchObject({ state: 'breached', breachedAt: '2026-03-02T08:40:00.000Z', elapsedMinutes: 20 });
  });

  it('an escalation before the deadline meets it (solved or escalated in time)', () => {
    const r = computeSla({ calendar: berlin, targets: { handoff: 10 }, timeline: tl, now: '2026-03-02T09:00:00Z', handoff: { startedAt: '2026-03-02T08:30:00Z', stoppedAt: '2026-03-02T08:38:00Z' } });
    expect(r.handoff).toMatchObject({ state: 'met', elapsedMinutes: 8, stoppedAt: '2026-03-02T08:38:00.000Z' });
  });

  it('defaults to the creation and stops while resolved', () => {
    const resolved = ticket([
      ['2026-03-02T08:00:00Z', 'new'],
      ['2026-03-02T08:05:00Z', 'resolved'],
    ]);
    const r = computeSla({ calendar: berlin, targets: { handoff: 10 }, timeline: resolved, now: '2026-03-02T09:00:00Z' });
    expect(r.handoff).toMatchObject({ state: 'met', elapsedMinutes: 5 });
  });

  it.each([
    ['a step before the creation', { startedAt: '2026-03-02T07:00:00Z' }, 'handoff.startedAt'],
    ['an end before its start', { startedAt: '2026-03-02T08:30:00Z', stoppedAt: '2026-03-02T08:20:00Z' }, 'handoff.stoppedAt'],
    ['a wall-clock start', { startedAt: '2026-03-02T08:30:00' }, 'handoff.startedAt'],
  ])('refuses %s, naming %s', (_name, handoff, field) => {
    const err = (() => {
      try {
        computeSla({ calendar: berlin, targets: { handoff: 10 }, timeline: tl, now: '2026-03-02T09:00:00Z', handoff });
      } catch (e) {
        return e;
      }
    })();
    expect(isDomainError(err) && err.field).toBe(field);
  });
});

describe('SLA milestones', () => {
  const tl = ticket([['2026-03-02T08:00:00Z', 'new']]);
  const targets: SlaTargets = { firstResponse: 60, resolution: 480 };

  it('keys every clock; cycles are numbered from 1', () => {
    const r = computeSla({ calendar: always, targets: { firstResponse: 10, nextResponse: 10 }, timeline: ticket([['2026-03-02T08:00:00Z', 'new']], [['2026-03-02T08:01:00Z', 'agent'], ['2026-03-02T08:02:00Z', 'customer']]), now: '2026-03-02T08:03:00Z' });
    expect(clocksOf(r).map((c) => c.key)).toEqual(['firstResponse', 'nextResponse#1']);
  });

  it('next check is the 75 % warning of the first response: 60 min from 09:00 CET, 45 min → 09:45 CET', () => {
    const r = computeSla({ calendar: berlin, targets, timeline: tl, now: '2026-03-02T08:00:00Z' });
    expect(nextSlaCheck(r, [0.75, 0.9], berlin)).toBe('2026-03-02T08:45:00.000Z');
  });

  it('after the last warning the next check is 1 ms past the deadline', () => {
    const r = computeSla({ calendar: berlin, targets: { firstResponse: 60 }, timeline: tl, now: '2026-03-02T08:55:00Z' });
    expect(nextSlaCheck(r, [0.75, 0.9], berlin)).toBe('2026-03-02T09:00:00.001Z');
  });

  it('a warning threshold across the lunch break: 240 min from 09:00 CET, 90 % = 216 min → 13:36 CET', () => {
    const r = computeSla({ calendar: berlin, targets: { resolution: 240 }, timeline: tl, now: '2026-03-02T10:30:00Z' });
    // 09:00–11:30 CET is 150 min; 75 % (180) is at 12:00 CET = lunch → 13:00 CET starts counting, reached at 12:00 exactly.
    expect(nextSlaCheck(r, [0.75, 0.9], berlin)).toBe('2026-03-02T11:00:00.000Z');
    const later = computeSla({ calendar: berlin, targets: { resolution: 240 }, timeline: tl, now: '2026-03-02T12:00:00Z' });
    expect(nextSlaCheck(later, [0.75, 0.9], berlin)).toBe('2026-03-02T12:36:00.000Z');
  });

  it('reaches the warnings a running clock passed, and the breach once it ran past the deadline', () => {
    const at = (now: string) => reachedSignals(computeSla({ calendar: always, targets: { firstResponse: 60 }, timeline: tl, now }), [0.75, 0.9]);
    expect(at('2026-03-02T08:44:59Z')).toEqual([]);
    expect(at('2026-03-02T08:45:00Z').map((s) => [s.signal, s.fraction])).toEqual([['warning', 0.75]]);
    expect(at('2026-03-02T09:00:00Z').map((s) => [s.signal, s.fraction])).toEqual([
      ['warning', 0.75],
      ['warning', 0.9],
    ]);
    expect(at('2026-03-02T09:00:00.001Z')).toEqual([{ key: 'firstResponse', kind: 'firstResponse', signal: 'breach', at: '2026-03-02T09:00:00.000Z' }]);
  });

  it('paused clocks reach nothing new; met ones owe no warnings', () => {
    const paused = ticket([
      ['2026-03-02T08:00:00Z', 'new'],
      ['2026-03-02T08:50:00Z', 'waiting-on-customer'],
    ]);
    const r = computeSla({ calendar: always, targets: { firstResponse: 60 }, timeline: paused, now: '2026-03-02T12:00:00Z' });
    expect(nextSlaCheck(r, [0.75], always)).toBeNull();
    expect(reachedSignals(r, [0.75]).map((s) => s.signal)).toEqual(['warning']);
    const met = computeSla({ calendar: always, targets: { firstResponse: 60 }, timeline: ticket([['2026-03-02T08:00:00Z', 'new']], [['2026-03-02T08:50:00Z', 'agent']]), now: '2026-03-02T12:00:00Z' });
    expect(reachedSignals(met, [0.75])).toEqual([]);
  });

  it.each([
    [[0], 'warnings[0]'],
    [[1], 'warnings[0]'],
    [[0.9, 0.75], 'warnings[1]'],
    [[0.5, '0.6'], 'warnings[1]'],
    [[0.1, 0.2, 0.3, 0.4, 0.5, 0.6], 'warnings'],
    ['0.75', 'warnings'],
  ])('refuses warning thresholds %j naming %s', (warnings, field) => {
    expect(() => checkWarnings(warnings)).toThrow(expect.objectContaining({ field }));
  });
});
