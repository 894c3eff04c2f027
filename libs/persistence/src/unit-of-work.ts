import { escapeLiteral, type PoolClient, type QueryResult } from 'pg';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { claimKey, currentKeyedWrite } from './keyed-write';
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
    return this.run({ tenantId, partnerId: null }, [setConfig([[TENANT_SETTING, tenantId]])], work);
  }

  /**
   * Tenant work on behalf of a partner API key: policies that know `app.partner_id`
   * narrow the rows further to what that partner leads.
   */
  forScope<T>(scope: Scope, work: (tx: Tx) => Promise<T>): Promise<T> {
    if (!scope.partnerId) return this.forTenant(scope.tenantId, work);
    const role = this.partnerRole;
    if (!role) throw new Error('this unit of work has no partner role: partner-scoped work is not possible');
    // Separate roles, not one policy with "partner unset OR …": that OR made PostgreSQL
    // misestimate every tenant query (docs/benchmarks.md, accounts slice).
    const settings = setConfig([
      [TENANT_SETTING, scope.tenantId],
      [PARTNER_SETTING, scope.partnerId],
    ]);
    return this.run({ tenantId: scope.tenantId, partnerId: scope.partnerId }, [`SET LOCAL ROLE ${ident(role)}`, settings], work);
  }

  /**
   * One scoped transaction. Inside a request with an idempotency key (keyed-write.ts), the
   * first transaction in the request's tenant claims the key and stays open until the kit
   * settles it; later units of work of the same scope in that request join it.
   */
  private run<T>(scope: Scope, opening: readonly string[], work: (tx: Tx) => Promise<T>): Promise<T> {
    const keyed = currentKeyedWrite();
    if (keyed && keyed.write.tenantId === scope.tenantId) {
      const scopeKey = `${scope.tenantId}|${scope.partnerId ?? ''}`;
      if (!keyed.open) return openKeyedTransaction(this.dataSource, opening, scope, scopeKey, keyed, work);
      if (keyed.open.scopeKey === scopeKey) return work(bind(keyed.open.em, scope));
    }
    return inTransaction(this.dataSource, opening, (em) => work(bind(em, scope)));
  }

  /** Platform-level work with no tenant set: tenant tables show no rows at all. */
  withoutTenant<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return inTransaction(this.dataSource, [], (em) => work(em));
  }
}

/**
 * Runs `work` in one transaction on a pooled connection of `dataSource`: `START
 * TRANSACTION` and the `opening` statements (no parameters) go to PostgreSQL as one simple
 * query, one round trip instead of one per statement; `work` gets the entity manager of the
 * connection's TypeORM query runner and the rows of each opening statement; then COMMIT, or
 * ROLLBACK if anything threw. Commit hooks ({@link afterCommit}) run after the COMMIT.
 *
 * This is `DataSource.transaction` without its layers around each statement and its
 * separate round trips: the write path's statements are cheap, so round trips were a large
 * part of a service's CPU (docs/benchmarks.md). TypeORM's transaction events are not
 * broadcast (no subscribers are registered anywhere).
 */
export async function inTransaction<T>(dataSource: DataSource, opening: readonly string[], work: (em: EntityManager, opened: unknown[][]) => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  const hooks: Array<() => void> = [];
  let result: T;
  try {
    const client = (await runner.connect()) as PoolClient;
    try {
      const begun: QueryResult | QueryResult[] = await client.query(['START TRANSACTION', ...opening].join('; '));
      markTransaction(runner, true);
      commitHooks.set(runner.manager, hooks);
      result = await work(
        runner.manager,
        (Array.isArray(begun) ? begun : [begun]).slice(1).map((r) => r.rows as unknown[]),
      );
      await client.query('COMMIT');
    } catch (err) {
      // The original error wins over a failed rollback (as in TypeORM's transaction).
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      markTransaction(runner, false);
    }
  } finally {
    await runner.release();
  }
  for (const hook of hooks) hook();
  return result;
}

/**
 * The keyed transaction of a request: opened like {@link inTransaction}, the key claimed
 * first, then the work; on success it stays open (bound to the request) until the kit
 * stores the reply and commits it, or rolls it back.
 */
async function openKeyedTransaction<T>(
  dataSource: DataSource,
  opening: readonly string[],
  scope: Scope,
  scopeKey: string,
  keyed: NonNullable<ReturnType<typeof currentKeyedWrite>>,
  work: (tx: Tx) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  const hooks: Array<() => void> = [];
  let client: PoolClient;
  try {
    client = (await runner.connect()) as PoolClient;
  } catch (err) {
    await runner.release();
    throw err;
  }
  let ended = false;
  const end = async (statement: 'COMMIT' | 'ROLLBACK') => {
    if (ended) return;
    ended = true;
    keyed.bind(undefined);
    try {
      if (statement === 'COMMIT') await client.query('COMMIT');
      else await client.query('ROLLBACK').catch(() => undefined);
    } finally {
      markTransaction(runner, false);
      await runner.release();
    }
    if (statement === 'COMMIT') for (const hook of hooks) hook();
  };
  try {
    await client.query(['START TRANSACTION', ...opening].join('; '));
    markTransaction(runner, true);
    commitHooks.set(runner.manager, hooks);
    await claimKey(runner.manager, keyed.write);
    keyed.bind({ em: runner.manager, scopeKey, commit: () => end('COMMIT'), rollback: () => end('ROLLBACK') });
    return await work(bind(runner.manager, scope));
  } catch (err) {
    await end('ROLLBACK');
    throw err;
  }
}

/**
 * `SELECT set_config(name, value, true), …` with the values as literals: parameters would
 * need the extended protocol, which allows one statement per round trip. `escapeLiteral`
 * quotes any string safely, so the setting receives exactly the given value.
 */
function setConfig(pairs: ReadonlyArray<readonly [string, string]>): string {
  return `SELECT ${pairs.map(([name, value]) => `set_config(${escapeLiteral(name)}, ${escapeLiteral(value)}, true)`).join(', ')}`;
}

/**
 * Tells the query runner a transaction is open, as its own `startTransaction` would: TypeORM
 * code run inside the work (`save()`, a nested `transaction()`) then uses savepoints instead
 * of opening or committing a transaction of its own.
 */
function markTransaction(runner: QueryRunner, active: boolean): void {
  const state = runner as unknown as { isTransactionActive: boolean; transactionDepth: number };
  state.isTransactionActive = active;
  state.transactionDepth = active ? 1 : 0;
}

function bind(em: EntityManager, scope: Scope): Tx {
  return Object.defineProperty(em, 'scope', { value: Object.freeze(scope), enumerable: false, configurable: true }) as Tx;
}
