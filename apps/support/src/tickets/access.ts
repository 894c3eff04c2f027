import { Role, StewardError } from '@steward/contracts';
import { capabilityAuthorizer } from '@steward/service-kit';

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
export const authorize = capabilityAuthorizer<Capability>({ users: USER_ROLES, partners: PARTNER, system: SYSTEM });

export const fieldError = (field: string, rule: string, message: string) => StewardError.validation([{ field, rule, message }]);
