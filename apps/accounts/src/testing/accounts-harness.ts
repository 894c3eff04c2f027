import { randomUUID } from 'node:crypto';
import { Role, Subjects } from '@steward/contracts';
import type { Clock } from '@steward/service-kit';
import type { RequestContext } from '@steward/telemetry';
import { ServiceHarness, startServiceHarness } from '@steward/service-testing';
import { makeTenantRequest } from '@steward/testing';
import type { AccountsSettings } from '../config';
import { accountsService } from '../service';

export interface AccountsHarness extends ServiceHarness<AccountsSettings> {
  operator(): RequestContext;
  /** Creates a tenant with an admin; returns the admin context. */
  tenant(): Promise<{ tenantId: string; adminId: string; admin: RequestContext; adminEmail: string }>;
}

/** Settings for tests: cheap password hashing, short token life, quick re-tiering. */
export const TEST_ACCOUNTS_SETTINGS: AccountsSettings = {
  passwordMemoryKib: 1024,
  refreshTokenTtlHours: 1,
  tieringDebounceMs: 50,
  tieringMaxDelayMs: 1000,
  importChunkRows: 500,
  importUploadTimeoutMs: 600_000,
  apiKeyRotation: { defaultOverlapSeconds: 24 * 3600, maxOverlapSeconds: 7 * 24 * 3600 },
};
/** Durable jobs in tests: quick polls, short leases and retries. */
export const TEST_JOB_SETTINGS = { pollMs: 50, leaseMs: 2000, retryBaseMs: 100 };

/** The real accounts service on a fresh database and NATS prefix, in-process. */
export async function startAccountsHarness(label = 'accounts', settings: Partial<AccountsSettings> = {}, clock?: Clock): Promise<AccountsHarness> {
  const h = await startServiceHarness(accountsService, label, { settings: { ...TEST_ACCOUNTS_SETTINGS, ...settings }, clock, jobs: TEST_JOB_SETTINGS });
  const operator = (): RequestContext => ({ actor: { kind: 'operator', id: 'operator' }, correlationId: randomUUID() });
  return {
    ...h,
    operator,
    async tenant() {
      const req = makeTenantRequest();
      const res = await h.client.request(Subjects.accounts.tenantCreate, req, { context: operator() });
      return { tenantId: res.tenant.id, adminId: res.admin.id, admin: h.as(res.tenant.id, res.admin.id, 'admin' satisfies Role), adminEmail: req.admin.email };
    },
  };
}
