import { Injectable } from '@nestjs/common';
import type { ReadTx, Tx } from '@steward/persistence';
import type { AccountRef, ProjectRef } from './refs';

export type { AccountRef, ProjectRef };

/**
 * Named queries on the read models of accounts, projects and partners. Every method takes the
 * scope-bound transaction: a partner's transaction sees only the accounts it leads.
 */
@Injectable()
export class DirectoryRepository {
  /** Newer versions win; an older event arriving late changes nothing. */
  async upsertAccount(tx: Tx, a: AccountRef & { version: number }): Promise<void> {
    await tx.query(
      `INSERT INTO catalog.accounts (id, tenant_id, name, lead_channel, lead_partner_id, deleted, source_version, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now())
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, lead_channel = EXCLUDED.lead_channel, lead_partner_id = EXCLUDED.lead_partner_id,
         deleted = EXCLUDED.deleted, source_version = EXCLUDED.source_version, updated_at = now()
       WHERE catalog.accounts.source_version <= EXCLUDED.source_version`,
      [a.id, tx.scope.tenantId, a.name, a.leadChannel, a.leadPartnerId, a.deleted, a.version],
    );
  }

  async upsertProject(tx: Tx, p: ProjectRef & { name: string; lead: string; partnerId: string | null; updatedAt: string }): Promise<void> {
    await tx.query(
      `INSERT INTO catalog.projects (id, tenant_id, account_id, name, lead, partner_id, deleted, source_updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (id) DO UPDATE SET account_id = EXCLUDED.account_id, name = EXCLUDED.name, lead = EXCLUDED.lead, partner_id = EXCLUDED.partner_id,
         deleted = EXCLUDED.deleted, source_updated_at = EXCLUDED.source_updated_at
       WHERE catalog.projects.source_updated_at <= EXCLUDED.source_updated_at`,
      [p.id, tx.scope.tenantId, p.accountId, p.name, p.lead, p.partnerId, p.deleted, p.updatedAt],
    );
  }

  async upsertPartner(tx: Tx, p: { id: string; name: string; kind: string }): Promise<void> {
    await tx.query(
      `INSERT INTO catalog.partners (id, tenant_id, name, kind) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind`,
      [p.id, tx.scope.tenantId, p.name, p.kind],
    );
  }

  async account(tx: ReadTx, id: string): Promise<AccountRef | null> {
    const [row]: AccountRef[] = await tx.query(
      `SELECT id, name, lead_channel AS "leadChannel", lead_partner_id AS "leadPartnerId", deleted FROM catalog.accounts WHERE id = $1`,
      [id],
    );
    return row ?? null;
  }

  async project(tx: ReadTx, id: string): Promise<ProjectRef | null> {
    const [row]: ProjectRef[] = await tx.query(`SELECT id, account_id AS "accountId", deleted FROM catalog.projects WHERE id = $1`, [id]);
    return row ?? null;
  }

  async partnerKind(tx: Tx, id: string): Promise<string | null> {
    const [row]: Array<{ kind: string }> = await tx.query(`SELECT kind FROM catalog.partners WHERE id = $1`, [id]);
    return row?.kind ?? null;
  }

  async partnerExists(tx: Tx, id: string): Promise<boolean> {
    return (await this.partnerKind(tx, id)) !== null;
  }
}
