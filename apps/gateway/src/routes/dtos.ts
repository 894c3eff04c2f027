import { z } from 'zod';
import { createZodDto } from 'nestjs-zod';
import { CreateApiKeyRequest, CreatePartnerRequest, CreateTenantRequest, CreateUserRequest, Cursor, LoginRequest, RefreshRequest, RoleSchema, RotateApiKeyRequest, UpdateUserRequest } from '@steward/contracts';

// HTTP bodies reuse the NATS contract schemas; path ids come from the URL, never the body.
export class LoginBody extends createZodDto(LoginRequest) {}
export class RefreshBody extends createZodDto(RefreshRequest) {}
export class CreateTenantBody extends createZodDto(CreateTenantRequest) {}
export class CreateUserBody extends createZodDto(CreateUserRequest) {}
export class UpdateUserBody extends createZodDto(UpdateUserRequest.omit({ id: true })) {}
export class CreatePartnerBody extends createZodDto(CreatePartnerRequest) {}
export class CreateApiKeyBody extends createZodDto(CreateApiKeyRequest.omit({ partnerId: true })) {}
export class RotateApiKeyBody extends createZodDto(RotateApiKeyRequest.omit({ id: true })) {}

const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: Cursor.optional(),
});
export class PageQueryDto extends createZodDto(PageQuery) {}
export class UsersQuery extends createZodDto(
  PageQuery.extend({
    role: RoleSchema.optional(),
    active: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
  }),
) {}
export class AuditQuery extends createZodDto(PageQuery.extend({ entityType: z.string().max(50).optional(), entityId: z.uuid().optional() })) {}
