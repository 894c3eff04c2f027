import { Injectable } from '@nestjs/common';
import type { CatalogSampleDto, Page, PageRequest } from '@steward/contracts';
import { idCursor, insertRow, toPage, Tx } from '@steward/persistence';

const COLUMNS = `id, label, created_by AS "createdBy", created_at AS "createdAt"`;
type SampleRow = Omit<CatalogSampleDto, 'createdAt'> & { createdAt: Date };
const toDto = (r: SampleRow): CatalogSampleDto => ({ ...r, createdAt: r.createdAt.toISOString() });

/** Named queries on `catalog.samples`. Every method takes the scope-bound transaction. */
@Injectable()
export class SampleRepository {
  async insert(tx: Tx, s: { id: string; label: string; createdBy: string; createdAt: Date }): Promise<CatalogSampleDto> {
    const [row] = await insertRow<SampleRow>(tx, 'catalog.samples', { id: s.id, tenant_id: tx.scope.tenantId, label: s.label, created_by: s.createdBy, created_at: s.createdAt }, COLUMNS);
    return toDto(row);
  }

  async list(tx: Tx, q: PageRequest): Promise<Page<CatalogSampleDto>> {
    const cursor = q.cursor ? idCursor.decode(q.cursor) : null;
    const rows: SampleRow[] = await tx.query(`SELECT ${COLUMNS} FROM catalog.samples WHERE ($2::uuid IS NULL OR id > $2) ORDER BY id LIMIT $1`, [q.limit + 1, cursor]);
    return toPage(rows, q.limit, toDto, (r) => idCursor.encode(r.id));
  }
}
