/**
 * The demo catalog (issue 10 §9): service products of the four kinds and four purposes, plans
 * of every pricing kind, two industry bundles, channel price books, and trials and
 * subscriptions on demo accounts. `demoCatalog()` is the data (pure, deterministic);
 * `seedDemoCatalog()` puts it in through the gateway's catalog routes, idempotently: products,
 * plans and bundles are matched by code, price book entries replace themselves, subscriptions
 * carry an external reference (a repeat is 409), a trial exists once per account and plan
 * (a repeat is 409), usage and KPI readings carry external ids.
 */
import type { CreateBundleRequest, CreateProductRequest, EntitlementGrantInput, PricingInput } from '@steward/contracts';
import type { DemoAccount, DemoPartner } from './demo-data';

export interface DemoCatalogPlan {
  code: string;
  name: { en: string; 'zh-CN': string };
  pricing: PricingInput;
  entitlements?: EntitlementGrantInput;
  trialDays?: number;
}
export interface DemoCatalogProduct extends CreateProductRequest {
  plans: DemoCatalogPlan[];
}
export interface DemoBundle extends Omit<CreateBundleRequest, 'components'> {
  components: Array<{ planCode: string; seats?: number }>;
}
/** A partner's (by key) or a partner kind's price for a plan's first version. */
export interface DemoPriceBookEntry {
  planCode: string;
  partnerKey?: string;
  partnerKind?: DemoPartner['kind'];
  pricing: PricingInput;
}
export interface DemoSale {
  /** The demo account (DEMO-0001…). */
  externalId: string;
  planCode: string;
  kind: 'subscription' | 'trial' | 'converted-trial';
  seats?: number;
  renewal?: 'auto' | 'manual';
  /** Metered usage (usage plans) or a KPI reading (outcome plans) recorded on it. */
  usage?: number;
  kpiReading?: number;
}
export interface DemoCatalog {
  products: DemoCatalogProduct[];
  bundles: DemoBundle[];
  priceBook: DemoPriceBookEntry[];
  sales: DemoSale[];
}

const t = (en: string, zh: string) => ({ en, 'zh-CN': zh });
const EUR = 'EUR';

const PRODUCTS: DemoCatalogProduct[] = [
  {
    code: 'project-health-diagnosis',
    kind: 'service',
    purpose: 'capture-opportunities',
    name: t('Project health diagnosis', '项目健康诊断'),
    description: t('Two weeks on a live project: interviews, system review and a findings report that opens the next conversation.', '在运行项目上的两周：访谈、系统评审和一份开启下一次对话的诊断报告。'),
    deliverables: [{ name: 'Health report' }, { name: 'Improvement roadmap' }],
    playbook: [
      { name: 'Kick-off and interviews', role: 'csm', durationDays: 3 },
      { name: 'System review', role: 'solution-expert', durationDays: 5 },
      { name: 'Findings workshop', role: 'csm', durationDays: 2 },
    ],
    requiredResources: { teamSkills: ['erp', 'process-analysis'], partnerTypes: ['system-integrator'] },
    plans: [{ code: 'health-diagnosis', name: t('Health diagnosis', '健康诊断'), pricing: { kind: 'one-off', currency: EUR, price: 800_000, validityDays: 90 }, entitlements: { includedHours: 40 } }],
  },
  {
    code: 'annual-review-visits',
    kind: 'service',
    purpose: 'incubate-opportunities',
    name: t('Annual review visits', '年度回访'),
    description: t('On-site reviews of the installed base twice a year, with L2 support in between.', '每年两次现场回顾已安装系统，期间享受二线支持。'),
    deliverables: [{ name: 'Review minutes' }],
    playbook: [{ name: 'On-site review', role: 'csm', durationDays: 1 }],
    requiredResources: { teamSkills: ['account-management'], partnerTypes: ['dealer'] },
    plans: [
      {
        code: 'annual-reviews',
        name: t('Two reviews a year', '每年两次回访'),
        pricing: { kind: 'subscription', currency: EUR, billingPeriod: 'year', unit: 'flat', unitPrice: 600_000 },
        entitlements: { supportLevel: 'L2', reviewVisitsPerYear: 2 },
      },
    ],
  },
  {
    code: 'csm-coaching',
    kind: 'service',
    purpose: 'create-business-value',
    name: t('CSM coaching', '客户成功经理辅导'),
    description: t("Coaching for the customer's own success managers, per seat and month.", '按席位和月份为客户自己的客户成功经理提供辅导。'),
    deliverables: [{ name: 'Coaching sessions' }, { name: 'Playbooks' }],
    playbook: [{ name: 'Monthly coaching', role: 'csm', durationDays: 1 }],
    requiredResources: { teamSkills: ['coaching'], partnerTypes: [] },
    plans: [
      {
        code: 'csm-coaching-seat',
        name: t('Per coached seat', '按辅导席位'),
        pricing: { kind: 'subscription', currency: EUR, billingPeriod: 'month', unit: 'seat', unitPrice: 15_000, minSeats: 3 },
        entitlements: { features: ['csm-playbooks'] },
        trialDays: 30,
      },
    ],
  },
  {
    code: 'consulting-and-planning',
    kind: 'solution',
    purpose: 'capture-opportunities',
    name: t('Consulting and planning', '咨询与规划'),
    description: t('Expert hours for roll-out planning and process design, billed monthly in tiers.', '用于推广规划和流程设计的专家工时，按月分档计费。'),
    deliverables: [{ name: 'Plans and designs' }],
    playbook: [{ name: 'Workshops', role: 'solution-expert', durationDays: 5 }],
    requiredResources: { teamSkills: ['solution-architecture'], partnerTypes: ['system-integrator'] },
    plans: [
      {
        code: 'expert-hours',
        name: t('Expert hours', '专家工时'),
        pricing: {
          kind: 'usage', currency: EUR, billingPeriod: 'month', metric: 'expert-hours', model: 'tiered',
          tiers: [{ upTo: 20, unitPrice: 18_000 }, { upTo: 100, unitPrice: 16_000 }, { upTo: null, unitPrice: 14_000 }],
        },
      },
    ],
  },
  {
    code: 'managed-after-sales-operations',
    kind: 'platform',
    purpose: 'open-profit-space',
    name: t('Managed after-sales operations', '售后运营托管'),
    description: t('We run the after-sales desk and bet on the complaint rate: a bonus below 2 %, a malus above.', '我们运营售后服务台并以投诉率对赌：低于2%有奖励，高于则扣减。'),
    deliverables: [{ name: 'Staffed service desk' }, { name: 'Monthly KPI report' }],
    playbook: [
      { name: 'Transition', role: 'delivery-manager', durationDays: 30 },
      { name: 'Steady state', role: 'service-desk', durationDays: 335 },
    ],
    requiredResources: { teamSkills: ['service-desk', 'field-service'], partnerTypes: ['dealer'] },
    plans: [
      {
        code: 'complaint-rate-bet',
        name: t('Complaint-rate bet', '投诉率对赌'),
        pricing: {
          kind: 'outcome', currency: EUR, billingPeriod: 'year', kpi: { key: 'complaint-rate', name: 'Complaint rate', unit: '%' }, target: 2, direction: 'lowerIsBetter',
          settlementPeriod: 'month', aggregation: 'mean', baseFee: 1_000_000,
          bands: [{ fromPct: -20, toPct: -10, amount: 100_000 }, { fromPct: -10, toPct: 0, shareOfBaseFee: 0.05 }, { fromPct: 0, toPct: 10, shareOfBaseFee: 0.05 }, { fromPct: 10, toPct: 50, shareOfBaseFee: 0.1 }],
          caps: { maxBonus: 200_000, maxMalus: 120_000 },
          floor: 0,
        },
        entitlements: { supportLevel: 'L1', slaTargets: { urgent: { firstResponse: 30, resolution: 240 }, high: { firstResponse: 60 } }, includedHours: 16, features: ['named-team'] },
      },
    ],
  },
  {
    code: 'spare-parts-demand-forecasting',
    kind: 'data',
    purpose: 'open-profit-space',
    name: t('Spare-parts demand forecasting', '备件需求预测'),
    description: t('Forecasts of spare-parts demand from the installed base, as a data service priced per run.', '基于已安装系统的备件需求预测，作为按次计费的数据服务。'),
    deliverables: [{ name: 'Monthly forecast' }],
    playbook: [{ name: 'Data onboarding', role: 'data-engineer', durationDays: 10 }],
    requiredResources: { teamSkills: ['data-science'], partnerTypes: [] },
    plans: [
      {
        code: 'forecast-runs',
        name: t('Forecast runs', '预测次数'),
        pricing: { kind: 'usage', currency: EUR, billingPeriod: 'month', metric: 'forecast-runs', model: 'volume', tiers: [{ upTo: 1_000, unitPrice: 50 }, { upTo: null, unitPrice: 35 }], minimumCharge: 20_000 },
      },
    ],
  },
  {
    code: 'bi-solution',
    kind: 'solution',
    purpose: 'create-business-value',
    name: t('BI solution', '商业智能方案'),
    description: t('Service dashboards over tickets, revenue and health scores.', '基于工单、收入和健康评分的服务看板。'),
    deliverables: [{ name: 'Dashboards' }],
    playbook: [{ name: 'Dashboard set-up', role: 'solution-expert', durationDays: 5 }],
    requiredResources: { teamSkills: ['bi'], partnerTypes: ['system-integrator', 'reseller'] },
    plans: [
      {
        code: 'bi-dashboards',
        name: t('BI dashboards', '商业智能看板'),
        pricing: { kind: 'subscription', currency: EUR, billingPeriod: 'month', unit: 'flat', unitPrice: 120_000 },
        entitlements: { features: ['bi-dashboards'] },
        trialDays: 14,
      },
    ],
  },
  {
    code: 'mobile-service-app',
    kind: 'platform',
    purpose: 'incubate-opportunities',
    name: t('Mobile service app', '移动服务应用'),
    description: t('The field-service app for technicians, per seat and year.', '面向现场技术人员的应用，按席位和年计费。'),
    deliverables: [{ name: 'App roll-out' }],
    playbook: [{ name: 'Roll-out', role: 'partner-engineer', durationDays: 10 }],
    requiredResources: { teamSkills: ['mobile'], partnerTypes: ['reseller'] },
    plans: [
      {
        code: 'mobile-app-seat',
        name: t('Per technician', '按技术人员'),
        pricing: { kind: 'subscription', currency: EUR, billingPeriod: 'year', unit: 'seat', unitPrice: 24_000, minSeats: 5 },
        entitlements: { features: ['mobile-app'] },
        trialDays: 30,
      },
    ],
  },
];

const BUNDLES: DemoBundle[] = [
  {
    code: 'smart-factory-after-sales',
    name: t('Smart factory after-sales', '智能工厂售后'),
    industry: 'Manufacturing',
    description: t('Diagnosis, dashboards and the field app for a plant.', '面向工厂的诊断、看板和现场应用。'),
    currency: EUR,
    discount: { percent: 10 },
    components: [{ planCode: 'health-diagnosis' }, { planCode: 'bi-dashboards' }, { planCode: 'mobile-app-seat', seats: 10 }],
  },
  {
    code: 'retail-service-excellence',
    name: t('Retail service excellence', '零售卓越服务'),
    industry: 'Retail',
    description: t('Coaching, review visits and dashboards for store networks.', '为门店网络提供辅导、回访和看板。'),
    currency: EUR,
    discount: { amount: 100_000 },
    components: [{ planCode: 'csm-coaching-seat', seats: 5 }, { planCode: 'annual-reviews' }, { planCode: 'bi-dashboards' }],
  },
];

const PRICE_BOOK: DemoPriceBookEntry[] = [
  // Resellers get 10 % off coaching and the app; Nordlicht its own BI price; dealers their review visits.
  { planCode: 'csm-coaching-seat', partnerKind: 'reseller', pricing: { kind: 'subscription', currency: EUR, billingPeriod: 'month', unit: 'seat', unitPrice: 13_500, minSeats: 3 } },
  { planCode: 'mobile-app-seat', partnerKind: 'reseller', pricing: { kind: 'subscription', currency: EUR, billingPeriod: 'year', unit: 'seat', unitPrice: 21_600, minSeats: 5 } },
  { planCode: 'bi-dashboards', partnerKey: 'nordlicht', pricing: { kind: 'subscription', currency: EUR, billingPeriod: 'month', unit: 'flat', unitPrice: 102_000 } },
  { planCode: 'annual-reviews', partnerKind: 'dealer', pricing: { kind: 'subscription', currency: EUR, billingPeriod: 'year', unit: 'flat', unitPrice: 540_000 } },
];

/** What each picked demo account buys or tries, in order of the picks. */
const SALES: Array<Omit<DemoSale, 'externalId'>> = [
  { planCode: 'complaint-rate-bet', kind: 'subscription', kpiReading: 1.7 },
  { planCode: 'annual-reviews', kind: 'subscription', renewal: 'manual' },
  { planCode: 'csm-coaching-seat', kind: 'subscription', seats: 5 },
  { planCode: 'expert-hours', kind: 'subscription', usage: 12 },
  { planCode: 'forecast-runs', kind: 'subscription', usage: 1_400 },
  { planCode: 'health-diagnosis', kind: 'subscription' },
  { planCode: 'bi-dashboards', kind: 'subscription' },
  { planCode: 'bi-dashboards', kind: 'trial' },
  { planCode: 'mobile-app-seat', kind: 'trial' },
  { planCode: 'csm-coaching-seat', kind: 'converted-trial', seats: 3 },
];

/**
 * The demo catalog for these demo accounts: the sales go to the first live (onboarding,
 * active or at-risk) accounts, in the order of `accounts`.
 */
export function demoCatalog(accounts: readonly DemoAccount[]): DemoCatalog {
  const live = accounts.filter((a) => a.lifecycle === 'active' || a.lifecycle === 'onboarding' || a.lifecycle === 'at-risk');
  if (live.length < SALES.length) throw new Error(`the demo catalog needs ${SALES.length} live demo accounts, found ${live.length}`);
  return {
    products: PRODUCTS,
    bundles: BUNDLES,
    priceBook: PRICE_BOOK,
    sales: SALES.map((s, i) => ({ ...s, externalId: live[i]!.externalId })),
  };
}

// ---- seeding through the gateway ----

/** The seed's gateway client (tools/stack/seed.ts `Api`). */
export interface CatalogSeedApi {
  call<T>(method: string, route: string, body?: unknown, ok?: number[], timeoutMs?: number): Promise<{ status: number; body: T }>;
  all<T>(route: string): Promise<T[]>;
}

export interface CatalogSeedResult {
  products: number;
  plans: number;
  bundles: number;
  priceBook: number;
  subscriptions: number;
  trials: number;
  /** Created in this run (the rest were there). */
  created: number;
}

type Entity = { id: string; code: string; status: string };
type Plan = Entity & { productId: string; current: { id: string } };

/**
 * Seeds the demo catalog. `accountIds` maps demo external ids to account ids, `partnerIds`
 * demo partner keys to partner ids. Waits (up to `waitMs`) for the catalog to hear of the
 * accounts and partners from accounts' events.
 */
export async function seedDemoCatalog(
  api: CatalogSeedApi,
  catalog: DemoCatalog,
  accountIds: ReadonlyMap<string, string>,
  partnerIds: ReadonlyMap<string, string>,
  options: { now?: Date; waitMs?: number; pollMs?: number } = {},
): Promise<CatalogSeedResult> {
  const now = options.now ?? new Date();
  const waitMs = options.waitMs ?? 60_000;
  const pollMs = options.pollMs ?? 250;
  let created = 0;
  const make = async <T>(route: string, body: unknown, ok = [200, 201]): Promise<{ status: number; body: T }> => {
    const res = await api.call<T>('POST', route, body, ok);
    if (res.status === 201) created++;
    return res;
  };

  const products = new Map((await api.all<Entity>('/v1/catalog/products')).map((p) => [p.code, p]));
  const plans = new Map((await api.all<Plan>('/v1/catalog/plans')).map((p) => [p.code, p]));
  for (const { plans: productPlans, ...body } of catalog.products) {
    let product = products.get(body.code);
    if (!product) product = (await make<Entity>('/v1/catalog/products', body)).body;
    if (product.status === 'draft') product = (await api.call<Entity>('POST', `/v1/catalog/products/${product.id}/publish`, {})).body;
    products.set(body.code, product);
    for (const p of productPlans) {
      let plan = plans.get(p.code);
      if (!plan) plan = (await make<Plan>(`/v1/catalog/products/${product.id}/plans`, { code: p.code, name: p.name, pricing: p.pricing, ...(p.entitlements ? { entitlements: p.entitlements } : {}), ...(p.trialDays ? { trialDays: p.trialDays } : {}) })).body;
      if (plan.status === 'draft') plan = (await api.call<Plan>('POST', `/v1/catalog/plans/${plan.id}/publish`, {})).body;
      plans.set(p.code, plan);
    }
  }
  const planOf = (code: string): Plan => {
    const plan = plans.get(code);
    if (!plan) throw new Error(`demo catalog: no plan ${code}`);
    return plan;
  };

  const bundles = new Map((await api.all<Entity>('/v1/catalog/bundles')).map((b) => [b.code, b]));
  for (const { components, ...b } of catalog.bundles) {
    let bundle = bundles.get(b.code);
    if (!bundle) bundle = (await make<Entity>('/v1/catalog/bundles', { ...b, components: components.map((c) => ({ planId: planOf(c.planCode).id, ...(c.seats ? { seats: c.seats } : {}) })) })).body;
    if (bundle.status === 'draft') await api.call('POST', `/v1/catalog/bundles/${bundle.id}/publish`, {});
  }

  // Price book entries replace themselves; a partner the catalog has not heard of yet answers 400 (partnerId): wait for it.
  for (const e of catalog.priceBook) {
    const partnerId = e.partnerKey ? partnerIds.get(e.partnerKey) : undefined;
    if (e.partnerKey && !partnerId) throw new Error(`demo catalog: no partner ${e.partnerKey}`);
    const body = { planVersionId: planOf(e.planCode).current.id, ...(partnerId ? { partnerId } : { partnerKind: e.partnerKind }), pricing: e.pricing };
    await until(waitMs, pollMs, async () => (await api.call('POST', '/v1/catalog/price-book', body, [200, 400])).status === 200, `the catalog to know partner ${e.partnerKey ?? e.partnerKind}`);
  }

  let subscriptions = 0;
  let trials = 0;
  for (const sale of catalog.sales) {
    const accountId = accountIds.get(sale.externalId);
    if (!accountId) continue;
    const plan = planOf(sale.planCode);
    await until(waitMs, pollMs, async () => (await api.call('GET', `/v1/catalog/accounts/${accountId}/entitlements`, undefined, [200, 404])).status === 200, `the catalog to know account ${sale.externalId}`);
    let sub: { id: string; startedAt?: string } | undefined;
    if (sale.kind === 'subscription') {
      const externalRef = `${sale.externalId}-${sale.planCode}`;
      const res = await make<{ id: string; startedAt: string }>('/v1/catalog/subscriptions', { accountId, planId: plan.id, renewal: sale.renewal ?? 'auto', noticeDays: 30, externalRef, ...(sale.seats ? { seats: sale.seats } : {}) }, [201, 409]);
      sub = res.status === 201 ? res.body : (await api.all<{ id: string; startedAt: string; externalRef: string | null }>(`/v1/catalog/subscriptions?accountId=${accountId}`)).find((s) => s.externalRef === externalRef);
      subscriptions++;
    } else {
      const res = await make<{ id: string }>('/v1/catalog/trials', { accountId, planId: plan.id }, [201, 409]);
      const trialId = res.status === 201 ? res.body.id : (await api.all<{ id: string; planId: string }>(`/v1/catalog/trials?accountId=${accountId}`)).find((x) => x.planId === plan.id)?.id;
      trials++;
      if (sale.kind === 'converted-trial' && trialId) {
        sub = (await api.call<{ subscription: { id: string; startedAt: string } }>('POST', `/v1/catalog/trials/${trialId}/convert`, { renewal: 'auto', noticeDays: 30, ...(sale.seats ? { seats: sale.seats } : {}) })).body.subscription;
        subscriptions++;
      }
    }
    if (!sub) continue;
    // Usage and readings must fall while the subscription runs: not before it started (a sale made just now).
    const at = new Date(Math.max(now.getTime(), sub.startedAt ? Date.parse(sub.startedAt) + 1 : 0)).toISOString();
    if (sale.usage !== undefined) await api.call('POST', `/v1/catalog/subscriptions/${sub.id}/usage`, { externalId: `demo-${at.slice(0, 7)}`, quantity: sale.usage, at }, [200, 201, 409]);
    if (sale.kpiReading !== undefined) await api.call('POST', `/v1/catalog/subscriptions/${sub.id}/kpi-readings`, { at, value: sale.kpiReading, externalId: `demo-${at.slice(0, 7)}`, note: 'demo reading' }, [200, 201, 409]);
  }

  return {
    products: catalog.products.length,
    plans: catalog.products.reduce((n, p) => n + p.plans.length, 0),
    bundles: catalog.bundles.length,
    priceBook: catalog.priceBook.length,
    subscriptions,
    trials,
    created,
  };
}

async function until(waitMs: number, pollMs: number, done: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + waitMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`demo catalog: waited ${waitMs} ms for ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
