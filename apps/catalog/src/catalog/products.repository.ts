import { Injectable } from '@nestjs/common';
import type { ListProductsRequest, ProductDto } from '@steward/contracts';
import { idCursor, returnedRows, toPage, type Tx } from '@steward/persistence';

const COLUMNS = `id, code, kind, purpose, name, description, deliverables, playbook, required_resources AS "requiredResources", status, version,
  created_at AS "createdAt", updated_at AS "updatedAt", published_at AS "publishedAt", retired_at AS "retiredAt"`;

type Row = Omit<ProductDto, 'createdAt' | 'updatedAt' | 'publishedAt' | 'retiredAt'> & { createdAt: Date; updatedAt: Date; publishedAt: Date | null; retiredAt: Date | null };
const toDto = (r: Row): ProductDto => ({
  ...r,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
  publishedAt: r.publishedAt?.toISOString() ?? null,
  retiredAt: r.retiredAt?.toISOString() ?? null,
});

/** Writable product fields → columns (jsonb ones are sent as JSON text). */
export const PRODUCT_COLUMNS = {
  kind: 'kind',
  purpose: 'purpose',
  name: 'name',
  description: 'description',
  deliverables: 'deliverables',
  playbook: 'playbook',
  requiredResources: 'required_resources',
} as const;
export type ProductChanges = Partial<Record<keyof typeof PRODUCT_COLUMNS, unknown>>;
const JSON_FIELDS = new Set(['name', 'description', 'deliverables', 'playbook', 'requiredResources']);
const encode = (field: string, v: unknown) => (JSON_FIELDS.has(field) ? JSON.stringify(v) : v);

/** Named queries on `catalog.products`; every method takes the scope-bound transaction. */
@Injectable()
export class ProductsRepository {
  async insert(tx: Tx, p: { id: string; code: string; at: Date } & Required<ProductChanges>): Promise<ProductDto> {
    const rows = returnedRows<Row>(
      await tx.query(
        `INSERT INTO catalog.products (id, tenant_id, code, kind, purpose, name, description, deliverables, playbook, required_resources, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING ${COLUMNS}`,
        [p.id, tx.scope.tenantId, p.code, p.kind, p.purpose, ...['name', 'description', 'deliverables', 'playbook', 'requiredResources'].map((f) => encode(f, p[f as keyof ProductChanges])), p.at],
      ),
    );
    return toDto(rows[0]);
  }

  async find(tx: Tx, id: string, lock = false): Promise<ProductDto | null> {
    const [row]: Row[] = await tx.query(`SELECT ${COLUMNS} FROM catalog.products WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id]);
    return row ? toDto(row) : null;
  }

  /** Applies changes and bumps the version. */
  async update(tx: Tx, id: string, changes: ProductChanges, at: Date): Promise<ProductDto> {
    const fields = Object.keys(changes).filter((f) => changes[f as keyof ProductChanges] !== undefined) as Array<keyof typeof PRODUCT_COLUMNS>;
    const sets = fields.map((f, i) => `${PRODUCT_COLUMNS[f]} = $${i + 3}`);
    const rows = returnedRows<Row>(
      await tx.query(`UPDATE catalog.products SET ${[...sets, 'updated_at = $2', 'version = version + 1'].join(', ')} WHERE id = $1 RETURNING ${COLUMNS}`, [
        id,
        at,
        ...fields.map((f) => encode(f, changes[f])),
      ]),
    );
    return toDto(rows[0]);
  }

  async setStatus(tx: Tx, id: string, status: 'active' | 'retired', at: Date): Promise<ProductDto> {
    const stamp = status === 'active' ? 'published_at' : 'retired_at';
    const rows = returnedRows<Row>(
      await tx.query(`UPDATE catalog.products SET status = $2, ${stamp} = $3, updated_at = $3, version = version + 1 WHERE id = $1 RETURNING ${COLUMNS}`, [id, status, at]),
    );
    return toDto(rows[0]);
  }

  async list(tx: Tx, q: ListProductsRequest): Promise<{ items: ProductDto[]; nextCursor: string | null }> {
    const after = q.cursor ? idCursor.decode(q.cursor) : null;
    const rows: Row[] = await tx.query(
      `SELECT ${COLUMNS} FROM catalog.products
       WHERE ($2::uuid IS NULL OR id > $2) AND ($3::text IS NULL OR kind = $3) AND ($4::text IS NULL OR purpose = $4) AND ($5::text IS NULL OR status = $5)
       ORDER BY id LIMIT $1`,
      [q.limit + 1, after, q.kind ?? null, q.purpose ?? null, q.status ?? null],
    );
    return toPage(rows, q.limit, toDto, (r) => idCursor.encode(r.id));
  }
}
