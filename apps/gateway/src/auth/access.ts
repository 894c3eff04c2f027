import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity } from '@nestjs/swagger';
import { ApiKeyScope, ROLES, Role } from '@steward/contracts';

/** Who may call a route. Routes without @Access are refused: access is never implicit. */
export type AccessRule =
  | { kind: 'public' }
  | { kind: 'operator' }
  | { kind: 'users'; roles: readonly Role[]; partners?: boolean }
  | { kind: 'partners' };

/** Metadata key of a route's {@link AccessRule} (read it with Nest's Reflector, e.g. to document who may call a route). */
export const ACCESS = Symbol('steward:access');
/** Metadata key of the API-key scope a route demands, when it is not the one its method implies ({@link requiredScope}). */
export const API_KEY_SCOPE = Symbol('steward:api-key-scope');

export const Public = () => SetMetadata(ACCESS, { kind: 'public' } satisfies AccessRule);
export const OperatorOnly = () => applyDecorators(SetMetadata(ACCESS, { kind: 'operator' } satisfies AccessRule), ApiBearerAuth('operator'));
export const Users = (...roles: Role[]) =>
  applyDecorators(SetMetadata(ACCESS, { kind: 'users', roles: roles.length ? roles : ROLES } satisfies AccessRule), ApiBearerAuth('user'));
export const Partners = () => applyDecorators(SetMetadata(ACCESS, { kind: 'partners' } satisfies AccessRule), ApiSecurity('apiKey'));

/** Portal users with one of the roles, or partner API keys (scoped to what the partner leads). */
export const UsersOrPartners = (...roles: Role[]) =>
  applyDecorators(
    SetMetadata(ACCESS, { kind: 'users', roles: roles.length ? roles : ROLES, partners: true } satisfies AccessRule),
    ApiBearerAuth('user'),
    ApiSecurity('apiKey'),
  );

/**
 * The API-key scope a route needs when its method says otherwise (e.g. a POST that only
 * searches: `@ApiKeyScopeRequired('read')`). Without it: {@link requiredScope}.
 */
export const ApiKeyScopeRequired = (scope: ApiKeyScope) => SetMetadata(API_KEY_SCOPE, scope);

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The scope a partner key needs for a request: the route's own, else `read` for GET/HEAD and `write` for the rest. */
export function requiredScope(method: string, declared?: ApiKeyScope): ApiKeyScope {
  return declared ?? (READ_METHODS.has(method.toUpperCase()) ? 'read' : 'write');
}

/** Which credential kinds a rule accepts (for telling a caller with the wrong kind 403 rather than 401). */
export type CredentialKindName = 'user' | 'api-key' | 'operator';
export function acceptedKinds(rule: AccessRule): readonly CredentialKindName[] {
  switch (rule.kind) {
    case 'public':
      return [];
    case 'operator':
      return ['operator'];
    case 'users':
      return rule.partners ? ['user', 'api-key'] : ['user'];
    case 'partners':
      return ['api-key'];
  }
}
