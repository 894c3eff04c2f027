import { Injectable } from '@nestjs/common';
import type { ProjectDto } from '@steward/contracts';
import { insertRow, presentColumns, Tx, updateRow } from '@steward/persistence';

const COLUMNS = `p.id, p.account_id AS "accountId", p.name, p.kind, p.size, p.lead, p.partner_id AS "partnerId", p.region,
  to_char(p.go_live_date, 'YYYY-MM-DD') AS "goLiveDate", p.status, p.delivered, p.created_at AS "createdAt", p.updated_at AS "updatedAt"`;
type ProjectRow = Omit<ProjectDto, 'createdAt' | 'updatedAt'> & { createdAt: Date; updatedAt: Date };
const toDto = (r: ProjectRow): ProjectDto => ({ ...r, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString() });

/** Writable project fields → columns. */
export const PROJECT_FIELDS = {
  name: 'name',
  kind: 'kind',
  size: 'size',
  lead: 'lead',
  partnerId: 'partner_id',
  region: 'region',
  goLiveDate: 'go_live_date',
  status: 'status',
  delivered: 'delivered',
} as const;
export type ProjectValues = Partial<Record<keyof typeof PROJECT_FIELDS, unknown>>;

/** Named queries on `accounts.projects` (the installed base). */
@Injectable()
export class ProjectsRepository {
  async find(tx: Tx, id: string, { lock = false } = {}): Promise<ProjectDto | null> {
    const [row]: ProjectRow[] = await tx.query(`SELECT ${COLUMNS} FROM accounts.projects p WHERE p.id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    return row ? toDto(row) : null;
  }

  async ofAccount(tx: Tx, accountId: string): Promise<ProjectDto[]> {
    const rows: ProjectRow[] = await tx.query(`SELECT ${COLUMNS} FROM accounts.projects p WHERE p.account_id = $1 ORDER BY p.id`, [accountId]);
    return rows.map(toDto);
  }

  async insert(tx: Tx, id: string, accountId: string, values: ProjectValues): Promise<void> {
    await insertRow(tx, 'accounts.projects', { id, tenant_id: tx.scope.tenantId, account_id: accountId, ...presentColumns(PROJECT_FIELDS, values) });
  }

  /** Applies the given fields; false when there was nothing to change. */
  async update(tx: Tx, id: string, values: ProjectValues): Promise<boolean> {
    return (await updateRow(tx, 'accounts.projects', id, presentColumns(PROJECT_FIELDS, values))) > 0;
  }

  async delete(tx: Tx, id: string): Promise<void> {
    await tx.query(`DELETE FROM accounts.projects WHERE id = $1`, [id]);
  }
}
