import { Injectable } from '@nestjs/common';
import type { TenantDto } from '@steward/contracts';
import { insertRow, Tx } from '@steward/persistence';

const COLUMNS = `id, name, slug, created_at AS "createdAt"`;
type TenantRow = Omit<TenantDto, 'createdAt'> & { createdAt: Date };
const toDto = (r: TenantRow): TenantDto => ({ ...r, createdAt: r.createdAt.toISOString() });

/** Named queries on `accounts.tenants` (row-level security shows a transaction only its own tenant). */
@Injectable()
export class TenantsRepository {
  async insert(tx: Tx, t: { name: string; slug: string }): Promise<TenantDto> {
    const [row] = await insertRow<TenantRow>(tx, 'accounts.tenants', { id: tx.scope.tenantId, name: t.name, slug: t.slug }, COLUMNS);
    return toDto(row);
  }

  /** The tenant's revenue currency, locked for the rest of the transaction (the first revenue batch decides it). */
  async lockCurrency(tx: Tx): Promise<string | null> {
    const [row] = await tx.query(`SELECT currency FROM accounts.tenants WHERE id = $1 FOR UPDATE`, [tx.scope.tenantId]);
    return (row?.currency as string | null) ?? null;
  }

  async setCurrency(tx: Tx, currency: string): Promise<void> {
    await tx.query(`UPDATE accounts.tenants SET currency = $2 WHERE id = $1`, [tx.scope.tenantId, currency]);
  }

  async current(tx: Tx): Promise<TenantDto> {
    const [row]: TenantRow[] = await tx.query(`SELECT ${COLUMNS} FROM accounts.tenants WHERE id = $1`, [tx.scope.tenantId]);
    if (!row) throw new Error(`tenant ${tx.scope.tenantId} has no row`);
    return toDto(row);
  }
}
