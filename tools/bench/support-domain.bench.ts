// Support-domain benchmark: computeSla over 100,000 tickets with year-long timelines
// (10–20 status changes, a few replies) on a Berlin business-hours calendar with a lunch
// break and holidays, against a raw baseline: the same tickets as pure 24×7 wall-clock
// subtraction (parse the instants, add up running periods), the minimum any SLA clock costs.
import { computeSla, type BusinessHoursCalendar, type SlaTargets, type TicketStatus, type TicketTimeline } from '@steward/support-domain';
import { ratioOf, timeIt, type BenchResult, seededRandom } from './bench';

const N = 100_000;
const BATCH = 10_000; // generated per batch to keep memory flat; only computing is timed
const MIN = 60_000;
const YEAR_START = Date.UTC(2026, 0, 1);

const lunchBreak = [
  { start: '09:00', end: '12:00' },
  { start: '13:00', end: '18:00' },
];
const calendar: BusinessHoursCalendar = {
  kind: 'business-hours',
  timeZone: 'Europe/Berlin',
  weeklyHours: { mon: lunchBreak, tue: lunchBreak, wed: lunchBreak, thu: lunchBreak, fri: lunchBreak },
  holidays: ['2026-01-01', '2026-04-03', '2026-04-06', '2026-05-01', '2026-05-14', '2026-05-25', '2026-10-03', '2026-12-25', '2026-12-26'],
};
const targets: SlaTargets = { firstResponse: 60, nextResponse: 240, resolution: 2_400 };
const NOW = new Date(Date.UTC(2027, 0, 1)).toISOString();

const rng = seededRandom;

function next(s: TicketStatus, r: number): TicketStatus {
  const options: TicketStatus[] = s === 'resolved' ? ['closed', 'in-progress'] : s === 'closed' ? ['in-progress'] : ['triaged', 'in-progress', 'waiting-on-customer', 'in-progress', 'waiting-on-customer', 'resolved'];
  return options[Math.floor(r * options.length)];
}

function makeBatch(r: () => number, size: number): TicketTimeline[] {
  const out: TicketTimeline[] = [];
  for (let i = 0; i < size; i++) {
    // Created in the first month; 10–20 changes spread over the rest of the year.
    let at = YEAR_START + Math.floor(r() * 30 * 1440) * MIN;
    const created = at;
    const changes = 10 + Math.floor(r() * 11);
    const span = (330 * 1440) / changes;
    let status: TicketStatus = 'new';
    const statusChanges: TicketTimeline['statusChanges'] = [{ at: new Date(at).toISOString(), status }];
    for (let k = 1; k < changes; k++) {
      at += Math.floor(r() * span) * MIN;
      status = next(status, r());
      statusChanges.push({ at: new Date(at).toISOString(), status });
    }
    const responses: TicketTimeline['responses'] = [];
    let rt = created;
    const replies = 2 + Math.floor(r() * 7);
    for (let k = 0; k < replies; k++) {
      rt += Math.floor(r() * ((at - created) / replies / MIN)) * MIN;
      responses.push({ at: new Date(rt).toISOString(), by: k % 2 === 0 ? 'agent' : 'customer' });
    }
    out.push({ statusChanges, responses });
  }
  return out;
}

/** Raw floor: 24×7 resolution time = running wall-clock minutes, no calendar, no validation. */
function wallClockResolution(t: TicketTimeline, now: number): number {
  const changes = t.statusChanges;
  let running = 0;
  for (let k = 0; k < changes.length; k++) {
    const a = Date.parse(changes[k].at);
    const b = k + 1 < changes.length ? Date.parse(changes[k + 1].at) : now;
    const s = changes[k].status;
    if (s !== 'waiting-on-customer' && s !== 'resolved' && s !== 'closed') running += b - a;
  }
  const responses = t.responses ?? [];
  let firstAgent = now;
  for (const r of responses) {
    if (r.by === 'agent') {
      firstAgent = Date.parse(r.at);
      break;
    }
  }
  return running + (firstAgent - Date.parse(changes[0].at));
}

export default async function (): Promise<BenchResult[]> {
  const r = rng(7);
  const now = Date.parse(NOW);
  let platformMs = 0;
  let baselineMs = 0;
  let breaches = 0;
  let businessMinutes = 0;
  let wallMinutes = 0;
  // Warm-up on a small batch so neither side pays JIT compilation in the measurement.
  const warm = makeBatch(rng(1), 2_000);
  for (const t of warm) computeSla({ calendar, targets, timeline: t, now: NOW });
  for (const t of warm) wallClockResolution(t, now);
  for (let done = 0; done < N; done += BATCH) {
    const batch = makeBatch(r, BATCH);
    platformMs += await timeIt(() => {
      for (const t of batch) {
        const res = computeSla({ calendar, targets, timeline: t, now: NOW });
        if (res.resolution!.breached) breaches += 1;
        businessMinutes += res.resolution!.elapsedMinutes;
      }
    });
    baselineMs += await timeIt(() => {
      for (const t of batch) wallMinutes += wallClockResolution(t, now) / MIN;
    });
  }
  const platform = { unit: 'tickets/s', value: Math.round((N / platformMs) * 1000), detail: { 'µs/ticket': Math.round((platformMs * 1000) / N), 'resolution breaches': breaches } };
  const baseline = { unit: 'tickets/s', value: Math.round((N / baselineMs) * 1000), detail: { 'µs/ticket': Math.round((baselineMs * 1000) / N) } };
  return [
    {
      name: 'support-domain: computeSla, 100,000 year-long tickets, Berlin business hours + lunch + holidays',
      platform,
      baseline,
      ratio: ratioOf(platform, baseline, true),
      notes: `all three clocks (first/next response, resolution) with input validation; baseline = 24×7 wall-clock subtraction of the same instants (checksums: ${Math.round(businessMinutes)} business min, ${Math.round(wallMinutes)} wall min)`,
    },
  ];
}
