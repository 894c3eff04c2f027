import { randomUUID } from 'node:crypto';
import { createStewardClient, unwrap } from '@steward/api-client';
import { DEMO_PARTNERS, demoCatalog, demoPlan, seedDemoCatalog, type CatalogSeedApi } from '@steward/stack';
import { expectEventually } from '@steward/testing';
import { PlatformHarness, startPlatformHarness } from './platform-harness';

// The catalog service (issue 10) through the gateway: every built service as a process on the
// test's own authenticated NATS, every reply checked against /openapi.json. The clock is the
// real one, so amounts that depend on it are checked against the inputs the answer shows.

let h: PlatformHarness;
beforeAll(async () => {
  h = await startPlatformHarness('e2ecatalog');
});
afterAll(async () => {
  await h?.close();
});

type T = Awaited<ReturnType<PlatformHarness['tenant']>>;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const bearer = (t: T) => ({ authorization: `Bearer ${t.token}` });

async function send(t: T, method: 'post' | 'patch', url: string, body: unknown, status: number, headers: Record<string, string> = {}): Promise<Json> {
  const res = await h.http()[method](url).set(bearer(t)).set(headers).send(body as object);
  if (res.status !== status) throw new Error(`${method.toUpperCase()} ${url}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
const post = (t: T, url: string, body: unknown, status = 201, headers?: Record<string, string>) => send(t, 'post', url, body, status, headers);
async function get(t: T, url: string): Promise<Json> {
  const res = await h.http().get(url).set(bearer(t));
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

let codes = 0;
const code = (what: string) => `${what}-${++codes}-${randomUUID().slice(0, 6)}`;
const text = (en: string) => ({ en, 'zh-CN': `${en}（中文）` });
const monthly = (unitPrice: number, currency = 'EUR') => ({ kind: 'subscription', currency, billingPeriod: 'month', unit: 'flat', unitPrice });

async function product(t: T, extra: Json = {}): Promise<Json> {
  return post(t, '/v1/catalog/products', {
    code: code('product'),
    kind: 'service',
    purpose: 'create-business-value',
    name: text('Project health diagnosis'),
    description: text('A two-week diagnosis of a live project'),
    deliverables: [{ name: 'Health report' }],
    playbook: [{ name: 'Kick-off', role: 'csm', durationDays: 1 }],
    requiredResources: { teamSkills: ['erp'], partnerTypes: ['system-integrator'] },
    ...extra,
  });
}

/** A published product with one published plan of this price. */
async function plan(t: T, pricing: Json, extra: Json = {}): Promise<Json> {
  const p = await product(t);
  await post(t, `/v1/catalog/products/${p.id}/publish`, {}, 200);
  const created = await post(t, `/v1/catalog/products/${p.id}/plans`, { code: code('plan'), name: text('Standard'), pricing, ...extra });
  return post(t, `/v1/catalog/plans/${created.id}/publish`, {}, 200);
}

/** An account created through accounts, waited for until the catalog's read model knows it. */
async function account(t: T, name = `Account ${randomUUID().slice(0, 6)}`): Promise<Json> {
  const a = await post(t, '/v1/accounts', { name });
  await knownToCatalog(t, a.id);
  return a;
}
async function knownToCatalog(t: T, accountId: string) {
  await expectEventually(async () => expect((await h.http().get(`/v1/catalog/accounts/${accountId}/entitlements`).set(bearer(t))).status).toBe(200), { timeoutMs: 15_000 });
}
const subscribe = (t: T, body: Json, headers?: Record<string, string>) => post(t, '/v1/catalog/subscriptions', { renewal: 'auto', noticeDays: 30, ...body }, 201, headers);

describe('products and plans', () => {
  it('goes draft → active → retired; a stale version is 409 in the body and 412 as If-Match; a retired product takes no changes', async () => {
    const t = await h.tenant();
    const p = await product(t);
    expect(p).toMatchObject({ status: 'draft', version: 1, kind: 'service', publishedAt: null, retiredAt: null });

    const read = await h.http().get(`/v1/catalog/products/${p.id}`).set(bearer(t)).expect(200);
    const etag = read.headers.etag as string;
    expect(etag).toMatch(/^"1-/);
    const changed = await send(t, 'patch', `/v1/catalog/products/${p.id}`, { purpose: 'open-profit-space' }, 200, { 'If-Match': etag });
    expect(changed).toMatchObject({ purpose: 'open-profit-space', version: 2 });

    // The same ETag again is stale now: 412 naming the header; the body's expectedVersion: 409 naming the field.
    const viaHeader = await h.http().patch(`/v1/catalog/products/${p.id}`).set(bearer(t)).set('If-Match', etag).send({ purpose: 'capture-opportunities' });
    expect([viaHeader.status, viaHeader.body.errors?.[0]?.field]).toEqual([412, 'If-Match']);
    const viaBody = await h.http().patch(`/v1/catalog/products/${p.id}`).set(bearer(t)).send({ purpose: 'capture-opportunities', expectedVersion: 1 });
    expect([viaBody.status, viaBody.body.code, viaBody.body.errors?.[0]?.field]).toEqual([409, 'STALE_VERSION', 'expectedVersion']);
    expect((await get(t, `/v1/catalog/products/${p.id}`)).purpose).toBe('open-profit-space');

    const published = await post(t, `/v1/catalog/products/${p.id}/publish`, {}, 200);
    expect(published).toMatchObject({ status: 'active', publishedAt: expect.any(String) });
    expect((await post(t, `/v1/catalog/products/${p.id}/publish`, {}, 200)).status).toBe('active');
    const retired = await post(t, `/v1/catalog/products/${p.id}/retire`, {}, 200);
    expect(retired).toMatchObject({ status: 'retired', retiredAt: expect.any(String) });
    expect((await post(t, `/v1/catalog/products/${p.id}/retire`, {}, 200)).retiredAt).toBe(retired.retiredAt);
    const frozen = await h.http().patch(`/v1/catalog/products/${p.id}`).set(bearer(t)).send({ purpose: 'capture-opportunities' });
    expect([frozen.status, frozen.body.code]).toEqual([409, 'CATALOG_INVALID_STATE']);
    const noPlan = await h.http().post(`/v1/catalog/products/${p.id}/plans`).set(bearer(t)).send({ code: code('plan'), name: text('Late'), pricing: monthly(1_000) });
    expect([noPlan.status, noPlan.body.errors?.[0]?.field]).toEqual([409, 'productId']);
    const listed = await get(t, '/v1/catalog/products?status=retired');
    expect(listed.items.map((x: Json) => x.id)).toEqual([p.id]);
  });

  it('keeps versions immutable: a new price is version 2, running subscriptions keep version 1, a retired plan sells nothing new', async () => {
    const t = await h.tenant();
    const a = await account(t);
    const pl = await plan(t, monthly(300_000));
    expect(pl).toMatchObject({ status: 'active', pricingKind: 'subscription', current: { version: 1, pricing: { unitPrice: 300_000 } } });
    const v1 = pl.current.id;
    const first = await subscribe(t, { accountId: a.id, planId: pl.id });
    expect(first).toMatchObject({ planVersionId: v1, pricing: { unitPrice: 300_000 }, priceSource: 'list', status: 'active' });

    const revised = await post(t, `/v1/catalog/plans/${pl.id}/versions`, { pricing: monthly(360_000), note: 'price rise' });
    expect(revised.current).toMatchObject({ version: 2, pricing: { unitPrice: 360_000 }, note: 'price rise' });
    const second = await subscribe(t, { accountId: a.id, planId: pl.id });
    expect(second.pricing.unitPrice).toBe(360_000);
    // Version 1 can still be sold on purpose, and the first subscription is where it was.
    expect((await subscribe(t, { accountId: a.id, planId: pl.id, planVersionId: v1 })).pricing.unitPrice).toBe(300_000);
    expect(await get(t, `/v1/catalog/subscriptions/${first.id}`)).toMatchObject({ planVersionId: v1, pricing: { unitPrice: 300_000 }, version: first.version });
    const versions = await get(t, `/v1/catalog/plans/${pl.id}/versions`);
    expect(versions.items.map((v: Json) => [v.version, v.pricing.unitPrice, v.id === v1])).toEqual([[1, 300_000, true], [2, 360_000, false]]);
    // No route changes a version: a price in the rename body is refused by name; another kind is another plan.
    const rename = await h.http().patch(`/v1/catalog/plans/${pl.id}`).set(bearer(t)).send({ name: text('Premium'), pricing: monthly(1) });
    expect([rename.status, rename.body.errors?.[0]?.field]).toEqual([400, 'pricing']);
    const kind = await h.http().post(`/v1/catalog/plans/${pl.id}/versions`).set(bearer(t)).send({ pricing: { kind: 'one-off', currency: 'EUR', price: 1 } });
    expect([kind.status, kind.body.errors?.[0]?.field, kind.body.errors?.[0]?.rule]).toEqual([400, 'pricing.kind', 'same-kind']);
    expect((await send(t, 'patch', `/v1/catalog/plans/${pl.id}`, { name: text('Premium') }, 200)).name.en).toBe('Premium');

    expect((await post(t, `/v1/catalog/plans/${pl.id}/retire`, {}, 200)).status).toBe('retired');
    const refused = await h.http().post('/v1/catalog/subscriptions').set(bearer(t)).send({ accountId: a.id, planId: pl.id });
    expect([refused.status, refused.body.code, refused.body.errors?.[0]?.field]).toEqual([409, 'CATALOG_INVALID_STATE', 'planId']);
    expect((await get(t, `/v1/catalog/subscriptions/${first.id}`)).status).toBe('active');
    expect((await get(t, `/v1/catalog/offers?productId=${pl.productId}`)).items).toEqual([]);
  });
});

describe('bundles', () => {
  it('prices an industry bundle from its components with the discount, and names the cheaper unbundled entry price', async () => {
    const t = await h.tenant();
    // Consulting EUR 5,000 and BI one-off EUR 2,000: EUR 7,000 listed, 10 % off = EUR 6,300, split 4,500 / 1,800.
    const consulting = await plan(t, { kind: 'one-off', currency: 'EUR', price: 500_000 });
    const bi = await plan(t, { kind: 'one-off', currency: 'EUR', price: 200_000 });
    const bundle = await post(t, '/v1/catalog/bundles', {
      code: code('bundle'),
      name: text('Smart factory'),
      industry: 'Manufacturing',
      currency: 'EUR',
      discount: { percent: 10 },
      components: [{ planId: consulting.id }, { planId: bi.id }],
    });
    expect(bundle).toMatchObject({ status: 'draft', industry: 'Manufacturing' });
    expect(bundle.price).toMatchObject({
      listTotal: 700_000,
      discount: 70_000,
      total: 630_000,
      entryPrice: 200_000,
      entryPlanId: bi.id,
      components: [
        { planId: consulting.id, planVersionId: consulting.current.id, listPrice: 500_000, bundlePrice: 450_000 },
        { planId: bi.id, planVersionId: bi.current.id, listPrice: 200_000, bundlePrice: 180_000 },
      ],
    });
    expect(bundle.price.entryPrice).toBeLessThan(bundle.price.total);
    expect((await post(t, `/v1/catalog/bundles/${bundle.id}/publish`, {}, 200)).status).toBe('active');
    expect((await get(t, `/v1/catalog/bundles/${bundle.id}`)).price.total).toBe(630_000);
    expect((await get(t, '/v1/catalog/bundles?industry=Manufacturing')).items.map((b: Json) => b.id)).toEqual([bundle.id]);

    const yen = await plan(t, { kind: 'one-off', currency: 'JPY', price: 10_000 });
    const mixed = await h.http().post('/v1/catalog/bundles').set(bearer(t)).send({ code: code('bundle'), name: text('Mixed'), industry: 'Retail', currency: 'EUR', discount: { amount: 100 }, components: [{ planId: bi.id }, { planId: yen.id }] });
    expect([mixed.status, mixed.body.errors?.[0]?.field, mixed.body.errors?.[0]?.rule]).toEqual([422, 'components[1].planId', 'same-currency']);
  });
});

describe('trials, entitlements and support', () => {
  it('converts a trial into a paid subscription, counted in the funnel', async () => {
    const t = await h.tenant();
    const a = await account(t);
    const pl = await plan(t, monthly(50_000), { trialDays: 14, entitlements: { supportLevel: 'L2', features: ['bi-dashboards'] } });
    const trial = await post(t, '/v1/catalog/trials', { accountId: a.id, planId: pl.id });
    expect(trial).toMatchObject({ status: 'active', channel: 'direct', planVersionId: pl.current.id });
    expect(Date.parse(trial.endsAt) - Date.parse(trial.startedAt)).toBe(14 * 86_400_000);
    expect(await get(t, `/v1/catalog/accounts/${a.id}/entitlements`)).toMatchObject({ supportLevel: 'L2', features: ['bi-dashboards'], sources: [{ kind: 'trial', id: trial.id }] });
    const again = await h.http().post('/v1/catalog/trials').set(bearer(t)).send({ accountId: a.id, planId: pl.id });
    expect([again.status, again.body.code]).toEqual([409, 'CATALOG_INVALID_STATE']);

    const converted = await post(t, `/v1/catalog/trials/${trial.id}/convert`, { renewal: 'manual', noticeDays: 10 }, 200);
    expect(converted.trial).toMatchObject({ status: 'converted', subscriptionId: converted.subscription.id });
    expect(converted.subscription).toMatchObject({ trialId: trial.id, planId: pl.id, renewal: 'manual', noticeDays: 10, pricing: { unitPrice: 50_000 } });
    // Converting again (a retry) answers the same subscription.
    expect((await post(t, `/v1/catalog/trials/${trial.id}/convert`, {}, 200)).subscription.id).toBe(converted.subscription.id);
    expect((await get(t, `/v1/catalog/accounts/${a.id}/entitlements`)).sources).toEqual([expect.objectContaining({ kind: 'subscription', id: converted.subscription.id })]);
    const funnel = await get(t, `/v1/catalog/trial-funnel?productId=${pl.productId}`);
    expect(funnel.items).toEqual([expect.objectContaining({ productId: pl.productId, channel: 'direct', started: 1, active: 0, converted: 1, lapsed: 0, conversionRate: 1 })]);
    expect((await get(t, `/v1/catalog/trials?accountId=${a.id}`)).items.map((x: Json) => x.status)).toEqual(['converted']);
  });

  it("publishes an account's entitlements: support routes and times a new ticket by the level and SLA the plan grants", async () => {
    const t = await h.tenant();
    const a = await account(t);
    const pl = await plan(t, { kind: 'subscription', currency: 'EUR', billingPeriod: 'year', unit: 'flat', unitPrice: 1_200_000 }, {
      entitlements: { supportLevel: 'L1', slaTargets: { high: { firstResponse: 7, resolution: 120 } }, includedHours: 16, reviewVisitsPerYear: 2, features: ['named-team'] },
    });
    const sub = await subscribe(t, { accountId: a.id, planId: pl.id });
    const set = await get(t, `/v1/catalog/accounts/${a.id}/entitlements`);
    expect(set).toMatchObject({
      accountId: a.id,
      projectId: null,
      supportLevel: 'L1',
      slaTargets: { high: { firstResponse: 7, resolution: 120 } },
      includedHours: 16,
      reviewVisitsPerYear: 2,
      features: ['named-team'],
      validUntil: sub.currentTermEnd,
      sources: [{ kind: 'subscription', id: sub.id, planId: pl.id }],
    });

    // Support keeps entitlements.changed in its read model, then routes by it.
    await expectEventually(async () => expect(await get(t, '/v1/support/read-models')).toMatchObject({ accounts: 1, entitlements: 1 }), { timeoutMs: 15_000 });
    const ticket = await post(t, '/v1/support/tickets', { accountId: a.id, category: 'incident', priority: 'high', subject: 'Line 3 stopped' });
    expect(ticket).toMatchObject({ level: 'L1', routing: { ruleId: 'l1-entitled' } });
    expect(ticket.sla.targets).toMatchObject({ firstResponse: 7, resolution: 120 });
  });
});

describe('outcome contracts and usage', () => {
  it('settles a KPI reading into the period’s amount with its inputs shown; usage is recorded once per external id', async () => {
    const t = await h.tenant();
    const a = await account(t);
    // Complaint rate, lower is better, target 2 %: a reading of 1.5 % is +25 % → the fixed EUR 75 bonus band.
    const pl = await plan(t, {
      kind: 'outcome', currency: 'EUR', billingPeriod: 'year', kpi: { key: 'complaint-rate', name: 'Complaint rate', unit: '%' }, target: 2, direction: 'lowerIsBetter',
      settlementPeriod: 'month', aggregation: 'mean', baseFee: 100_000, bands: [{ fromPct: -50, toPct: 0, amount: 5_000 }, { fromPct: 0, toPct: 50, amount: 7_500 }], caps: { maxBonus: 20_000, maxMalus: 12_000 },
    });
    const sub = await subscribe(t, { accountId: a.id, planId: pl.id, noticeDays: 90 });
    const at = new Date(Math.max(Date.now(), Date.parse(sub.startedAt) + 1)).toISOString();
    const period = at.slice(0, 7);
    const reading = await post(t, `/v1/catalog/subscriptions/${sub.id}/kpi-readings`, { at, value: 1.5, externalId: 'review-1', note: 'monthly review' });
    expect(reading).toMatchObject({ subscriptionId: sub.id, value: 1.5, source: 'manual', externalId: 'review-1', note: 'monthly review' });
    expect((await get(t, `/v1/catalog/subscriptions/${sub.id}/kpi-readings?period=${period}`)).items.map((r: Json) => r.value)).toEqual([1.5]);

    const settled = await post(t, `/v1/catalog/subscriptions/${sub.id}/settlements`, { period }, 200);
    const { activeDays, periodDays } = settled.inputs;
    expect(activeDays).toBeGreaterThan(0);
    expect(activeDays).toBeLessThanOrEqual(periodDays);
    expect(Math.abs(settled.baseFee - (100_000 * activeDays) / periodDays)).toBeLessThanOrEqual(0.5);
    expect(settled).toMatchObject({ period, currency: 'EUR', bonus: 7_500, malus: 0, amount: settled.baseFee + 7_500, revision: 1 });
    expect(settled.inputs).toMatchObject({ kpi: { key: 'complaint-rate' }, target: 2, actual: 1.5, deviationPct: 25, listBaseFee: 100_000, readings: [{ id: reading.id, value: 1.5, source: 'manual' }] });
    expect((await get(t, `/v1/catalog/settlements?subscriptionId=${sub.id}`)).items.map((x: Json) => x.id)).toEqual([settled.id]);
    // Settling again on the same inputs changes nothing.
    expect(await post(t, `/v1/catalog/subscriptions/${sub.id}/settlements`, { period }, 200)).toMatchObject({ id: settled.id, revision: 1 });

    const metered = await plan(t, { kind: 'usage', currency: 'CNY', billingPeriod: 'month', metric: 'forecast-runs', model: 'volume', tiers: [{ upTo: 1_000, unitPrice: 0.5 }, { upTo: null, unitPrice: 0.2 }] });
    const usageSub = await subscribe(t, { accountId: a.id, planId: metered.id });
    const when = new Date(Math.max(Date.now(), Date.parse(usageSub.startedAt) + 1)).toISOString();
    const first = await post(t, `/v1/catalog/subscriptions/${usageSub.id}/usage`, { externalId: 'batch-1', quantity: 1_500, at: when });
    const retry = await post(t, `/v1/catalog/subscriptions/${usageSub.id}/usage`, { externalId: 'batch-1', quantity: 1_500, at: when });
    expect([first.replayed, retry.replayed, retry.record.id]).toEqual([false, true, first.record.id]);
    // Volume pricing: all 1,500 runs at the second tier's 0.2 = 300 fen.
    expect(await get(t, `/v1/catalog/subscriptions/${usageSub.id}/usage?at=${encodeURIComponent(when)}`)).toMatchObject({ records: 1, quantity: 1_500, currency: 'CNY', charge: 300 });
  });
});

describe('partners', () => {
  async function partnerWithKey(admin: T, name: string) {
    const partner = await post(admin, '/v1/partners', { name, kind: 'reseller' });
    const issued = await post(admin, `/v1/partners/${partner.id}/api-keys`, { name: `${name} sync` });
    return { partner, client: createStewardClient({ baseUrl: h.gatewayUrl, apiKey: issued.key as string }) };
  }

  it('lists offers at its price-book price, sells only to the accounts it leads, and gets 404 for another partner’s account', async () => {
    const t = await h.tenant();
    const a = await partnerWithKey(t, `Reseller A ${randomUUID().slice(0, 6)}`);
    const b = await partnerWithKey(t, `Reseller B ${randomUUID().slice(0, 6)}`);
    const pl = await plan(t, monthly(100_000));
    // The catalog learns of partners from accounts' events: the price book waits for it.
    await expectEventually(async () => {
      const res = await h.http().post('/v1/catalog/price-book').set(bearer(t)).send({ planVersionId: pl.current.id, partnerId: a.partner.id, pricing: monthly(80_000) });
      expect(res.status).toBe(200);
    }, { timeoutMs: 15_000 });

    const offersA = await unwrap(a.client.GET('/v1/catalog/offers', { params: { query: { productId: pl.productId } } }));
    expect(offersA.items.map((o) => [o.plan.id, o.priceSource, (o.pricing as { unitPrice: number }).unitPrice, o.firstYearValue])).toEqual([[pl.id, 'partner', 80_000, 960_000]]);
    const offersB = await unwrap(b.client.GET('/v1/catalog/offers', { params: { query: { productId: pl.productId } } }));
    expect(offersB.items.map((o) => [o.priceSource, (o.pricing as { unitPrice: number }).unitPrice])).toEqual([['list', 100_000]]);
    const book = await unwrap(b.client.GET('/v1/catalog/price-book', { params: { query: { planId: pl.id } } }));
    expect(book.items).toEqual([]);

    const mine = await unwrap(a.client.POST('/v1/accounts', { body: { name: 'Led by A', leadChannel: 'partner' } }));
    await knownToCatalog(t, mine.id);
    const sold = await unwrap(a.client.POST('/v1/catalog/subscriptions', { body: { accountId: mine.id, planId: pl.id, renewal: 'auto', noticeDays: 30 } }));
    expect(sold).toMatchObject({ partnerId: a.partner.id, channel: 'partner', priceSource: 'partner', pricing: { unitPrice: 80_000 } });

    const foreign = await b.client.POST('/v1/catalog/subscriptions', { body: { accountId: mine.id, planId: pl.id, renewal: 'auto', noticeDays: 30 } });
    expect([foreign.response.status, foreign.error?.code]).toEqual([404, 'NOT_FOUND']);
    const entitlements = await b.client.GET('/v1/catalog/accounts/{id}/entitlements', { params: { path: { id: mine.id } } });
    expect(entitlements.response.status).toBe(404);
    const theirs = await b.client.GET('/v1/catalog/subscriptions/{id}', { params: { path: { id: sold.id } } });
    expect(theirs.response.status).toBe(404);
    expect((await unwrap(b.client.GET('/v1/catalog/subscriptions', { params: { query: { limit: 200 } } }))).items).toEqual([]);
    expect((await unwrap(a.client.GET('/v1/catalog/subscriptions', { params: { query: { limit: 200 } } }))).items.map((x) => x.id)).toEqual([sold.id]);
  });
});

describe('bad input and retries', () => {
  it('answers every kind of bad body with a 4xx naming the field', async () => {
    const t = await h.tenant();
    const a = await account(t);
    const pl = await plan(t, monthly(10_000));
    const outcome = await plan(t, {
      kind: 'outcome', currency: 'EUR', billingPeriod: 'year', kpi: { key: 'hit-rate', name: 'Hit rate', unit: '%' }, target: 80, direction: 'higherIsBetter',
      settlementPeriod: 'month', baseFee: 10_000, bands: [], caps: { maxBonus: 0, maxMalus: 0 },
    });
    const sub = await subscribe(t, { accountId: a.id, planId: pl.id });
    const trialPlan = await plan(t, monthly(1_000), { trialDays: 7 });
    const trial = await post(t, '/v1/catalog/trials', { accountId: a.id, planId: trialPlan.id });
    const p = await product(t);
    const cases: Array<[string, string, unknown, number, string]> = [
      ['POST', '/v1/catalog/products', { code: 'Not A Code', kind: 'service', purpose: 'create-business-value', name: text('x'), description: text('x') }, 400, 'code'],
      ['POST', '/v1/catalog/products', { code: code('p'), kind: 'gadget', purpose: 'create-business-value', name: text('x'), description: text('x') }, 400, 'kind'],
      ['POST', '/v1/catalog/products', { code: code('p'), kind: 'data', purpose: 'create-business-value', name: { en: 'x' }, description: text('x') }, 400, 'name.zh-CN'],
      ['PATCH', `/v1/catalog/products/${p.id}`, { playbook: [{ name: 'Step', role: 'csm', durationDays: -1 }] }, 400, 'playbook[0].durationDays'],
      ['POST', `/v1/catalog/products/${p.id}/plans`, { code: code('plan'), name: text('x'), pricing: monthly(100, 'euro') }, 400, 'pricing.currency'],
      ['POST', `/v1/catalog/products/${p.id}/plans`, { code: code('plan'), name: text('x'), pricing: { kind: 'one-off', currency: 'EUR', price: 10.5 } }, 400, 'pricing.price'],
      ['POST', `/v1/catalog/products/${p.id}/plans`, { code: code('plan'), name: text('x'), pricing: monthly(100), entitlements: { supportLevel: 'L9' } }, 400, 'entitlements.supportLevel'],
      ['POST', `/v1/catalog/plans/${pl.id}/versions`, { pricing: monthly(100, 'CNY') }, 400, 'pricing.currency'],
      ['PATCH', `/v1/catalog/plans/${pl.id}`, { name: text('') }, 400, 'name.en'],
      ['POST', '/v1/catalog/price-book', { planVersionId: pl.current.id, partnerKind: 'wizard', pricing: monthly(1) }, 400, 'partnerKind'],
      ['POST', '/v1/catalog/bundles', { code: code('b'), name: text('x'), industry: 'Retail', currency: 'EUR', discount: { percent: 10 }, components: [{ planId: pl.id }] }, 400, 'components'],
      ['POST', '/v1/catalog/subscriptions', { accountId: 'nope', planId: pl.id }, 400, 'accountId'],
      ['POST', '/v1/catalog/subscriptions', { accountId: randomUUID(), planId: pl.id }, 404, 'accountId'],
      ['POST', '/v1/catalog/trials', { accountId: a.id, planId: randomUUID() }, 404, 'planId'],
      ['POST', '/v1/catalog/price-book', { planVersionId: randomUUID(), partnerKind: 'reseller', pricing: monthly(1) }, 404, 'planVersionId'],
      ['POST', '/v1/catalog/price-book', { planVersionId: pl.current.id, partnerId: randomUUID(), pricing: monthly(1) }, 400, 'partnerId'],
      ['POST', `/v1/catalog/subscriptions/${sub.id}/change`, { seats: 0 }, 400, 'seats'],
      ['POST', `/v1/catalog/subscriptions/${sub.id}/cancel`, {}, 400, 'reason'],
      ['POST', `/v1/catalog/subscriptions/${sub.id}/usage`, { externalId: 'x', quantity: -1, at: new Date().toISOString() }, 400, 'quantity'],
      ['POST', `/v1/catalog/subscriptions/${sub.id}/kpi-readings`, { at: new Date().toISOString(), value: 1 }, 400, 'subscriptionId'],
      ['POST', `/v1/catalog/subscriptions/${sub.id}/kpi-readings`, { at: 'yesterday', value: 1 }, 400, 'at'],
      ['POST', '/v1/catalog/kpi-readings:import', { readings: [] }, 400, 'readings'],
      ['POST', `/v1/catalog/subscriptions/${outcome.id}/settlements`, { period: 'x' }, 400, 'period'],
      ['POST', '/v1/catalog/settlement-runs', { period: '2026-03', unit: 'week' }, 400, 'unit'],
      ['POST', '/v1/catalog/trials', { accountId: a.id }, 400, 'planId'],
      ['POST', `/v1/catalog/trials/${trial.id}/convert`, { noticeDays: 400 }, 400, 'noticeDays'],
      ['GET', '/v1/catalog/products?kind=gadget', undefined, 400, 'query.kind'],
      ['GET', '/v1/catalog/subscriptions?cursor=forged', undefined, 400, 'cursor'],
      ['GET', '/v1/catalog/products/not-a-uuid', undefined, 400, 'path.id'],
    ];
    const seen = [];
    for (const [method, url, body, , field] of cases) {
      const req = method === 'GET' ? h.http().get(url) : method === 'PATCH' ? h.http().patch(url).send(body as object) : h.http().post(url).send(body as object);
      const res = await req.set(bearer(t));
      seen.push({ url, status: res.status, fields: (res.body.errors ?? []).map((e: Json) => e.field).includes(field) ? field : (res.body.errors ?? []).map((e: Json) => e.field), rule: typeof res.body.errors?.[0]?.rule });
    }
    expect(seen).toEqual(cases.map(([, url, , status, field]) => ({ url, status, fields: field, rule: 'string' })));
  });

  it('replays a create retried with the same Idempotency-Key instead of creating it twice', async () => {
    const t = await h.tenant();
    const a = await account(t);
    const pl = await plan(t, monthly(20_000));
    const key = `retry-${randomUUID()}`;
    const body = { accountId: a.id, planId: pl.id, externalRef: `C-${randomUUID().slice(0, 6)}` };
    const first = await h.http().post('/v1/catalog/subscriptions').set(bearer(t)).set('idempotency-key', key).send({ renewal: 'auto', noticeDays: 30, ...body }).expect(201);
    const again = await h.http().post('/v1/catalog/subscriptions').set(bearer(t)).set('idempotency-key', key).send({ renewal: 'auto', noticeDays: 30, ...body }).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    expect((await get(t, `/v1/catalog/subscriptions?accountId=${a.id}`)).items.map((x: Json) => x.id)).toEqual([first.body.id]);

    const productBody = { code: code('product'), kind: 'data', purpose: 'open-profit-space', name: text('Spare-parts demand forecasting'), description: text('Forecasts as a data service') };
    const made = await post(t, '/v1/catalog/products', productBody, 201, { 'Idempotency-Key': `p-${key}` });
    const replayed = await h.http().post('/v1/catalog/products').set(bearer(t)).set('Idempotency-Key', `p-${key}`).send(productBody).expect(201);
    expect([replayed.headers['idempotent-replayed'], replayed.body.id]).toEqual(['true', made.id]);
    // Without the key, the same code is a conflict naming it.
    const twice = await h.http().post('/v1/catalog/products').set(bearer(t)).send(productBody);
    expect([twice.status, twice.body.errors?.[0]?.field]).toEqual([409, 'code']);
  });
});

describe('the demo catalog (tools/stack/demo-catalog.ts)', () => {
  it('seeds through the gateway as the local stack does, and a second run creates nothing', async () => {
    const t = await h.tenant();
    const catalog = demoCatalog(demoPlan(new Date()).accounts);
    const accountIds = new Map<string, string>();
    for (const s of catalog.sales) accountIds.set(s.externalId, (await post(t, '/v1/accounts', { name: `Demo ${s.externalId}`, externalId: s.externalId })).id);
    const partnerIds = new Map<string, string>();
    for (const p of DEMO_PARTNERS) partnerIds.set(p.key, (await post(t, '/v1/partners', { name: p.name, kind: p.kind })).id);
    const api: CatalogSeedApi = {
      async call<T>(method: string, route: string, body?: unknown, ok: number[] = [200, 201]) {
        const m = method.toLowerCase() as 'get' | 'post';
        const res = m === 'get' ? await h.http().get(route).set(bearer(t)) : await h.http().post(route).set(bearer(t)).send(body as object);
        if (!ok.includes(res.status)) throw new Error(`${method} ${route}: ${res.status} ${JSON.stringify(res.body)}`);
        return { status: res.status, body: res.body as T };
      },
      async all<T>(route: string) {
        const items: T[] = [];
        let cursor: string | null = null;
        do {
          const page: Json = await get(t, `${route}${route.includes('?') ? '&' : '?'}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
          items.push(...(page.items as T[]));
          cursor = page.nextCursor;
        } while (cursor);
        return items;
      },
    };
    const first = await seedDemoCatalog(api, catalog, accountIds, partnerIds, { waitMs: 20_000 });
    expect(first).toMatchObject({ products: 8, plans: 8, bundles: 2, subscriptions: 8, trials: 3, created: 28 });
    expect((await seedDemoCatalog(api, catalog, accountIds, partnerIds, { waitMs: 20_000 })).created).toBe(0);

    expect((await get(t, '/v1/catalog/offers?limit=200')).items).toHaveLength(8);
    expect((await get(t, '/v1/catalog/bundles?status=active')).items.map((b: Json) => b.industry).sort()).toEqual(['Manufacturing', 'Retail']);
    expect((await get(t, '/v1/catalog/subscriptions?limit=200')).items).toHaveLength(8);
    expect(await get(t, `/v1/catalog/accounts/${accountIds.get(catalog.sales[0]!.externalId)}/entitlements`)).toMatchObject({ supportLevel: 'L1', features: ['named-team'] });
  });
});
