import { Events, StewardError, Subjects, type EntitlementsChangedEvent } from '@steward/contracts';
import { UnitOfWork } from '@steward/persistence';
import { fixedClock } from '@steward/service-kit';
import { expectEventually } from '@steward/testing';
import { CatalogHarness, startCatalogHarness } from '../testing/catalog-harness';

const s = Subjects.catalog;
// Tuesday 10 March 2026, 09:00 UTC: every term below is counted from here.
const clock = fixedClock('2026-03-10T09:00:00Z');
let h: CatalogHarness;

beforeAll(async () => {
  h = await startCatalogHarness('catsubs', clock);
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => clock.set('2026-03-10T09:00:00Z'));

const monthly = (unitPrice: number) => ({ kind: 'subscription' as const, currency: 'EUR', billingPeriod: 'month' as const, unit: 'flat' as const, unitPrice });
const fail = (p: Promise<unknown>) => p.then(() => Promise.reject(new Error('expected a failure')), (e: unknown) => e as StewardError);

/** The entitlements.changed events of the stream for one account, oldest first. */
async function entitlementEvents(accountId: string): Promise<EntitlementsChangedEvent[]> {
  return (await h.published(Events.catalog.entitlementsChanged)).map((e) => e.payload).filter((e) => e.entitlements.accountId === accountId);
}

describe('subscriptions, versions and lifecycle (fixed clock)', () => {
  it('keeps a subscription on the price it started with when the plan gets a new version; versions cannot be updated at all', async () => {
    const t = h.tenant();
    const account = await h.account(t.tenantId);
    const plan = await h.plan(t.admin, monthly(300_000));
    const first = await h.client.request(s.subscriptionCreate, { accountId: account.id, planId: plan.id, renewal: 'auto', noticeDays: 30 }, { context: t.admin });
    expect(first).toMatchObject({ planVersionId: plan.current.id, pricing: { unitPrice: 300_000 }, priceSource: 'list', channel: 'direct', status: 'active', currentTermStart: '2026-03-10T09:00:00.000Z', currentTermEnd: '2026-04-10T09:00:00.000Z' });

    const revised = await h.client.request(s.planRevise, { id: plan.id, pricing: monthly(360_000), note: 'price rise' }, { context: t.admin });
    expect(revised.current).toMatchObject({ version: 2, pricing: { unitPrice: 360_000 } });
    const second = await h.client.request(s.subscriptionCreate, { accountId: account.id, planId: plan.id, renewal: 'auto', noticeDays: 30 }, { context: t.admin });
    expect(second.pricing).toMatchObject({ unitPrice: 360_000 });
    expect(await h.client.request(s.subscriptionGet, { id: first.id }, { context: t.admin })).toMatchObject({ planVersionId: plan.current.id, pricing: { unitPrice: 300_000 } });
    const versions = await h.client.request(s.planVersions, { id: plan.id }, { context: t.admin });
    expect(versions.items.map((v) => [v.version, (v.pricing as { unitPrice: number }).unitPrice])).toEqual([[1, 300_000], [2, 360_000]]);

    // Immutable by grant: the runtime role cannot change a version, whatever the SQL.
    await expect(h.sqlAsRuntime(`UPDATE catalog.plan_versions SET pricing = '{}'::jsonb`)).rejects.toThrow(/permission denied/);
    // A price of another kind or currency is another plan.
    const kind = await fail(h.client.request(s.planRevise, { id: plan.id, pricing: { kind: 'one-off', currency: 'EUR', price: 1 } }, { context: t.admin }));
    expect(kind.details?.errors).toEqual([expect.objectContaining({ field: 'pricing.kind', rule: 'same-kind' })]);
  });

  it('renews an auto-renewing term at its end, expires a manual one nobody confirmed, ends a cancelled one where its notice allows', async () => {
    const t = h.tenant();
    const account = await h.account(t.tenantId);
    const plan = await h.plan(t.admin, monthly(100_000));
    const sub = (renewal: 'auto' | 'manual', noticeDays = 30) => h.client.request(s.subscriptionCreate, { accountId: account.id, planId: plan.id, renewal, noticeDays }, { context: t.admin });
    const auto = await sub('auto');
    const manual = await sub('manual');
    const confirmed = await sub('manual');
    const cancelled = await sub('auto', 30);
    await h.client.request(s.subscriptionRenew, { id: confirmed.id }, { context: t.admin });
    // Asked on 20 March with 30 days' notice: 10 April is 21 days away, so it ends on 10 May.
    clock.set('2026-03-20T09:00:00Z');
    const asked = await h.client.request(s.subscriptionCancel, { id: cancelled.id, reason: 'budget cut' }, { context: t.admin });
    expect(asked).toMatchObject({ status: 'active', cancelAt: '2026-05-10T09:00:00.000Z', cancellationReason: 'budget cut' });

    clock.set('2026-04-10T09:00:01Z');
    await h.runDueJobs();
    const get = (id: string) => h.client.request(s.subscriptionGet, { id }, { context: t.admin });
    await expectEventually(async () => {
      expect(await get(auto.id)).toMatchObject({ status: 'active', termIndex: 1, currentTermStart: '2026-04-10T09:00:00.000Z', currentTermEnd: '2026-05-10T09:00:00.000Z' });
      expect(await get(manual.id)).toMatchObject({ status: 'expired', endedAt: '2026-04-10T09:00:00.000Z' });
      expect(await get(confirmed.id)).toMatchObject({ status: 'active', termIndex: 1 });
      expect(await get(cancelled.id)).toMatchObject({ status: 'active', termIndex: 1 });
    });
    clock.set('2026-05-10T09:00:01Z');
    await h.runDueJobs();
    await expectEventually(async () => {
      expect(await get(cancelled.id)).toMatchObject({ status: 'cancelled', endedAt: '2026-05-10T09:00:00.000Z' });
      // The confirmation covered one term only.
      expect(await get(confirmed.id)).toMatchObject({ status: 'expired', endedAt: '2026-05-10T09:00:00.000Z' });
    });
    const history = await h.client.request(s.subscriptionHistory, { id: cancelled.id }, { context: t.admin });
    expect(history.items.map((e) => [e.event, e.toStatus])).toEqual([
      ['started', 'active'],
      ['cancellation-requested', 'active'],
      ['renewed', 'active'],
      ['cancelled', 'cancelled'],
    ]);
  });

  it('prorates a seat change: 10 → 15 seats at EUR 30 a seat-month with 20 of 31 days left: credit 193.55, charge 290.32', async () => {
    const t = h.tenant();
    const account = await h.account(t.tenantId);
    const plan = await h.plan(t.admin, { kind: 'subscription', currency: 'EUR', billingPeriod: 'month', unit: 'seat', unitPrice: 3_000, minSeats: 5 });
    const sub = await h.client.request(s.subscriptionCreate, { accountId: account.id, planId: plan.id, seats: 10, renewal: 'auto', noticeDays: 0 }, { context: t.admin });
    // Term 10 March → 10 April = 31 days; on 21 March 09:00, 20 of 31 days remain.
    clock.set('2026-03-21T09:00:00Z');
    const changed = await h.client.request(s.subscriptionChange, { id: sub.id, seats: 15 }, { context: t.admin });
    // credit 30,000 × 20/31 = 19,354.8 → 19,355; charge 45,000 × 20/31 = 29,032.3 → 29,032.
    expect(changed.proration).toMatchObject({ remainingDays: 20, termDays: 31, credit: 19_355, charge: 29_032, net: 9_677 });
    expect(changed.subscription).toMatchObject({ seats: 15, version: 2 });
    const tooFew = await fail(h.client.request(s.subscriptionChange, { id: sub.id, seats: 4 }, { context: t.admin }));
    expect(tooFew.details?.errors).toEqual([expect.objectContaining({ field: 'seats' })]);
  });

  it('lapses a trial at its end and converts another into a subscription; the funnel counts both per product and channel', async () => {
    const t = h.tenant();
    const direct = await h.account(t.tenantId);
    const lead = await h.partner(t.tenantId);
    const partnerLed = await h.account(t.tenantId, { leadChannel: 'partner', leadPartnerId: lead.id });
    const plan = await h.plan(t.admin, monthly(50_000), { trialDays: 14, entitlements: { supportLevel: 'L2', features: ['bi-dashboards'] } });
    const lapsing = await h.client.request(s.trialStart, { accountId: direct.id, planId: plan.id }, { context: t.admin });
    expect(lapsing).toMatchObject({ status: 'active', channel: 'direct', endsAt: '2026-03-24T09:00:00.000Z' });
    const again = await fail(h.client.request(s.trialStart, { accountId: direct.id, planId: plan.id }, { context: t.admin }));
    expect(again.code).toBe('CATALOG_INVALID_STATE');
    const converting = await h.client.request(s.trialStart, { accountId: partnerLed.id, planId: plan.id }, { context: t.admin });
    // A running trial grants the plan's entitlements.
    expect(await h.client.request(s.entitlementGet, { accountId: partnerLed.id }, { context: t.admin })).toMatchObject({ supportLevel: 'L2', sources: [{ kind: 'trial', id: converting.id }] });
    // The lead partner sees that account's entitlements; another account's are a 404 to it, and to another tenant.
    expect(await h.client.request(s.entitlementGet, { accountId: partnerLed.id }, { context: h.asPartner(t.tenantId, lead.id) })).toMatchObject({ supportLevel: 'L2' });
    expect((await fail(h.client.request(s.entitlementGet, { accountId: direct.id }, { context: h.asPartner(t.tenantId, lead.id) }))).code).toBe('NOT_FOUND');
    expect((await fail(h.client.request(s.entitlementGet, { accountId: partnerLed.id }, { context: h.tenant().admin }))).code).toBe('NOT_FOUND');

    clock.set('2026-03-15T09:00:00Z');
    const converted = await h.client.request(s.trialConvert, { id: converting.id, renewal: 'auto', noticeDays: 30 }, { context: t.admin });
    expect(converted.trial).toMatchObject({ status: 'converted', convertedAt: '2026-03-15T09:00:00.000Z', subscriptionId: converted.subscription.id });
    expect(converted.subscription).toMatchObject({ trialId: converting.id, channel: 'partner' });
    // Converting again answers the same subscription.
    expect((await h.client.request(s.trialConvert, { id: converting.id, renewal: 'auto', noticeDays: 30 }, { context: t.admin })).subscription.id).toBe(converted.subscription.id);

    clock.set('2026-03-24T09:00:01Z');
    await h.runDueJobs();
    await expectEventually(async () => expect(await h.client.request(s.trialGet, { id: lapsing.id }, { context: t.admin })).toMatchObject({ status: 'lapsed', lapsedAt: '2026-03-24T09:00:00.000Z' }));
    const funnel = await h.client.request(s.trialFunnel, { productId: plan.productId }, { context: t.admin });
    expect(funnel.items).toEqual([
      { productId: plan.productId, channel: 'direct', started: 1, active: 0, converted: 0, lapsed: 1, conversionRate: 0, meanDaysToConvert: null, medianDaysToConvert: null },
      { productId: plan.productId, channel: 'partner', started: 1, active: 0, converted: 1, lapsed: 0, conversionRate: 1, meanDaysToConvert: 5, medianDaysToConvert: 5 },
    ]);
  });

  it('publishes the merged entitlements of an account and of its project whenever they change, and answers the same on a lookup', async () => {
    const t = h.tenant();
    const account = await h.account(t.tenantId);
    const project = await h.project(t.tenantId, account.id);
    const premium = await h.plan(t.admin, monthly(200_000), { entitlements: { supportLevel: 'L2', slaTargets: { urgent: { firstResponse: 60 } }, includedHours: 40, reviewVisitsPerYear: 1, features: ['named-team'] } });
    const managed = await h.plan(t.admin, { kind: 'subscription', currency: 'EUR', billingPeriod: 'year', unit: 'flat', unitPrice: 1_200_000 }, {
      entitlements: { supportLevel: 'L1', slaTargets: { urgent: { firstResponse: 30, resolution: 240 } }, includedHours: 16 },
    });
    const accountWide = await h.client.request(s.subscriptionCreate, { accountId: account.id, planId: premium.id, renewal: 'auto', noticeDays: 30 }, { context: t.admin });
    await h.client.request(s.subscriptionCreate, { accountId: account.id, projectId: project.id, planId: managed.id, renewal: 'auto', noticeDays: 30 }, { context: t.admin });

    const forProject = await h.client.request(s.entitlementGet, { accountId: account.id, projectId: project.id }, { context: t.admin });
    expect(forProject).toMatchObject({
      projectId: project.id,
      supportLevel: 'L1',
      slaTargets: { urgent: { firstResponse: 30, resolution: 240 } },
      includedHours: 56,
      reviewVisitsPerYear: 1,
      features: ['named-team'],
      validUntil: '2026-04-10T09:00:00.000Z',
    });
    expect(await h.client.request(s.entitlementGet, { accountId: account.id }, { context: t.admin })).toMatchObject({ projectId: null, supportLevel: 'L2', includedHours: 40 });

    await expectEventually(async () => {
      const events = await entitlementEvents(account.id);
      // 1st subscription: the account's set; 2nd (project): the project's set (the account's did not change).
      expect(events.map((e) => [e.entitlements.projectId, e.entitlements.supportLevel, e.cause])).toEqual([
        [null, 'L2', 'subscription.started'],
        [project.id, 'L1', 'subscription.started'],
      ]);
      expect(events[1].entitlements).toEqual({ ...forProject, asOf: events[1].entitlements.asOf });
    });

    // The account-wide plan, cancelled, ends at its term end (10 April, within the notice): both scopes lose what it granted.
    await h.client.request(s.subscriptionCancel, { id: accountWide.id, reason: 'moving to managed operations' }, { context: t.admin });
    clock.set('2026-04-10T09:00:01Z');
    await h.runDueJobs();
    await expectEventually(async () =>
      expect((await entitlementEvents(account.id)).slice(2).map((e) => [e.entitlements.projectId, e.entitlements.supportLevel, e.entitlements.includedHours, e.cause])).toEqual([
        [null, null, 0, 'subscription.cancelled'],
        [project.id, 'L1', 16, 'subscription.cancelled'],
      ]),
    );
  });

  it('lets a partner transaction see and write only the subscriptions of accounts it leads (row-level security)', async () => {
    const t = h.tenant();
    const p1 = await h.partner(t.tenantId);
    const p2 = await h.partner(t.tenantId);
    const mine = await h.account(t.tenantId, { leadChannel: 'partner', leadPartnerId: p1.id });
    const theirs = await h.account(t.tenantId, { leadChannel: 'partner', leadPartnerId: p2.id });
    const plan = await h.plan(t.admin, monthly(10_000));
    const partner = h.asPartner(t.tenantId, p1.id);
    const own = await h.client.request(s.subscriptionCreate, { accountId: mine.id, planId: plan.id, renewal: 'auto', noticeDays: 30 }, { context: partner });
    expect(own).toMatchObject({ partnerId: p1.id, channel: 'partner' });
    const other = await fail(h.client.request(s.subscriptionCreate, { accountId: theirs.id, planId: plan.id, renewal: 'auto', noticeDays: 30 }, { context: partner }));
    expect(other.code).toBe('NOT_FOUND');
    await h.client.request(s.subscriptionCreate, { accountId: theirs.id, planId: plan.id, renewal: 'auto', noticeDays: 30 }, { context: t.admin });

    const uow = new UnitOfWork(h.runtime.dataSource, h.config.dbRoles.partner);
    const seen = await uow.forScope({ tenantId: t.tenantId, partnerId: p1.id }, async (tx) => ({
      subscriptions: (await tx.query('SELECT account_id FROM catalog.subscriptions')).map((r: { account_id: string }) => r.account_id),
      accounts: (await tx.query('SELECT id FROM catalog.accounts')).map((r: { id: string }) => r.id),
      role: (await tx.query('SELECT current_user AS r'))[0].r,
    }));
    expect(seen).toEqual({ subscriptions: [mine.id], accounts: [mine.id], role: 'steward_catalog_partner' });
    await expect(uow.forScope({ tenantId: t.tenantId, partnerId: p1.id }, (tx) => tx.query('SELECT * FROM catalog.usage_records'))).rejects.toThrow(/permission denied/);
  });
});
