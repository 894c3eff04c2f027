/**
 * Seeds the demo tenant through the gateway's public API (never the database), so
 * the seed exercises the same paths as a real client. The data itself is generated in
 * `demo-data.ts` (deterministic). Every step is idempotent, so a restart — or a rerun
 * after a seed that stopped half-way — fills in what is missing and duplicates nothing:
 * users and partners are matched by e-mail and name, accounts are imported as CSV keyed
 * on `externalId` (DEMO-0001…), contacts and projects are added only to demo accounts
 * that have none, revenue is upserted by (account, month), feedback is imported keyed on
 * `externalId` (demo-feedback.ts).
 */
import {
  accountsCsv,
  contactRequest,
  DEMO_CURRENCY,
  DEMO_PARTNERS,
  DEMO_USERS,
  demoPlan,
  monthsBefore,
  projectRequest,
  type DemoContact,
  type DemoPlan,
  type DemoProject,
} from './demo-data';
import { seedSupportDemo } from './demo-support';
import { demoCatalog, seedDemoCatalog } from './demo-catalog';
import { feedbackDemoPlan, seedFeedback } from './demo-feedback';

export const DEMO_TENANT = { name: 'Demo Manufacturing', slug: 'demo' } as const;
export const DEMO_ADMIN = { email: 'admin@demo.test', name: 'Dana Admin' } as const;

export interface SeedResult {
  /** True when this run created the tenant. */
  created: boolean;
  email: string;
  password: string;
  /** The admin's access token from the final login, for further seeding. */
  accessToken?: string;
  /** API keys issued in this run (a key is shown only once, so only new ones are known). */
  partnerKeys: Array<{ partner: string; key: string }>;
}

export interface SeedOptions {
  /** One line per step. */
  log?: (msg: string) => void;
  /** The clock: revenue covers the 24 full months before it. */
  now?: Date;
  /**
   * Which services' demo data to add after the accounts slice (users, partners, accounts,
   * contacts, projects, revenue, tiers), which is always seeded. Default: all of them.
   */
  parts?: { support?: boolean; catalog?: boolean; feedback?: boolean };
}

export class SeedError extends Error {}

interface HttpAnswer {
  status: number;
  body: unknown;
  text: string;
}

async function send(baseUrl: string, method: string, route: string, body: unknown, headers: Record<string, string> = {}, timeoutMs = 15_000): Promise<HttpAnswer> {
  const raw = typeof body === 'string';
  const res = await fetch(new URL(route, baseUrl), {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': raw ? 'text/csv' : 'application/json' }), accept: 'application/json', ...headers },
    body: body === undefined ? undefined : raw ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed, text };
}

function postJson(baseUrl: string, route: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  return send(baseUrl, 'POST', route, body, headers);
}

const brief = (a: HttpAnswer): string => `HTTP ${a.status}${a.text ? `: ${a.text.slice(0, 300)}` : ''}`;

function tokenOf(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  for (const key of ['accessToken', 'access_token', 'token']) if (typeof b[key] === 'string') return b[key];
  return undefined;
}

export function login(baseUrl: string, email: string, password: string): Promise<HttpAnswer> {
  return postJson(baseUrl, '/v1/auth/login', { email, password });
}

/**
 * Makes sure the demo tenant exists, its admin can log in with `password`, and its demo
 * data is there. `baseUrl` is the gateway (e.g. http://127.0.0.1:3000).
 */
export async function seedDemoTenant(baseUrl: string, operatorToken: string, password: string, options: SeedOptions = {}): Promise<SeedResult> {
  const tenant = await ensureTenant(baseUrl, operatorToken, password);
  if (!tenant.accessToken) throw new SeedError('the demo admin logged in but the answer carried no access token');
  const partnerKeys = await seedDemoData(new Api(baseUrl, tenant.accessToken), password, options);
  return { ...tenant, partnerKeys };
}

async function ensureTenant(baseUrl: string, operatorToken: string, password: string): Promise<Omit<SeedResult, 'partnerKeys'>> {
  const first = await login(baseUrl, DEMO_ADMIN.email, password);
  if (first.status === 200) return { created: false, email: DEMO_ADMIN.email, password, accessToken: tokenOf(first.body) };

  const created = await postJson(
    baseUrl,
    '/v1/tenants',
    { ...DEMO_TENANT, admin: { email: DEMO_ADMIN.email, password, name: DEMO_ADMIN.name } },
    { authorization: `Bearer ${operatorToken}` },
  );
  if (created.status === 409) {
    throw new SeedError(
      `the demo tenant exists but ${DEMO_ADMIN.email} cannot log in with this password (${brief(first)}); ` +
        'start with the STEWARD_DEMO_PASSWORD it was created with, or use a fresh database',
    );
  }
  if (created.status !== 201) throw new SeedError(`creating the demo tenant failed: POST /v1/tenants answered ${brief(created)}`);

  const again = await login(baseUrl, DEMO_ADMIN.email, password);
  if (again.status !== 200) throw new SeedError(`the demo tenant was created but its admin cannot log in: POST /v1/auth/login answered ${brief(again)}`);
  return { created: true, email: DEMO_ADMIN.email, password, accessToken: tokenOf(again.body) };
}

// ---- the demo data ----

/** The gateway as the demo admin. Unexpected answers throw a SeedError naming the route. */
class Api {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async call<T>(method: string, route: string, body?: unknown, ok: number[] = [200, 201], timeoutMs?: number): Promise<{ status: number; body: T }> {
    const answer = await send(this.baseUrl, method, route, body, { authorization: `Bearer ${this.token}` }, timeoutMs);
    if (!ok.includes(answer.status)) throw new SeedError(`seeding demo data: ${method} ${route} answered ${brief(answer)}`);
    return { status: answer.status, body: answer.body as T };
  }

  async get<T>(route: string): Promise<T> {
    return (await this.call<T>('GET', route)).body;
  }

  async post<T>(route: string, body: unknown, timeoutMs?: number): Promise<T> {
    return (await this.call<T>('POST', route, body, [200, 201], timeoutMs)).body;
  }

  /** Every item of a cursor-paged list. */
  async all<T>(route: string): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const sep = route.includes('?') ? '&' : '?';
      const page: { items: T[]; nextCursor: string | null } = await this.get(`${route}${sep}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  }
}

/** Runs `fn` over `items`, at most `limit` at a time. */
async function eachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

const CONCURRENCY = 8;
/**
 * Rows per revenue batch. The API takes up to 10,000, but the gateway's JSON body limit
 * (BODY_LIMIT_BYTES, 1 MiB by default) holds about 6,000 rows; 2,500 stays well below.
 */
const REVENUE_BATCH = 2_500;
const eur = (cents: number): string => `EUR ${Math.round(cents / 100).toLocaleString('en-US')}`;
const seconds = (since: number): string => `${((Date.now() - since) / 1000).toFixed(1)} s`;

async function seedDemoData(api: Api, password: string, options: SeedOptions): Promise<SeedResult['partnerKeys']> {
  const log = options.log ?? (() => undefined);
  const now = options.now ?? new Date();
  const started = Date.now();
  const plan = demoPlan(now);

  // Users: a manager, two CSMs, two agents, a viewer (the admin came with the tenant).
  let t = Date.now();
  const existingUsers = new Set((await api.all<{ email: string }>('/v1/users')).map((u) => u.email.toLowerCase()));
  let usersCreated = 0;
  for (const u of DEMO_USERS) {
    if (existingUsers.has(u.email)) continue;
    const res = await api.call('POST', '/v1/users', { email: u.email, name: u.name, role: u.role, password }, [201, 409]);
    if (res.status === 201) usersCreated++;
  }
  log(`demo data: users ${usersCreated} created, ${DEMO_USERS.length - usersCreated} already there (${seconds(t)})`);

  // Partners, each with one API key.
  t = Date.now();
  const partnerIds = new Map<string, string>();
  const existingPartners = new Map((await api.all<{ id: string; name: string }>('/v1/partners')).map((p) => [p.name, p.id]));
  const partnerKeys: SeedResult['partnerKeys'] = [];
  let partnersCreated = 0;
  for (const p of DEMO_PARTNERS) {
    let id = existingPartners.get(p.name);
    if (!id) {
      id = (await api.post<{ id: string }>('/v1/partners', { name: p.name, kind: p.kind, region: p.region, contactEmail: p.contactEmail })).id;
      partnersCreated++;
    }
    partnerIds.set(p.key, id);
    const keys = await api.get<{ items: unknown[] }>(`/v1/partners/${id}/api-keys?limit=1`);
    if (keys.items.length === 0) {
      const issued = await api.post<{ key: string }>(`/v1/partners/${id}/api-keys`, { name: 'Demo integration' });
      partnerKeys.push({ partner: p.name, key: issued.key });
    }
  }
  log(`demo data: partners ${partnersCreated} created, ${DEMO_PARTNERS.length - partnersCreated} already there; ${partnerKeys.length} API key(s) issued (${seconds(t)})`);
  // A key is shown once: print one so the partner API can be tried (X-Api-Key).
  if (partnerKeys[0]) log(`demo data: partner API key of ${partnerKeys[0].partner}: ${partnerKeys[0].key}  (header X-Api-Key)`);

  // Accounts: one CSV import, idempotent on externalId.
  t = Date.now();
  const job = await api.post<{ created: number; updated: number; unchanged: number; failed: number; errors: Array<{ line: number; field: string; message: string }> }>(
    '/v1/accounts:import',
    accountsCsv(plan.accounts, partnerIds),
    60_000,
  );
  if (job.failed > 0) {
    const first = job.errors.slice(0, 3).map((e) => `line ${e.line} ${e.field} ${e.message}`);
    throw new SeedError(`seeding demo data: the accounts import rejected ${job.failed} row(s): ${first.join('; ')}`);
  }
  const accountIds = new Map<string, string>();
  for (const a of await api.all<{ id: string; externalId: string | null }>('/v1/accounts')) if (a.externalId) accountIds.set(a.externalId, a.id);
  const industries = new Set(plan.accounts.map((a) => a.industry)).size;
  log(`demo data: accounts ${plan.accounts.length} across ${industries} industries and 3 regions — ${job.created} created, ${job.updated} updated, ${job.unchanged} unchanged (${seconds(t)})`);

  // Stakeholder maps and installed base, side by side.
  t = Date.now();
  const [contacts, projects] = await Promise.all([seedContacts(api, plan, accountIds), seedProjects(api, plan, accountIds, partnerIds)]);
  log(`demo data: ${contacts.created} contacts on ${contacts.accounts} accounts, ${projects.created} projects on ${projects.accounts} accounts (${seconds(t)})`);

  // Revenue: 24 months, upserted by (account, month).
  t = Date.now();
  const records = plan.revenue.flatMap((r) => {
    const accountId = accountIds.get(r.externalId);
    return accountId ? [{ accountId, month: r.month, productRevenue: r.productRevenue, serviceRevenue: r.serviceRevenue, grossMargin: r.grossMargin, currency: DEMO_CURRENCY }] : [];
  });
  const totals = { inserted: 0, updated: 0, unchanged: 0 };
  for (let i = 0; i < records.length; i += REVENUE_BATCH) {
    const res = await api.post<{ inserted: number; updated: number; unchanged: number; rejected: number; errors: Array<{ index: number; field: string; message: string }> }>(
      '/v1/revenue-records:batch',
      { records: records.slice(i, i + REVENUE_BATCH) },
      60_000,
    );
    if (res.rejected > 0) {
      const first = res.errors.slice(0, 3).map((e) => `row ${i + e.index} ${e.field} ${e.message}`);
      throw new SeedError(`seeding demo data: the revenue batch rejected ${res.rejected} row(s): ${first.join('; ')}`);
    }
    totals.inserted += res.inserted;
    totals.updated += res.updated;
    totals.unchanged += res.unchanged;
  }
  const months = monthsBefore(now);
  log(
    `demo data: revenue ${records.length} monthly rows ${months[0]}…${months[months.length - 1]} — ${totals.inserted} inserted, ${totals.updated} updated, ${totals.unchanged} unchanged (${seconds(t)})`,
  );

  // Pareto tiers.
  t = Date.now();
  await api.post('/v1/accounts:retier', {}, 60_000);
  const summary = await api.get<{ totalPositiveRevenue: number; tiers: Array<{ tier: number; accounts: number; share: number }> }>('/v1/tiering/summary');
  const split = summary.tiers.map((x) => `tier ${x.tier}: ${x.accounts} accounts, ${Math.round(x.share * 100)}%`).join('; ');
  log(`demo data: tiers over 12 months' ${eur(summary.totalPositiveRevenue)} — ${split} (${seconds(t)})`);

  const parts = { support: true, catalog: true, feedback: true, ...options.parts };
  // Support: policy with regional calendars, teams, a year of imported tickets (demo-support.ts).
  if (parts.support) await seedSupportDemo(api, now, log);
  // The service catalog: products, plans, bundles, price books, trials and subscriptions (demo-catalog.ts).
  if (parts.catalog) await seedCatalogDemo(api, plan, accountIds, partnerIds, now, log);
  // Feedback: surveys and a year of answers (demo-feedback.ts), on the tiers just computed.
  if (parts.feedback) await seedFeedbackDemo(api, now, log);
  log(`demo data: done in ${seconds(started)}`);
  return partnerKeys;
}

async function seedCatalogDemo(api: Api, plan: DemoPlan, accountIds: ReadonlyMap<string, string>, partnerIds: ReadonlyMap<string, string>, now: Date, log: (msg: string) => void): Promise<void> {
  const t = Date.now();
  const catalog = await seedDemoCatalog(api, demoCatalog(plan.accounts), accountIds, partnerIds, { now }).catch((err: unknown) => {
    throw err instanceof SeedError ? err : new SeedError(`seeding the demo catalog: ${err instanceof Error ? err.message : String(err)}`);
  });
  log(
    `demo data: catalog ${catalog.products} products, ${catalog.plans} plans, ${catalog.bundles} bundles, ${catalog.priceBook} price book entries, ` +
      `${catalog.subscriptions} subscriptions and ${catalog.trials} trials on demo accounts — ${catalog.created} created (${seconds(t)})`,
  );
}

async function seedFeedbackDemo(api: Api, now: Date, log: (msg: string) => void): Promise<void> {
  const t = Date.now();
  const tiered = (await api.all<{ id: string; externalId: string | null; tier: number; industry: string | null }>('/v1/accounts')).filter((a): a is typeof a & { externalId: string } => a.externalId !== null);
  const contactsByAccount = new Map<string, Array<{ id: string; buyingRole: string | null }>>();
  await eachLimit(tiered, CONCURRENCY, async (a) => {
    contactsByAccount.set(a.id, (await api.get<{ items: Array<{ id: string; buyingRole: string | null }> }>(`/v1/accounts/${a.id}/contacts`)).items);
  });
  const feedback = feedbackDemoPlan({ now, accounts: tiered, contacts: contactsByAccount, users: await api.all<{ id: string; role: string }>('/v1/users') });
  await seedFeedback(api, feedback, { log });
  log(`demo data: feedback — ${feedback.atRisk.length} Tier 1 account(s) shaped to be at risk (${seconds(t)})`);
}

/** Contacts for demo accounts that have none yet; managers before their reports. */
async function seedContacts(api: Api, plan: DemoPlan, accountIds: ReadonlyMap<string, string>): Promise<{ created: number; accounts: number }> {
  let created = 0;
  let accounts = 0;
  const todo = [...plan.contacts.entries()].filter(([externalId]) => accountIds.has(externalId));
  await eachLimit(todo, CONCURRENCY, async ([externalId, people]: [string, DemoContact[]]) => {
    const accountId = accountIds.get(externalId)!;
    const existing = await api.get<{ items: unknown[] }>(`/v1/accounts/${accountId}/contacts`);
    if (existing.items.length > 0) return;
    const ids: string[] = [];
    for (const c of people) {
      ids.push((await api.post<{ id: string }>(`/v1/accounts/${accountId}/contacts`, contactRequest(c, c.reportsTo === null ? null : ids[c.reportsTo]))).id);
      created++;
    }
    accounts++;
  });
  return { created, accounts };
}

/** Projects and purchases for demo accounts that have none yet. */
async function seedProjects(api: Api, plan: DemoPlan, accountIds: ReadonlyMap<string, string>, partnerIds: ReadonlyMap<string, string>): Promise<{ created: number; accounts: number }> {
  let created = 0;
  let accounts = 0;
  const todo = [...plan.projects.entries()].filter(([externalId]) => accountIds.has(externalId));
  await eachLimit(todo, CONCURRENCY, async ([externalId, items]: [string, DemoProject[]]) => {
    const accountId = accountIds.get(externalId)!;
    const existing = await api.get<{ items: unknown[] }>(`/v1/accounts/${accountId}/projects`);
    if (existing.items.length > 0) return;
    for (const p of items) {
      await api.post(`/v1/accounts/${accountId}/projects`, projectRequest(p, partnerIds));
      created++;
    }
    accounts++;
  });
  return { created, accounts };
}
