import { Actor, ErrorCode, Role, ROLES, StewardError } from '@steward/contracts';
import type { RequestContext } from '@steward/telemetry';

/**
 * Services check access first (the gateway checks too: defence in depth). The tenant and
 * actor come from the request context the gateway set, never from a payload.
 */

/** Every portal role. */
export const ANY_ROLE: readonly Role[] = ROLES;

/** The tenant of the current request; tenant use cases never run without one. */
export function tenantOf(ctx: RequestContext): string {
  if (!ctx.tenantId) throw new StewardError(ErrorCode.Unauthenticated, 'This operation needs a tenant credential');
  return ctx.tenantId;
}

/** A portal user with one of `roles` (partner keys, the operator and services are refused). */
export function requireRole(ctx: RequestContext, roles: readonly Role[]): Extract<Actor, { kind: 'user' }> {
  const actor = ctx.actor;
  if (actor.kind !== 'user') throw new StewardError(ErrorCode.Forbidden, 'Only portal users may do this', { requiredRoles: roles });
  if (!roles.includes(actor.role)) throw new StewardError(ErrorCode.Forbidden, `Requires one of the roles: ${roles.join(', ')}`, { requiredRoles: roles, role: actor.role });
  return actor;
}

export function requireOperator(ctx: RequestContext): void {
  if (ctx.actor.kind !== 'operator') throw new StewardError(ErrorCode.Forbidden, 'Only the platform operator may do this');
}
