import { Injectable } from '@nestjs/common';
import type { SupportPolicyDocument } from '@steward/support-domain';
import type { Tx } from '@steward/persistence';

export interface PolicyRow {
  version: number;
  document: SupportPolicyDocument;
  comment: string | null;
  createdAt: Date;
  createdBy: string;
}

const COLUMNS = `version, document, comment, created_at AS "createdAt", created_by AS "createdBy"`;

/** Saved versions of a tenant's support policy: append-only, newest wins. */
@Injectable()
export class PolicyRepository {
  async currentVersion(tx: Tx): Promise<number> {
    const [row]: Array<{ v: number | null }> = await tx.query(`SELECT max(version) AS v FROM support.policies`);
    return row?.v ?? 0;
  }

  async find(tx: Tx, version: number): Promise<PolicyRow | null> {
    const [row]: PolicyRow[] = await tx.query(`SELECT ${COLUMNS} FROM support.policies WHERE version = $1`, [version]);
    return row ?? null;
  }

  /** Appends the next version; a concurrent save of the same version fails on the key (the caller retries). */
  async insert(tx: Tx, p: { document: SupportPolicyDocument; comment: string | null; createdAt: Date; createdBy: string }): Promise<PolicyRow> {
    const [row]: PolicyRow[] = await tx.query(
      `INSERT INTO support.policies (tenant_id, version, document, comment, created_at, created_by)
       SELECT $1, coalesce(max(version), 0) + 1, $2, $3, $4, $5 FROM support.policies
       RETURNING ${COLUMNS}`,
      [tx.scope.tenantId, JSON.stringify(p.document), p.comment, p.createdAt, p.createdBy],
    );
    return row;
  }
}
