import createClient, { Client, Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

/** Every named schema of the API (`Schemas['Account']`, `Schemas['Problem']`...). */
export type Schemas = components['schemas'];
/** The body of every error: RFC 9457 problem details with a stable `code` and the fields at fault. */
export type Problem = Schemas['Problem'];

export interface StewardClientOptions {
  /** Where the API is, e.g. `https://api.example.com` (no `/v1`: paths carry it). */
  baseUrl: string;
  /** A portal user's access token (`POST /v1/auth/login`), or a function that returns the current one. */
  accessToken?: string | (() => string | Promise<string>);
  /** A partner API key (`X-Api-Key`). */
  apiKey?: string;
  /**
   * How often a request is retried after 429, 503 or 504, or a network error, waiting as
   * `Retry-After` says (or 0.5 s, 1 s, 2 s... at most 30 s). Writes are retried too: they
   * carry an Idempotency-Key, so a retry never doubles them. Default 3; 0 turns it off.
   */
  retries?: number;
  /** Give every POST, PUT, PATCH and DELETE an `Idempotency-Key` when it has none (default true). */
  idempotencyKeys?: boolean;
  /** Another fetch (tests, proxies). */
  fetch?: (input: Request) => Promise<Response>;
  /** Waits between retries (tests make it instant). */
  sleep?: (ms: number) => Promise<void>;
}

export type StewardClient = Client<paths>;

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const RETRYABLE = new Set([429, 503, 504]);

/**
 * A typed client of the Steward API, generated from its OpenAPI document: every path,
 * parameter, body and response (success and problem) is typed, so a contract change that
 * breaks a caller fails its build.
 *
 * ```ts
 * const api = createStewardClient({ baseUrl, apiKey: process.env.STEWARD_API_KEY });
 * const { data, error } = await api.GET('/v1/accounts', { params: { query: { limit: 100 } } });
 * ```
 */
export function createStewardClient(options: StewardClientOptions): StewardClient {
  const retries = options.retries ?? 3;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const baseFetch = options.fetch ?? ((input: Request) => globalThis.fetch(input));
  const client = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    fetch: (request) => withRetries(request, baseFetch, retries, sleep),
  });
  client.use(credentials(options));
  if (options.idempotencyKeys ?? true) client.use(idempotencyKeys);
  return client;
}

function credentials(options: StewardClientOptions): Middleware {
  return {
    async onRequest({ request }) {
      if (options.apiKey && !request.headers.has('x-api-key')) request.headers.set('x-api-key', options.apiKey);
      if (options.accessToken && !request.headers.has('authorization')) {
        const token = typeof options.accessToken === 'function' ? await options.accessToken() : options.accessToken;
        // No token (signed out): no header, rather than an empty credential the gateway would refuse.
        if (token) request.headers.set('authorization', `Bearer ${token}`);
      }
      return request;
    },
  };
}

const idempotencyKeys: Middleware = {
  onRequest({ request }) {
    if (WRITES.has(request.method) && !request.headers.has('idempotency-key')) request.headers.set('idempotency-key', globalThis.crypto.randomUUID());
    return request;
  },
};

/** Sends a request, and again (the same request, the same Idempotency-Key) after a retryable answer. */
async function withRetries(request: Request, send: (r: Request) => Promise<Response>, retries: number, sleep: (ms: number) => Promise<void>): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const last = attempt >= retries;
    let response: Response;
    try {
      response = await send(last ? request : request.clone());
    } catch (err) {
      if (last) throw err;
      await sleep(backoffMs(attempt));
      continue;
    }
    if (last || !RETRYABLE.has(response.status)) return response;
    const wait = retryAfterMs(response.headers.get('retry-after')) ?? backoffMs(attempt);
    await response.body?.cancel().catch(() => undefined);
    await sleep(wait);
  }
}

function backoffMs(attempt: number): number {
  return Math.min(30_000, 500 * 2 ** attempt);
}

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds, 300) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.min(at - Date.now(), 300_000));
}

/** An answer that was a problem (4xx or 5xx), thrown by {@link unwrap}. */
export class StewardApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | undefined,
  ) {
    super(problem ? `${status} ${problem.code}: ${problem.detail}` : `HTTP ${status}`);
    this.name = 'StewardApiError';
  }
}

/** The success body of a call, or a {@link StewardApiError} with its problem. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  throw new StewardApiError(response.status, isProblem(error) ? error : undefined);
}

function isProblem(value: unknown): value is Problem {
  return !!value && typeof value === 'object' && 'code' in value && 'status' in value;
}

/**
 * Every item of a paged list, page after page (`nextCursor` until it is `null`):
 *
 * ```ts
 * for await (const account of pages((cursor) => api.GET('/v1/accounts', { params: { query: { cursor } } }))) ...
 * ```
 */
export async function* pages<T>(fetchPage: (cursor: string | undefined) => Promise<{ data?: { items: T[]; nextCursor: string | null }; error?: unknown; response: Response }>): AsyncGenerator<T> {
  let cursor: string | undefined;
  do {
    const page = await unwrap(fetchPage(cursor));
    yield* page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}
