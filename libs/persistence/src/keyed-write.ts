import { AsyncLocalStorage } from 'node:async_hooks';
import type { EntityManager } from 'typeorm';
import { ident } from './roles';

/**
 * Exactly-once keyed writes (Idempotency-Key), decided where the write happens.
 *
 * The service kit runs a request that carries an idempotency key inside {@link runKeyedWrite}.
 * The first unit-of-work transaction the request opens in the request's own tenant becomes
 * the keyed transaction: it first claims `(tenant, principal, key)` in the service's
 * `idempotency_keys` table (a concurrent twin waits on that row), then runs the use case,
 * and stays open until the reply is known. The kit then stores the reply in the same
 * transaction and commits ({@link settleKeyedWrite}), so the write, its events and the
 * recorded outcome commit together or not at all. A repeat of the key finds the row and gets
 * the stored reply back ({@link KeyedWriteReplay}) without running the use case again.
 */
export interface KeyedWrite {
  /** The service schema holding `idempotency_keys`. */
  schema: string;
  tenantId: string;
  /** Who the key belongs to: `user:<id>` or `partner:<id>` (keys never cross credentials). */
  principal: string;
  key: string;
  /** Method, route and body of the request: the same key with another request is refused. */
  fingerprint: string;
}

/** The open keyed transaction, once the request has opened it. */
export interface OpenKeyedTransaction {
  em: EntityManager;
  scopeKey: string;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

interface KeyedState {
  write: KeyedWrite;
  open?: OpenKeyedTransaction;
}

const storage = new AsyncLocalStorage<KeyedState>();

/** The stored outcome of an earlier request with the same key: reply with it, do nothing else. */
export class KeyedWriteReplay extends Error {
  constructor(readonly response: unknown) {
    super('replay of a keyed write');
    this.name = 'KeyedWriteReplay';
  }
}

/** The same key was used before by the same principal with a different request. */
export class KeyedWriteMismatch extends Error {
  constructor() {
    super('this idempotency key was used with a different request');
    this.name = 'KeyedWriteMismatch';
  }
}

/** Runs a request's handling with a keyed write pending (see the module comment). */
export function runKeyedWrite<T>(write: KeyedWrite, fn: () => Promise<T>): Promise<T> {
  return storage.run({ write }, fn);
}

/** The pending keyed write of the current request, if any. */
export function currentKeyedWrite(): { write: KeyedWrite; open?: OpenKeyedTransaction; bind(open: OpenKeyedTransaction | undefined): void } | undefined {
  const state = storage.getStore();
  if (!state) return undefined;
  return { write: state.write, open: state.open, bind: (open) => void (state.open = open) };
}

/** A twin of the request (same key) is still being processed after {@link TWIN_WAIT_MS}: retry shortly. */
export class KeyedWriteInProgress extends Error {
  constructor() {
    super('a request with this idempotency key is still in progress');
    this.name = 'KeyedWriteInProgress';
  }
}

/**
 * How long a request waits for a twin with the same key that is still in flight (its claim
 * not yet committed) before it is answered {@link KeyedWriteInProgress}. A twin that commits in
 * time is replayed; one that fails lets the waiting request do the write itself.
 */
export const TWIN_WAIT_MS = 4_000;

/** The keyed transaction's opening sets this; {@link claimKey} lifts it once the key is claimed. */
export const TWIN_WAIT_SETTING = `SET LOCAL lock_timeout = ${TWIN_WAIT_MS}`;

/**
 * Claims the key inside the transaction that is about to do the write (opened with
 * {@link TWIN_WAIT_SETTING}). Throws {@link KeyedWriteReplay} with the stored reply when the key
 * was already settled, {@link KeyedWriteMismatch} when it was settled for another request, or
 * {@link KeyedWriteInProgress} when a twin still holds it after {@link TWIN_WAIT_MS}.
 */
export async function claimKey(em: EntityManager, w: KeyedWrite): Promise<void> {
  const table = `${ident(w.schema)}.idempotency_keys`;
  let claimed: Array<{ key: string | null }>;
  try {
    // The claim waits at most the lock timeout for an uncommitted twin; the same statement then
    // lifts the timeout (evaluated after the claim), so the write itself waits as it always did.
    claimed = await em.query(
      `WITH claimed AS (INSERT INTO ${table} (tenant_id, principal, key, fingerprint) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING key)
       SELECT (SELECT key FROM claimed) AS key, set_config('lock_timeout', '0', true) AS lock_timeout`,
      [w.tenantId, w.principal, w.key, w.fingerprint],
    );
  } catch (err) {
    if ((err as { code?: string }).code === '55P03') throw new KeyedWriteInProgress();
    throw err;
  }
  if (claimed[0]?.key) return;
  // A twin that committed first: its row is settled (claims commit only with their reply).
  const [row] = (await em.query(`SELECT fingerprint, response FROM ${table} WHERE tenant_id = $1 AND principal = $2 AND key = $3`, [w.tenantId, w.principal, w.key])) as Array<{
    fingerprint: string;
    response: unknown;
  }>;
  if (!row) throw new Error(`idempotency key ${w.key} vanished between claim and read`);
  if (row.fingerprint !== w.fingerprint) throw new KeyedWriteMismatch();
  throw new KeyedWriteReplay(row.response);
}

/**
 * Ends the current request's keyed transaction, if one was opened: with the reply stored
 * and committed (`response` given), or rolled back (`undefined`, the use case failed).
 */
export async function settleKeyedWrite(response?: { data: unknown }): Promise<void> {
  const state = storage.getStore();
  const open = state?.open;
  if (!state || !open) return;
  state.open = undefined;
  if (!response) return open.rollback();
  const w = state.write;
  try {
    await open.em.query(`UPDATE ${ident(w.schema)}.idempotency_keys SET response = $4 WHERE tenant_id = $1 AND principal = $2 AND key = $3`, [
      w.tenantId,
      w.principal,
      w.key,
      JSON.stringify(response.data ?? null),
    ]);
  } catch (err) {
    await open.rollback();
    throw err;
  }
  await open.commit();
}
