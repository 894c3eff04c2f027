import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity } from '@nestjs/swagger';
import { ROLES, Role } from '@steward/contracts';

/** Who may call a route. Routes without @Access are refused: access is never implicit. */
export type AccessRule =
  | { kind: 'public' }
  | { kind: 'operator' }
  | { kind: 'users'; roles: readonly Role[]; partners?: boolean }
  | { kind: 'partners' };

export const ACCESS = Symbol('steward:access');

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
