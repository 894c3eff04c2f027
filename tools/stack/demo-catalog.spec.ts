import { randomUUID } from 'node:crypto';
import * as contracts from '@steward/contracts';
import { demoCatalog, seedDemoCatalog, type CatalogSeedApi } from './demo-catalog';
import { DEMO_PARTNERS, demoPlan } from './demo-data';

const NOW = new Date('2026-03-10T12:00:00Z');
const accounts = demoPlan(NOW).accounts;
const catalog = demoCatalog(accounts);
const plans = catalog.products.flatMap((p) => p.plans);
const planByCode = new Map(plans.map((p) => [p.code, p]));

describe('the demo catalog', () => {
  it('has products of the four kinds and the four purposes, with the ones the issue names', () => {
    expect(new Set(catalog.products.map((p) => p.kind))).toEqual(new Set(contracts.PRODUCT_KINDS));
    expect(new Set(catalog.products.map((p) => p.purpose))).toEqual(new Set(contracts.PRODUCT_PURPOSES));
    expect(catalog.products.map((p) => p.code)).toEqual(
      expect.arrayContaining(['project-health-diagnosis', 'annual-review-visits', 'csm-coaching', 'consulting-and-planning', 'managed-after-sales-operations', 'spare-parts-demand-forecasting', 'bi-solution', 'mobile-service-app']),
    );
    expect(catalog.products.find((p) => p.code === 'spare-parts-demand-forecasting')?.kind).toBe('data');
    expect(catalog.products.find((p) => p.code === 'managed-after-sales-operations')?.plans[0]?.pricing).toMatchObject({ kind: 'outcome', kpi: { key: 'complaint-rate' }, direction: 'lowerIsBetter' });
  });

  it('has plans of every pricing kind, and every product and plan is a valid create request', () => {
    expect(new Set(plans.map((p) => p.pricing.kind))).toEqual(new Set(contracts.PRICING_KIND_VALUES));
    for (const { plans: ps, ...product } of catalog.products) {
      expect(contracts.CreateProductRequest.safeParse(product).error).toBeUndefined();
      for (const p of ps) expect(contracts.CreatePlanRequest.safeParse({ productId: randomUUID(), ...p }).error).toBeUndefined();
    }
    expect(new Set(plans.map((p) => p.code)).size).toBe(plans.length);
  });

  it('has two industry bundles (Manufacturing, Retail) of at least two existing plans each, in their currency', () => {
    expect(catalog.bundles.map((b) => b.industry)).toEqual(['Manufacturing', 'Retail']);
    for (const b of catalog.bundles) {
      expect(b.components.length).toBeGreaterThanOrEqual(2);
      for (const c of b.components) expect(planByCode.get(c.planCode)?.pricing.currency).toBe(b.currency);
      const { components, ...rest } = b;
      expect(contracts.CreateBundleRequest.safeParse({ ...rest, components: components.map((c) => ({ planId: randomUUID(), seats: c.seats })) }).error).toBeUndefined();
    }
  });

  it("has price book entries below the list price, of the plan's kind and currency, for real partners or kinds", () => {
    expect(catalog.priceBook.length).toBeGreaterThanOrEqual(3);
    for (const e of catalog.priceBook) {
      const list = planByCode.get(e.planCode)!.pricing as { kind: string; currency: string; unitPrice?: number };
      expect([e.pricing.kind, e.pricing.currency]).toEqual([list.kind, list.currency]);
      expect((e.pricing as { unitPrice: number }).unitPrice).toBeLessThan(list.unitPrice!);
      expect(e.partnerKey === undefined).not.toBe(e.partnerKind === undefined);
      if (e.partnerKey) expect(DEMO_PARTNERS.map((p) => p.key)).toContain(e.partnerKey);
    }
  });

  it('sells and trials on distinct live demo accounts: trials only on plans with a trial, every pricing kind subscribed', () => {
    const live = new Set(accounts.filter((a) => ['active', 'onboarding', 'at-risk'].includes(a.lifecycle)).map((a) => a.externalId));
    expect(catalog.sales.every((s) => live.has(s.externalId))).toBe(true);
    expect(new Set(catalog.sales.map((s) => s.externalId)).size).toBe(catalog.sales.length);
    for (const s of catalog.sales.filter((x) => x.kind !== 'subscription')) expect(planByCode.get(s.planCode)?.trialDays).toBeGreaterThan(0);
    const subscribed = catalog.sales.filter((s) => s.kind === 'subscription').map((s) => planByCode.get(s.planCode)!.pricing.kind);
    expect(new Set(subscribed)).toEqual(new Set(contracts.PRICING_KIND_VALUES));
    expect(catalog.sales.map((s) => s.kind)).toEqual(expect.arrayContaining(['trial', 'converted-trial']));
    // The same on every run.
    expect(demoCatalog(demoPlan(NOW).accounts)).toEqual(catalog);
  });
});

/** An in-memory stand-in for the gateway's catalog routes, with their idempotency answers. */
function fakeCatalog() {
  const products: Array<{ id: string; code: string; status: string }> = [];
  const plansMade: Array<{ id: string; code: string; status: string; productId: string; current: { id: string } }> = [];
  const bundles: Array<{ id: string; code: string; status: string }> = [];
  const subs: Array<{ id: string; accountId: string; externalRef: string | null; startedAt: string }> = [];
  const trials: Array<{ id: string; accountId: string; planId: string }> = [];
  const priceBook = new Map<string, unknown>();
  const calls: string[] = [];
  const api: CatalogSeedApi = {
    async call<T>(method: string, route: string, body?: unknown, ok: number[] = [200, 201]) {
      calls.push(`${method} ${route}`);
      const b = (body ?? {}) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      let answer: { status: number; body: unknown };
      const publish = route.match(/^\/v1\/catalog\/(products|plans|bundles)\/([^/]+)\/publish$/);
      if (publish) {
        const list = { products, plans: plansMade, bundles }[publish[1] as 'products'] as Array<{ id: string; status: string }>;
        const found = list.find((x) => x.id === publish[2])!;
        found.status = 'active';
        answer = { status: 200, body: found };
      } else if (route === '/v1/catalog/products') {
        const p = { id: randomUUID(), code: b.code, status: 'draft' };
        products.push(p);
        answer = { status: 201, body: p };
      } else if (/^\/v1\/catalog\/products\/[^/]+\/plans$/.test(route)) {
        const p = { id: randomUUID(), code: b.code, status: 'draft', productId: route.split('/')[4]!, current: { id: randomUUID() } };
        plansMade.push(p);
        answer = { status: 201, body: p };
      } else if (route === '/v1/catalog/bundles') {
        const x = { id: randomUUID(), code: b.code, status: 'draft' };
        bundles.push(x);
        answer = { status: 201, body: x };
      } else if (route === '/v1/catalog/price-book') {
        priceBook.set(`${b.planVersionId}|${b.partnerId ?? b.partnerKind}`, b.pricing);
        answer = { status: 200, body: {} };
      } else if (route.endsWith('/entitlements')) {
        answer = { status: 200, body: {} };
      } else if (route === '/v1/catalog/subscriptions') {
        if (subs.some((s) => s.externalRef === b.externalRef)) answer = { status: 409, body: {} };
        else {
          const s = { id: randomUUID(), accountId: b.accountId, externalRef: b.externalRef ?? null, startedAt: new Date().toISOString() };
          subs.push(s);
          answer = { status: 201, body: s };
        }
      } else if (route === '/v1/catalog/trials') {
        if (trials.some((x) => x.accountId === b.accountId && x.planId === b.planId)) answer = { status: 409, body: {} };
        else {
          const x = { id: randomUUID(), accountId: b.accountId, planId: b.planId };
          trials.push(x);
          answer = { status: 201, body: x };
        }
      } else if (/\/trials\/[^/]+\/convert$/.test(route)) {
        const trial = trials.find((x) => x.id === route.split('/')[4])!;
        let s = subs.find((x) => x.externalRef === `trial:${trial.id}`);
        if (!s) subs.push((s = { id: randomUUID(), accountId: trial.accountId, externalRef: `trial:${trial.id}`, startedAt: new Date().toISOString() }));
        answer = { status: 200, body: { subscription: s } };
      } else if (/\/(usage|kpi-readings)$/.test(route)) {
        // As the catalog does: a reading or usage before the subscription started is a 400 (field at).
        const sub = subs.find((x) => x.id === route.split('/')[4])!;
        answer = b.at < sub.startedAt ? { status: 400, body: { errors: [{ field: 'at', rule: 'within-subscription' }] } } : { status: 201, body: {} };
      } else throw new Error(`unexpected ${method} ${route}`);
      if (!ok.includes(answer.status)) throw new Error(`${method} ${route} answered ${answer.status}`);
      return answer as { status: number; body: T };
    },
    async all<T>(route: string) {
      const q = new URL(route, 'http://x').searchParams;
      if (route.startsWith('/v1/catalog/products')) return products as T[];
      if (route.startsWith('/v1/catalog/plans')) return plansMade as T[];
      if (route.startsWith('/v1/catalog/bundles')) return bundles as T[];
      if (route.startsWith('/v1/catalog/subscriptions')) return subs.filter((s) => s.accountId === q.get('accountId')) as T[];
      if (route.startsWith('/v1/catalog/trials')) return trials.filter((x) => x.accountId === q.get('accountId')) as T[];
      throw new Error(`unexpected list ${route}`);
    },
  };
  return { api, products, plans: plansMade, bundles, subs, trials, priceBook, calls };
}

describe('seeding the demo catalog', () => {
  const accountIds = new Map(accounts.map((a) => [a.externalId, randomUUID()]));
  const partnerIds = new Map(DEMO_PARTNERS.map((p) => [p.key, randomUUID()]));

  it('creates and publishes everything once, dates usage and readings within their subscription, and a second run creates nothing', async () => {
    const fake = fakeCatalog();
    const first = await seedDemoCatalog(fake.api, catalog, accountIds, partnerIds, { now: NOW, pollMs: 1 });
    const subscriptions = catalog.sales.filter((s) => s.kind !== 'trial').length;
    const trials = catalog.sales.filter((s) => s.kind !== 'subscription').length;
    expect(first).toEqual({ products: 8, plans: 8, bundles: 2, priceBook: catalog.priceBook.length, subscriptions, trials, created: 8 + 8 + 2 + (subscriptions - 1) + trials });
    expect([...fake.products, ...fake.plans, ...fake.bundles].every((x) => x.status === 'active')).toBe(true);
    expect(fake.priceBook.size).toBe(catalog.priceBook.length);
    expect(fake.subs).toHaveLength(subscriptions);
    expect(fake.trials).toHaveLength(trials);
    // Usage and the KPI reading go to the subscriptions that carry them.
    expect(fake.calls.filter((c) => /\/(usage|kpi-readings)$/.test(c))).toHaveLength(catalog.sales.filter((s) => s.usage !== undefined || s.kpiReading !== undefined).length);

    const again = await seedDemoCatalog(fake.api, catalog, accountIds, partnerIds, { now: NOW, pollMs: 1 });
    expect(again.created).toBe(0);
    expect([fake.products.length, fake.plans.length, fake.bundles.length, fake.subs.length, fake.trials.length]).toEqual([8, 8, 2, subscriptions, trials]);
  });

  it('gives up with the reason when the catalog never hears of an account', async () => {
    const fake = fakeCatalog();
    const api: CatalogSeedApi = { ...fake.api, call: (m, route, body, ok, ms) => (route.endsWith('/entitlements') ? Promise.resolve({ status: 404, body: {} as never }) : fake.api.call(m, route, body, ok, ms)) };
    await expect(seedDemoCatalog(api, catalog, accountIds, partnerIds, { now: NOW, waitMs: 20, pollMs: 5 })).rejects.toThrow(/account DEMO-\d{4}/);
  });
});
