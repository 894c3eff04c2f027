import { collectIssues, DomainError, fail, isRecord, type DomainIssue } from '@steward/domain-kernel';
import { SupportDomainErrorCode } from './errors';
import { DAY_MS, HOUR_MS, MINUTE_MS, monthDayOfDay, parseLocalDate, parseMonthDay, parseWallTime, weekdayOfDay } from './local-date';
import { formatInstant, parseInstant, type Instant } from './instant';
import { assertTimeZone, findOffsetChange, offsetAt } from './zoned-time';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A working interval in local wall-clock time, `[start, end)`; `end` may be `24:00`. */
export interface WorkingInterval {
  start: string;
  end: string;
}

/** Working hours in a time zone, with holidays (local dates on which nothing counts). */
export interface BusinessHoursCalendar {
  kind: 'business-hours';
  /** IANA zone, e.g. `Europe/Berlin`. */
  timeZone: string;
  /** Several intervals a day are allowed (09:00–12:00 and 13:00–18:00). A missing day is closed. */
  weeklyHours: Partial<Record<Weekday, WorkingInterval[]>>;
  /** Whole days off: local dates `YYYY-MM-DD` (once) or `MM-DD` (every year, e.g. `12-25`). */
  holidays?: string[];
  /** Days with other hours than their weekday (`hours: []` = closed); they win over holidays. */
  specialDays?: SpecialDay[];
}

/** One local date with its own working hours. */
export interface SpecialDay {
  date: string;
  hours: WorkingInterval[];
}

/** Every instant counts; no zone, no holidays. */
export interface AlwaysOpenCalendar {
  kind: '24x7';
}

export type BusinessCalendar = BusinessHoursCalendar | AlwaysOpenCalendar;

/** Business-time arithmetic over one calendar, on epoch milliseconds. */
export interface CalendarEngine {
  /** Business milliseconds in `[from, to)`; `from <= to`. */
  businessMsBetween(from: number, to: number): number;
  /** Earliest instant `t >= from` with `businessMsBetween(from, t) === ms`, for `ms > 0`. */
  addBusinessMs(from: number, ms: number): number;
  /** `from` itself when it is working time, else the start of the next working interval. */
  nextWorkingInstant(from: number): number;
}

// Working time is precomputed per fixed block of UTC time: a sorted list of working
// intervals with running totals, so every query is a binary search instead of a walk.
const CHUNK_MS = 64 * DAY_MS;
// Search this many chunks (~7 years) for working time before declaring a deadline unreachable.
const MAX_CHUNKS_SEARCHED = 40;
// Offsets stay within UTC−12..UTC+14, so instants of a local day lie in this margin around it.
const MARGIN_MS = 15 * HOUR_MS;

interface Chunk {
  starts: number[];
  ends: number[];
  /** Business ms before interval k inside this chunk. */
  cumBefore: number[];
  total: number;
}

class AlwaysOpenEngine implements CalendarEngine {
  businessMsBetween(from: number, to: number): number {
    return to - from;
  }
  addBusinessMs(from: number, ms: number): number {
    return from + ms;
  }
  nextWorkingInstant(from: number): number {
    return from;
  }
}

class BusinessHoursEngine implements CalendarEngine {
  private readonly chunks = new Map<number, Chunk>();

  constructor(
    private readonly timeZone: string,
    /** Per weekday (0 = Sunday): sorted, merged `[start, end]` ms after local midnight. */
    private readonly week: ReadonlyArray<ReadonlyArray<readonly [number, number]>>,
    private readonly holidays: ReadonlySet<number>,
    /** Yearly holidays as month * 100 + day. */
    private readonly yearly: ReadonlySet<number>,
    /** Day number → that day's own sorted, merged intervals. */
    private readonly special: ReadonlyMap<number, ReadonlyArray<readonly [number, number]>>,
  ) {}

  businessMsBetween(from: number, to: number): number {
    const first = Math.floor(from / CHUNK_MS);
    const last = Math.floor(to / CHUNK_MS);
    const a = this.chunk(first);
    if (first === last) return position(a, to) - position(a, from);
    let sum = a.total - position(a, from);
    for (let i = first + 1; i < last; i++) sum += this.chunk(i).total;
    return sum + position(this.chunk(last), to);
  }

  addBusinessMs(from: number, ms: number): number {
    let index = Math.floor(from / CHUNK_MS);
    let c = this.chunk(index);
    let goal = position(c, from) + ms;
    for (let searched = 0; goal > c.total; searched++) {
      if (searched >= MAX_CHUNKS_SEARCHED) unreachable();
      goal -= c.total;
      index += 1;
      c = this.chunk(index);
    }
    // First interval whose running total reaches the goal.
    let lo = 0;
    let hi = c.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (c.cumBefore[mid] + c.ends[mid] - c.starts[mid] >= goal) hi = mid;
      else lo = mid + 1;
    }
    return c.starts[lo] + (goal - c.cumBefore[lo]);
  }

  nextWorkingInstant(from: number): number {
    let index = Math.floor(from / CHUNK_MS);
    const c = this.chunk(index);
    const k = lastStartAtOrBefore(c, from);
    if (k >= 0 && from < c.ends[k]) return from;
    if (k + 1 < c.starts.length) return c.starts[k + 1];
    for (let searched = 0; searched < MAX_CHUNKS_SEARCHED; searched++) {
      index += 1;
      const next = this.chunk(index);
      if (next.starts.length > 0) return next.starts[0];
    }
    return unreachable();
  }

  private chunk(index: number): Chunk {
    let c = this.chunks.get(index);
    if (c === undefined) {
      // Bound memory for long-lived processes: chunks are cheap to rebuild.
      if (this.chunks.size >= 4096) this.chunks.clear();
      c = this.buildChunk(index);
      this.chunks.set(index, c);
    }
    return c;
  }

  private buildChunk(index: number): Chunk {
    const from = index * CHUNK_MS;
    const to = from + CHUNK_MS;
    const pieces: Array<[number, number]> = [];
    const firstDay = Math.floor((from - MARGIN_MS) / DAY_MS);
    const lastDay = Math.floor((to + MARGIN_MS) / DAY_MS);
    for (let day = firstDay; day <= lastDay; day++) {
      const special = this.special.get(day);
      if (special === undefined && (this.holidays.has(day) || (this.yearly.size > 0 && this.yearly.has(monthDayOfDay(day))))) continue;
      const intervals = special ?? this.week[weekdayOfDay(day)];
      if (intervals.length > 0) pieces.push(...this.dayPieces(day, intervals));
    }
    // A fall-back across midnight can put part of a day after part of the next: sort.
    pieces.sort((x, y) => x[0] - y[0]);
    const c: Chunk = { starts: [], ends: [], cumBefore: [], total: 0 };
    for (const [s, e] of pieces) {
      const lo = Math.max(s, from);
      const hi = Math.min(e, to);
      if (lo >= hi) continue;
      const n = c.starts.length;
      // 24:00 of one day meets 00:00 of the next: keep one interval.
      if (n > 0 && c.ends[n - 1] === lo) {
        c.ends[n - 1] = hi;
      } else {
        c.starts.push(lo);
        c.ends.push(hi);
        c.cumBefore.push(c.total);
      }
      c.total += hi - lo;
    }
    return c;
  }

  /**
   * Instants whose local wall-clock time falls in one of the day's intervals. Around a
   * DST change the day is split at the change, each side with its own offset, so a
   * wall time skipped by spring-forward counts nothing and a repeated hour counts twice.
   */
  private dayPieces(day: number, intervals: ReadonlyArray<readonly [number, number]>): Array<[number, number]> {
    const midnight = day * DAY_MS;
    const windowStart = midnight - MARGIN_MS;
    const windowEnd = midnight + DAY_MS + MARGIN_MS;
    const change = findOffsetChange(this.timeZone, windowStart, windowEnd);
    const segments: Array<[number, number, number]> =
      change === null
        ? [[windowStart, windowEnd, offsetAt(this.timeZone, windowStart)]]
        : [
            [windowStart, change, offsetAt(this.timeZone, windowStart)],
            [change, windowEnd, offsetAt(this.timeZone, change)],
          ];
    const pieces: Array<[number, number]> = [];
    for (const [segStart, segEnd, offset] of segments) {
      for (const [s, e] of intervals) {
        const lo = Math.max(midnight + s - offset, segStart);
        const hi = Math.min(midnight + e - offset, segEnd);
        if (lo < hi) pieces.push([lo, hi]);
      }
    }
    return pieces;
  }
}

function lastStartAtOrBefore(c: Chunk, t: number): number {
  let lo = 0;
  let hi = c.starts.length - 1;
  let k = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (c.starts[mid] <= t) {
      k = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return k;
}

/** Business ms in the chunk before instant `t` (which lies in the chunk). */
function position(c: Chunk, t: number): number {
  const k = lastStartAtOrBefore(c, t);
  return k < 0 ? 0 : c.cumBefore[k] + Math.min(t, c.ends[k]) - c.starts[k];
}

function unreachable(): never {
  return fail(SupportDomainErrorCode.DeadlineUnreachable, 'calendar', 'no working time found within ~7 years; check holidays and weekly hours');
}

const CALENDAR_KEYS = new Set(['kind', 'timeZone', 'weeklyHours', 'holidays', 'specialDays']);

/**
 * Checks a calendar and returns every problem (empty when valid): unknown zone, bad
 * `HH:MM`, end ≤ start, overlapping intervals of a weekday, bad holiday dates, no hours at all.
 */
export function validateBusinessCalendar(calendar: unknown, field = 'calendar'): DomainIssue[] {
  const issues: DomainIssue[] = [];
  const add = (code: SupportDomainErrorCode, f: string, message: string): void => {
    issues.push({ code, field: f, message });
  };
  const capture = (check: () => void): void => collectIssues(issues, check);
  if (!isRecord(calendar)) {
    add(SupportDomainErrorCode.Required, field, 'expected a calendar object');
    return issues;
  }
  if (calendar.kind === '24x7') {
    for (const key of Object.keys(calendar)) {
      if (key !== 'kind') add(SupportDomainErrorCode.UnknownField, `${field}.${key}`, 'a 24x7 calendar takes no other field');
    }
    return issues;
  }
  if (calendar.kind !== 'business-hours') {
    add(SupportDomainErrorCode.InvalidValue, `${field}.kind`, `expected "business-hours" or "24x7", got ${JSON.stringify(calendar.kind)}`);
    return issues;
  }
  for (const key of Object.keys(calendar)) {
    if (!CALENDAR_KEYS.has(key)) add(SupportDomainErrorCode.UnknownField, `${field}.${key}`, 'unknown calendar field');
  }
  capture(() => assertTimeZone(calendar.timeZone, `${field}.timeZone`));
  const weekly = calendar.weeklyHours;
  let workingIntervals = 0;
  if (!isRecord(weekly)) {
    add(SupportDomainErrorCode.Required, `${field}.weeklyHours`, 'expected an object keyed by weekday (mon..sun)');
  } else {
    for (const [day, list] of Object.entries(weekly)) {
      const dayField = `${field}.weeklyHours.${day}`;
      if (!(WEEKDAYS as readonly string[]).includes(day)) {
        add(SupportDomainErrorCode.UnknownField, dayField, 'expected one of sun, mon, tue, wed, thu, fri, sat');
        continue;
      }
      if (!Array.isArray(list)) {
        add(SupportDomainErrorCode.Required, dayField, 'expected an array of {start, end}');
        continue;
      }
      workingIntervals += checkIntervals(list, dayField, add, capture);
    }
    if (workingIntervals === 0 && issues.length === 0) {
      add(SupportDomainErrorCode.NoWorkingHours, `${field}.weeklyHours`, 'at least one working interval is needed (use kind "24x7" for always open)');
    }
  }
  if (calendar.holidays !== undefined) {
    if (!Array.isArray(calendar.holidays)) add(SupportDomainErrorCode.Required, `${field}.holidays`, 'expected an array of YYYY-MM-DD');
    else calendar.holidays.forEach((h: unknown, i) => capture(() => parseHoliday(h, `${field}.holidays[${i}]`)));
  }
  if (calendar.specialDays !== undefined) {
    if (!Array.isArray(calendar.specialDays)) add(SupportDomainErrorCode.Required, `${field}.specialDays`, 'expected an array of {date, hours}');
    else {
      const seen = new Set<number>();
      calendar.specialDays.forEach((d: unknown, i) => {
        const f = `${field}.specialDays[${i}]`;
        if (!isRecord(d)) return add(SupportDomainErrorCode.Required, f, 'expected {date, hours}');
        for (const key of Object.keys(d)) if (key !== 'date' && key !== 'hours') add(SupportDomainErrorCode.UnknownField, `${f}.${key}`, 'expected date and hours');
        capture(() => {
          const day = parseLocalDate(d.date, `${f}.date`);
          if (seen.has(day)) add(SupportDomainErrorCode.InvalidValue, `${f}.date`, `${String(d.date)} is listed twice`);
          seen.add(day);
        });
        if (!Array.isArray(d.hours)) add(SupportDomainErrorCode.Required, `${f}.hours`, 'expected an array of {start, end} ([] = closed)');
        else checkIntervals(d.hours, `${f}.hours`, add, capture);
      });
    }
  }
  return issues;
}


/** Checks one day's intervals (bad times, end ≤ start, overlaps); returns how many are valid. */
function checkIntervals(list: unknown[], dayField: string, add: (code: SupportDomainErrorCode, f: string, message: string) => void, capture: (check: () => void) => void): number {
  const parsed: Array<{ s: number; e: number; i: number }> = [];
  list.forEach((interval: unknown, i) => {
    const f = `${dayField}[${i}]`;
    if (!isRecord(interval)) {
      add(SupportDomainErrorCode.Required, f, 'expected {start, end}');
      return;
    }
    let s = NaN;
    let e = NaN;
    capture(() => {
      s = parseWallTime(interval.start, `${f}.start`);
    });
    capture(() => {
      e = parseWallTime(interval.end, `${f}.end`);
    });
    if (Number.isNaN(s) || Number.isNaN(e)) return;
    if (e <= s) add(SupportDomainErrorCode.InvalidInterval, `${f}.end`, `end ${String(interval.end)} must be after start ${String(interval.start)}`);
    else parsed.push({ s, e, i });
  });
  parsed.sort((x, y) => x.s - y.s);
  for (let k = 1; k < parsed.length; k++) {
    if (parsed[k].s < parsed[k - 1].e) {
      add(SupportDomainErrorCode.OverlappingIntervals, `${dayField}[${parsed[k].i}]`, `overlaps ${dayField}[${parsed[k - 1].i}]`);
    }
  }
  return parsed.length;
}

/** A holiday: `YYYY-MM-DD` once, or `MM-DD` every year. */
function parseHoliday(value: unknown, field: string): { day: number } | { yearly: number } {
  if (typeof value === 'string' && value.length === 5) return { yearly: parseMonthDay(value, field) };
  return { day: parseLocalDate(value, field) };
}

/** Sorted intervals in ms after midnight; touching ones (09:00–12:00, 12:00–13:00) become one. */
function compileDay(intervals: WorkingInterval[]): Array<[number, number]> {
  const list = intervals.map((iv): [number, number] => [parseWallTime(iv.start, ''), parseWallTime(iv.end, '')]);
  list.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const iv of list) {
    const last = merged[merged.length - 1];
    if (last !== undefined && last[1] === iv[0]) last[1] = iv[1];
    else merged.push(iv);
  }
  return merged;
}

function compile(calendar: BusinessCalendar): CalendarEngine {
  if (calendar.kind === '24x7') return new AlwaysOpenEngine();
  const week = WEEKDAYS.map((day) => compileDay(calendar.weeklyHours[day] ?? []));
  const holidays = new Set<number>();
  const yearly = new Set<number>();
  for (const h of calendar.holidays ?? []) {
    const parsed = parseHoliday(h, '');
    if ('day' in parsed) holidays.add(parsed.day);
    else yearly.add(parsed.yearly);
  }
  const special = new Map((calendar.specialDays ?? []).map((d) => [parseLocalDate(d.date, ''), compileDay(d.hours)] as const));
  return new BusinessHoursEngine(calendar.timeZone, week, holidays, yearly, special);
}

// Calendars arrive as plain data on every call; validating and precomputing once per
// distinct content (not per object identity) keeps a mutated object from serving stale hours.
const engines = new Map<string, CalendarEngine>();
const MAX_ENGINES = 256;

/**
 * The validated engine for a calendar, cached by content. Throws DomainError
 * (with every issue attached) for an invalid calendar.
 */
export function calendarEngine(calendar: BusinessCalendar, field = 'calendar'): CalendarEngine {
  const key = JSON.stringify(calendar);
  let engine = engines.get(key);
  if (engine === undefined) {
    DomainError.throwIfAny(validateBusinessCalendar(calendar, field));
    engine = compile(calendar);
    if (engines.size >= MAX_ENGINES) engines.delete(engines.keys().next().value as string);
    engines.set(key, engine);
  }
  return engine;
}

/** Business minutes between two instants (negative when `to` is before `from`). */
export function businessMinutesBetween(calendar: BusinessCalendar, from: Instant, to: Instant): number {
  const engine = calendarEngine(calendar);
  const a = parseInstant(from, 'from');
  const b = parseInstant(to, 'to');
  return a <= b ? engine.businessMsBetween(a, b) / MINUTE_MS : -engine.businessMsBetween(b, a) / MINUTE_MS;
}

/**
 * The instant at which `minutes` business minutes after `from` are used up. For 0 it is
 * the next working instant (`from` itself when inside working hours).
 */
export function addBusinessMinutes(calendar: BusinessCalendar, from: Instant, minutes: number): Instant {
  const engine = calendarEngine(calendar);
  const a = parseInstant(from, 'from');
  if (typeof minutes !== 'number' || !Number.isFinite(minutes) || minutes < 0) {
    return fail(SupportDomainErrorCode.InvalidValue, 'minutes', `expected a finite number >= 0, got ${String(minutes)}`);
  }
  const ms = Math.round(minutes * MINUTE_MS);
  return formatInstant(ms === 0 ? engine.nextWorkingInstant(a) : engine.addBusinessMs(a, ms));
}
