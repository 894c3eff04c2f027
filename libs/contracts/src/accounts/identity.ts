import { z } from 'zod';
import { ROLES, type Role } from '../envelope';
import { Email, PageRequest, Uuid } from '../common';

export const RoleSchema = z.enum(ROLES);
export const Password = z.string().min(10, 'must be at least 10 characters').max(200);
export const Slug = z
  .string()
  .min(2)
  .max(40)
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, 'must be lower-case letters, digits and inner hyphens');
const Name = z.string().trim().min(1).max(200);

export interface TenantDto {
  id: string;
  name: string;
  slug: string;
  createdAt: string;
}

export interface UserDto {
  id: string;
  tenantId: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export const PARTNER_KINDS = ['reseller', 'system-integrator', 'dealer'] as const;
export interface PartnerDto {
  id: string;
  tenantId: string;
  name: string;
  kind: (typeof PARTNER_KINDS)[number];
  region: string | null;
  contactEmail: string | null;
  createdAt: string;
}

export interface ApiKeyDto {
  id: string;
  partnerId: string;
  name: string;
  /** The first characters of the key, enough to recognise it in a list. */
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface AuditEntryDto {
  id: string;
  at: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  correlationId: string;
}

// ---- commands and queries ----

export const CreateTenantRequest = z.strictObject({
  name: Name,
  slug: Slug,
  admin: z.strictObject({ email: Email, password: Password, name: Name }),
});
export type CreateTenantRequest = z.infer<typeof CreateTenantRequest>;
export interface CreateTenantResponse {
  tenant: TenantDto;
  admin: UserDto;
}

export const LoginRequest = z.strictObject({ email: Email, password: z.string().min(1).max(200) });
export type LoginRequest = z.infer<typeof LoginRequest>;
/** A successful login or refresh: the gateway signs the access token from it. */
export interface SessionResponse {
  user: UserDto;
  tenant: TenantDto;
  /** Opaque, single-use, rotated on every refresh. */
  refreshToken: string;
  refreshExpiresAt: string;
}

export const RefreshRequest = z.strictObject({ refreshToken: z.string().min(10).max(200) });
export type RefreshRequest = z.infer<typeof RefreshRequest>;
export const LogoutRequest = RefreshRequest;
export type LogoutRequest = RefreshRequest;

export const VerifyApiKeyRequest = z.strictObject({ key: z.string().min(10).max(200) });
export type VerifyApiKeyRequest = z.infer<typeof VerifyApiKeyRequest>;
export interface VerifiedApiKey {
  tenantId: string;
  partnerId: string;
  keyId: string;
  name: string;
}

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
export interface CreateApiKeyResponse {
  apiKey: ApiKeyDto;
  /** The full key. Shown once: only its hash is stored. */
  key: string;
}
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

export interface TenantCreatedEvent {
  tenant: TenantDto;
}
export interface UserChangedEvent {
  user: UserDto;
}
export interface PartnerCreatedEvent {
  partner: PartnerDto;
}
export interface ApiKeyChangedEvent {
  apiKey: ApiKeyDto;
}
