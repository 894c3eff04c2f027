/**
 * Seeds the demo tenant through the gateway's public API (never the database), so
 * the seed exercises the same paths as a real client. Idempotent: when the demo
 * admin can log in, nothing is created.
 */

export const DEMO_TENANT = { name: 'Demo Manufacturing', slug: 'demo' } as const;
export const DEMO_ADMIN = { email: 'admin@demo.test', name: 'Dana Admin' } as const;

export interface SeedResult {
  /** True when this run created the tenant. */
  created: boolean;
  email: string;
  password: string;
  /** The admin's access token from the final login, for further seeding. */
  accessToken?: string;
}

export class SeedError extends Error {}

interface HttpAnswer {
  status: number;
  body: unknown;
  text: string;
}

async function postJson(baseUrl: string, route: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  const res = await fetch(new URL(route, baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
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
 * Makes sure the demo tenant exists and its admin can log in with `password`.
 * `baseUrl` is the gateway (e.g. http://127.0.0.1:3000).
 */
export async function seedDemoTenant(baseUrl: string, operatorToken: string, password: string): Promise<SeedResult> {
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
