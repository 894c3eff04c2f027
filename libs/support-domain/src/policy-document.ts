import { collectIssues, DomainError, isRecord, RMA_KINDS, TICKET_PRIORITIES, TICKET_STATUS_CLASSES, VOUCHER_KINDS, type DomainIssue, type RmaKind, type TicketPriority, type TicketStatusClass, type VoucherKind } from '@steward/domain-kernel';
import { validateBusinessCalendar, type BusinessCalendar } from './calendar';
import { SupportDomainErrorCode } from './errors';
import { checkWarnings } from './sla-milestones';
import { defaultSupportPolicy, SUPPORT_LEVELS, validateSupportPolicy, type SupportLevel, type SupportRule } from './support-policy';
import type { SlaTargets } from './sla-clock';
import type { TicketStatus } from './timeline';

/** Ticket priorities, most urgent first (the kernel's vocabulary). */
export const PRIORITIES = TICKET_PRIORITIES;
export type Priority = TicketPriority;

/**
 * The lifecycle class every ticket status belongs to (DOMAIN.md §2): new → triaged →
 * in-progress ⇄ waiting → resolved → closed. Tenants add statuses of their own, each in one class.
 */
export const STATUS_CLASSES = TICKET_STATUS_CLASSES;
export type StatusClass = TicketStatusClass;

/** A ticket status: a built-in one or a tenant's own. Only `waiting` statuses may pause the SLA. */
export interface TicketStatusDefinition {
  key: string;
  label: string;
  class: StatusClass;
  /** Every SLA clock pauses while the ticket is in this status. */
  pausesSla: boolean;
  /** Why the clock pauses (`customer`, `vendor`, `parts`…), reported with the pause. */
  pauseReason?: string;
}

/** The statuses every tenant has; tenant statuses come on top and may not reuse these keys. */
export const BUILT_IN_STATUSES: readonly TicketStatusDefinition[] = [
  { key: 'new', label: 'New', class: 'new', pausesSla: false },
  { key: 'triaged', label: 'Triaged', class: 'triaged', pausesSla: false },
  { key: 'in-progress', label: 'In progress', class: 'in-progress', pausesSla: false },
  { key: 'waiting-on-customer', label: 'Waiting on customer', class: 'waiting', pausesSla: true, pauseReason: 'customer' },
  { key: 'resolved', label: 'Resolved', class: 'resolved', pausesSla: false },
  { key: 'closed', label: 'Closed', class: 'closed', pausesSla: false },
];

/** SLA targets of one priority, in business minutes; first response and resolution are required. */
export interface PriorityTargets {
  firstResponse: number;
  nextResponse?: number;
  periodicUpdate?: number;
  resolution: number;
}

/** One support level's standards. */
export interface LevelPolicy {
  /** Targets per priority; every priority must be set. */
  targets: Record<Priority, PriorityTargets>;
  /**
   * Hand-off targets per step, keyed by the queue as written in the level's rules
   * (`call-centre`, `branch-technical/{region}`): the step solves or escalates within this
   * many business minutes, per priority (absent priority: no hand-off clock).
   */
  handoff?: Record<string, Partial<Record<Priority, number>>>;
  /** Calendar of this level's tickets (e.g. 24×7 for L1), before the region's. */
  calendar?: string;
}

export const RECOVERY_TRIGGERS = ['breach', 'complaint'] as const;
export { RMA_KINDS, VOUCHER_KINDS, type RmaKind, type VoucherKind };

/** Issues a service-recovery voucher when a ticket breaches or a complaint is registered, if the conditions match. */
export interface RecoveryRule {
  id: string;
  on: (typeof RECOVERY_TRIGGERS)[number];
  when?: { levels?: SupportLevel[]; tiers?: Array<1 | 2 | 3>; priorities?: Priority[]; clocks?: Array<'firstResponse' | 'resolution' | 'handoff'> };
  voucher: { kind: VoucherKind; faceValue: number; currency: string; validDays: number };
}


/**
 * A tenant's whole support policy (DOMAIN.md §2): the routing rules (`SupportPolicy`), the
 * standards per level, business calendars, ticket statuses, SLA warning thresholds, the
 * reopen window, service-recovery rules and after-sales targets.
 */
export interface SupportPolicyDocument {
  rules: SupportRule[];
  levels: Record<SupportLevel, LevelPolicy>;
  calendars: Record<string, BusinessCalendar>;
  /** The calendar of tickets no level or region calendar covers. */
  defaultCalendar: string;
  /** Region (the project's, else the account's) → calendar name. */
  regionCalendars?: Record<string, string>;
  /** Warn at these fractions of each target (e.g. 0.75 and 0.9). */
  warnings: number[];
  /** Tenant statuses on top of the built-in ones. */
  statuses: TicketStatusDefinition[];
  /** A resolved or closed ticket may be reopened this many days after its resolution. */
  reopenWindowDays: number;
  recovery: RecoveryRule[];
  /** After-sales orders complete within this many business minutes, per kind. */
  aftersales: { targets: Record<RmaKind, number> };
}

const KEYS = new Set(['rules', 'levels', 'calendars', 'defaultCalendar', 'regionCalendars', 'warnings', 'statuses', 'reopenWindowDays', 'recovery', 'aftersales']);
const TARGET_FIELDS = ['firstResponse', 'nextResponse', 'periodicUpdate', 'resolution'] as const;
/** Ten years of minutes: anything longer is a typo. */
const MAX_MINUTES = 10 * 366 * 24 * 60;
const STATUS_KEY = /^[a-z][a-z0-9-]{0,39}$/;

/**
 * Checks a whole policy document and returns every problem with the path of the bad field
 * (`policy.levels.L2.targets.urgent.resolution`), empty when valid: the routing rules (an
 * unreachable rule, a step without a queue), targets (missing, 0, negative), calendars
 * (the calendar rules) and references to them, warning thresholds, statuses (only a waiting
 * status may pause the SLA), recovery rules and after-sales targets.
 */
export function validatePolicyDocument(doc: unknown, field = 'policy'): DomainIssue[] {
  const issues: DomainIssue[] = [];
  const add = (code: SupportDomainErrorCode, f: string, message: string): void => {
    issues.push({ code, field: f, message });
  };
  if (!isRecord(doc)) {
    add(SupportDomainErrorCode.Required, field, 'expected a policy object');
    return issues;
  }
  for (const key of Object.keys(doc)) if (!KEYS.has(key)) add(SupportDomainErrorCode.UnknownField, `${field}.${key}`, 'unknown policy field');
  issues.push(...validateSupportPolicy({ rules: doc.rules }, field));

  const calendars = isRecord(doc.calendars) ? doc.calendars : null;
  if (!calendars || Object.keys(calendars).length === 0) add(SupportDomainErrorCode.Required, `${field}.calendars`, 'expected at least one named calendar');
  else for (const [name, cal] of Object.entries(calendars)) issues.push(...validateBusinessCalendar(cal, `${field}.calendars.${name}`));
  const calendarRef = (value: unknown, f: string) => {
    if (typeof value !== 'string' || value === '') add(SupportDomainErrorCode.Required, f, 'expected a calendar name');
    else if (calendars && !(value in calendars)) add(SupportDomainErrorCode.UnknownReference, f, `no calendar named ${JSON.stringify(value)} in calendars`);
  };
  calendarRef(doc.defaultCalendar, `${field}.defaultCalendar`);
  if (doc.regionCalendars !== undefined) {
    if (!isRecord(doc.regionCalendars)) add(SupportDomainErrorCode.Required, `${field}.regionCalendars`, 'expected region → calendar name');
    else for (const [region, name] of Object.entries(doc.regionCalendars)) calendarRef(name, `${field}.regionCalendars.${region}`);
  }

  const rules = Array.isArray(doc.rules) ? (doc.rules as unknown[]).filter(isRecord) : [];
  if (!isRecord(doc.levels)) add(SupportDomainErrorCode.Required, `${field}.levels`, 'expected L1, L2 and L3');
  else {
    for (const key of Object.keys(doc.levels)) if (!(SUPPORT_LEVELS as readonly string[]).includes(key)) add(SupportDomainErrorCode.UnknownField, `${field}.levels.${key}`, 'expected L1, L2 or L3');
    for (const level of SUPPORT_LEVELS) {
      const queues = new Set<string>();
      for (const r of rules) {
        if (r.level !== level) continue;
        if (typeof r.firstQueue === 'string') queues.add(r.firstQueue);
        if (Array.isArray(r.escalationChain)) for (const q of r.escalationChain) if (typeof q === 'string') queues.add(q);
      }
      validateLevel(doc.levels[level], `${field}.levels.${level}`, level, queues, add, calendarRef);
    }
  }
  collectIssues(issues, () => void checkWarnings(doc.warnings, `${field}.warnings`));
  validateStatuses(doc.statuses, `${field}.statuses`, add);
  if (typeof doc.reopenWindowDays !== 'number' || !Number.isInteger(doc.reopenWindowDays) || doc.reopenWindowDays < 0 || doc.reopenWindowDays > 3650) {
    add(SupportDomainErrorCode.InvalidValue, `${field}.reopenWindowDays`, 'expected a whole number of days from 0 to 3650');
  }
  validateRecovery(doc.recovery, `${field}.recovery`, add);
  if (!isRecord(doc.aftersales) || !isRecord(doc.aftersales.targets)) add(SupportDomainErrorCode.Required, `${field}.aftersales.targets`, 'expected installation, repair and return targets in minutes');
  else {
    for (const key of Object.keys(doc.aftersales)) if (key !== 'targets') add(SupportDomainErrorCode.UnknownField, `${field}.aftersales.${key}`, 'unknown field');
    const t = doc.aftersales.targets;
    for (const key of Object.keys(t)) if (!(RMA_KINDS as readonly string[]).includes(key)) add(SupportDomainErrorCode.UnknownField, `${field}.aftersales.targets.${key}`, 'expected installation, repair or return');
    for (const kind of RMA_KINDS) checkMinutes(t[kind], `${field}.aftersales.targets.${kind}`, add);
  }
  return issues;
}

/** Throws the policy's first problem (with all of them attached) unless it is valid. */
export function assertPolicyDocument(doc: unknown, field = 'policy'): asserts doc is SupportPolicyDocument {
  DomainError.throwIfAny(validatePolicyDocument(doc, field));
}

type Add = (code: SupportDomainErrorCode, f: string, message: string) => void;

function checkMinutes(v: unknown, f: string, add: Add, required = true): void {
  if (v === undefined && !required) return;
  if (typeof v !== 'number' || !Number.isFinite(v)) add(SupportDomainErrorCode.Required, f, 'expected a number of business minutes');
  else if (v <= 0) add(SupportDomainErrorCode.InvalidValue, f, `a target must be more than 0 minutes, got ${v}`);
  else if (v > MAX_MINUTES) add(SupportDomainErrorCode.InvalidValue, f, 'a target of more than ten years is a typo');
}

function validateLevel(level: unknown, f: string, name: SupportLevel, queues: Set<string>, add: Add, calendarRef: (v: unknown, f: string) => void): void {
  if (!isRecord(level)) {
    add(SupportDomainErrorCode.Required, f, `expected the standards of ${name}`);
    return;
  }
  for (const key of Object.keys(level)) if (!['targets', 'handoff', 'calendar'].includes(key)) add(SupportDomainErrorCode.UnknownField, `${f}.${key}`, 'expected targets, handoff or calendar');
  if (!isRecord(level.targets)) add(SupportDomainErrorCode.Required, `${f}.targets`, 'expected targets for urgent, high, normal and low');
  else {
    for (const key of Object.keys(level.targets)) if (!(PRIORITIES as readonly string[]).includes(key)) add(SupportDomainErrorCode.UnknownField, `${f}.targets.${key}`, 'expected urgent, high, normal or low');
    for (const p of PRIORITIES) {
      const t = level.targets[p];
      const tf = `${f}.targets.${p}`;
      if (!isRecord(t)) {
        add(SupportDomainErrorCode.Required, tf, 'expected {firstResponse, nextResponse?, periodicUpdate?, resolution}');
        continue;
      }
      for (const key of Object.keys(t)) if (!(TARGET_FIELDS as readonly string[]).includes(key)) add(SupportDomainErrorCode.UnknownField, `${tf}.${key}`, `expected one of ${TARGET_FIELDS.join(', ')}`);
      checkMinutes(t.firstResponse, `${tf}.firstResponse`, add);
      checkMinutes(t.resolution, `${tf}.resolution`, add);
      checkMinutes(t.nextResponse, `${tf}.nextResponse`, add, false);
      checkMinutes(t.periodicUpdate, `${tf}.periodicUpdate`, add, false);
    }
  }
  if (level.handoff !== undefined) {
    if (!isRecord(level.handoff)) add(SupportDomainErrorCode.Required, `${f}.handoff`, 'expected queue → targets per priority');
    else {
      for (const [queue, byPriority] of Object.entries(level.handoff)) {
        const hf = `${f}.handoff.${queue}`;
        if (!queues.has(queue)) add(SupportDomainErrorCode.UnknownReference, hf, `${queue} is not a step of any ${name} rule (${[...queues].join(', ') || 'none'})`);
        if (!isRecord(byPriority)) {
          add(SupportDomainErrorCode.Required, hf, 'expected minutes per priority');
          continue;
        }
        for (const [p, v] of Object.entries(byPriority)) {
          if (!(PRIORITIES as readonly string[]).includes(p)) add(SupportDomainErrorCode.UnknownField, `${hf}.${p}`, 'expected urgent, high, normal or low');
          else checkMinutes(v, `${hf}.${p}`, add);
        }
      }
    }
  }
  if (level.calendar !== undefined) calendarRef(level.calendar, `${f}.calendar`);
}

function validateStatuses(statuses: unknown, f: string, add: Add): void {
  if (!Array.isArray(statuses)) {
    add(SupportDomainErrorCode.Required, f, 'expected a list of tenant statuses (may be empty)');
    return;
  }
  if (statuses.length > 50) add(SupportDomainErrorCode.InvalidValue, f, 'at most 50 tenant statuses');
  const keys = new Set(BUILT_IN_STATUSES.map((s) => s.key));
  statuses.forEach((s: unknown, i) => {
    const sf = `${f}[${i}]`;
    if (!isRecord(s)) {
      add(SupportDomainErrorCode.Required, sf, 'expected {key, label, class, pausesSla, pauseReason?}');
      return;
    }
    for (const key of Object.keys(s)) if (!['key', 'label', 'class', 'pausesSla', 'pauseReason'].includes(key)) add(SupportDomainErrorCode.UnknownField, `${sf}.${key}`, 'unknown status field');
    if (typeof s.key !== 'string' || !STATUS_KEY.test(s.key)) add(SupportDomainErrorCode.InvalidValue, `${sf}.key`, 'expected lower-case letters, digits and dashes (at most 40)');
    else if (keys.has(s.key)) add(SupportDomainErrorCode.DuplicateId, `${sf}.key`, `status ${s.key} exists already`);
    else keys.add(s.key);
    if (typeof s.label !== 'string' || s.label.trim() === '' || s.label.length > 100) add(SupportDomainErrorCode.Required, `${sf}.label`, 'expected a label (at most 100 characters)');
    if (!(STATUS_CLASSES as readonly unknown[]).includes(s.class)) add(SupportDomainErrorCode.InvalidValue, `${sf}.class`, `expected one of ${STATUS_CLASSES.join(', ')}`);
    if (typeof s.pausesSla !== 'boolean') add(SupportDomainErrorCode.Required, `${sf}.pausesSla`, 'expected true or false');
    else if (s.pausesSla && s.class !== 'waiting') add(SupportDomainErrorCode.InvalidValue, `${sf}.pausesSla`, 'only a waiting status may pause the SLA');
    if (s.pauseReason !== undefined && (typeof s.pauseReason !== 'string' || s.pauseReason.trim() === '' || s.pauseReason.length > 100)) add(SupportDomainErrorCode.InvalidValue, `${sf}.pauseReason`, 'expected a short reason');
    if (s.pauseReason !== undefined && s.pausesSla === false) add(SupportDomainErrorCode.InvalidValue, `${sf}.pauseReason`, 'only a status that pauses the SLA has a pause reason');
  });
}

function validateRecovery(recovery: unknown, f: string, add: Add): void {
  if (!Array.isArray(recovery)) {
    add(SupportDomainErrorCode.Required, f, 'expected a list of recovery rules (may be empty)');
    return;
  }
  const ids = new Set<string>();
  recovery.forEach((r: unknown, i) => {
    const rf = `${f}[${i}]`;
    if (!isRecord(r)) {
      add(SupportDomainErrorCode.Required, rf, 'expected {id, on, when?, voucher}');
      return;
    }
    for (const key of Object.keys(r)) if (!['id', 'on', 'when', 'voucher'].includes(key)) add(SupportDomainErrorCode.UnknownField, `${rf}.${key}`, 'unknown rule field');
    if (typeof r.id !== 'string' || r.id.trim() === '') add(SupportDomainErrorCode.Required, `${rf}.id`, 'expected a non-empty id');
    else if (ids.has(r.id)) add(SupportDomainErrorCode.DuplicateId, `${rf}.id`, `id ${r.id} is used twice`);
    else ids.add(r.id);
    if (!(RECOVERY_TRIGGERS as readonly unknown[]).includes(r.on)) add(SupportDomainErrorCode.InvalidValue, `${rf}.on`, 'expected breach or complaint');
    if (r.when !== undefined) {
      if (!isRecord(r.when)) add(SupportDomainErrorCode.Required, `${rf}.when`, 'expected conditions');
      else {
        const lists: Record<string, readonly unknown[]> = { levels: SUPPORT_LEVELS, tiers: [1, 2, 3], priorities: PRIORITIES, clocks: ['firstResponse', 'resolution', 'handoff'] };
        for (const [key, value] of Object.entries(r.when)) {
          const allowed = lists[key];
          if (!allowed) add(SupportDomainErrorCode.UnknownField, `${rf}.when.${key}`, `expected one of ${Object.keys(lists).join(', ')}`);
          else if (!Array.isArray(value) || value.length === 0) add(SupportDomainErrorCode.InvalidValue, `${rf}.when.${key}`, 'expected a non-empty list');
          else value.forEach((v: unknown, k) => allowed.includes(v) || add(SupportDomainErrorCode.InvalidValue, `${rf}.when.${key}[${k}]`, `expected one of ${allowed.join(', ')}`));
        }
        if (r.on === 'complaint' && r.when.clocks !== undefined) add(SupportDomainErrorCode.InvalidValue, `${rf}.when.clocks`, 'only breach rules test clocks');
      }
    }
    const v = r.voucher;
    if (!isRecord(v)) {
      add(SupportDomainErrorCode.Required, `${rf}.voucher`, 'expected {kind, faceValue, currency, validDays}');
      return;
    }
    if (!(VOUCHER_KINDS as readonly unknown[]).includes(v.kind)) add(SupportDomainErrorCode.InvalidValue, `${rf}.voucher.kind`, 'expected credit or free-service');
    if (typeof v.faceValue !== 'number' || !Number.isSafeInteger(v.faceValue) || v.faceValue <= 0) add(SupportDomainErrorCode.InvalidValue, `${rf}.voucher.faceValue`, 'expected a positive whole amount in minor units');
    if (typeof v.currency !== 'string' || !/^[A-Z]{3}$/.test(v.currency)) add(SupportDomainErrorCode.InvalidValue, `${rf}.voucher.currency`, 'expected an ISO 4217 code');
    if (typeof v.validDays !== 'number' || !Number.isInteger(v.validDays) || v.validDays < 1 || v.validDays > 3650) add(SupportDomainErrorCode.InvalidValue, `${rf}.voucher.validDays`, 'expected 1 to 3650 days');
  });
}

/** A ticket status with its definition under a policy, or undefined when the policy has no such status. */
export function statusDefinition(doc: Pick<SupportPolicyDocument, 'statuses'>, key: string): TicketStatusDefinition | undefined {
  return BUILT_IN_STATUSES.find((s) => s.key === key) ?? doc.statuses.find((s) => s.key === key);
}

/**
 * The status a ticket's SLA timeline records for a status: the clocks know only the
 * built-in lifecycle, and pause on `waiting-on-customer`. A waiting status that does not
 * pause the SLA counts as in progress.
 */
export function slaStatusOf(def: Pick<TicketStatusDefinition, 'class' | 'pausesSla'>): TicketStatus {
  if (def.class === 'waiting') return def.pausesSla ? 'waiting-on-customer' : 'in-progress';
  return def.class;
}

/** The SLA targets of a ticket of this level and priority, with the hand-off target of the step's queue (as written in the rule). */
export function targetsFor(doc: Pick<SupportPolicyDocument, 'levels'>, level: SupportLevel, priority: Priority, queueTemplate: string | null): SlaTargets {
  const l = doc.levels[level];
  const t = l.targets[priority];
  const handoff = queueTemplate === null ? undefined : l.handoff?.[queueTemplate]?.[priority];
  return {
    firstResponse: t.firstResponse,
    resolution: t.resolution,
    ...(t.nextResponse === undefined ? {} : { nextResponse: t.nextResponse }),
    ...(t.periodicUpdate === undefined ? {} : { periodicUpdate: t.periodicUpdate }),
    ...(handoff === undefined ? {} : { handoff }),
  };
}

/** The calendar name a ticket keeps for its life: its team's, else its level's, else its region's, else the default. */
export function calendarNameFor(doc: Pick<SupportPolicyDocument, 'levels' | 'calendars' | 'regionCalendars' | 'defaultCalendar'>, level: SupportLevel, region: string | null, teamCalendar?: string | null): string {
  if (teamCalendar && teamCalendar in doc.calendars) return teamCalendar;
  const byLevel = doc.levels[level].calendar;
  if (byLevel && byLevel in doc.calendars) return byLevel;
  const byRegion = region === null ? undefined : doc.regionCalendars?.[region];
  if (byRegion && byRegion in doc.calendars) return byRegion;
  return doc.defaultCalendar;
}

const weekdays = (hours: Array<{ start: string; end: string }>) => ({ mon: hours, tue: hours, wed: hours, thu: hours, fri: hours });
const OFFICE = [
  { start: '09:00', end: '12:00' },
  { start: '13:00', end: '18:00' },
];
const h = (hours: number) => hours * 60;

/**
 * DOMAIN.md §2 as a whole policy: the default routing rules, L1 around the clock with the
 * tightest targets, L2 and L3 on office hours, warnings at 75 % and 90 %, a 14-day reopen
 * window, no recovery rules (a tenant decides what a breach is worth).
 */
export const defaultPolicyDocument: SupportPolicyDocument = {
  rules: defaultSupportPolicy.rules,
  levels: {
    L1: {
      calendar: '24x7',
      targets: {
        urgent: { firstResponse: 15, nextResponse: 30, periodicUpdate: 60, resolution: h(4) },
        high: { firstResponse: 30, nextResponse: 60, periodicUpdate: h(2), resolution: h(8) },
        normal: { firstResponse: 60, nextResponse: h(2), resolution: h(24) },
        low: { firstResponse: h(4), nextResponse: h(8), resolution: h(72) },
      },
      handoff: { 'delivery-centre/{deliveryTeam}': { urgent: 60, high: h(4) }, 'product-line/{region}': { urgent: h(2), high: h(8) } },
    },
    L2: {
      targets: {
        urgent: { firstResponse: 30, nextResponse: 60, periodicUpdate: h(2), resolution: h(8) },
        high: { firstResponse: 60, nextResponse: h(2), resolution: h(16) },
        normal: { firstResponse: h(4), nextResponse: h(8), resolution: h(40) },
        low: { firstResponse: h(8), nextResponse: h(16), resolution: h(80) },
      },
      handoff: { 'call-centre': { urgent: 10, high: 30, normal: h(2) }, 'branch-technical/{region}': { urgent: h(2), high: h(8) } },
    },
    L3: {
      targets: {
        urgent: { firstResponse: 60, nextResponse: h(2), resolution: h(16) },
        high: { firstResponse: h(2), nextResponse: h(4), resolution: h(24) },
        normal: { firstResponse: h(8), nextResponse: h(8), resolution: h(80) },
        low: { firstResponse: h(16), nextResponse: h(16), resolution: h(160) },
      },
      handoff: { 'call-centre': { urgent: 10, high: 30, normal: h(2), low: h(8) }, 'technical-experts': { urgent: h(4), high: h(8) } },
    },
  },
  calendars: {
    '24x7': { kind: '24x7' },
    office: { kind: 'business-hours', timeZone: 'UTC', weeklyHours: weekdays(OFFICE) },
  },
  defaultCalendar: 'office',
  warnings: [0.75, 0.9],
  statuses: [],
  reopenWindowDays: 14,
  recovery: [],
  aftersales: { targets: { installation: h(40), repair: h(24), return: h(80) } },
};
