import { createHash } from 'node:crypto';
import { Client } from 'pg';

/** Distinct statements one connection prepares at most; later ones run unnamed (parsed and planned on every call). */
export const MAX_PREPARED_PER_CONNECTION = 200;

/**
 * What PostgreSQL answers when a prepared statement no longer fits the schema (a migration
 * changed what it returns) or no longer exists (a pooler discarded the session's state).
 */
export function isStalePreparedStatement(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  return (e?.code === '0A000' && /cached plan must not change result type/.test(e.message ?? '')) || e?.code === '26000';
}

type Callback = (err: Error | null, result?: unknown) => void;

/**
 * A pg client that runs a parameterized statement it has seen before on this connection as a
 * named prepared statement: PostgreSQL parses it once per connection and can keep its plan,
 * instead of parsing and planning it on every call (docs/adr/0031-prepared-statements.md).
 * A statement is prepared on its second use, so one-off texts (bulk statements whose text
 * carries a row count) never take a slot, and at most {@link MAX_PREPARED_PER_CONNECTION}
 * are prepared per connection. When PostgreSQL says a prepared statement is stale, the
 * connection forgets all of them (new names from then on) and the error goes to the caller,
 * whose transaction is aborted anyway; the next call prepares afresh.
 */
export class PreparingClient extends Client {
  /** Text → its name once prepared, or null: seen once. */
  private seen = new Map<string, string | null>();
  private prepared = 0;
  private generation = 0;

  override query(config: unknown, values?: unknown, callback?: unknown): never {
    if (typeof config !== 'string' || !Array.isArray(values) || values.length === 0) return super.query(config as never, values as never, callback as never) as never;
    const name = this.nameFor(config);
    if (!name) return super.query(config as never, values as never, callback as never) as never;
    const named = { name, text: config, values };
    if (typeof callback === 'function') {
      return super.query(named as never, ((err: Error | null, result: unknown) => {
        if (err) this.forgetIfStale(err);
        (callback as Callback)(err, result);
      }) as never) as never;
    }
    return (super.query(named as never) as unknown as Promise<unknown>).catch((err: unknown) => {
      this.forgetIfStale(err);
      throw err;
    }) as never;
  }

  private nameFor(text: string): string | null {
    const known = this.seen.get(text);
    if (known === undefined) {
      if (this.seen.size < MAX_PREPARED_PER_CONNECTION * 5) this.seen.set(text, null);
      return null;
    }
    if (known !== null) return known;
    if (this.prepared >= MAX_PREPARED_PER_CONNECTION) return null;
    this.prepared += 1;
    const name = `stw${this.generation}_${createHash('sha1').update(text).digest('base64url').slice(0, 22)}`;
    this.seen.set(text, name);
    return name;
  }

  private forgetIfStale(err: unknown): void {
    if (!isStalePreparedStatement(err)) return;
    this.generation += 1;
    this.seen = new Map();
    this.prepared = 0;
  }
}
