import { ErrorCode, Role, StewardError } from '@steward/contracts';
import { capabilityAuthorizer } from '@steward/service-kit';

/**
 * What a caller may do in the catalog. Tenant users by role; partner API keys read the
 * published catalog at their prices and sell (subscriptions, trials) to the accounts they lead,
 * which the database enforces: their transactions run as the partner role (ADR 3).
 */
export type Capability = 'read' | 'manage-catalog' | 'sell' | 'meter' | 'settle';

const USER_ROLES: Record<Capability, readonly Role[]> = {
  read: ['admin', 'manager', 'csm', 'agent', 'viewer'],
  'manage-catalog': ['admin', 'manager'],
  sell: ['admin', 'manager', 'csm'],
  meter: ['admin', 'manager'],
  settle: ['admin', 'manager'],
};
const PARTNER_CAPABILITIES: readonly Capability[] = ['read', 'sell'];

/** Checks the caller may do this and returns the scope its transaction must run in. */
export const authorize = capabilityAuthorizer<Capability>({ users: USER_ROLES, partners: PARTNER_CAPABILITIES });

/** A 400 naming one field and the rule it breaks. */
export const fieldError = (field: string, rule: string, message: string) => StewardError.validation([{ field, rule, message }]);

/** A 409: the thing exists but is in a state that does not allow this. */
export const invalidState = (field: string, message: string) =>
  new StewardError(ErrorCode.CatalogInvalidState, message, { errors: [{ field, rule: 'state', message }] });

export const codeTaken = (what: string, code: string) =>
  new StewardError(ErrorCode.CatalogCodeTaken, `Another ${what} already has the code "${code}"`, { errors: [{ field: 'code', rule: 'unique', message: `is already used by another ${what}` }] });

export const staleVersion = (what: string, expected: number, actual: number) =>
  new StewardError(ErrorCode.StaleVersion, `The ${what} changed since version ${expected}: read it again`, {
    errors: [{ field: 'expectedVersion', rule: 'current-version', message: `is ${expected}, the ${what} is at version ${actual}` }],
  });

/**
 * A 404 for an id that is not visible in the caller's scope (unknown, another tenant's, or an
 * account another partner leads: never a 403), naming the field that carried it.
 */
export const notFound = (entity: string, id: string, field = 'id') =>
  new StewardError(ErrorCode.NotFound, `${entity} ${id} was not found`, { entity, id, errors: [{ field, rule: 'exists', message: `no ${entity} ${id} here` }] });

/** Milliseconds → ISO instant; Date → ISO. */
export const iso = (d: Date | number | string): string => new Date(d).toISOString();
