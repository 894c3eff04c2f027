import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Role } from '@steward/contracts';

const timestamp = { type: 'timestamptz' as const };

@Entity({ schema: 'accounts', name: 'tenants' })
export class TenantEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column('text') slug!: string;
  @Column({ ...timestamp, name: 'created_at' }) createdAt!: Date;
}

@Entity({ schema: 'accounts', name: 'users' })
export class UserEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'tenant_id' }) tenantId!: string;
  @Column('text') email!: string;
  @Column('text') name!: string;
  @Column('text') role!: Role;
  @Column({ type: 'text', name: 'password_hash' }) passwordHash!: string;
  @Column('boolean') active!: boolean;
  @Column({ ...timestamp, name: 'created_at' }) createdAt!: Date;
  @Column({ ...timestamp, name: 'updated_at' }) updatedAt!: Date;
}

@Entity({ schema: 'accounts', name: 'partners' })
export class PartnerEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'tenant_id' }) tenantId!: string;
  @Column('text') name!: string;
  @Column('text') kind!: 'reseller' | 'system-integrator' | 'dealer';
  @Column({ type: 'text', nullable: true }) region!: string | null;
  @Column({ type: 'text', name: 'contact_email', nullable: true }) contactEmail!: string | null;
  @Column({ ...timestamp, name: 'created_at' }) createdAt!: Date;
}

@Entity({ schema: 'accounts', name: 'api_keys' })
export class ApiKeyEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'tenant_id' }) tenantId!: string;
  @Column({ type: 'uuid', name: 'partner_id' }) partnerId!: string;
  @Column('text') name!: string;
  @Column('text') prefix!: string;
  @Column({ type: 'bytea', name: 'secret_hash' }) secretHash!: Buffer;
  @Column({ type: 'text', name: 'created_by' }) createdBy!: string;
  @Column({ ...timestamp, name: 'created_at' }) createdAt!: Date;
  @Column({ ...timestamp, name: 'expires_at', nullable: true }) expiresAt!: Date | null;
  @Column({ ...timestamp, name: 'last_used_at', nullable: true }) lastUsedAt!: Date | null;
  @Column({ ...timestamp, name: 'revoked_at', nullable: true }) revokedAt!: Date | null;
}

@Entity({ schema: 'accounts', name: 'refresh_tokens' })
export class RefreshTokenEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'tenant_id' }) tenantId!: string;
  @Column({ type: 'uuid', name: 'user_id' }) userId!: string;
  @Column({ type: 'bytea', name: 'secret_hash' }) secretHash!: Buffer;
  @Column({ ...timestamp, name: 'created_at' }) createdAt!: Date;
  @Column({ ...timestamp, name: 'expires_at' }) expiresAt!: Date;
  @Column({ ...timestamp, name: 'revoked_at', nullable: true }) revokedAt!: Date | null;
}

@Entity({ schema: 'accounts', name: 'audit_log' })
export class AuditEntryEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'tenant_id' }) tenantId!: string;
  @Column({ ...timestamp }) at!: Date;
  @Column('text') actor!: string;
  @Column('text') action!: string;
  @Column({ type: 'text', name: 'entity_type' }) entityType!: string;
  @Column({ type: 'uuid', name: 'entity_id' }) entityId!: string;
  @Column({ type: 'jsonb', nullable: true }) before!: Record<string, unknown> | null;
  @Column({ type: 'jsonb', nullable: true }) after!: Record<string, unknown> | null;
  @Column({ type: 'text', name: 'correlation_id' }) correlationId!: string;
}

export const identityEntities = [TenantEntity, UserEntity, PartnerEntity, ApiKeyEntity, RefreshTokenEntity, AuditEntryEntity];
