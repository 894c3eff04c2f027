import { calendarNameFor, defaultPolicyDocument, slaStatusOf, statusDefinition, targetsFor, validatePolicyDocument, type SupportPolicyDocument } from './policy-document';
import { SupportDomainErrorCode } from './errors';
import { routeTicket } from './routing';

const clone = (): SupportPolicyDocument => structuredClone(defaultPolicyDocument);
type Edit = (d: SupportPolicyDocument & Record<string, unknown>) => void;
const set = (f: Edit) => {
  const d = clone() as SupportPolicyDocument & Record<string, unknown>;
  f(d);
  return d;
};

describe('the default policy document', () => {
  it('is valid and routes like the default routing policy', () => {
    expect(validatePolicyDocument(defaultPolicyDocument)).toEqual([]);
    const r = routeTicket({ project: { kind: 'project', size: 'large', lead: 'vendor', region: 'north' }, account: { tier: 1, strategic: false }, category: 'incident', policy: { rules: defaultPolicyDocument.rules } });
    expect(r.rule.id).toBe('l1-vendor-large');
  });

  it('gives L1 urgent tickets 15 min to first response and their delivery centre 60 min to hand off, on 24x7', () => {
    expect(targetsFor(defaultPolicyDocument, 'L1', 'urgent', 'delivery-centre/{deliveryTeam}')).toEqual({ firstResponse: 15, nextResponse: 30, periodicUpdate: 60, resolution: 240, handoff: 60 });
    expect(targetsFor(defaultPolicyDocument, 'L3', 'low', 'after-sales-field-service')).toEqual({ firstResponse: 960, nextResponse: 960, resolution: 9600 });
    expect(calendarNameFor(defaultPolicyDocument, 'L1', 'north')).toBe('24x7');
    expect(calendarNameFor(defaultPolicyDocument, 'L3', 'north')).toBe('office');
  });

  it('picks the team calendar first, then the level, the region and the default', () => {
    const d = set((x) => {
      x.calendars.cn = { kind: 'business-hours', timeZone: 'Asia/Shanghai', weeklyHours: { mon: [{ start: '09:00', end: '17:00' }] } };
      x.regionCalendars = { east: 'cn' };
    });
    expect(calendarNameFor(d, 'L2', 'east')).toBe('cn');
    expect(calendarNameFor(d, 'L2', 'east', '24x7')).toBe('24x7');
    expect(calendarNameFor(d, 'L2', 'east', 'missing')).toBe('cn');
    expect(calendarNameFor(d, 'L1', 'east')).toBe('24x7');
    expect(calendarNameFor(d, 'L2', null)).toBe('office');
  });
});

describe('ticket statuses', () => {
  it('a waiting status pauses the SLA only when marked; the others count as their class', () => {
    expect(slaStatusOf({ class: 'waiting', pausesSla: true })).toBe('waiting-on-customer');
    expect(slaStatusOf({ class: 'waiting', pausesSla: false })).toBe('in-progress');
    expect(slaStatusOf({ class: 'triaged', pausesSla: false })).toBe('triaged');
    const d = set((x) => x.statuses.push({ key: 'waiting-for-parts', label: 'Waiting for parts', class: 'waiting', pausesSla: true, pauseReason: 'parts' }));
    expect(statusDefinition(d, 'waiting-for-parts')?.pauseReason).toBe('parts');
    expect(statusDefinition(d, 'waiting-on-customer')?.pausesSla).toBe(true);
    expect(statusDefinition(d, 'nope')).toBeUndefined();
  });
});

describe('policy validation names every bad field', () => {
  it.each<[string, Edit, SupportDomainErrorCode, string]>([
    ['a target of 0', (d) => (d.levels.L2.targets.urgent.firstResponse = 0), SupportDomainErrorCode.InvalidValue, 'policy.levels.L2.targets.urgent.firstResponse'],
    ['a negative target', (d) => (d.levels.L3.targets.low.resolution = -5), SupportDomainErrorCode.InvalidValue, 'policy.levels.L3.targets.low.resolution'],
    ['a missing priority', (d) => delete (d.levels.L1.targets as Partial<typeof d.levels.L1.targets>).normal, SupportDomainErrorCode.Required, 'policy.levels.L1.targets.normal'],
    ['a missing resolution target', (d) => delete (d.levels.L1.targets.low as Partial<typeof d.levels.L1.targets.low>).resolution, SupportDomainErrorCode.Required, 'policy.levels.L1.targets.low.resolution'],
    ['a rule after the catch-all', (d) => d.rules.push({ id: 'late', when: { tier: [1] }, level: 'L1', firstQueue: 'x', escalationChain: [] }), SupportDomainErrorCode.UnreachableRule, 'policy.rules[11]'],
    ['a step without a queue', (d) => (d.rules[0].escalationChain = ['']), SupportDomainErrorCode.Required, 'policy.rules[0].escalationChain[0]'],
    ['an unknown calendar', (d) => (d.defaultCalendar = 'mars'), SupportDomainErrorCode.UnknownReference, 'policy.defaultCalendar'],
    ['a bad calendar', (d) => (d.calendars.office = { kind: 'business-hours', timeZone: 'Mars/Olympus', weeklyHours: { mon: [{ start: '09:00', end: '17:00' }] } }), SupportDomainErrorCode.InvalidTimeZone, 'policy.calendars.office.timeZone'],
    ['a level calendar that does not exist', (d) => (d.levels.L2.calendar = 'nope'), SupportDomainErrorCode.UnknownReference, 'policy.levels.L2.calendar'],
    ['a hand-off for a queue the level never uses', (d) => (d.levels.L1.handoff = { 'call-centre': { urgent: 5 } }), SupportDomainErrorCode.UnknownReference, 'policy.levels.L1.handoff.call-centre'],
    ['a hand-off of 0', (d) => (d.levels.L3.handoff = { 'call-centre': { urgent: 0 } }), SupportDomainErrorCode.InvalidValue, 'policy.levels.L3.handoff.call-centre.urgent'],
    ['a warning at 100 %', (d) => (d.warnings = [0.5, 1]), SupportDomainErrorCode.InvalidValue, 'policy.warnings[1]'],
    ['a pausing status that is not waiting', (d) => d.statuses.push({ key: 'on-hold', label: 'On hold', class: 'in-progress', pausesSla: true }), SupportDomainErrorCode.InvalidValue, 'policy.statuses[0].pausesSla'],
    ['a status redefining a built-in one', (d) => d.statuses.push({ key: 'resolved', label: 'Done', class: 'resolved', pausesSla: false }), SupportDomainErrorCode.DuplicateId, 'policy.statuses[0].key'],
    ['a status of no class', (d) => d.statuses.push({ key: 'limbo', label: 'Limbo', class: 'limbo' as 'new', pausesSla: false }), SupportDomainErrorCode.InvalidValue, 'policy.statuses[0].class'],
    ['a negative reopen window', (d) => (d.reopenWindowDays = -1), SupportDomainErrorCode.InvalidValue, 'policy.reopenWindowDays'],
    ['a voucher worth nothing', (d) => d.recovery.push({ id: 'r', on: 'breach', voucher: { kind: 'credit', faceValue: 0, currency: 'EUR', validDays: 30 } }), SupportDomainErrorCode.InvalidValue, 'policy.recovery[0].voucher.faceValue'],
    ['a voucher in no currency', (d) => d.recovery.push({ id: 'r', on: 'breach', voucher: { kind: 'credit', faceValue: 10, currency: 'euro', validDays: 30 } }), SupportDomainErrorCode.InvalidValue, 'policy.recovery[0].voucher.currency'],
    ['a complaint rule testing clocks', (d) => d.recovery.push({ id: 'r', on: 'complaint', when: { clocks: ['resolution'] }, voucher: { kind: 'credit', faceValue: 10, currency: 'EUR', validDays: 30 } }), SupportDomainErrorCode.InvalidValue, 'policy.recovery[0].when.clocks'],
    ['an RMA target of 0', (d) => (d.aftersales.targets.repair = 0), SupportDomainErrorCode.InvalidValue, 'policy.aftersales.targets.repair'],
    ['an unknown field', (d) => (d.queues = {}), SupportDomainErrorCode.UnknownField, 'policy.queues'],
  ])('%s → %s at %s', (_name, edit, code, field) => {
    const issues = validatePolicyDocument(set(edit));
    expect(issues).toContainEqual(expect.objectContaining({ code, field }));
  });

  it('collects every problem at once', () => {
    const issues = validatePolicyDocument(
      set((d) => {
        d.levels.L1.targets.urgent.firstResponse = 0;
        d.reopenWindowDays = 1.5;
      }),
    );
    expect(issues.map((i) => i.field)).toEqual(['policy.levels.L1.targets.urgent.firstResponse', 'policy.reopenWindowDays']);
  });

  it('refuses what is not a policy', () => {
    expect(validatePolicyDocument(null)).toEqual([{ code: SupportDomainErrorCode.Required, field: 'policy', message: 'expected a policy object' }]);
  });
});
