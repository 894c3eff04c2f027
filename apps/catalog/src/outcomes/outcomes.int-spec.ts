import { randomUUID } from 'node:crypto';
import { Events, EventSchemas, HeaderNames, StewardError, Subjects, type EventOf } from '@steward/contracts';
import { fixedClock } from '@steward/service-kit';
import { expectEventually } from '@steward/testing';
import { CatalogHarness, startCatalogHarness } from '../testing/catalog-harness';

const s = Subjects.catalog;
const clock = fixedClock('2026-03-01T00:00:00Z');
let h: CatalogHarness;

beforeAll(async () => {
  // Pages of 2 contracts: the run below takes three steps, each storing one page while the next
  // is read and settled ahead on another connection.
  h = await startCatalogHarness('catoutc', clock, { settlementPage: 2 });
});
afterAll(async () => {
  await h?.close();
});

// Managed after-sales operations betting on the complaint rate (lower is better): target 2 %,
// EUR 1,000 a month; bonus 5 % of fee above target, EUR 75 from +5 %, 10 % of fee from +10 %;
// malus 5 % of fee below, EUR 100 below −10 %; caps 200 / 120; never a credit (floor 0).
const complaintRateBet = {
  kind: 'outcome' as const,
  currency: 'EUR',
  billingPeriod: 'year' as const,
  kpi: { key: 'complaint-rate', name: 'Complaint rate', unit: '%' },
  target: 2,
  direction: 'lowerIsBetter' as const,
  settlementPeriod: 'month' as const,
  aggregation: 'mean' as const,
  baseFee: 100_000,
  bands: [
    { fromPct: -20, toPct: -10, amount: 10_000 },
    { fromPct: -10, toPct: 0, shareOfBaseFee: 0.05 },
    { fromPct: 0, toPct: 5, shareOfBaseFee: 0.05 },
    { fromPct: 5, toPct: 10, amount: 7_500 },
    { fromPct: 10, toPct: 20, shareOfBaseFee: 0.1 },
  ],
  caps: { maxBonus: 20_000, maxMalus: 12_000 },
  floor: 0,
};
const fail = (p: Promise<unknown>) => p.then(() => Promise.reject(new Error('expected a failure')), (e: unknown) => e as StewardError);

/** A support ticket snapshot as support's events carry it. */
function ticket(accountId: string, createdAt: string): EventOf<'support.events.ticket.created.v1'> {
  return {
    ticket: {
      id: randomUUID(), externalId: null, accountId, projectId: null, contactId: null, category: 'incident', priority: 'normal', channel: 'portal', subject: 'Line 3 stopped',
      status: 'new', statusClass: 'new', level: 'L2', step: 0, queue: 'call-centre', teamId: null, assigneeId: null, ruleId: 'l2', policyVersion: 1, origin: null, followUp: false,
      complaint: false, imported: false, slaBreached: false, reopenCount: 0, createdAt, updatedAt: createdAt, firstRespondedAt: null, resolvedAt: null, closedAt: null,
    },
  } as EventOf<'support.events.ticket.created.v1'>;
}
function complaint(accountId: string, registeredAt: string): EventOf<'support.events.complaint.registered.v1'> {
  return {
    complaint: { id: randomUUID(), ticketId: randomUUID(), accountId, source: 'agent', reason: 'slow', status: 'open', outcome: null, registeredAt, registeredBy: 'user:x', resolvedAt: null },
    tier: 1,
    level: 'L2',
  } as EventOf<'support.events.complaint.registered.v1'>;
}

describe('outcome contracts: KPI readings → settlements (fixed clock)', () => {
  it('derives the complaint rate from support’s ticket and complaint events and settles March on it', async () => {
    const t = h.tenant();
    const account = await h.account(t.tenantId);
    const plan = await h.plan(t.admin, complaintRateBet);
    const sub = await h.client.request(s.subscriptionCreate, { accountId: account.id, planId: plan.id, renewal: 'auto', noticeDays: 90 }, { context: t.admin });
    // March: 60 tickets, 1 complaint → 1.6667 %: (2 − 1.6667)/2 = +16.7 % → 5,000 + 7,500 + 10,000 = 22,500, capped 20,000.
    for (let i = 0; i < 60; i++) await h.publish(Events.support.ticketCreated, ticket(account.id, `2026-03-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00Z`), t.tenantId);
    await h.publish(Events.support.complaintRegistered, complaint(account.id, '2026-03-15T10:00:00Z'), t.tenantId);
    await expectEventually(async () => {
      const readings = await h.client.request(s.kpiReadingList, { subscriptionId: sub.id, period: '2026-03' }, { context: t.admin });
      expect(readings.items).toEqual([expect.objectContaining({ source: 'support-events', value: 1.6667, at: '2026-03-01T00:00:00.000Z', note: '1 complaint(s) in 60 ticket(s) in 2026-03', externalId: 'support:complaint-rate:2026-03' })]);
    });
    clock.set('2026-04-02T00:00:00Z');
    const settled = await h.client.request(s.settlementSettle, { subscriptionId: sub.id, period: '2026-03' }, { context: t.admin });
    expect(settled).toMatchObject({ period: '2026-03', currency: 'EUR', baseFee: 100_000, bonus: 20_000, malus: 0, amount: 120_000, revision: 1 });
    expect(settled.inputs).toMatchObject({ kpi: { key: 'complaint-rate' }, target: 2, actual: 1.6667, activeDays: 31, periodDays: 31, readings: [{ source: 'support-events', value: 1.6667 }] });
    expect(settled.lines.at(-1)).toBe('settlement EUR 1,200.00');
    // The same inputs again: the same settlement, no new revision.
    expect(await h.client.request(s.settlementSettle, { subscriptionId: sub.id, period: '2026-03' }, { context: t.admin })).toMatchObject({ id: settled.id, revision: 1 });
  });

  it('settles a hand-entered and an imported reading; a late reading makes revision 2; no reading in a period is a 422 naming the period', async () => {
    const t = h.tenant();
    const account = await h.account(t.tenantId);
    const plan = await h.plan(t.admin, { ...complaintRateBet, kpi: { key: 'forecast-hit-rate', name: 'Forecast hit rate', unit: '%' }, target: 80, direction: 'higherIsBetter' });
    clock.set('2026-03-11T00:00:00Z');
    const sub = await h.client.request(s.subscriptionCreate, { accountId: account.id, planId: plan.id, renewal: 'auto', noticeDays: 90 }, { context: t.admin });
    await h.client.request(s.kpiReadingRecord, { subscriptionId: sub.id, at: '2026-03-20T00:00:00Z', value: 84, note: 'from the March review' }, { context: t.admin });
    const imported = await h.client.request(s.kpiReadingImport, {
      readings: [
        { subscriptionId: sub.id, at: '2026-03-31T00:00:00Z', value: 80, externalId: 'bi-2026-03-31' },
        { subscriptionId: randomUUID(), at: '2026-03-31T00:00:00Z', value: 80, externalId: 'x' },
      ],
    }, { context: t.admin });
    expect(imported).toMatchObject({ created: 1, unchanged: 0, rejected: 1, errors: [{ index: 1, field: 'readings[1].subscriptionId', rule: 'exists' }] });
    expect((await h.client.request(s.kpiReadingImport, { readings: [{ subscriptionId: sub.id, at: '2026-03-31T00:00:00Z', value: 80, externalId: 'bi-2026-03-31' }] }, { context: t.admin })).unchanged).toBe(1);
    const conflict = await h.client.request(s.kpiReadingImport, { readings: [{ subscriptionId: sub.id, at: '2026-03-31T00:00:00Z', value: 81, externalId: 'bi-2026-03-31' }] }, { context: t.admin });
    expect(conflict.errors).toEqual([expect.objectContaining({ field: 'readings[0].externalId', rule: 'same-record' })]);

    clock.set('2026-04-02T00:00:00Z');
    // mean(84, 80) = 82: +2.5 % → 5 % of the prorated fee. Active 21 of 31 days: 100,000 × 21/31 = 67,742; 5 % = 3,387.1 → 3,387.
    const first = await h.client.request(s.settlementSettle, { subscriptionId: sub.id, period: '2026-03' }, { context: t.admin });
    expect(first).toMatchObject({ baseFee: 67_742, bonus: 3_387, amount: 71_129, revision: 1, inputs: { actual: 82, activeDays: 21 } });
    await h.client.request(s.kpiReadingRecord, { subscriptionId: sub.id, at: '2026-03-25T00:00:00Z', value: 92 }, { context: t.admin });
    // mean(84, 92, 80) = 85.333…: +6.67 % → 3,387 + 7,500.
    const second = await h.client.request(s.settlementSettle, { subscriptionId: sub.id, period: '2026-03' }, { context: t.admin });
    expect(second).toMatchObject({ id: first.id, revision: 2, bonus: 10_887, amount: 78_629 });

    const none = await fail(h.client.request(s.settlementSettle, { subscriptionId: sub.id, period: '2026-04' }, { context: t.admin }));
    expect([none.code, none.details?.errors]).toEqual(['SETTLEMENT_NOT_POSSIBLE', [expect.objectContaining({ field: 'period', rule: 'no-readings' })]]);
    const badPeriod = await fail(h.client.request(s.settlementSettle, { subscriptionId: sub.id, period: '2026-Q1' }, { context: t.admin }));
    expect(badPeriod.details?.errors).toEqual([expect.objectContaining({ field: 'period', rule: 'invalid-period' })]);
  });

  it('settles every outcome contract of a tenant for a period in a durable run: settled once, problems named, nothing twice on a second run', async () => {
    const t = h.tenant();
    const plan = await h.plan(t.admin, complaintRateBet);
    clock.set('2026-01-15T00:00:00Z');
    const subs: Array<{ id: string }> = [];
    for (let i = 0; i < 5; i++) {
      const account = await h.account(t.tenantId);
      subs.push(await h.client.request(s.subscriptionCreate, { accountId: account.id, planId: plan.id, renewal: 'auto', noticeDays: 90 }, { context: t.admin }));
    }
    // Four contracts get a February reading; the fifth has none.
    await h.client.request(s.kpiReadingImport, { readings: subs.slice(0, 4).map((x, i) => ({ subscriptionId: x.id, at: '2026-02-10T00:00:00Z', value: 1.8 + i * 0.1, externalId: `feb-${i}` })) }, { context: t.admin });
    clock.set('2026-03-01T00:00:00Z');
    const run = await h.client.request(s.settlementRunStart, { period: '2026-02', unit: 'month' }, { context: t.admin });
    await expectEventually(async () => expect(await h.client.request(s.settlementRunGet, { id: run.id }, { context: t.admin })).toMatchObject({ status: 'completed', total: 5, settled: 4, skipped: 1 }));
    const done = await h.client.request(s.settlementRunGet, { id: run.id }, { context: t.admin });
    expect(done.problems).toEqual([{ subscriptionId: subs[4].id, field: 'period', rule: 'no-readings', message: expect.stringContaining('2026-02') }]);
    const settlements = await h.client.request(s.settlementList, { period: '2026-02', limit: 50 }, { context: t.admin });
    // 1.8 → +10 % (5,000 + 7,500 = 12,500); 1.9 → +5 % (5,000); 2.0 → 0; 2.1 → −5 % (−5,000).
    expect(settlements.items.map((x) => x.amount).sort((a, b) => a - b)).toEqual([95_000, 100_000, 105_000, 112_500]);
    // One settlement.computed per stored settlement, built by PostgreSQL in the upsert's statement:
    // valid by the event's schema, equal to the settlement as read back, each with its own message id.
    const ours = (await h.published(Events.catalog.settlementComputed)).filter((e) => subs.some((x) => x.id === e.payload.settlement.subscriptionId));
    expect(ours.map((e) => EventSchemas[Events.catalog.settlementComputed].safeParse(e.payload).success)).toEqual([true, true, true, true]);
    expect(ours.map((e) => e.payload.settlement).sort((a, b) => a.id.localeCompare(b.id))).toEqual([...settlements.items].sort((a, b) => a.id.localeCompare(b.id)));
    expect(new Set(ours.map((e) => e.headers[HeaderNames.messageId])).size).toBe(4);
    expect(ours.every((e) => e.headers[HeaderNames.tenantId] === t.tenantId)).toBe(true);
    const again = await h.client.request(s.settlementRunStart, { period: '2026-02', unit: 'month' }, { context: t.admin });
    await expectEventually(async () => expect(await h.client.request(s.settlementRunGet, { id: again.id }, { context: t.admin })).toMatchObject({ status: 'completed', settled: 0, unchanged: 4, skipped: 1 }));
    // A late reading changes one contract: the next run stores revision 2 of that one only, with its event.
    await h.client.request(s.kpiReadingImport, { readings: [{ subscriptionId: subs[0].id, at: '2026-02-20T00:00:00Z', value: 2.2, externalId: 'feb-late' }] }, { context: t.admin });
    const third = await h.client.request(s.settlementRunStart, { period: '2026-02', unit: 'month' }, { context: t.admin });
    await expectEventually(async () => expect(await h.client.request(s.settlementRunGet, { id: third.id }, { context: t.admin })).toMatchObject({ status: 'completed', settled: 1, unchanged: 3, skipped: 1 }));
    const revised = (await h.published(Events.catalog.settlementComputed)).filter((e) => e.payload.settlement.subscriptionId === subs[0].id);
    expect(revised.map((e) => [e.payload.settlement.revision, e.payload.settlement.inputs.actual, e.payload.settlement.inputs.readings.length])).toEqual([[1, 1.8, 1], [2, 2, 2]]);
  });

  it('records usage once per external id: a retry answers replayed, another quantity under the same id is a 409; the period is priced by its tiers', async () => {
    const t = h.tenant();
    const account = await h.account(t.tenantId);
    clock.set('2026-03-01T00:00:00Z');
    const plan = await h.plan(t.admin, {
      kind: 'usage', currency: 'CNY', billingPeriod: 'month', metric: 'forecast-runs', model: 'tiered',
      tiers: [{ upTo: 1_000, unitPrice: 0.5 }, { upTo: 10_000, unitPrice: 0.35 }, { upTo: null, unitPrice: 0.2 }],
    });
    const sub = await h.client.request(s.subscriptionCreate, { accountId: account.id, planId: plan.id, renewal: 'auto', noticeDays: 30 }, { context: t.admin });
    const first = await h.client.request(s.usageRecord, { subscriptionId: sub.id, externalId: 'run-batch-1', quantity: 7_000, at: '2026-03-05T00:00:00Z' }, { context: t.admin });
    const retry = await h.client.request(s.usageRecord, { subscriptionId: sub.id, externalId: 'run-batch-1', quantity: 7_000, at: '2026-03-05T00:00:00Z' }, { context: t.admin });
    expect([first.replayed, retry.replayed, retry.record.id]).toEqual([false, true, first.record.id]);
    const clash = await fail(h.client.request(s.usageRecord, { subscriptionId: sub.id, externalId: 'run-batch-1', quantity: 7_001, at: '2026-03-05T00:00:00Z' }, { context: t.admin }));
    expect([clash.code, clash.details?.errors?.[0]?.field]).toEqual(['USAGE_RECORD_CONFLICT', 'externalId']);
    await h.client.request(s.usageRecord, { subscriptionId: sub.id, externalId: 'run-batch-2', quantity: 5_000, at: '2026-03-20T00:00:00Z' }, { context: t.admin });
    // 12,000 runs: 1,000 × 0.5 + 9,000 × 0.35 + 2,000 × 0.2 = 4,050 fen.
    expect(await h.client.request(s.usageSummary, { subscriptionId: sub.id, at: '2026-03-25T00:00:00Z' }, { context: t.admin })).toMatchObject({ records: 2, quantity: 12_000, currency: 'CNY', charge: 4_050 });
    const before = await fail(h.client.request(s.usageRecord, { subscriptionId: sub.id, externalId: 'old', quantity: 1, at: '2026-02-01T00:00:00Z' }, { context: t.admin }));
    expect(before.details?.errors).toEqual([expect.objectContaining({ field: 'at', rule: 'within-subscription' })]);
  });
});
