import { context } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';

/**
 * Names the current HTTP server span after its route (`GET /v1/accounts/:id`, attribute
 * `http.route`): the HTTP instrumentation reads the route from the request's RPC metadata when
 * the response ends. Call it while handling the request; without tracing it does nothing.
 */
export function setHttpRoute(route: string): void {
  const rpc = getRPCMetadata(context.active());
  if (rpc?.type === RPCType.HTTP) rpc.route = route;
}
