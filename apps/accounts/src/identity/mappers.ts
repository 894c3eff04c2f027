import type { ApiKeyDto, AuditEntryDto, PartnerDto, TenantDto, UserDto } from '@steward/contracts';
import type { ApiKeyEntity, AuditEntryEntity, PartnerEntity, TenantEntity, UserEntity } from './identity.entities';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const toTenantDto = (t: TenantEntity): TenantDto => ({ id: t.id, name: t.name, slug: t.slug, createdAt: t.createdAt.toISOString() });

export const toUserDto = (u: UserEntity): UserDto => ({
  id: u.id,
  tenantId: u.tenantId,
  email: u.email,
  name: u.name,
  role: u.role,
  active: u.active,
  createdAt: u.createdAt.toISOString(),
  updatedAt: u.updatedAt.toISOString(),
});

export const toPartnerDto = (p: PartnerEntity): PartnerDto => ({
  id: p.id,
  tenantId: p.tenantId,
  name: p.name,
  kind: p.kind,
  region: p.region,
  contactEmail: p.contactEmail,
  createdAt: p.createdAt.toISOString(),
});

export const toApiKeyDto = (k: ApiKeyEntity): ApiKeyDto => ({
  id: k.id,
  partnerId: k.partnerId,
  name: k.name,
  prefix: k.prefix,
  createdAt: k.createdAt.toISOString(),
  expiresAt: iso(k.expiresAt),
  lastUsedAt: iso(k.lastUsedAt),
  revokedAt: iso(k.revokedAt),
});

export const toAuditDto = (a: AuditEntryEntity): AuditEntryDto => ({
  id: a.id,
  at: a.at.toISOString(),
  actor: a.actor,
  action: a.action,
  entityType: a.entityType,
  entityId: a.entityId,
  before: a.before,
  after: a.after,
  correlationId: a.correlationId,
});
