import { ErrorCode, Role, StewardError } from '@steward/contracts';
import type { Scope } from '@steward/persistence';
import type { RequestContext } from '@steward/telemetry';

/**
 * What a caller may do with tickets: `read` them, `raise` them (open, comment: partners and
 * services too), `work` on them (agents: status, assignment, escalation), `manage` (import,
 * policy re-application, vouchers by hand).
 */
export type Capability = 'read' | 'raise' | 'work' | 'manage';

const USER_ROLES: Record<Capability, readonly Role[]> = {
  read: ['admin', 'manager', 'csm', 'agent', 'viewer'],
  raise: ['admin', 'manager', 'csm', 'agent'],
  work: ['admin', 'manager', 'csm', 'agent'],
  manage: ['admin', 'manager'],
};
/** Partner API keys open and follow tickets on the accounts they lead; nothing else. */
const PARTNER: readonly Capability[] = ['read', 'raise'];
/** Other services (the feedback closed loop) open, read and work on tickets. */
const SYSTEM: readonly Capability[] = ['read', 'raise', 'work'];

/** Checks the caller may do this; returns the scope its transaction runs in (partners: their accounts only, by row-level security). */
export function authorize(ctx: RequestContext, capability: Capability): Scope & { partnerId: string | null } {
  if (!ctx.tenantId) throw new StewardError(ErrorCode.Unauthenticated, 'This operation needs a tenant credential');
  const actor = ctx.actor;
  if (actor.kind === 'user') {
    if (!USER_ROLES[capability].includes(actor.role)) throw new StewardError(ErrorCode.Forbidden, `Requires one of the roles: ${USER_ROLES[capability].join(', ')}`);
    return { tenantId: ctx.tenantId, partnerId: null };
  }
  if (actor.kind === 'api-key') {
    if (!PARTNER.includes(capability)) throw new StewardError(ErrorCode.Forbidden, 'Partner API keys may not do this');
    return { tenantId: ctx.tenantId, partnerId: actor.partnerId };
  }
  if (actor.kind === 'system' && SYSTEM.includes(capability)) return { tenantId: ctx.tenantId, partnerId: null };
  throw new StewardError(ErrorCode.Forbidden, 'Only tenant users, partners and services may do this');
}

export const fieldError = (field: string, rule: string, message: string) => StewardError.validation([{ field, rule, message }]);
