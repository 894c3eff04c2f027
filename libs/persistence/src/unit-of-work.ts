import { DataSource, EntityManager } from 'typeorm';
import { PARTNER_SETTING, TENANT_SETTING } from './rls';
import { ident } from './roles';

const commitHooks = new WeakMap<EntityManager, Array<() => void>>();

/** The rows a transaction may touch: a tenant, narrowed to one partner for partner API keys. */
export interface Scope {
  tenantId: string;
  partnerId?: string | null;
}

/**
 * A transaction bound to a scope: the entity manager whose every statement row-level
 * security filters to `scope`. Repositories take a `Tx`, never a bare EntityManager, so a
 * query cannot run outside a scoped unit of work without saying so (`withoutTenant`).
 */
export type Tx = EntityManager & { readonly scope: Readonly<Scope> };

/**
 * Runs `fn` once the transaction behind `em` has committed (never if it rolls back).
 * Outside a UnitOfWork transaction it runs on the next tick.
 */
export function afterCommit(em: EntityManager, fn: () => void): void {
  const hooks = commitHooks.get(em);
  if (hooks) hooks.push(fn);
  else setImmediate(fn);
}

/**
 * One use case = one transaction. For tenant work the transaction first sets the tenant
 * (transaction-local), so row-level security scopes every statement in it, including
 * hand-written SQL.
 */
export class UnitOfWork {
  /**
   * @param partnerRole the role partner transactions switch to (`SET LOCAL ROLE`); its
   * policies, not the runtime role's, apply to them. The login role must be a member.
   */
  constructor(
    readonly dataSource: DataSource,
    private readonly partnerRole?: string,
  ) {}

  forTenant<T>(tenantId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.transaction(async (em) => {
      await em.query(`SELECT set_config('${TENANT_SETTING}', $1, true)`, [tenantId]);
      return work(bind(em, { tenantId, partnerId: null }));
    });
  }

  /**
   * Tenant work on behalf of a partner API key: policies that know `app.partner_id`
   * narrow the rows further to what that partner leads.
   */
  forScope<T>(scope: Scope, work: (tx: Tx) => Promise<T>): Promise<T> {
    if (!scope.partnerId) return this.forTenant(scope.tenantId, work);
    const role = this.partnerRole;
    if (!role) throw new Error('this unit of work has no partner role: partner-scoped work is not possible');
    return this.transaction(async (em) => {
      // Separate roles, not one policy with "partner unset OR …": that OR made PostgreSQL
      // misestimate every tenant query (docs/benchmarks.md, accounts slice).
      await em.query(`SET LOCAL ROLE ${ident(role)}`);
      await em.query(`SELECT set_config('${TENANT_SETTING}', $1, true), set_config('${PARTNER_SETTING}', $2, true)`, [scope.tenantId, scope.partnerId]);
      return work(bind(em, { tenantId: scope.tenantId, partnerId: scope.partnerId }));
    });
  }

  /** Platform-level work with no tenant set: tenant tables show no rows at all. */
  withoutTenant<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.transaction(work);
  }

  private async transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    let hooks: Array<() => void> = [];
    const result = await this.dataSource.transaction((em) => {
      hooks = [];
      commitHooks.set(em, hooks);
      return work(em);
    });
    for (const hook of hooks) hook();
    return result;
  }
}

function bind(em: EntityManager, scope: Scope): Tx {
  return Object.defineProperty(em, 'scope', { value: Object.freeze(scope), enumerable: false, configurable: true }) as Tx;
}
