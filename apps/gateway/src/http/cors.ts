import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { GatewayConfig } from '../config';

type CorsOptions = NonNullable<Parameters<NestFastifyApplication['enableCors']>[0]>;

/** Request headers a browser client may send: credentials, conditional and idempotent writes, tracing. */
export const CORS_REQUEST_HEADERS = ['Authorization', 'Content-Type', 'X-Api-Key', 'Idempotency-Key', 'If-Match', 'If-None-Match', 'X-Correlation-Id', 'X-Filename'];
/** Response headers a browser client may read. */
export const CORS_EXPOSED_HEADERS = ['Location', 'ETag', 'Allow', 'Retry-After', 'Idempotent-Replayed', 'X-Correlation-Id', 'Content-Disposition'];

/**
 * CORS for the configured origins (`STEWARD_CORS_ORIGINS`), through Nest's `enableCors`
 * (@fastify/cors, run in the first request hook so every answer carries the headers, a 401 or
 * a 405 too). Preflights are answered at once (204, cached `STEWARD_CORS_MAX_AGE_SECONDS`).
 * No credentials mode: the API takes its credentials from headers (`Authorization`,
 * `X-Api-Key`), never cookies, so `Access-Control-Allow-Credentials` is never sent and a
 * browser sends no cookies cross-origin. An origin not listed gets no CORS headers (the
 * browser refuses the response); requests without an Origin (servers, curl) are unaffected.
 */
export function corsOptions(config: Pick<GatewayConfig, 'cors'>): CorsOptions | null {
  const { origins, maxAgeSeconds } = config.cors;
  if (origins.length === 0) return null;
  return {
    origin: origins.includes('*') ? '*' : origins,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: CORS_REQUEST_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    credentials: false,
    maxAge: maxAgeSeconds,
    // Non-preflight OPTIONS requests reach the 405/Allow handling instead of a 400.
    strictPreflight: false,
  };
}
