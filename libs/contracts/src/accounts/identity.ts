import { z } from 'zod';
import { ROLES } from '../envelope';
import { Email, PageRequest, Uuid } from '../common';

export const RoleSchema = z.enum(ROLES);
export const Password = z.string().min(10, 'must be at least 10 characters').max(200);
export const Slug = z
  .string()
  .min(2)
  .max(40)
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, 'must be lower-case letters, digits and inner hyphens');
const Name = z.string().trim().min(1).max(200);

const Instant = z.iso.datetime();

export const TenantDto = z.object({ id: Uuid, name: z.string(), slug: z.string(), createdAt: Instant });
export type TenantDto = z.infer<typeof TenantDto>;

export const UserDto = z.object({
  id: Uuid,
  tenantId: Uuid,
  email: z.string(),
  name: z.string(),
  role: RoleSchema,
  active: z.boolean(),
  createdAt: Instant,
  updatedAt: Instant,
});
export type UserDto = z.infer<typeof UserDto>;

export const PARTNER_KINDS = ['reseller', 'system-integrator', 'dealer'] as const;
export const PartnerDto = z.object({
  id: Uuid,
  tenantId: Uuid,
  name: z.string(),
  kind: z.enum(PARTNER_KINDS),
  region: z.string().nullable(),
  contactEmail: z.string().nullable(),
  createdAt: Instant,
});
export type PartnerDto = z.infer<typeof PartnerDto>;

export const ApiKeyDto = z.object({
  id: Uuid,
  partnerId: Uuid,
  name: z.string(),
  /** The first characters of the key, enough to recognise it in a list. */
  prefix: z.string().describe('The first characters of the key, enough to recognise it in a list'),
  createdAt: Instant,
  expiresAt: Instant.nullable(),
  lastUsedAt: Instant.nullable(),
  revokedAt: Instant.nullable(),
});
export type ApiKeyDto = z.infer<typeof ApiKeyDto>;

export const AuditEntryDto = z.object({
  id: Uuid,
  at: Instant,
  actor: z.string(),
  action: z.string(),
  entityType: z.string(),
  entityId: Uuid,
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
  correlationId: z.string(),
});
export type AuditEntryDto = z.infer<typeof AuditEntryDto>;

// ---- commands and queries ----

export const CreateTenantRequest = z.strictObject({
  name: Name,
  slug: Slug,
  admin: z.strictObject({ email: Email, password: Password, name: Name }),
});
export type CreateTenantRequest = z.infer<typeof CreateTenantRequest>;
export const CreateTenantResponse = z.object({ tenant: TenantDto, admin: UserDto });
export type CreateTenantResponse = z.infer<typeof CreateTenantResponse>;

export const LoginRequest = z.strictObject({ email: Email, password: z.string().min(1).max(200) });
export type LoginRequest = z.infer<typeof LoginRequest>;
/** A successful login or refresh: the gateway signs the access token from it. */
export const SessionResponse = z.object({
  user: UserDto,
  tenant: TenantDto,
  /** Opaque, single-use, rotated on every refresh. */
  refreshToken: z.string(),
  refreshExpiresAt: Instant,
});
export type SessionResponse = z.infer<typeof SessionResponse>;

export const RefreshRequest = z.strictObject({ refreshToken: z.string().min(10).max(200) });
export type RefreshRequest = z.infer<typeof RefreshRequest>;
export const LogoutRequest = RefreshRequest;
export type LogoutRequest = RefreshRequest;

export const VerifyApiKeyRequest = z.strictObject({ key: z.string().min(10).max(200) });
export type VerifyApiKeyRequest = z.infer<typeof VerifyApiKeyRequest>;
export const VerifiedApiKey = z.object({
  tenantId: Uuid,
  partnerId: Uuid,
  keyId: Uuid,
  name: z.string(),
  /** When the key stops working (null: never); the gateway caches a verified key no longer than this. */
  expiresAt: Instant.nullable(),
});
export type VerifiedApiKey = z.infer<typeof VerifiedApiKey>;

export const GetUserRequest = z.strictObject({ id: Uuid });
export type GetUserRequest = z.infer<typeof GetUserRequest>;
export const ListUsersRequest = PageRequest.extend({ role: RoleSchema.optional(), active: z.boolean().optional() });
export type ListUsersRequest = z.infer<typeof ListUsersRequest>;
export const CreateUserRequest = z.strictObject({ email: Email, name: Name, role: RoleSchema, password: Password });
export type CreateUserRequest = z.infer<typeof CreateUserRequest>;
export const UpdateUserRequest = z.strictObject({
  id: Uuid,
  name: Name.optional(),
  role: RoleSchema.optional(),
  active: z.boolean().optional(),
  password: Password.optional(),
});
export type UpdateUserRequest = z.infer<typeof UpdateUserRequest>;

export const ListPartnersRequest = PageRequest;
export type ListPartnersRequest = z.infer<typeof ListPartnersRequest>;
export const CreatePartnerRequest = z.strictObject({
  name: Name,
  kind: z.enum(PARTNER_KINDS),
  region: z.string().trim().min(1).max(100).optional(),
  contactEmail: Email.optional(),
});
export type CreatePartnerRequest = z.infer<typeof CreatePartnerRequest>;

export const CreateApiKeyRequest = z.strictObject({
  partnerId: Uuid,
  name: Name,
  expiresAt: z.iso.datetime({ offset: true }).optional(),
});
export type CreateApiKeyRequest = z.infer<typeof CreateApiKeyRequest>;
export const CreateApiKeyResponse = z.object({
  apiKey: ApiKeyDto,
  /** The full key. Shown once: only its hash is stored. */
  key: z.string().describe('The full key. Shown once: only its hash is stored.'),
});
export type CreateApiKeyResponse = z.infer<typeof CreateApiKeyResponse>;
export const ListApiKeysRequest = PageRequest.extend({ partnerId: Uuid });
export type ListApiKeysRequest = z.infer<typeof ListApiKeysRequest>;
export const RevokeApiKeyRequest = z.strictObject({ id: Uuid });
export type RevokeApiKeyRequest = z.infer<typeof RevokeApiKeyRequest>;

export const ListAuditRequest = PageRequest.extend({
  entityType: z.string().max(50).optional(),
  entityId: Uuid.optional(),
});
export type ListAuditRequest = z.infer<typeof ListAuditRequest>;

// ---- events ----

export const TenantCreatedEvent = z.object({ tenant: TenantDto });
export type TenantCreatedEvent = z.infer<typeof TenantCreatedEvent>;
export const UserChangedEvent = z.object({ user: UserDto });
export type UserChangedEvent = z.infer<typeof UserChangedEvent>;
export const PartnerCreatedEvent = z.object({ partner: PartnerDto });
export type PartnerCreatedEvent = z.infer<typeof PartnerCreatedEvent>;
export const ApiKeyChangedEvent = z.object({ apiKey: ApiKeyDto });
export type ApiKeyChangedEvent = z.infer<typeof ApiKeyChangedEvent>;
