import { randomUUID } from 'node:crypto';
import { connect, NatsConnection } from 'nats';
import { Client } from 'pg';
import { RequestContext } from '@steward/telemetry';
import { RpcClient } from '@steward/messaging';
import { runMigrations } from '@steward/persistence';
import { createTestDatabase, deleteTestStreams, makeTenantRequest, testEnv, testPrefix, TestDatabase } from '@steward/testing';
import { Role, Subjects } from '@steward/contracts';
import { AccountsRuntime, startAccounts } from '../bootstrap';
import { AccountsConfig } from '../config';
import { accountsMigrations } from '../migrations';

export interface AccountsHarness {
  db: TestDatabase;
  prefix: string;
  config: AccountsConfig;
  runtime: AccountsRuntime;
  client: RpcClient;
  nats: NatsConnection;
  /** Runs SQL as the runtime role, outside any tenant transaction unless you set one. */
  sqlAsRuntime<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  operator(): RequestContext;
  as(tenantId: string, userId: string, role: Role): RequestContext;
  /** Creates a tenant with an admin; returns the admin context. */
  tenant(): Promise<{ tenantId: string; adminId: string; admin: RequestContext; adminEmail: string }>;
  close(): Promise<void>;
}

/** The real accounts service on a fresh database and NATS prefix, in-process. */
export async function startAccountsHarness(label = 'accounts', overrides: Partial<AccountsConfig> = {}): Promise<AccountsHarness> {
  const db = await createTestDatabase(label);
  await runMigrations({ url: db.url, service: 'accounts', schema: 'accounts', migrations: accountsMigrations });
  const prefix = testPrefix(label);
  const config: AccountsConfig = {
    databaseUrl: db.url,
    dbRole: 'steward_accounts',
    dbRelayRole: 'steward_accounts_relay',
    dbPartnerRole: 'steward_accounts_partner',
    dbPoolMax: 5,
    natsUrl: testEnv.natsUrl,
    natsPrefix: prefix,
    opsPort: 0,
    opsHost: '127.0.0.1',
    logLevel: 'silent',
    passwordMemoryKib: 1024,
    refreshTokenTtlHours: 1,
    tieringDebounceMs: 50,
    clock: () => new Date(),
    ...overrides,
  };
  const runtime = await startAccounts(config, { ops: false });
  const nats = await connect({ servers: testEnv.natsUrl });
  const client = new RpcClient(nats, prefix, 5000);
  const operator = (): RequestContext => ({ actor: { kind: 'operator', id: 'operator' }, correlationId: randomUUID() });
  const as = (tenantId: string, userId: string, role: Role): RequestContext => ({ tenantId, actor: { kind: 'user', id: userId, role }, correlationId: randomUUID() });
  return {
    db,
    prefix,
    config,
    runtime,
    client,
    nats,
    operator,
    as,
    async sqlAsRuntime(sql, params) {
      const c = new Client({ connectionString: db.url, options: '-c role=steward_accounts' });
      await c.connect();
      try {
        return (await c.query(sql, params)).rows;
      } finally {
        await c.end();
      }
    },
    async tenant() {
      const req = makeTenantRequest();
      const res = await client.request(Subjects.accounts.tenantCreate, req, { context: operator() });
      return { tenantId: res.tenant.id, adminId: res.admin.id, admin: as(res.tenant.id, res.admin.id, 'admin'), adminEmail: req.admin.email };
    },
    async close() {
      await runtime.close();
      await nats.close();
      await db.drop();
      await deleteTestStreams(prefix);
    },
  };
}
