import { Actor, ErrorCode, Role, StewardError } from '@steward/contracts';
import type { RequestContext } from '@steward/telemetry';

/** The tenant of the current request; identity use cases never run without one. */
export function tenantOf(ctx: RequestContext): string {
  if (!ctx.tenantId) throw new StewardError(ErrorCode.Unauthenticated, 'This operation needs a tenant credential');
  return ctx.tenantId;
}

/**
 * Services check access first (the gateway checks too: defence in depth). Partner keys
 * never manage identity.
 */
export function requireRole(ctx: RequestContext, roles: readonly Role[]): Extract<Actor, { kind: 'user' }> {
  const actor = ctx.actor;
  if (actor.kind !== 'user') throw new StewardError(ErrorCode.Forbidden, 'Only portal users may do this', { requiredRoles: roles });
  if (!roles.includes(actor.role)) throw new StewardError(ErrorCode.Forbidden, `Requires one of the roles: ${roles.join(', ')}`, { requiredRoles: roles, role: actor.role });
  return actor;
}

export function requireOperator(ctx: RequestContext): void {
  if (ctx.actor.kind !== 'operator') throw new StewardError(ErrorCode.Forbidden, 'Only the platform operator may do this');
}

export const ANY_ROLE: readonly Role[] = ['admin', 'manager', 'csm', 'agent', 'viewer'];
