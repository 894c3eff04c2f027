import { randomUUID } from 'node:crypto';
import { Events, StewardError, Subjects, type AccountDto, type CreateProductRequest, type EventSubject, type ProjectDto } from '@steward/contracts';
import { fixedClock } from '@steward/service-kit';
import type { RequestContext } from '@steward/telemetry';
import { expectEventually } from '@steward/testing';
import { CatalogHarness, startCatalogHarness } from '../testing/catalog-harness';

// The catalog's NATS subjects without a test elsewhere (products, plans, price books, offers,
// bundles, the list subjects), the events it emits, and the read models accounts' events feed.

const s = Subjects.catalog;
const clock = fixedClock('2026-03-10T09:00:00Z');
let h: CatalogHarness;

beforeAll(async () => {
  h = await startCatalogHarness('catcat', clock);
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => clock.set('2026-03-10T09:00:00Z'));

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const fail = (p: Promise<unknown>) => p.then(() => Promise.reject(new Error('expected a failure')), (e: unknown) => e as StewardError);
const monthly = (unitPrice: number) => ({ kind: 'subscription' as const, currency: 'EUR', billingPeriod: 'month' as const, unit: 'flat' as const, unitPrice });
const oneOff = (price: number, currency = 'EUR') => ({ kind: 'one-off' as const, currency, price });
let codes = 0;
const code = (what: string) => `${what}-${++codes}`;
const text = (en: string) => ({ en, 'zh-CN': `${en}（中文）` });

function productBody(o: Partial<CreateProductRequest> = {}): CreateProductRequest {
  return {
    code: code('product'), kind: 'service', purpose: 'create-business-value', name: text('Annual review visit'), description: text('An on-site review'),
    deliverables: [{ name: 'Review report' }], playbook: [{ name: 'Visit', role: 'csm', durationDays: 1 }], requiredResources: { teamSkills: ['erp'], partnerTypes: ['dealer'] },
    ...o,
  };
}

/** The catalog's events on one subject (without the prefix), oldest first. */
async function published(subject: EventSubject, match: (data: Json) => boolean = () => true): Promise<Json[]> {
  return (await h.published(subject)).map((e) => e.payload as Json).filter(match);
}

describe('products over NATS', () => {
  it('creates, gets, updates with optimistic concurrency, lists by kind, purpose and status page by page, publishes and retires once each (events)', async () => {
    const t = h.tenant();
    const r = <S extends keyof typeof s>(subject: S, body: unknown, ctx: RequestContext = t.admin) => h.client.request(s[subject], body as never, { context: ctx }) as Promise<Json>;
    const health = await r('productCreate', productBody({ kind: 'service', purpose: 'capture-opportunities', name: text('Project health diagnosis') }));
    const forecast = await r('productCreate', productBody({ kind: 'data', purpose: 'open-profit-space', name: text('Spare-parts demand forecasting') }));
    const bi = await r('productCreate', productBody({ kind: 'solution', purpose: 'create-business-value', name: text('BI solution') }));
    expect(health).toMatchObject({ status: 'draft', version: 1, requiredResources: { teamSkills: ['erp'], partnerTypes: ['dealer'] }, publishedAt: null });
    expect(await r('productGet', { id: forecast.id })).toEqual(forecast);

    const updated = await r('productUpdate', { id: health.id, expectedVersion: 1, description: text('Two weeks on a live project'), playbook: [{ name: 'Interviews', role: 'solution-expert', durationDays: 5 }] });
    expect(updated).toMatchObject({ version: 2, description: { en: 'Two weeks on a live project' }, playbook: [{ name: 'Interviews', role: 'solution-expert', durationDays: 5 }], kind: 'service' });
    const stale = await fail(r('productUpdate', { id: health.id, expectedVersion: 1, kind: 'platform' }));
    expect([stale.code, stale.details?.errors?.[0]?.field]).toEqual(['STALE_VERSION', 'expectedVersion']);
    const missing = await fail(r('productUpdate', { id: randomUUID(), kind: 'platform' }));
    expect(missing.code).toBe('NOT_FOUND');
    const taken = await fail(r('productCreate', productBody({ code: forecast.code })));
    expect([taken.code, taken.details?.errors?.[0]?.field]).toEqual(['CATALOG_CODE_TAKEN', 'code']);

    expect((await r('productList', { kind: 'data', limit: 50 })).items.map((p: Json) => p.id)).toEqual([forecast.id]);
    expect((await r('productList', { purpose: 'capture-opportunities', limit: 50 })).items.map((p: Json) => p.id)).toEqual([health.id]);
    const first = await r('productList', { limit: 2 });
    const second = await r('productList', { limit: 2, cursor: first.nextCursor });
    expect([first.items.length, second.items.length, second.nextCursor]).toEqual([2, 1, null]);
    expect(new Set([...first.items, ...second.items].map((p: Json) => p.id))).toEqual(new Set([health.id, forecast.id, bi.id]));

    clock.set('2026-03-11T09:00:00Z');
    const live = await r('productPublish', { id: health.id });
    expect(live).toMatchObject({ status: 'active', publishedAt: '2026-03-11T09:00:00.000Z' });
    expect((await r('productPublish', { id: health.id })).publishedAt).toBe('2026-03-11T09:00:00.000Z');
    // Partners see published products only.
    const partner = await h.partner(t.tenantId);
    expect((await r('productList', { limit: 50 }, h.asPartner(t.tenantId, partner.id))).items.map((p: Json) => p.id)).toEqual([health.id]);
    clock.set('2026-03-12T09:00:00Z');
    const gone = await r('productRetire', { id: health.id });
    expect(gone).toMatchObject({ status: 'retired', retiredAt: '2026-03-12T09:00:00.000Z' });
    expect((await r('productRetire', { id: health.id })).retiredAt).toBe('2026-03-12T09:00:00.000Z');
    expect((await fail(r('productPublish', { id: health.id }))).code).toBe('CATALOG_INVALID_STATE');
    expect((await r('productList', { status: 'retired', limit: 50 })).items.map((p: Json) => p.id)).toEqual([health.id]);

    await expectEventually(async () => {
      expect((await published(Events.catalog.productPublished, (d) => d.product.id === health.id)).map((d) => d.product.status)).toEqual(['active']);
      expect((await published(Events.catalog.productRetired, (d) => d.product.id === health.id)).map((d) => d.product.retiredAt)).toEqual(['2026-03-12T09:00:00.000Z']);
    });
  });
});

describe('plans over NATS', () => {
  it('creates a draft plan, renames it, gets and lists it by product and status, lists its versions, publishes and retires it', async () => {
    const t = h.tenant();
    const r = (subject: keyof typeof s, body: unknown) => h.client.request(s[subject], body as never, { context: t.admin }) as Promise<Json>;
    const product = await r('productCreate', productBody());
    const plan = await r('planCreate', { productId: product.id, code: code('plan'), name: text('Basic'), pricing: monthly(10_000), entitlements: { supportLevel: 'L3', seats: 5 }, trialDays: null });
    expect(plan).toMatchObject({ status: 'draft', pricingKind: 'subscription', current: { version: 1, trialDays: null, entitlements: { supportLevel: 'L3', seats: 5, includedHours: 0, features: [] } } });
    // A plan is published only once its product is.
    const early = await fail(r('planPublish', { id: plan.id }));
    expect([early.code, early.details?.errors?.[0]?.field]).toEqual(['CATALOG_INVALID_STATE', 'productId']);
    await r('productPublish', { id: product.id });
    const other = await r('planCreate', { productId: product.id, code: code('plan'), name: text('Premium'), pricing: monthly(30_000) });

    const renamed = await r('planRename', { id: plan.id, name: text('Essentials') });
    expect(renamed).toMatchObject({ name: { en: 'Essentials' }, current: { id: plan.current.id, version: 1 } });
    expect(await r('planGet', { id: plan.id })).toMatchObject({ id: plan.id, name: { en: 'Essentials' } });
    expect((await fail(r('planRename', { id: randomUUID(), name: text('x') }))).code).toBe('NOT_FOUND');

    expect((await r('planPublish', { id: plan.id })).status).toBe('active');
    expect((await r('planList', { productId: product.id, limit: 50 })).items.map((p: Json) => p.id).sort()).toEqual([plan.id, other.id].sort());
    expect((await r('planList', { productId: product.id, status: 'draft', limit: 50 })).items.map((p: Json) => p.id)).toEqual([other.id]);

    await r('planRevise', { id: plan.id, trialDays: 30, note: 'trial offer' });
    const versions = await r('planVersions', { id: plan.id });
    expect(versions.items.map((v: Json) => [v.version, v.trialDays, v.note, v.pricing.unitPrice])).toEqual([[1, null, null, 10_000], [2, 30, 'trial offer', 10_000]]);

    expect((await r('planRetire', { id: plan.id })).status).toBe('retired');
    expect((await r('planRetire', { id: plan.id })).status).toBe('retired');
    expect((await fail(r('planRevise', { id: plan.id, note: 'too late' }))).code).toBe('CATALOG_INVALID_STATE');
    expect((await r('planList', { status: 'retired', limit: 50 })).items.map((p: Json) => p.id)).toEqual([plan.id]);
  });
});

describe('price books and offers over NATS', () => {
  it("prices offers for a partner from its own entry, else its kind's, else the list; lists and deletes entries", async () => {
    const t = h.tenant();
    const r = (subject: keyof typeof s, body: unknown, ctx: RequestContext = t.admin) => h.client.request(s[subject], body as never, { context: ctx }) as Promise<Json>;
    const plan = await h.plan(t.admin, monthly(10_000));
    const own = await h.partner(t.tenantId, { kind: 'reseller' });
    const sameKind = await h.partner(t.tenantId, { kind: 'reseller' });
    const dealer = await h.partner(t.tenantId, { kind: 'dealer' });
    const kindEntry = await r('priceBookSet', { planVersionId: plan.current.id, partnerKind: 'reseller', pricing: monthly(9_000) });
    const ownEntry = await r('priceBookSet', { planVersionId: plan.current.id, partnerId: own.id, pricing: monthly(8_500) });
    // Setting it again replaces the entry.
    const replaced = await r('priceBookSet', { planVersionId: plan.current.id, partnerId: own.id, pricing: monthly(8_000) });
    expect([replaced.id, replaced.pricing.unitPrice, replaced.planId]).toEqual([ownEntry.id, 8_000, plan.id]);
    const both = await fail(r('priceBookSet', { planVersionId: plan.current.id, partnerId: own.id, partnerKind: 'dealer', pricing: monthly(1) }));
    expect(both.details?.errors?.[0]).toMatchObject({ field: 'partnerId', rule: 'one-of' });
    const currency = await fail(r('priceBookSet', { planVersionId: plan.current.id, partnerKind: 'dealer', pricing: { ...monthly(1), currency: 'CNY' } }));
    expect([currency.code, currency.details?.errors?.[0]?.field]).toEqual(['CATALOG_CURRENCY_MISMATCH', 'pricing.currency']);

    const offer = async (ctx: RequestContext) => {
      const o = (await r('offerList', { productId: plan.productId, limit: 50 }, ctx)).items[0];
      return [o.priceSource, o.pricing.unitPrice, o.firstYearValue, o.planVersionId === plan.current.id];
    };
    expect(await offer(t.admin)).toEqual(['list', 10_000, 120_000, true]);
    expect(await offer(h.asPartner(t.tenantId, own.id))).toEqual(['partner', 8_000, 96_000, true]);
    expect(await offer(h.asPartner(t.tenantId, sameKind.id))).toEqual(['partner-kind', 9_000, 108_000, true]);
    expect(await offer(h.asPartner(t.tenantId, dealer.id))).toEqual(['list', 10_000, 120_000, true]);

    expect((await r('priceBookList', { planId: plan.id, limit: 50 })).items.map((e: Json) => e.id).sort()).toEqual([kindEntry.id, ownEntry.id].sort());
    expect((await r('priceBookList', { partnerId: own.id, limit: 50 })).items.map((e: Json) => e.id)).toEqual([ownEntry.id]);
    expect((await r('priceBookList', { limit: 50 }, h.asPartner(t.tenantId, dealer.id))).items).toEqual([]);

    expect((await r('priceBookDelete', { id: ownEntry.id })).id).toBe(ownEntry.id);
    expect((await fail(r('priceBookDelete', { id: ownEntry.id }))).code).toBe('NOT_FOUND');
    expect(await offer(h.asPartner(t.tenantId, own.id))).toEqual(['partner-kind', 9_000, 108_000, true]);
  });
});

describe('bundles over NATS', () => {
  it('creates a bundle with an amount discount, gets and lists it by industry and status, publishes and retires it', async () => {
    const t = h.tenant();
    const r = (subject: keyof typeof s, body: unknown) => h.client.request(s[subject], body as never, { context: t.admin }) as Promise<Json>;
    // Consulting EUR 3,000 + coaching EUR 1,000 one-off = EUR 4,000; EUR 400 off = EUR 3,600, apportioned 2,700 / 900.
    const consulting = await h.plan(t.admin, oneOff(300_000));
    const coaching = await h.plan(t.admin, oneOff(100_000));
    const bundle = await r('bundleCreate', { code: code('bundle'), name: text('Retail after-sales'), industry: 'Retail', currency: 'EUR', discount: { amount: 40_000 }, components: [{ planId: consulting.id }, { planId: coaching.id }] });
    expect(bundle).toMatchObject({ status: 'draft', discount: { amount: 40_000 }, components: [{ planId: consulting.id, seats: 0 }, { planId: coaching.id, seats: 0 }] });
    expect(bundle.price).toMatchObject({ listTotal: 400_000, discount: 40_000, total: 360_000, entryPrice: 100_000, entryPlanId: coaching.id });
    expect(bundle.price.components.map((c: Json) => c.bundlePrice)).toEqual([270_000, 90_000]);
    const other = await r('bundleCreate', { code: code('bundle'), name: text('Factory'), industry: 'Manufacturing', currency: 'EUR', discount: { percent: 5 }, components: [{ planId: consulting.id }, { planId: coaching.id }] });
    expect(await r('bundleGet', { id: bundle.id })).toEqual(bundle);
    expect((await r('bundleList', { industry: 'Retail', limit: 50 })).items.map((b: Json) => b.id)).toEqual([bundle.id]);

    expect((await r('bundlePublish', { id: bundle.id })).status).toBe('active');
    expect((await r('bundlePublish', { id: bundle.id })).status).toBe('active');
    expect((await r('bundleList', { status: 'active', limit: 50 })).items.map((b: Json) => b.id)).toEqual([bundle.id]);
    expect((await r('bundleRetire', { id: other.id })).status).toBe('retired');
    expect((await r('bundleList', { status: 'retired', limit: 50 })).items.map((b: Json) => b.id)).toEqual([other.id]);

    // A revised component price re-prices the bundle (priced from current versions).
    await r('planRevise', { id: coaching.id, pricing: oneOff(200_000) });
    expect((await r('bundleGet', { id: bundle.id })).price).toMatchObject({ listTotal: 500_000, total: 460_000, entryPrice: 200_000 });
    const missing = await fail(r('bundleGet', { id: randomUUID() }));
    expect(missing.code).toBe('NOT_FOUND');
  });
});

describe('subscriptions, trials and their events over NATS', () => {
  it('lists subscriptions and trials by account, plan and status, and emits subscription, trial, usage and settlement events', async () => {
    const t = h.tenant();
    const r = (subject: keyof typeof s, body: unknown) => h.client.request(s[subject], body as never, { context: t.admin }) as Promise<Json>;
    const a = await h.account(t.tenantId);
    const b = await h.account(t.tenantId);
    const seats = await h.plan(t.admin, { kind: 'subscription', currency: 'EUR', billingPeriod: 'month', unit: 'seat', unitPrice: 1_000 }, { trialDays: 10 });
    const metered = await h.plan(t.admin, { kind: 'usage', currency: 'EUR', billingPeriod: 'month', metric: 'expert-hours', model: 'tiered', tiers: [{ upTo: null, unitPrice: 100 }] });
    const bet = await h.plan(t.admin, {
      kind: 'outcome', currency: 'EUR', billingPeriod: 'year', kpi: { key: 'forecast-hit-rate', name: 'Forecast hit rate', unit: '%' }, target: 80, direction: 'higherIsBetter',
      settlementPeriod: 'month', baseFee: 50_000, bands: [{ fromPct: 0, toPct: 100, amount: 5_000 }], caps: { maxBonus: 5_000, maxMalus: 0 },
    });
    const sa = await r('subscriptionCreate', { accountId: a.id, planId: seats.id, seats: 3, renewal: 'auto', noticeDays: 0 });
    const sb = await r('subscriptionCreate', { accountId: b.id, planId: metered.id, renewal: 'auto', noticeDays: 0 });
    const sc = await r('subscriptionCreate', { accountId: b.id, planId: bet.id, renewal: 'auto', noticeDays: 0 });
    const trial = await r('trialStart', { accountId: b.id, planId: seats.id });

    expect((await r('subscriptionList', { accountId: b.id, limit: 50 })).items.map((x: Json) => x.id).sort()).toEqual([sb.id, sc.id].sort());
    expect((await r('subscriptionList', { planId: seats.id, limit: 50 })).items.map((x: Json) => x.id)).toEqual([sa.id]);
    const page1 = await r('subscriptionList', { limit: 2 });
    const page2 = await r('subscriptionList', { limit: 2, cursor: page1.nextCursor });
    expect([...page1.items, ...page2.items].map((x: Json) => x.id).sort()).toEqual([sa.id, sb.id, sc.id].sort());
    expect((await r('trialList', { accountId: b.id, limit: 50 })).items.map((x: Json) => x.id)).toEqual([trial.id]);
    expect((await r('trialList', { status: 'converted', limit: 50 })).items).toEqual([]);

    const changed = await r('subscriptionChange', { id: sa.id, seats: 4 });
    await r('subscriptionCancel', { id: sa.id, reason: 'budget' });
    expect((await r('subscriptionList', { status: 'active', accountId: a.id, limit: 50 })).items.map((x: Json) => x.cancelAt)).toEqual(['2026-04-10T09:00:00.000Z']);
    const converted = await r('trialConvert', { id: trial.id, seats: 2, renewal: 'auto', noticeDays: 0 });
    expect((await r('trialList', { status: 'converted', limit: 50 })).items.map((x: Json) => x.id)).toEqual([trial.id]);
    const usage = await r('usageRecord', { subscriptionId: sb.id, externalId: 'hours-1', quantity: 3, at: '2026-03-12T00:00:00Z' });
    await r('usageRecord', { subscriptionId: sb.id, externalId: 'hours-1', quantity: 3, at: '2026-03-12T00:00:00Z' });
    await r('kpiReadingRecord', { subscriptionId: sc.id, at: '2026-03-20T00:00:00Z', value: 90 });
    clock.set('2026-04-01T00:00:00Z');
    const settlement = await r('settlementSettle', { subscriptionId: sc.id, period: '2026-03' });

    await expectEventually(async () => {
      const c = Events.catalog;
      expect((await published(c.subscriptionStarted, (d) => [sa.id, sb.id, sc.id, converted.subscription.id].includes(d.subscription.id))).length).toBe(4);
      expect((await published(c.subscriptionChanged, (d) => d.subscription.id === sa.id)).map((d) => [d.subscription.seats, d.proration?.net])).toEqual([[4, changed.proration.net]]);
      expect((await published(c.subscriptionCancelled, (d) => d.subscription.id === sa.id)).map((d) => d.subscription.cancelAt)).toEqual(['2026-04-10T09:00:00.000Z']);
      expect((await published(c.trialStarted, (d) => d.trial.id === trial.id)).map((d) => d.trial.status)).toEqual(['active']);
      expect((await published(c.trialConverted, (d) => d.trial.id === trial.id)).map((d) => d.trial.subscriptionId)).toEqual([converted.subscription.id]);
      // Recorded twice, published once.
      expect((await published(c.usageRecorded, (d) => d.record.subscriptionId === sb.id)).map((d) => [d.record.id, d.record.quantity, d.accountId])).toEqual([[usage.record.id, 3, b.id]]);
      expect((await published(c.settlementComputed, (d) => d.settlement.subscriptionId === sc.id)).map((d) => [d.settlement.id, d.settlement.period, d.settlement.amount])).toEqual([[settlement.id, '2026-03', settlement.amount]]);
    });
  });
});

describe('the read models of accounts and projects', () => {
  const event = (account: AccountDto, o: Partial<AccountDto>) => ({ account: { ...account, ...o, version: account.version + 1 } });

  it('follows account.updated (lead partner), account.deleted and account.restored, and ignores an older version arriving late', async () => {
    const t = h.tenant();
    const p1 = await h.partner(t.tenantId);
    const p2 = await h.partner(t.tenantId);
    const plan = await h.plan(t.admin, monthly(1_000));
    const a = await h.account(t.tenantId, { leadChannel: 'partner', leadPartnerId: p1.id });
    const sell = (ctx: RequestContext) => h.client.request(s.subscriptionCreate, { accountId: a.id, planId: plan.id, renewal: 'auto', noticeDays: 0 }, { context: ctx });
    expect((await sell(h.asPartner(t.tenantId, p1.id))).partnerId).toBe(p1.id);

    // The account moves to partner 2: partner 1 no longer finds it.
    const moved = event(a, { leadPartnerId: p2.id });
    await h.publish(Events.accounts.accountUpdated, moved, t.tenantId);
    await expectEventually(async () => expect((await fail(sell(h.asPartner(t.tenantId, p1.id)))).code).toBe('NOT_FOUND'));
    expect((await sell(h.asPartner(t.tenantId, p2.id))).partnerId).toBe(p2.id);

    const deleted = event(moved.account, { deletedAt: '2026-03-10T10:00:00.000Z' });
    await h.publish(Events.accounts.accountDeleted, deleted, t.tenantId);
    await expectEventually(async () => {
      const e = await fail(sell(t.admin));
      expect([e.code, e.details?.errors?.[0]?.field]).toEqual(['CATALOG_INVALID_STATE', 'accountId']);
    });
    // The update before the deletion, redelivered late, changes nothing.
    await h.publish(Events.accounts.accountUpdated, moved, t.tenantId);
    await h.publish(Events.accounts.accountRestored, event(deleted.account, { deletedAt: null, name: 'Restored Ltd' }), t.tenantId);
    await expectEventually(async () => expect((await h.sql(`SELECT name, deleted, source_version AS v FROM catalog.accounts WHERE id = $1`, [a.id]))[0]).toEqual({ name: 'Restored Ltd', deleted: false, v: a.version + 3 }));
    expect((await sell(t.admin)).accountId).toBe(a.id);
  });

  it('follows project.updated (moved to another account) and project.deleted', async () => {
    const t = h.tenant();
    const plan = await h.plan(t.admin, monthly(1_000));
    const a = await h.account(t.tenantId);
    const b = await h.account(t.tenantId);
    const project: ProjectDto = await h.project(t.tenantId, a.id);
    const sell = (accountId: string) => h.client.request(s.subscriptionCreate, { accountId, projectId: project.id, planId: plan.id, renewal: 'auto', noticeDays: 0 }, { context: t.admin });
    expect((await sell(a.id)).projectId).toBe(project.id);

    const later = (minutes: number) => new Date(Date.parse(project.updatedAt) + minutes * 60_000).toISOString();
    await h.publish(Events.accounts.projectUpdated, { project: { ...project, accountId: b.id, updatedAt: later(1) } }, t.tenantId);
    await expectEventually(async () => {
      const e = await fail(sell(a.id));
      expect([e.code, e.details?.errors?.[0]?.field]).toEqual(['CATALOG_INVALID_STATE', 'projectId']);
    });
    expect((await sell(b.id)).projectId).toBe(project.id);

    await h.publish(Events.accounts.projectDeleted, { project: { ...project, accountId: b.id, updatedAt: later(2) } }, t.tenantId);
    await expectEventually(async () => {
      const e = await fail(sell(b.id));
      expect([e.code, e.details?.errors?.[0]?.field]).toEqual(['NOT_FOUND', 'projectId']);
    });
  });
});
