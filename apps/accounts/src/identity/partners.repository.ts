import { Injectable } from '@nestjs/common';
import type { CreatePartnerRequest, Page, PartnerDto, PageRequest } from '@steward/contracts';
import { idCursor, insertRow, returnedRows, toPage, Tx } from '@steward/persistence';

const COLUMNS = `id, tenant_id AS "tenantId", name, kind, region, contact_email AS "contactEmail", created_at AS "createdAt"`;
type PartnerRow = Omit<PartnerDto, 'createdAt'> & { createdAt: Date };
const toDto = (r: PartnerRow): PartnerDto => ({ ...r, createdAt: r.createdAt.toISOString() });

/** Named queries on `accounts.partners`. */
@Injectable()
export class PartnersRepository {
  async insert(tx: Tx, id: string, p: CreatePartnerRequest): Promise<PartnerDto> {
    // One round trip: the row comes back from the INSERT itself.
    const [row] = await insertRow<PartnerRow>(
      tx,
      'accounts.partners',
      { id, tenant_id: tx.scope.tenantId, name: p.name, kind: p.kind, region: p.region ?? null, contact_email: p.contactEmail ?? null },
      COLUMNS,
    );
    return toDto(row);
  }

  async list(tx: Tx, q: PageRequest): Promise<Page<PartnerDto>> {
    const cursor = q.cursor ? idCursor.decode(q.cursor) : null;
    const rows: PartnerRow[] = await tx.query(`SELECT ${COLUMNS} FROM accounts.partners WHERE ($2::uuid IS NULL OR id > $2) ORDER BY id LIMIT $1`, [q.limit + 1, cursor]);
    return toPage(rows, q.limit, toDto, (r) => idCursor.encode(r.id));
  }

  async find(tx: Tx, id: string): Promise<PartnerDto | null> {
    const [row]: PartnerRow[] = await tx.query(`SELECT ${COLUMNS} FROM accounts.partners WHERE id = $1`, [id]);
    return row ? toDto(row) : null;
  }

  async exists(tx: Tx, id: string): Promise<boolean> {
    return returnedRows(await tx.query(`SELECT 1 FROM accounts.partners WHERE id = $1`, [id])).length > 0;
  }
}
