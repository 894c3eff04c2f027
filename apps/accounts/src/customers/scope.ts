import { Role, StewardError } from '@steward/contracts';
import { capabilityAuthorizer } from '@steward/service-kit';

/** The rows a caller may touch: a tenant, narrowed to one partner for partner API keys. */
export interface Scope {
  tenantId: string;
  partnerId: string | null;
}

export type Capability = 'read' | 'write' | 'delete' | 'import' | 'revenue' | 'tiering' | 'override';

const USER_ROLES: Record<Capability, readonly Role[]> = {
  read: ['admin', 'manager', 'csm', 'agent', 'viewer'],
  write: ['admin', 'manager', 'csm'],
  delete: ['admin', 'manager'],
  import: ['admin', 'manager'],
  revenue: ['admin', 'manager'],
  tiering: ['admin', 'manager'],
  /** Pinning an account's tier: managers on any account, a CSM on the accounts he or she looks after (checked by the service). */
  override: ['admin', 'manager', 'csm'],
};
/** Partners read and edit the accounts they lead, with their contacts and projects; nothing else. */
const PARTNER_CAPABILITIES: readonly Capability[] = ['read', 'write'];

/** Checks the caller may do this and returns the scope its transaction must run in. */
export const authorize = capabilityAuthorizer<Capability>({ users: USER_ROLES, partners: PARTNER_CAPABILITIES });

export const fieldError = (field: string, rule: string, message: string) => StewardError.validation([{ field, rule, message }]);
