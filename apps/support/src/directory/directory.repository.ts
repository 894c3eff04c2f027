import { Injectable } from '@nestjs/common';
import type { AccountDto, EntitlementSetDto, PartnerDto, ProjectDto, UserDto } from '@steward/contracts';
import { returnedRows, Tx } from '@steward/persistence';
import type { KnownAccount, KnownEntitlement, KnownProject, KnownUser } from './directory.types';

export type { KnownAccount, KnownEntitlement, KnownProject, KnownUser };

/** The nil uuid: an entitlement set that covers the whole account. */
export const ACCOUNT_WIDE = '00000000-0000-0000-0000-000000000000';

/**
 * The read models: accounts, projects, users, partners and entitlements as their owners
 * published them. Every upsert keeps the newest version it has seen, so events applied in any
 * order (redeliveries, a replay) end in the same rows.
 */
@Injectable()
export class DirectoryRepository {
  async upsertAccount(tx: Tx, a: AccountDto): Promise<void> {
    await tx.query(
      `INSERT INTO support.accounts AS x (tenant_id, id, name, region, tier, lead_channel, lead_partner_id, csm_id, strategic, deleted, source_version, source_updated_at, applied_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, now())
       ON CONFLICT (tenant_id, id) DO UPDATE SET name = EXCLUDED.name, region = EXCLUDED.region, tier = EXCLUDED.tier, lead_channel = EXCLUDED.lead_channel,
         lead_partner_id = EXCLUDED.lead_partner_id, csm_id = EXCLUDED.csm_id, strategic = EXCLUDED.strategic, deleted = EXCLUDED.deleted,
         source_version = EXCLUDED.source_version, source_updated_at = EXCLUDED.source_updated_at, applied_at = now()
       WHERE x.source_version < EXCLUDED.source_version OR (x.source_version = EXCLUDED.source_version AND x.source_updated_at <= EXCLUDED.source_updated_at)`,
      [tx.scope.tenantId, a.id, a.name, a.region, a.tier, a.leadChannel, a.leadPartnerId, a.csmId, a.strategic, a.deletedAt !== null, a.version, a.updatedAt],
    );
  }

  /** A tier change carries no version: it applies to the account as known (a later account event carries the tier too). */
  async setTier(tx: Tx, accountId: string, tier: number): Promise<void> {
    await tx.query(`UPDATE support.accounts SET tier = $2, applied_at = now() WHERE id = $1`, [accountId, tier]);
  }

  async upsertProject(tx: Tx, p: ProjectDto, deleted: boolean): Promise<void> {
    await tx.query(
      `INSERT INTO support.projects AS x (tenant_id, id, account_id, name, kind, size, lead, partner_id, region, status, go_live_date, deleted, source_updated_at, applied_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, now())
       ON CONFLICT (tenant_id, id) DO UPDATE SET account_id = EXCLUDED.account_id, name = EXCLUDED.name, kind = EXCLUDED.kind, size = EXCLUDED.size, lead = EXCLUDED.lead,
         partner_id = EXCLUDED.partner_id, region = EXCLUDED.region, status = EXCLUDED.status, go_live_date = EXCLUDED.go_live_date,
         deleted = x.deleted OR EXCLUDED.deleted, source_updated_at = EXCLUDED.source_updated_at, applied_at = now()
       WHERE x.source_updated_at <= EXCLUDED.source_updated_at OR EXCLUDED.deleted`,
      [tx.scope.tenantId, p.id, p.accountId, p.name, p.kind, p.size, p.lead, p.partnerId, p.region, p.status, p.goLiveDate, deleted, p.updatedAt],
    );
  }

  async upsertUser(tx: Tx, u: UserDto): Promise<void> {
    await tx.query(
      `INSERT INTO support.users AS x (tenant_id, id, name, email, role, active, source_updated_at, applied_at) VALUES ($1, $2, $3, $4, $5, $6, $7, now())
       ON CONFLICT (tenant_id, id) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email, role = EXCLUDED.role, active = EXCLUDED.active,
         source_updated_at = EXCLUDED.source_updated_at, applied_at = now()
       WHERE x.source_updated_at <= EXCLUDED.source_updated_at`,
      [tx.scope.tenantId, u.id, u.name, u.email, u.role, u.active, u.updatedAt],
    );
  }

  async upsertPartner(tx: Tx, p: PartnerDto): Promise<void> {
    await tx.query(
      `INSERT INTO support.partners (tenant_id, id, name, kind, region, applied_at) VALUES ($1, $2, $3, $4, $5, now())
       ON CONFLICT (tenant_id, id) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, region = EXCLUDED.region, applied_at = now()`,
      [tx.scope.tenantId, p.id, p.name, p.kind, p.region],
    );
  }

  async upsertEntitlements(tx: Tx, e: EntitlementSetDto): Promise<void> {
    await tx.query(
      `INSERT INTO support.entitlements AS x (tenant_id, account_id, scope_id, support_level, sla_targets, valid_until, as_of, applied_at) VALUES ($1, $2, $3, $4, $5, $6, $7, now())
       ON CONFLICT (tenant_id, account_id, scope_id) DO UPDATE SET support_level = EXCLUDED.support_level, sla_targets = EXCLUDED.sla_targets,
         valid_until = EXCLUDED.valid_until, as_of = EXCLUDED.as_of, applied_at = now()
       WHERE x.as_of <= EXCLUDED.as_of`,
      [tx.scope.tenantId, e.accountId, e.projectId ?? ACCOUNT_WIDE, e.supportLevel, JSON.stringify(e.slaTargets), e.validUntil, e.asOf],
    );
  }

  async account(tx: Tx, id: string): Promise<KnownAccount | null> {
    const [row]: KnownAccount[] = await tx.query(
      `SELECT id, name, region, tier, lead_channel AS "leadChannel", lead_partner_id AS "leadPartnerId", csm_id AS "csmId", strategic, deleted FROM support.accounts WHERE id = $1`,
      [id],
    );
    return row ? { ...row, tier: Number(row.tier) as 1 | 2 | 3 } : null;
  }

  async project(tx: Tx, id: string): Promise<KnownProject | null> {
    const [row]: KnownProject[] = await tx.query(`SELECT id, account_id AS "accountId", kind, size, lead, region, deleted FROM support.projects WHERE id = $1`, [id]);
    return row ?? null;
  }

  async user(tx: Tx, id: string): Promise<KnownUser | null> {
    const [row]: KnownUser[] = await tx.query(`SELECT id, name, role, active FROM support.users WHERE id = $1`, [id]);
    return row ?? null;
  }

  async userNames(tx: Tx, ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows: Array<{ id: string; name: string }> = await tx.query(`SELECT id, name FROM support.users WHERE id = ANY($1::uuid[])`, [ids]);
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** The project's own set if it has one, else the account-wide one; sets past their validity are ignored. */
  async entitlement(tx: Tx, accountId: string, projectId: string | null, now: Date): Promise<KnownEntitlement | null> {
    const [row]: KnownEntitlement[] = await tx.query(
      `SELECT support_level AS "supportLevel", sla_targets AS "slaTargets" FROM support.entitlements
       WHERE account_id = $1 AND scope_id = ANY($2::uuid[]) AND (valid_until IS NULL OR valid_until > $3)
       ORDER BY (scope_id = $4) LIMIT 1`,
      [accountId, projectId ? [projectId, ACCOUNT_WIDE] : [ACCOUNT_WIDE], now, ACCOUNT_WIDE],
    );
    return row ?? null;
  }

  async counts(tx: Tx): Promise<{ accounts: number; projects: number; users: number; partners: number; entitlements: number; lastAppliedAt: Date | null }> {
    const [row] = returnedRows<{ accounts: string; projects: string; users: string; partners: string; entitlements: string; last: Date | null }>(
      await tx.query(
        `SELECT (SELECT count(*) FROM support.accounts) AS accounts, (SELECT count(*) FROM support.projects) AS projects,
                (SELECT count(*) FROM support.users) AS users, (SELECT count(*) FROM support.partners) AS partners,
                (SELECT count(*) FROM support.entitlements) AS entitlements,
                greatest((SELECT max(applied_at) FROM support.accounts), (SELECT max(applied_at) FROM support.projects), (SELECT max(applied_at) FROM support.users),
                         (SELECT max(applied_at) FROM support.partners), (SELECT max(applied_at) FROM support.entitlements)) AS last`,
      ),
    );
    return {
      accounts: Number(row.accounts),
      projects: Number(row.projects),
      users: Number(row.users),
      partners: Number(row.partners),
      entitlements: Number(row.entitlements),
      lastAppliedAt: row.last,
    };
  }
}
