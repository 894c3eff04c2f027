import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { App } from 'supertest/types';
import { runMigrations } from '@steward/persistence';
import { makeTenantRequest } from '@steward/testing';
import type { CreateTenantRequest } from '@steward/contracts';
// Test harness only: gateway tests drive the real accounts service in-process (one
// process lets the trace test see every span); production code never crosses apps.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { AccountsHarness, startAccountsHarness } from '../../../accounts/src/testing/accounts-harness';
import { createGateway, GatewayRuntime } from '../bootstrap';
import type { GatewayConfig } from '../config';
import { gatewayMigrations } from '../migrations';

export interface GatewayHarness {
  accounts: AccountsHarness;
  gateway: GatewayRuntime;
  config: GatewayConfig;
  http(): ReturnType<typeof request>;
  /** Bootstraps a tenant through the API and logs its admin in. */
  tenant(overrides?: Partial<CreateTenantRequest>): Promise<{ tenantId: string; adminId: string; token: string; email: string; password: string }>;
  close(): Promise<void>;
}

/** The gateway and the real accounts service on one fresh database and NATS prefix. */
export async function startGatewayHarness(label = 'gateway', overrides: Partial<GatewayConfig> = {}): Promise<GatewayHarness> {
  const accounts = await startAccountsHarness(label);
  await runMigrations({ url: accounts.db.url, service: 'gateway', schema: 'gateway', migrations: gatewayMigrations });
  const config: GatewayConfig = {
    port: 0,
    host: '127.0.0.1',
    databaseUrl: accounts.db.url,
    dbRole: 'steward_gateway',
    dbPoolMax: 5,
    natsUrl: accounts.config.natsUrl,
    natsPrefix: accounts.prefix,
    jwtSecret: randomBytes(32).toString('hex'),
    accessTokenTtlSeconds: 900,
    operatorToken: `op-${randomBytes(16).toString('hex')}`,
    rateLimit: { windowSeconds: 60, perTenant: 10_000, perApiKey: 10_000, anonymous: 10_000 },
    rpcTimeoutMs: 3000,
    bodyLimitBytes: 1_048_576,
    importBodyLimitBytes: 32 * 1_048_576,
    logLevel: 'silent',
    ...overrides,
  };
  const gateway = await createGateway(config);
  const server = gateway.app.getHttpServer() as App;
  const http = () => request(server);
  return {
    accounts,
    gateway,
    config,
    http,
    async tenant(o = {}) {
      const body = makeTenantRequest(o);
      const created = await http().post('/v1/tenants').set('authorization', `Bearer ${config.operatorToken}`).send(body).expect(201);
      const login = await http().post('/v1/auth/login').send({ email: body.admin.email, password: body.admin.password }).expect(200);
      return { tenantId: created.body.tenant.id, adminId: created.body.admin.id, token: login.body.accessToken, email: body.admin.email, password: body.admin.password };
    },
    async close() {
      await gateway.close();
      await accounts.close();
    },
  };
}
