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

/**
 * What a partner API key may do. `read`: GET and HEAD; `write`: every state-changing method
 * (POST, PUT, PATCH, DELETE). A route may ask for another scope than its method implies. The
 * list may grow (e.g. per resource: `accounts:write`): a key holds a set of scope names, and
 * keys issued before scopes existed hold every scope.
 *
 * WARNING: wire names (stored with each key).
 */
export const API_KEY_SCOPES = ['read', 'write'] as const;
export const ApiKeyScope = z.enum(API_KEY_SCOPES);
export type ApiKeyScope = z.infer<typeof ApiKeyScope>;

export const ApiKeyDto = z.object({
  id: Uuid,
  partnerId: Uuid,
  name: z.string(),
  /** The first characters of the key, enough to recognise it in a list. */
  prefix: z.string().describe('The first characters of the key, enough to recognise it in a list'),
  /** What the key may do (see API_KEY_SCOPES). */
  scopes: z.array(ApiKeyScope).describe('What the key may do: read (GET, HEAD), write (POST, PUT, PATCH, DELETE)'),
  createdAt: Instant,
  /** When the key stops working (null: never). A rotated key expires at the end of its overlap. */
  expiresAt: Instant.nullable().describe('When the key stops working (null: never); a rotated key expires at the end of its overlap'),
  lastUsedAt: Instant.nullable(),
  revokedAt: Instant.nullable(),
  /** The key this one was rotated from (null: issued directly). */
  rotatedFromId: Uuid.nullable().describe('The key this one was rotated from (null: issued directly)'),
  /** The key that replaced this one by rotation (null: not rotated). */
  replacedById: Uuid.nullable().describe('The key that replaced this one by rotation (null: not rotated)'),
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
  /** What the key may do; the gateway checks it on every request, cached or not. */
  scopes: z.array(ApiKeyScope),
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
export const GetPartnerRequest = z.strictObject({ id: Uuid });
export type GetPartnerRequest = z.infer<typeof GetPartnerRequest>;

const Scopes = z
  .array(ApiKeyScope)
  .min(1)
  .max(API_KEY_SCOPES.length)
  .refine((s) => new Set(s).size === s.length, 'must not repeat a scope');

export const CreateApiKeyRequest = z.strictObject({
  partnerId: Uuid,
  name: Name,
  expiresAt: z.iso.datetime({ offset: true }).optional(),
  /** What the key may do; every scope when left out. */
  scopes: Scopes.optional().describe('What the key may do (read, write); every scope when left out'),
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
export const GetApiKeyRequest = z.strictObject({ id: Uuid });
export type GetApiKeyRequest = z.infer<typeof GetApiKeyRequest>;
/** Longest overlap a rotation may ask for (the service may allow less: API_KEY_ROTATION_MAX_OVERLAP_SECONDS). */
export const MAX_ROTATION_OVERLAP_SECONDS = 30 * 24 * 3600;
export const RotateApiKeyRequest = z.strictObject({
  id: Uuid,
  /** How long the old key keeps working beside the new one; the service's default when left out (24 h). */
  overlapSeconds: z
    .number()
    .int()
    .min(0)
    .max(MAX_ROTATION_OVERLAP_SECONDS)
    .optional()
    .describe("How long the old key keeps working beside the new one (seconds); the service's default (24 h) when left out"),
  /** The new key's expiry; the old key's when left out, none with null. */
  expiresAt: z.iso.datetime({ offset: true }).nullable().optional().describe("The new key's expiry: the old key's when left out, none with null"),
});
export type RotateApiKeyRequest = z.infer<typeof RotateApiKeyRequest>;
/** The new key (shown once) and the old one with the end of its overlap as its expiry. */
export const RotateApiKeyResponse = CreateApiKeyResponse.extend({
  previous: ApiKeyDto.describe('The rotated key: valid until its expiresAt (the end of the overlap)'),
});
export type RotateApiKeyResponse = z.infer<typeof RotateApiKeyResponse>;

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
/** A key was rotated: `apiKey` is the new key, `previous` the old one with its shortened expiry. */
export const ApiKeyRotatedEvent = z.object({ apiKey: ApiKeyDto, previous: ApiKeyDto });
export type ApiKeyRotatedEvent = z.infer<typeof ApiKeyRotatedEvent>;
