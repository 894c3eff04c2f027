import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { AccountDto, CreatePlanRequest, EventOf, EventSubject, PartnerDto, PricingInput, ProjectDto, Subjects, type EntitlementGrantInput } from '@steward/contracts';
import { encode, ensureStream, headersToRecord, streamName, writeHeaders } from '@steward/messaging';
import type { Clock } from '@steward/service-kit';
import type { RequestContext } from '@steward/telemetry';
import { ServiceHarness, startServiceHarness } from '@steward/service-testing';
import { expectEventually } from '@steward/testing';
import { defaultCatalogSettings, type CatalogSettings } from '../config';
import { catalogService } from '../service';

/** Durable jobs in tests: quick polls, short leases and retries. */
export const TEST_JOB_SETTINGS = { pollMs: 50, leaseMs: 2000, retryBaseMs: 100 };

export interface CatalogHarness extends ServiceHarness<CatalogSettings> {
  /** Publishes another service's event as its relay would: envelope headers, signed. */
  publish<S extends EventSubject>(subject: S, payload: EventOf<S>, tenantId: string): Promise<void>;
  /** SQL as the migrator (superuser): test set-up and checks only. */
  sql<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** A tenant with an admin context. */
  tenant(): { tenantId: string; admin: RequestContext };
  /** An account in accounts' events, waited for until the catalog's read model has it. */
  account(tenantId: string, overrides?: Partial<AccountDto>): Promise<AccountDto>;
  project(tenantId: string, accountId: string, overrides?: Partial<ProjectDto>): Promise<ProjectDto>;
  partner(tenantId: string, overrides?: Partial<PartnerDto>): Promise<PartnerDto>;
  /** A published product with one published plan of this price. */
  plan(admin: RequestContext, pricing: PricingInput, extra?: { entitlements?: EntitlementGrantInput; trialDays?: number }): Promise<Awaited<ReturnType<ServiceHarness<CatalogSettings>['client']['request']>> & { id: string; productId: string; current: { id: string } }>;
  /** Makes every waiting job of the catalog due now (time moved on with the test clock). */
  runDueJobs(): Promise<void>;
  /** The catalog's events of `subject` in its stream (the outbox relayed first), oldest first, with their headers. */
  published<S extends EventSubject>(subject: S): Promise<Array<{ payload: EventOf<S>; headers: Record<string, string> }>>;
}

export async function startCatalogHarness(label: string, clock?: Clock, settings: Partial<CatalogSettings> = {}): Promise<CatalogHarness> {
  const h = await startServiceHarness(catalogService, label, { settings: { ...defaultCatalogSettings(), ...settings }, clock, jobs: TEST_JOB_SETTINGS });
  const jsm = await h.nats.jetstreamManager();
  const ensured = new Set<string>();
  const sql = async <T>(text: string, params?: unknown[]): Promise<T[]> => {
    const c = new Client({ connectionString: h.db.url });
    await c.connect();
    try {
      return (await c.query(text, params)).rows as T[];
    } finally {
      await c.end();
    }
  };
  const publish = async <S extends EventSubject>(subject: S, payload: EventOf<S>, tenantId: string) => {
    const service = subject.slice(0, subject.indexOf('.'));
    if (!ensured.has(service)) {
      await ensureStream(jsm, h.prefix, service);
      ensured.add(service);
    }
    const headers = writeHeaders({ messageId: randomUUID(), tenantId, actor: { kind: 'system', id: service }, correlationId: randomUUID(), occurredAt: new Date().toISOString() });
    const data = encode(payload);
    h.context.sign(h.prefix + subject, headers, data);
    await h.nats.jetstream().publish(h.prefix + subject, data, { headers });
  };
  const now = () => new Date().toISOString();
  let codes = 0;
  return {
    ...h,
    publish,
    sql,
    tenant() {
      const tenantId = randomUUID();
      return { tenantId, admin: h.as(tenantId, randomUUID(), 'admin') };
    },
    async account(tenantId, o = {}) {
      const a: AccountDto = {
        id: randomUUID(), externalId: null, name: `Account ${randomUUID().slice(0, 6)}`, industry: 'Manufacturing', region: 'EMEA', sizeBand: '250-999', ownerId: null, csmId: null,
        leadChannel: 'direct', leadPartnerId: null, strategic: false, highPotential: false, lifecycle: 'active', customAttributes: {}, tier: 2, computedTier: 2, tierReason: 'test',
        tierOverride: null, revenue12m: 0, currency: null, createdAt: now(), updatedAt: now(), deletedAt: null, version: 1,
        ...o,
      };
      await publish('accounts.events.account.created.v1', { account: a }, tenantId);
      await expectEventually(async () => expect((await sql(`SELECT 1 FROM catalog.accounts WHERE id = $1 AND source_version = $2`, [a.id, a.version])).length).toBe(1));
      return a;
    },
    async project(tenantId, accountId, o = {}) {
      const p: ProjectDto = {
        id: randomUUID(), accountId, name: 'ERP roll-out', kind: 'project', size: 'large', lead: 'vendor', partnerId: null, region: 'EMEA', goLiveDate: null, status: 'live',
        delivered: null, createdAt: now(), updatedAt: now(), ...o,
      };
      await publish('accounts.events.project.created.v1', { project: p }, tenantId);
      await expectEventually(async () => expect((await sql(`SELECT 1 FROM catalog.projects WHERE id = $1`, [p.id])).length).toBe(1));
      return p;
    },
    async partner(tenantId, o = {}) {
      const p = { id: randomUUID(), tenantId, name: `Partner ${randomUUID().slice(0, 6)}`, kind: 'reseller', region: null, contactEmail: null, createdAt: now(), ...o } as PartnerDto;
      await publish('accounts.events.partner.created.v1', { partner: p }, tenantId);
      await expectEventually(async () => expect((await sql(`SELECT 1 FROM catalog.partners WHERE id = $1`, [p.id])).length).toBe(1));
      return p;
    },
    async plan(admin, pricing, extra = {}) {
      const s = Subjects.catalog;
      const n = ++codes;
      const product = await h.client.request(
        s.productCreate,
        { code: `product-${n}`, kind: 'service', purpose: 'create-business-value', name: { en: `Product ${n}`, 'zh-CN': `产品 ${n}` }, description: { en: 'A product', 'zh-CN': '一个产品' }, deliverables: [], playbook: [], requiredResources: { teamSkills: [], partnerTypes: [] } },
        { context: admin },
      );
      await h.client.request(s.productPublish, { id: product.id }, { context: admin });
      const req = { productId: product.id, code: `plan-${n}`, name: { en: `Plan ${n}`, 'zh-CN': `方案 ${n}` }, pricing, ...extra } as unknown as CreatePlanRequest;
      const plan = await h.client.request(s.planCreate, req, { context: admin });
      return h.client.request(s.planPublish, { id: plan.id }, { context: admin });
    },
    async runDueJobs() {
      await sql(`UPDATE catalog.jobs SET run_at = now() WHERE status = 'queued'`);
    },
    async published(subject) {
      await h.runtime.relay.drain();
      const stream = streamName(h.prefix, 'catalog');
      const info = await jsm.streams.info(stream);
      const out = [];
      for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
        const m = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
        if (m?.subject === h.prefix + subject) out.push({ payload: JSON.parse(new TextDecoder().decode(m.data)), headers: m.header ? headersToRecord(m.header) : {} });
      }
      return out;
    },
  };
}
