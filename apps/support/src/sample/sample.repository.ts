import { Injectable } from '@nestjs/common';
import type { SupportSampleDto, Page, PageRequest } from '@steward/contracts';
import { idCursor, insertRow, toPage, Tx } from '@steward/persistence';

const COLUMNS = `id, label, created_by AS "createdBy", created_at AS "createdAt"`;
type SampleRow = Omit<SupportSampleDto, 'createdAt'> & { createdAt: Date };
const toDto = (r: SampleRow): SupportSampleDto => ({ ...r, createdAt: r.createdAt.toISOString() });

/** Named queries on `support.samples`. Every method takes the scope-bound transaction. */
@Injectable()
export class SampleRepository {
  async insert(tx: Tx, s: { id: string; label: string; createdBy: string; createdAt: Date }): Promise<SupportSampleDto> {
    const [row] = await insertRow<SampleRow>(tx, 'support.samples', { id: s.id, tenant_id: tx.scope.tenantId, label: s.label, created_by: s.createdBy, created_at: s.createdAt }, COLUMNS);
    return toDto(row);
  }

  async list(tx: Tx, q: PageRequest): Promise<Page<SupportSampleDto>> {
    const cursor = q.cursor ? idCursor.decode(q.cursor) : null;
    const rows: SampleRow[] = await tx.query(`SELECT ${COLUMNS} FROM support.samples WHERE ($2::uuid IS NULL OR id > $2) ORDER BY id LIMIT $1`, [q.limit + 1, cursor]);
    return toPage(rows, q.limit, toDto, (r) => idCursor.encode(r.id));
  }
}
