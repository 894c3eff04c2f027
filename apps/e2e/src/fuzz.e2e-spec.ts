import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadFuzzConfig } from './fuzz/config';
import { FuzzContext, requestsFor } from './fuzz/generate';
import { writeOperations } from './fuzz/openapi';
import { EndpointReport, FuzzOutcome, report, send, table } from './fuzz/run';
import { PlatformHarness, repoRoot, startPlatformHarness } from './platform-harness';

/**
 * The fuzz suite (issue 14): malformed requests to every write endpoint of `/openapi.json`,
 * generated from its schemas with a fixed seed. Promise: no 5xx, and every 4xx is
 * problem+json naming the field and rule (`errors[].field`, `errors[].rule`).
 * `npm test` sends 100 per endpoint; `npm run fuzz` 1,000 (FUZZ_PER_ENDPOINT).
 */
const config = loadFuzzConfig();
let h: PlatformHarness;
let ctx: FuzzContext;

beforeAll(async () => {
  h = await startPlatformHarness('e2efuzz');
  const t = await h.tenant();
  const user = { authorization: `Bearer ${t.token}` };
  const post = async (url: string, body: unknown) => {
    const res = await h.http().post(url).set(user).send(body as object);
    if (res.status >= 300) throw new Error(`fixture ${url}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string };
  };
  // Real resources of the fuzzed tenant, so mutations get past the lookups into deeper validation.
  const target = await post('/v1/users', { email: `fuzz-target-${Date.now()}@example.test`, name: 'Fuzz Target', role: 'csm', password: 'fuzz-target-password' });
  const partner = await post('/v1/partners', { name: 'Fuzz Partner', kind: 'reseller' });
  const key = (await h.http().post(`/v1/partners/${partner.id}/api-keys`).set(user).send({ name: 'fuzz' })).body as { id: string };
  const account = await post('/v1/accounts', { name: 'Fuzz Account', externalId: 'FUZZ-1' });
  const contact = await post(`/v1/accounts/${account.id}/contacts`, { name: 'Fuzz Contact', buyingRole: 'champion' });
  const project = await post(`/v1/accounts/${account.id}/projects`, { name: 'Fuzz Project', kind: 'project', size: 'small', lead: 'direct' });
  const month = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
  // Catalog fixtures: a published product and plan, a subscription and a trial of the fuzz account, an outcome contract.
  const text = { en: 'Fuzz', 'zh-CN': '模糊' };
  const product = await post('/v1/catalog/products', { code: 'fuzz-product', kind: 'service', purpose: 'create-business-value', name: text, description: text });
  await post(`/v1/catalog/products/${product.id}/publish`, {});
  const plan = await post(`/v1/catalog/products/${product.id}/plans`, { code: 'fuzz-plan', name: text, pricing: { kind: 'subscription', currency: 'EUR', billingPeriod: 'month', unit: 'flat', unitPrice: 1000 }, trialDays: 14 });
  await post(`/v1/catalog/plans/${plan.id}/publish`, {});
  const outcome = await post(`/v1/catalog/products/${product.id}/plans`, {
    code: 'fuzz-outcome', name: text, pricing: { kind: 'outcome', currency: 'EUR', billingPeriod: 'year', kpi: { key: 'hit-rate', name: 'Hit rate', unit: '%' }, target: 80, direction: 'higherIsBetter', settlementPeriod: 'month', baseFee: 1000, bands: [], caps: { maxBonus: 0, maxMalus: 0 } },
  });
  await post(`/v1/catalog/plans/${outcome.id}/publish`, {});
  // The catalog learns of the account from accounts' events.
  let subscription: { id: string } | undefined;
  for (let i = 0; !subscription; i++) {
    const res = await h.http().post('/v1/catalog/subscriptions').set(user).send({ accountId: account.id, planId: plan.id });
    if (res.status === 201) subscription = res.body as { id: string };
    else if (res.status !== 404 || i > 150) throw new Error(`fixture /v1/catalog/subscriptions: ${res.status} ${JSON.stringify(res.body)}`);
    else await new Promise((r) => setTimeout(r, 100));
  }
  const contract = await post('/v1/catalog/subscriptions', { accountId: account.id, planId: outcome.id });
  const trial = await post('/v1/catalog/trials', { accountId: account.id, planId: plan.id });
  ctx = {
    auth: { user: user.authorization, operator: `Bearer ${h.operatorToken}` },
    ids: {
      '/v1/users/{id}': target.id,
      '/v1/partners/{id}/api-keys': partner.id,
      '/v1/api-keys/{id}': key.id,
      '/v1/accounts/{id}': account.id,
      '/v1/accounts/{id}/restore': account.id,
      '/v1/accounts/{id}/tier-override': account.id,
      '/v1/accounts/{id}/contacts': account.id,
      '/v1/accounts/{id}/projects': account.id,
      '/v1/contacts/{id}': contact.id,
      '/v1/projects/{id}': project.id,
      '/v1/catalog/products/{id}': product.id,
      '/v1/catalog/products/{id}/plans': product.id,
      '/v1/catalog/plans/{id}': plan.id,
      '/v1/catalog/plans/{id}/versions': plan.id,
      '/v1/catalog/subscriptions/{id}/change': subscription.id,
      '/v1/catalog/subscriptions/{id}/cancel': subscription.id,
      '/v1/catalog/subscriptions/{id}/usage': subscription.id,
      '/v1/catalog/subscriptions/{id}/kpi-readings': contract.id,
      '/v1/catalog/subscriptions/{id}/settlements': contract.id,
      '/v1/catalog/trials/{id}/convert': trial.id,
    },
    runId: h.prefix.replace(/\W/g, ''),
    itemHints: { records: { accountId: account.id, month, productRevenue: 100, serviceRevenue: 0, grossMargin: 10, currency: 'EUR' } },
  };
});
afterAll(async () => {
  await h?.close();
});

describe(`fuzzing every write endpoint of /openapi.json (${config.perEndpoint} requests each, seed ${config.seed})`, () => {
  it('never answers 5xx, and every 4xx is problem+json naming the field and rule', async () => {
    const doc = (await h.http().get('/openapi.json').expect(200)).body;
    const ops = writeOperations(doc);
    // The routes of the API table: a route that vanished from the document would silently escape the fuzzing.
    expect(ops.length).toBeGreaterThanOrEqual(24);
    expect(ops.map((o) => o.name)).toEqual(expect.arrayContaining(['POST /v1/accounts', 'PATCH /v1/accounts/{id}', 'POST /v1/accounts:import', 'POST /v1/revenue-records:batch', 'POST /v1/tenants', 'POST /v1/auth/login']));

    const reports: EndpointReport[] = [];
    const violations: FuzzOutcome[] = [];
    const outcomesUnsent: FuzzOutcome[] = [];
    const started = Date.now();
    for (const [k, op] of ops.entries()) {
      const outcomes = await send(h.gatewayUrl, requestsFor(op, ctx, config.perEndpoint, config.seed + k), config.concurrency);
      reports.push(report(op.name, outcomes));
      violations.push(...outcomes.filter((o) => o.violation));
      outcomesUnsent.push(...outcomes.filter((o) => o.unsent));
    }
    const seconds = (Date.now() - started) / 1000;
    const out = repoRoot(config.reportFile);
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify({ perEndpoint: config.perEndpoint, seed: config.seed, seconds, reports, violations: violations.slice(0, 200) }, null, 2)}\n`);
    console.log(`fuzz: ${reports.reduce((n, r) => n + r.requests, 0)} requests in ${seconds.toFixed(1)} s (report: ${config.reportFile})\n${table(reports)}`);

    const unsent = [...new Set(outcomesUnsent.map((o) => `${o.request.mutation}: ${o.unsent}`))];
    expect(unsent).toEqual([]);
    const shown = violations.slice(0, 10).map((v) => `${v.request.method} ${v.request.url.slice(0, 120)} [${v.request.mutation}] ${String(v.request.body ?? '').slice(0, 120)} → ${v.violation}`);
    expect(shown).toEqual([]);
    for (const r of reports) expect(r.requests).toBe(config.perEndpoint);
  }, Math.max(300_000, config.perEndpoint * 3_000));
});
