import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { createStewardClient, unwrap } from '@steward/api-client';
import type { CreateTenantRequest } from '@steward/contracts';
import { createTestDatabase, deleteTestStreams, makeTenantRequest, testEnv, testPrefix, TestDatabase } from '@steward/testing';
// The platform as `npm start` runs it: the launcher's own process handling.
import { findNatsServer, findRepoRoot, freePort, freePortsContext, NatsHandle, RunningPlatform, startNatsServer, startPlatform, stopAll } from '@steward/stack';

export interface PlatformHarness {
  platform: RunningPlatform;
  db: TestDatabase;
  prefix: string;
  gatewayUrl: string;
  operatorToken: string;
  /** The key every process signs and verifies message contexts with (STEWARD_CONTEXT_KEY). */
  contextKey: string;
  /** The test's own authenticated nats-server (url, each client's credentials); absent with `nats: 'shared'`. */
  nats?: NatsHandle;
  /** supertest against the running gateway. */
  http(): ReturnType<typeof request>;
  /** Bootstraps a tenant through the API and logs its admin in. */
  tenant(overrides?: Partial<CreateTenantRequest>): Promise<{ tenantId: string; adminId: string; token: string; email: string; password: string }>;
  /** One query as the database superuser (no row-level security), to look under the API; a connection of its own. */
  sql<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  /** Stops one service (SIGTERM, then SIGKILL), e.g. to see how the others cope. */
  stopService(name: string): Promise<void>;
  /** The output a process printed so far (its last lines). */
  output(name: string): string[];
  /** Every line a process printed (up to the last 5,000), e.g. to check what a service logs. */
  logs(name: string): string[];
  /** Responses the gateway found not to match /openapi.json since the last call (each test fails on any: see below). */
  takeMismatches(): string[];
  close(): Promise<void>;
}

export interface PlatformHarnessOptions {
  /** Variables per service, on top of the stack's (e.g. `{ gateway: { RATE_LIMIT_PER_TENANT: '6' } }`). */
  env?: Record<string, Record<string, string>>;
  /** Variables for every process (e.g. OpenTelemetry settings). */
  baseEnv?: Record<string, string>;
  /**
   * `own` (default): the test starts its own nats-server with authentication, one user per
   * service with least-privilege permissions, exactly as `npm start` does (stopped by PID on
   * close); `shared`: the machine's NATS (NATS_URL), without credentials.
   */
  nats?: 'own' | 'shared';
}

/** A nats-server of the test's own: free port, temporary store, generated users and permissions. */
async function startOwnNats(prefix: string): Promise<NatsHandle & { dir: string }> {
  const binary = findNatsServer(process.env.PATH ?? '');
  if (!binary) throw new Error('the end-to-end tests start their own nats-server: install it (apt-get install nats-server) or put it on PATH');
  const dir = await mkdtemp(path.join(tmpdir(), 'steward-e2e-nats-'));
  const handle = await startNatsServer(binary, { host: '127.0.0.1', port: await freePort(), storeDir: path.join(dir, 'store'), searchPath: process.env.PATH ?? '', auth: { prefix } });
  return { ...handle, dir };
}

/** Settings that keep tests fast; each still validated by the service at boot. */
const TEST_ENV: Record<string, Record<string, string>> = {
  accounts: { PASSWORD_HASH_MEMORY_KIB: '1024', TIERING_DEBOUNCE_MS: '50' },
  gateway: {
    RATE_LIMIT_PER_TENANT: '100000',
    RATE_LIMIT_PER_PARTNER: '100000',
    RATE_LIMIT_PER_IP: '100000',
    RATE_LIMIT_ANONYMOUS: '100000',
    AUTH_FAILURES_PER_IP: '100000',
    AUTH_FAILURES_PER_CREDENTIAL: '100000',
    RPC_TIMEOUT_MS: '3000',
  },
};

const ROOT = findRepoRoot(__dirname);

/** What the gateway logs for a response that does not match the OpenAPI document (STEWARD_CHECK_OPENAPI). */
const MISMATCH = 'response does not conform to the OpenAPI document';
const open = new Set<PlatformHarness>();

/**
 * The conformance check over every end-to-end test: each response the gateway sent during
 * a test is checked against /openapi.json (status documented, body matching its schema);
 * a mismatch fails the test that caused it.
 */
function failOnMismatches(h: PlatformHarness): void {
  const found = h.takeMismatches();
  if (found.length) throw new Error(`responses that do not match /openapi.json:\n${found.join('\n')}`);
}
afterEach(() => {
  for (const h of open) failOnMismatches(h);
});

/**
 * Every built service as its own process (exactly as `npm start` runs them) on a fresh
 * database and NATS prefix, with every reply checked against its contract.
 */
export async function startPlatformHarness(label: string, options: PlatformHarnessOptions = {}): Promise<PlatformHarness> {
  const db = await createTestDatabase(label);
  const prefix = testPrefix(label);
  const operatorToken = `op-${randomBytes(16).toString('hex')}`;
  const contextKey = randomBytes(32).toString('base64url');
  const nats = options.nats === 'shared' ? undefined : await startOwnNats(prefix);
  const ctx = await freePortsContext({
    databaseUrl: db.url,
    natsUrl: nats?.url ?? testEnv.natsUrl,
    contextKey,
    natsCredentials: nats?.credentials,
    logLevel: 'warn',
    jwtSecret: randomBytes(32).toString('hex'),
    operatorToken,
    natsPrefix: prefix,
    userConfiguredOtel: Object.keys(options.baseEnv ?? {}).some((k) => k.startsWith('OTEL_')),
  });
  const env: Record<string, Record<string, string>> = {};
  for (const name of new Set([...Object.keys(TEST_ENV), ...Object.keys(options.env ?? {})])) env[name] = { ...TEST_ENV[name], ...options.env?.[name] };
  const baseEnv: Record<string, string> = { PATH: process.env.PATH ?? '', STEWARD_CHECK_RESPONSES: 'true', STEWARD_CHECK_OPENAPI: 'true', ...options.baseEnv };
  const spawned: Parameters<typeof stopAll>[0][number][] = [];
  const lines = new Map<string, string[]>();
  const mismatchLines: string[] = [];
  const onLine = (name: string, line: string) => {
    const kept = lines.get(name) ?? [];
    kept.push(line);
    if (name === 'gateway' && line.includes(MISMATCH)) mismatchLines.push(line);
    if (kept.length > 5_000) kept.shift();
    lines.set(name, kept);
  };
  const stopNats = async () => {
    if (!nats) return deleteTestStreams(prefix);
    await nats.stop();
    await rm(nats.dir, { recursive: true, force: true });
  };
  let platform: RunningPlatform;
  try {
    platform = await startPlatform({ rootDir: ROOT, ctx, baseEnv, serviceEnv: env, onSpawn: (p) => spawned.push(p), onLine });
  } catch (err) {
    await stopAll(spawned, 2_000);
    await db.drop();
    await stopNats();
    const tails = spawned.map((p) => `--- ${p.name}\n${p.recent.last(10).join('\n')}`).join('\n');
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n${tails}`);
  }
  const http = () => request(platform.gatewayUrl);
  const harness: PlatformHarness = {
    platform,
    db,
    prefix,
    gatewayUrl: platform.gatewayUrl,
    operatorToken,
    contextKey,
    nats,
    http,
    async tenant(o = {}) {
      // Through the typed client: a change of these routes' contract fails the type check here.
      const body = makeTenantRequest(o);
      const operator = createStewardClient({ baseUrl: platform.gatewayUrl, accessToken: operatorToken, retries: 0 });
      const created = await unwrap(operator.POST('/v1/tenants', { body }));
      const login = await unwrap(createStewardClient({ baseUrl: platform.gatewayUrl, retries: 0 }).POST('/v1/auth/login', { body: { email: body.admin.email, password: body.admin.password } }));
      return { tenantId: created.tenant.id, adminId: created.admin.id, token: login.accessToken, email: body.admin.email, password: body.admin.password };
    },
    async sql<R = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<R[]> {
      const c = new Client({ connectionString: db.url });
      await c.connect();
      try {
        return (await c.query(text, params)).rows as R[];
      } finally {
        await c.end();
      }
    },
    async stopService(name) {
      const proc = platform.procs[name];
      if (!proc) throw new Error(`no service ${name} (running: ${Object.keys(platform.procs).join(', ')})`);
      await stopAll([proc], 5_000);
    },
    output: (name) => platform.procs[name]?.recent.last(40) ?? [],
    takeMismatches() {
      const found: string[] = [];
      for (const line of mismatchLines.splice(0)) {
        try {
          const entry = JSON.parse(line) as { mismatches?: Array<{ method: string; path: string; status: number; problem: string }> };
          for (const m of entry.mismatches ?? []) found.push(`${m.method} ${m.path} ${m.status}: ${m.problem}`);
        } catch {
          found.push(line);
        }
      }
      return found;
    },
    logs: (name) => [...(lines.get(name) ?? [])],
    async close() {
      open.delete(harness);
      // A mismatch logged by the last request reaches the pipe after its response: give it a moment.
      await new Promise((r) => setTimeout(r, 100));
      const late = harness.takeMismatches();
      await platform.stop(5_000);
      await db.drop();
      await stopNats();
      if (late.length) throw new Error(`responses that do not match /openapi.json:\n${late.join('\n')}`);
    },
  };
  open.add(harness);
  return harness;
}

export const repoRoot = (...parts: string[]): string => path.join(ROOT, ...parts);
