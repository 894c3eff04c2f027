import type { FastifyRequest } from 'fastify';

/**
 * A route pattern as clients see it. Fastify's router takes ':' as the start of a
 * parameter, so routes write a literal colon as '::' (`/v1/accounts::export`); metrics
 * labels, span names and docs show `/v1/accounts:export`.
 */
export function routeLabel(pattern: string): string {
  return pattern.replace(/::/g, ':');
}

/** The matched route of a request as clients see it (`/v1/accounts/:id`), or `unmatched`. */
export function routeLabelOf(req: FastifyRequest): string {
  const url = req.routeOptions?.url;
  return url === undefined ? 'unmatched' : routeLabel(url);
}
