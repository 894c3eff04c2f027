import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { allowsInsecure, ipLiteralOf, refusedAddress, type AddressAllowance } from './address-policy';

/** Resolves a host name to every address it has (injectable: tests simulate DNS rebinding). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))));

/** A URL or address the policy refuses: a 400 at registration, an attempt outcome at delivery. */
export class RefusedDestination extends Error {
  constructor(
    readonly rule: 'https' | 'public-address' | 'resolvable' | 'credentials',
    message: string,
  ) {
    super(message);
    this.name = 'RefusedDestination';
  }
}

export interface OutboundPolicy {
  allowance: AddressAllowance;
  resolve?: Resolver;
  /** How long a DNS answer may take at registration (a delivery has its own timeout). */
  dnsTimeoutMs?: number;
}

function checkAddresses(hostname: string, addresses: readonly { address: string }[], allowance: AddressAllowance): void {
  if (addresses.length === 0) throw new RefusedDestination('resolvable', `${hostname} has no address`);
  for (const { address } of addresses) {
    const why = refusedAddress(address, allowance);
    // Any refused address refuses the host: a name with one public and one private address would
    // otherwise reach the private one on a retry or a different resolver.
    if (why) throw new RefusedDestination('public-address', `${hostname} resolves to ${address}, which ${why}`);
  }
}

/** The scheme and credentials rules, before any DNS. */
function checkUrlShape(url: URL, allowance: AddressAllowance): void {
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && allowsInsecure(allowance))) throw new RefusedDestination('https', 'must use https');
  if (url.username || url.password) throw new RefusedDestination('credentials', 'must not contain a user name or password');
}

/**
 * Registration-time check: https (unless allowed otherwise), no credentials in the URL, and
 * every address the host resolves to public (unless allowed). Delivery checks again, on the
 * address it actually connects to ({@link postWebhook}), because DNS can change in between.
 */
export async function checkDestination(rawUrl: string, policy: OutboundPolicy): Promise<void> {
  const url = new URL(rawUrl);
  checkUrlShape(url, policy.allowance);
  const literal = ipLiteralOf(url.hostname);
  if (literal) return checkAddresses(url.hostname, [{ address: literal }], policy.allowance);
  const resolve = policy.resolve ?? systemResolver;
  let timer: NodeJS.Timeout | undefined;
  const addresses = await Promise.race([
    resolve(url.hostname).catch((err: NodeJS.ErrnoException) => {
      throw new RefusedDestination('resolvable', `${url.hostname} does not resolve (${err.code ?? err.message})`);
    }),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new RefusedDestination('resolvable', `${url.hostname} did not resolve within ${policy.dnsTimeoutMs ?? 3000} ms`)), policy.dnsTimeoutMs ?? 3000);
    }),
  ]).finally(() => clearTimeout(timer));
  checkAddresses(url.hostname, addresses, policy.allowance);
}

export interface PostOptions {
  headers: Record<string, string>;
  timeoutMs: number;
  maxResponseBytes: number;
  policy: OutboundPolicy;
  /** Aborts the attempt (shutdown). */
  signal?: AbortSignal;
}

export type AttemptOutcome = 'succeeded' | 'http-error' | 'timeout' | 'network-error' | 'refused-address';

export interface AttemptResult {
  outcome: AttemptOutcome;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  /** The first `maxResponseBytes` of the body, as text. */
  responseBody: string | null;
}

/**
 * One webhook attempt: POSTs `body` to `rawUrl` and reads at most `maxResponseBytes` of the
 * answer, within `timeoutMs` for everything (DNS, connect, TLS, response). The socket connects
 * only to an address the policy allows, checked in the connection's own DNS lookup (so a name
 * that rebinds to a private address after registration is refused at delivery). Redirects are
 * not followed: a 3xx is a failed attempt. A fresh connection per attempt (no keep-alive pool),
 * so each attempt resolves and checks again.
 */
export function postWebhook(rawUrl: string, body: string, o: PostOptions): Promise<AttemptResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise<AttemptResult>((resolve) => {
    let settled = false;
    // Set once the request exists; `finish` may run before (a refused URL).
    const pending: { timer?: NodeJS.Timeout; onAbort?: () => void } = {};
    const finish = (r: Omit<AttemptResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(pending.timer);
      if (pending.onAbort) o.signal?.removeEventListener('abort', pending.onAbort);
      resolve({ ...r, durationMs: elapsed() });
    };
    let url: URL;
    try {
      url = new URL(rawUrl);
      checkUrlShape(url, o.policy.allowance);
      const literal = ipLiteralOf(url.hostname);
      if (literal) checkAddresses(url.hostname, [{ address: literal }], o.policy.allowance);
    } catch (err) {
      finish({ outcome: 'refused-address', statusCode: null, error: (err as Error).message, responseBody: null });
      return;
    }
    const resolveHost = o.policy.resolve ?? systemResolver;
    const lookup: LookupFunction = (hostname, options, callback) => {
      resolveHost(hostname).then(
        (addresses) => {
          try {
            checkAddresses(hostname, addresses, o.policy.allowance);
          } catch (err) {
            callback(err as NodeJS.ErrnoException, '', 0);
            return;
          }
          const family = typeof options === 'object' ? options.family : undefined;
          const usable = family === 4 || family === 6 ? addresses.filter((a) => a.family === family) : addresses;
          if (usable.length === 0) return callback(Object.assign(new Error(`${hostname} has no IPv${family} address`), { code: 'ENOTFOUND' }), '', 0);
          if (typeof options === 'object' && options.all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, usable);
          else callback(null, usable[0]!.address, usable[0]!.family);
        },
        (err: NodeJS.ErrnoException) => callback(err, '', 0),
      );
    };
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(url, { method: 'POST', headers: { ...o.headers, 'content-length': String(Buffer.byteLength(body)) }, lookup, agent: false });
    pending.timer = setTimeout(() => {
      finish({ outcome: 'timeout', statusCode: null, error: `no complete answer within ${o.timeoutMs} ms`, responseBody: null });
      req.destroy();
    }, o.timeoutMs);
    pending.onAbort = () => {
      finish({ outcome: 'network-error', statusCode: null, error: 'the attempt was stopped (gateway shutting down)', responseBody: null });
      req.destroy();
    };
    if (o.signal?.aborted) pending.onAbort();
    else o.signal?.addEventListener('abort', pending.onAbort, { once: true });
    req.on('error', (err: Error) => {
      if (err instanceof RefusedDestination) finish({ outcome: 'refused-address', statusCode: null, error: err.message, responseBody: null });
      else finish({ outcome: 'network-error', statusCode: null, error: describeNetworkError(err), responseBody: null });
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => {
        const status = res.statusCode ?? 0;
        const text = Buffer.concat(chunks).toString('utf8');
        const ok = status >= 200 && status < 300;
        const redirect = status >= 300 && status < 400 ? ` (redirects are not followed${res.headers.location ? `: Location ${String(res.headers.location).slice(0, 200)}` : ''})` : '';
        finish({ outcome: ok ? 'succeeded' : 'http-error', statusCode: status, error: ok ? null : `HTTP ${status}${redirect}`, responseBody: text });
        res.destroy();
      };
      res.on('data', (chunk: Buffer) => {
        if (settled) return;
        const room = o.maxResponseBytes - size;
        chunks.push(room < chunk.length ? chunk.subarray(0, room) : chunk);
        size += Math.min(room, chunk.length);
        // Enough read: the status is known, the rest of the body is not wanted.
        if (size >= o.maxResponseBytes) done();
      });
      res.on('end', done);
      res.on('error', (err) => finish({ outcome: 'network-error', statusCode: res.statusCode ?? null, error: describeNetworkError(err), responseBody: null }));
    });
    req.end(body);
  });
}

function describeNetworkError(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  return (code ? `${code}: ${err.message}` : err.message).slice(0, 500);
}
