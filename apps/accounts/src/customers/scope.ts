import { ErrorCode, Role, StewardError } from '@steward/contracts';
import type { RequestContext } from '@steward/telemetry';

/** The rows a caller may touch: a tenant, narrowed to one partner for partner API keys. */
export interface Scope {
  tenantId: string;
  partnerId: string | null;
}

export type Capability = 'read' | 'write' | 'delete' | 'import' | 'revenue' | 'tiering';

const USER_ROLES: Record<Capability, readonly Role[]> = {
  read: ['admin', 'manager', 'csm', 'agent', 'viewer'],
  write: ['admin', 'manager', 'csm'],
  delete: ['admin', 'manager'],
  import: ['admin', 'manager'],
  revenue: ['admin', 'manager'],
  tiering: ['admin', 'manager'],
};
/** Partners read and edit the accounts they lead, with their contacts and projects; nothing else. */
const PARTNER_CAPABILITIES: readonly Capability[] = ['read', 'write'];

/** Checks the caller may do this and returns the scope its transaction must run in. */
export function authorize(ctx: RequestContext, capability: Capability): Scope {
  if (!ctx.tenantId) throw new StewardError(ErrorCode.Unauthenticated, 'This operation needs a tenant credential');
  const actor = ctx.actor;
  if (actor.kind === 'user') {
    if (!USER_ROLES[capability].includes(actor.role)) throw new StewardError(ErrorCode.Forbidden, `Requires one of the roles: ${USER_ROLES[capability].join(', ')}`);
    return { tenantId: ctx.tenantId, partnerId: null };
  }
  if (actor.kind === 'api-key') {
    if (!PARTNER_CAPABILITIES.includes(capability)) throw new StewardError(ErrorCode.Forbidden, 'Partner API keys may not do this');
    return { tenantId: ctx.tenantId, partnerId: actor.partnerId };
  }
  if (actor.kind === 'system') return { tenantId: ctx.tenantId, partnerId: null };
  throw new StewardError(ErrorCode.Forbidden, 'Only tenant users, partners and the platform may do this');
}

export const fieldError = (field: string, rule: string, message: string) => StewardError.validation([{ field, rule, message }]);
