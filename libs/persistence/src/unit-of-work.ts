import type { PoolClient, QueryResult } from 'pg';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { claimKey, currentKeyedWrite, TWIN_WAIT_SETTING } from './keyed-write';
import { PARTNER_SETTING, TENANT_SETTING } from './rls';
import { ident } from './roles';

const commitHooks = new WeakMap<EntityManager, Array<() => void>>();
/** Each open transaction's deferred writes ({@link deferWrite}), as statements with their parameters inlined. */
const deferredWrites = new WeakMap<EntityManager, string[]>();

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

/** What a read-only use case gets ({@link UnitOfWork.read}): statements in its scope, nothing else. */
export type ReadTx = Pick<Tx, 'query' | 'scope'>;

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
 * A write whose result nobody reads (an event, a history or audit row, an insert whose
 * conflicts nobody maps to an answer), held back and sent together with the transaction's
 * next statement or with its COMMIT, in one round trip: on this platform a round trip costs
 * more than such a statement (docs/adr/0032-deferred-writes.md). The statements run in the
 * order they were issued and before anything issued after them, so what follows (a read,
 * a row-level-security check, a foreign key) sees them as if they had been awaited one by
 * one. A deferred write that fails fails the statement it travels with, and with it the
 * transaction (or the savepoint, {@link withSavepoint}): only use it where the failure needs
 * no answer of its own. Parameters travel inlined ({@link inlineParameters}); a text with a
 * NUL character, which PostgreSQL refuses, is sent at once to fail as it always did, and so is
 * a bulk payload (over 64 KB of text), whose quoting would cost more than the round trip.
 * Outside a unit of work the statement simply runs.
 */
export async function deferWrite(em: EntityManager, sql: string, params: readonly unknown[] = []): Promise<void> {
  const queue = deferredWrites.get(em);
  if (!queue || !inlinable(params)) {
    await em.query(sql, params as unknown[]);
    return;
  }
  queue.push(inlineParameters(sql, params));
}

/** Past this many characters of parameters a write goes at once: quoting a bulk payload costs more than its round trip. */
const DEFER_MAX_CHARS = 64 * 1024;

/** Whether the parameters can travel inlined: no NUL in a text, and not a bulk payload. */
function inlinable(params: readonly unknown[]): boolean {
  let chars = 0;
  const ok = (v: unknown): boolean => {
    if (typeof v === 'string') {
      chars += v.length;
      return chars <= DEFER_MAX_CHARS && !v.includes('\u0000');
    }
    if (Array.isArray(v)) return v.every(ok);
    return true;
  };
  return params.every(ok);
}

/** How many writes wait in `em`'s transaction: a savepoint's mark ({@link dropDeferredSince}). */
export function deferredMark(em: EntityManager): number {
  return deferredWrites.get(em)?.length ?? 0;
}

/** Forgets the writes deferred since `mark` and not sent yet (a savepoint rolled back: they belong to it). */
export function dropDeferredSince(em: EntityManager, mark: number): void {
  const queue = deferredWrites.get(em);
  if (queue && queue.length > mark) queue.length = mark;
}

/**
 * Opens `runner`'s deferred-write queue: every statement the runner sends afterwards first
 * sends the writes waiting (in the same round trip as the COMMIT when that comes first).
 */
function deferringWrites(runner: QueryRunner, client: PoolClient): string[] {
  const queue: string[] = [];
  deferredWrites.set(runner.manager, queue);
  const query = runner.query.bind(runner) as (...args: unknown[]) => Promise<unknown>;
  (runner as unknown as { query: (...args: unknown[]) => Promise<unknown> }).query = async (...args: unknown[]) => {
    if (queue.length > 0) await client.query(queue.splice(0).join('; '));
    return query(...args);
  };
  return queue;
}

/** COMMIT, with the writes still deferred sent ahead of it in the same round trip. */
async function commit(client: PoolClient, queue: string[]): Promise<void> {
  await client.query(queue.length > 0 ? [...queue.splice(0), 'COMMIT'].join('; ') : 'COMMIT');
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

  /**
   * A read-only use case in its scope, one round trip per statement: each statement goes to
   * PostgreSQL as one multi-statement query behind `SET TRANSACTION READ ONLY` and the scope's
   * settings (`SET LOCAL ROLE`, `set_config(…, true)`), which PostgreSQL runs as one implicit
   * transaction: row-level security applies exactly as in {@link forScope}, a write fails, and
   * nothing outlives the statement. No BEGIN and COMMIT round trips: under READ COMMITTED each
   * statement of a transaction has its own snapshot anyway, so a read loses nothing by them.
   * Parameters travel as quoted literals (the simple protocol has no parameters; see
   * {@link inlineParameters}). Statements issued together (`Promise.all`) go in one round
   * trip; one that fails fails them all. One statement per `query`. For lookups on a hot path
   * (docs/benchmarks.md, catalog).
   */
  async read<T>(scope: Scope, work: (tx: ReadTx) => Promise<T>): Promise<T> {
    const settings = [TENANT_SETTING, scope.tenantId] as const;
    const opening = ['SET TRANSACTION READ ONLY'];
    if (scope.partnerId) {
      if (!this.partnerRole) throw new Error('this unit of work has no partner role: partner-scoped work is not possible');
      opening.push(`SET LOCAL ROLE ${ident(this.partnerRole)}`, setConfig([settings, [PARTNER_SETTING, scope.partnerId]]));
    } else opening.push(setConfig([settings]));
    const runner = this.dataSource.createQueryRunner();
    try {
      const client = (await runner.connect()) as PoolClient;
      // Statements issued together (in one tick, e.g. under Promise.all) share a round trip.
      let batch: Array<{ sql: string; resolve(rows: unknown[]): void; reject(err: unknown): void }> = [];
      const flush = async () => {
        const sent = batch;
        batch = [];
        try {
          const results = (await client.query([...opening, ...sent.map((b) => b.sql)].join('; '))) as unknown as QueryResult[];
          sent.forEach((b, i) => b.resolve(results[opening.length + i]!.rows));
        } catch (err) {
          for (const b of sent) b.reject(err);
        }
      };
      const tx = {
        scope: Object.freeze({ tenantId: scope.tenantId, partnerId: scope.partnerId ?? null }),
        query: (sql: string, params?: unknown[]) =>
          new Promise<unknown[]>((resolve, reject) => {
            if (batch.length === 0) queueMicrotask(() => void flush());
            batch.push({ sql: inlineParameters(sql, params ?? []), resolve, reject });
          }),
      } as ReadTx;
      return await work(tx);
    } finally {
      await runner.release();
    }
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
      const queue = deferringWrites(runner, client);
      result = await work(
        runner.manager,
        (Array.isArray(begun) ? begun : [begun]).slice(1).map((r) => r.rows as unknown[]),
      );
      await commit(client, queue);
    } catch (err) {
      // The original error wins over a failed rollback (as in TypeORM's transaction).
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      markTransaction(runner, false);
      deferredWrites.delete(runner.manager);
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
  let queue: string[] = [];
  const end = async (statement: 'COMMIT' | 'ROLLBACK') => {
    if (ended) return;
    ended = true;
    keyed.bind(undefined);
    try {
      if (statement === 'COMMIT') {
        // A deferred write that fails fails the COMMIT it travels with: roll back, or the
        // connection would go back to the pool inside an aborted transaction.
        await commit(client, queue).catch(async (err: unknown) => {
          await client.query('ROLLBACK').catch(() => undefined);
          throw err;
        });
      } else await client.query('ROLLBACK').catch(() => undefined);
    } finally {
      markTransaction(runner, false);
      deferredWrites.delete(runner.manager);
      await runner.release();
    }
    if (statement === 'COMMIT') for (const hook of hooks) hook();
  };
  try {
    await client.query(['START TRANSACTION', ...opening, TWIN_WAIT_SETTING].join('; '));
    markTransaction(runner, true);
    commitHooks.set(runner.manager, hooks);
    queue = deferringWrites(runner, client);
    await claimKey(runner.manager, keyed.write);
    keyed.bind({ em: runner.manager, scopeKey, commit: () => end('COMMIT'), rollback: () => end('ROLLBACK') });
    return await work(bind(runner.manager, scope));
  } catch (err) {
    await end('ROLLBACK');
    throw err;
  }
}

/**
 * `sql` with each `$n` replaced by parameter n as a quoted SQL literal, as node-pg would send
 * it: null and undefined as NULL, a Date as its ISO instant, an array as a PostgreSQL array
 * literal (elements quoted), an object as JSON, anything else as its string; every value is
 * quoted with {@link quoteLiteral}, so PostgreSQL types it from its context exactly as it types an
 * untyped parameter. Only for statements written in code (a `$n` inside a string literal of
 * the statement would be replaced too).
 */
export function inlineParameters(sql: string, params: readonly unknown[]): string {
  return sql.replace(/\$(\d+)/g, (_m, n: string) => {
    const i = Number(n) - 1;
    if (i < 0 || i >= params.length) throw new Error(`no parameter $${n} (${params.length} given)`);
    const v = params[i];
    return v === null || v === undefined ? 'NULL' : quoteLiteral(literalText(v));
  });
}

/**
 * `s` as a SQL string literal, exactly as node-pg's `escapeLiteral` writes it (quotes doubled;
 * with a backslash, an E-string with backslashes doubled), with two native replaces instead
 * of its loop that appends one character at a time: 4–5× faster on a ticket's kilobytes of
 * JSON (docs/benchmarks.md, "Sixth pass"). A property test holds them equal.
 */
export function quoteLiteral(s: string): string {
  const quoted = s.replace(/'/g, "''");
  return s.includes('\\') ? ` E'${quoted.replace(/\\/g, '\\\\')}'` : `'${quoted}'`;
}

function literalText(v: unknown): string {
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return `{${v.map((x) => (x === null || x === undefined ? 'NULL' : Array.isArray(x) ? literalText(x) : `"${literalText(x).replace(/[\\"]/g, '\\$&')}"`)).join(',')}}`;
  if (Buffer.isBuffer(v)) throw new Error('binary parameters cannot be inlined');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/**
 * `SELECT set_config(name, value, true), …` with the values as literals: parameters would
 * need the extended protocol, which allows one statement per round trip. `quoteLiteral`
 * quotes any string safely, so the setting receives exactly the given value.
 */
function setConfig(pairs: ReadonlyArray<readonly [string, string]>): string {
  return `SELECT ${pairs.map(([name, value]) => `set_config(${quoteLiteral(name)}, ${quoteLiteral(value)}, true)`).join(', ')}`;
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
