import type { FastifyInstance } from 'fastify';
import { setHttpRoute } from '@steward/telemetry';
import { routeLabelOf } from './route-label';

/**
 * Names each request's HTTP server span after its route, as clients see it:
 * `GET /v1/accounts/:id`, `GET /v1/accounts:export` (with `http.route`), not the bare method
 * nor the router's escaped `::`. A request that matches no route keeps the bare method (an
 * attacker's paths never become span names). The latency histogram's `route` label uses the
 * same {@link routeLabelOf}.
 */
export function installRouteSpans(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (req, _reply, done) => {
    if (req.routeOptions?.url !== undefined) setHttpRoute(routeLabelOf(req));
    done();
  });
}
