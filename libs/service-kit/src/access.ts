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

/** Who may use each capability of a service: user roles, and which capabilities partner keys and other services get. */
export interface CapabilityRules<C extends string> {
  users: Record<C, readonly Role[]>;
  /** Partner API keys: their transactions run in the partner's scope (row-level security). */
  partners: readonly C[];
  /** Other services calling with a system actor; every capability when absent. */
  system?: readonly C[];
}

/** The rows a caller may touch: a tenant, narrowed to one partner for partner API keys. */
export interface CallerScope {
  tenantId: string;
  partnerId: string | null;
}

/**
 * A service's `authorize(ctx, capability)`: checks the caller may use the capability and
 * returns the scope its transaction must run in (a partner key's is its partner's).
 */
export function capabilityAuthorizer<C extends string>(rules: CapabilityRules<C>): (ctx: RequestContext, capability: C) => CallerScope {
  return (ctx, capability) => {
    const tenantId = tenantOf(ctx);
    const actor = ctx.actor;
    if (actor.kind === 'user') {
      const roles = rules.users[capability];
      if (!roles.includes(actor.role)) throw new StewardError(ErrorCode.Forbidden, `Requires one of the roles: ${roles.join(', ')}`);
      return { tenantId, partnerId: null };
    }
    if (actor.kind === 'api-key') {
      if (!rules.partners.includes(capability)) throw new StewardError(ErrorCode.Forbidden, 'Partner API keys may not do this');
      return { tenantId, partnerId: actor.partnerId };
    }
    if (actor.kind === 'system' && (rules.system ?? [capability]).includes(capability)) return { tenantId, partnerId: null };
    throw new StewardError(ErrorCode.Forbidden, 'Only tenant users, partners and services may do this');
  };
}
