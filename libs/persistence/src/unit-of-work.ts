import { DataSource, EntityManager } from 'typeorm';
import { TENANT_SETTING } from './rls';

/**
 * One use case = one transaction. For tenant work the transaction first sets the tenant
 * (transaction-local), so row-level security scopes every statement in it, including
 * hand-written SQL.
 */
export class UnitOfWork {
  constructor(readonly dataSource: DataSource) {}

  forTenant<T>(tenantId: string, work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (em) => {
      await em.query(`SELECT set_config('${TENANT_SETTING}', $1, true)`, [tenantId]);
      return work(em);
    });
  }

  /** Platform-level work with no tenant set: tenant tables show no rows at all. */
  withoutTenant<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}
