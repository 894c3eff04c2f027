import fc from 'fast-check';
import type { BusinessCalendar, BusinessHoursCalendar } from './calendar';
import { computeSla, type SlaClock } from './sla-clock';
import type { TicketStatus, TicketTimeline } from './timeline';

const lunchBreak = [
  { start: '09:00', end: '12:00' },
  { start: '13:00', end: '18:00' },
];
const berlin: BusinessHoursCalendar = {
  kind: 'business-hours',
  timeZone: 'Europe/Berlin',
  weeklyHours: { mon: lunchBreak, tue: lunchBreak, wed: lunchBreak, thu: lunchBreak, fri: lunchBreak },
  holidays: ['2026-04-03', '2026-04-06', '2026-05-01', '2026-10-03', '2026-12-25'],
};
const alwaysOpen: BusinessCalendar = { kind: '24x7' };
const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 1);
const iso = (ms: number): string => new Date(ms).toISOString();

function nextStatuses(s: TicketStatus): TicketStatus[] {
  if (s === 'resolved') return ['closed', 'in-progress'];
  if (s === 'closed') return ['in-progress'];
  return ['triaged', 'in-progress', 'waiting-on-customer', 'resolved', 'closed'];
}

/** A year-long ticket: 0–20 status changes a few minutes to ~3 weeks apart, plus replies. */
const ticketArb = fc
  .record({
    created: fc.integer({ min: 0, max: 300 * 1440 }),
    steps: fc.array(fc.record({ gap: fc.integer({ min: 0, max: 30_000 }), choice: fc.nat() }), { maxLength: 20 }),
    responses: fc.array(fc.record({ offset: fc.integer({ min: 0, max: 200_000 }), agent: fc.boolean() }), { maxLength: 12 }),
  })
  .map(({ created, steps, responses }) => {
    const createdAt = T0 + created * MIN;
    let at = createdAt;
    let status: TicketStatus = 'new';
    const statusChanges: TicketTimeline['statusChanges'] = [{ at: iso(at), status }];
    for (const step of steps) {
      const options = nextStatuses(status);
      status = options[step.choice % options.length];
      at += step.gap * MIN;
      statusChanges.push({ at: iso(at), status });
    }
    const replies = responses
      .map((r) => ({ at: createdAt + r.offset * MIN, by: r.agent ? ('agent' as const) : ('customer' as const) }))
      .sort((a, b) => a.at - b.at)
      .map((r) => ({ at: iso(r.at), by: r.by }));
    const timeline: TicketTimeline = { statusChanges, responses: replies };
    return { createdAt, end: at + 200_000 * MIN, timeline };
  });

const targetsArb = fc.record({
  firstResponse: fc.integer({ min: 1, max: 2_000 }),
  nextResponse: fc.integer({ min: 1, max: 2_000 }),
  resolution: fc.integer({ min: 1, max: 20_000 }),
});

describe('computeSla properties', () => {
  it('elapsed never decreases as now grows, and a breach never heals', () => {
    fc.assert(
      fc.property(ticketArb, targetsArb, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (t, targets, u, v) => {
        const [a, b] = [u, v].sort((x, y) => x - y).map((f) => t.createdAt + Math.floor(((t.end - t.createdAt) * f) / MIN) * MIN);
        const early = computeSla({ calendar: berlin, targets, timeline: t.timeline, now: iso(a) });
        const late = computeSla({ calendar: berlin, targets, timeline: t.timeline, now: iso(b) });
        const monotone = (x: SlaClock | null | undefined, y: SlaClock | null | undefined): void => {
          expect(y!.elapsedMinutes).toBeGreaterThanOrEqual(x!.elapsedMinutes);
          expect(y!.pausedMinutes).toBeGreaterThanOrEqual(x!.pausedMinutes);
          if (x!.breached) expect(y!.breachedAt).toBe(x!.breachedAt);
        };
        monotone(early.firstResponse, late.firstResponse);
        monotone(early.resolution, late.resolution);
        early.nextResponse!.cycles.forEach((c, i) => monotone(c, late.nextResponse!.cycles[i]));
      }),
    );
  });

  it('a pause never brings a deadline earlier', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 300 * 1440 }),
        fc.array(fc.integer({ min: 1, max: 20_000 }), { minLength: 2, maxLength: 12 }),
        fc.integer({ min: 0, max: 400_000 }),
        targetsArb,
        (created, gaps, nowOffset, targets) => {
          const createdAt = T0 + created * MIN;
          const base: TicketTimeline = { statusChanges: [{ at: iso(createdAt), status: 'new' }] };
          const paused: TicketTimeline = { statusChanges: [{ at: iso(createdAt), status: 'new' }] };
          let at = createdAt;
          gaps.forEach((gap, i) => {
            at += gap * MIN;
            paused.statusChanges.push({ at: iso(at), status: i % 2 === 0 ? 'waiting-on-customer' : 'in-progress' });
          });
          const now = iso(createdAt + nowOffset * MIN);
          const without = computeSla({ calendar: berlin, targets, timeline: base, now });
          const withPauses = computeSla({ calendar: berlin, targets, timeline: paused, now });
          expect(Date.parse(withPauses.resolution!.dueAt)).toBeGreaterThanOrEqual(Date.parse(without.resolution!.dueAt));
          expect(Date.parse(withPauses.firstResponse!.dueAt)).toBeGreaterThanOrEqual(Date.parse(without.firstResponse!.dueAt));
          expect(withPauses.resolution!.elapsedMinutes).toBeLessThanOrEqual(without.resolution!.elapsedMinutes);
        },
      ),
    );
  });

  it('24x7 equals wall-clock arithmetic (resolution clock against a plain subtraction)', () => {
    fc.assert(
      fc.property(ticketArb, targetsArb, fc.double({ min: 0, max: 1, noNaN: true }), (t, targets, f) => {
        const now = t.createdAt + Math.floor(((t.end - t.createdAt) * f) / MIN) * MIN;
        const got = computeSla({ calendar: alwaysOpen, targets, timeline: t.timeline, now: iso(now) }).resolution!;
        // Reference: walk the status periods and subtract instants.
        const changes = t.timeline.statusChanges.map((c) => ({ at: Date.parse(c.at), status: c.status })).filter((c) => c.at <= now);
        const target = targets.resolution * MIN;
        let elapsed = 0;
        let pausedMs = 0;
        let breachedAt: number | null = null;
        changes.forEach((c, i) => {
          const b = i + 1 < changes.length ? changes[i + 1].at : now;
          const length = b - c.at;
          if (c.status === 'waiting-on-customer') pausedMs += length;
          else if (c.status !== 'resolved' && c.status !== 'closed') {
            if (breachedAt === null && length > target - elapsed) breachedAt = c.at + (target - elapsed);
            elapsed += length;
          }
        });
        const last = changes[changes.length - 1];
        const stopped = last.status === 'resolved' || last.status === 'closed';
        let stopAt = now;
        if (stopped) {
          let k = changes.length - 1;
          while (k > 0 && (changes[k - 1].status === 'resolved' || changes[k - 1].status === 'closed')) k--;
          stopAt = changes[k].at;
        }
        expect(got.elapsedMinutes).toBe(elapsed / MIN);
        expect(got.pausedMinutes).toBe(pausedMs / MIN);
        expect(got.pausedWallMinutes).toBe(pausedMs / MIN);
        expect(got.breachedAt).toBe(breachedAt === null ? null : iso(breachedAt));
        expect(got.dueAt).toBe(iso(breachedAt ?? stopAt + Math.max(0, target - elapsed)));
        expect(got.stoppedAt).toBe(stopped ? iso(stopAt) : null);
      }),
    );
  });
});
