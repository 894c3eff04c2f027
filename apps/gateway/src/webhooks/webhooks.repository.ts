import type { WebhookAttemptDto, WebhookDeliveryDto, WebhookDeliveryStatus, WebhookEndpointDto } from '@steward/contracts';
import { returnedRows, type ReadTx, Tx } from '@steward/persistence';
import type { DataSource } from 'typeorm';

/**
 * Every statement on the webhook tables (docs/adr/0005-persistence.md). Tenant and partner
 * work takes the scope-bound `Tx` (row-level security narrows it to the tenant, or to a
 * partner's own endpoints); the delivery scheduler's statements take the relay role's
 * DataSource and touch only scheduling columns, across tenants.
 */

const ms = (p: string) => `(${p}::double precision * interval '1 millisecond')`;
const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

interface EndpointRow {
  id: string;
  url: string;
  description: string | null;
  event_types: string[];
  enabled: boolean;
  partner_id: string | null;
  disabled: { at: string; automatic: boolean; reason: string } | null;
  last_disabled: { at: string; automatic: boolean; reason: string } | null;
  consecutive_failures: number;
  failing_since: Date | null;
  last_success_at: Date | null;
  previous_secret_expires_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const ENDPOINT_COLUMNS = `id, url, description, event_types, enabled, partner_id, disabled, last_disabled, consecutive_failures, failing_since,
  last_success_at, CASE WHEN previous_secret_expires_at > now() THEN previous_secret_expires_at END AS previous_secret_expires_at, created_at, updated_at`;

function toEndpoint(r: EndpointRow): WebhookEndpointDto {
  return {
    id: r.id,
    url: r.url,
    description: r.description,
    eventTypes: r.event_types,
    enabled: r.enabled,
    partnerId: r.partner_id,
    disabled: r.disabled,
    lastDisabled: r.last_disabled,
    consecutiveFailures: r.consecutive_failures,
    failingSince: iso(r.failing_since),
    lastSuccessAt: iso(r.last_success_at),
    previousSecretExpiresAt: iso(r.previous_secret_expires_at),
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
  };
}

interface DeliveryRow {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  status: WebhookDeliveryStatus;
  attempt_count: number;
  next_attempt_at: Date | null;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
  delivered_at: Date | null;
}

const DELIVERY_COLUMNS = `id, endpoint_id, event_id, event_type, status, attempt_count, CASE WHEN status = 'pending' THEN next_attempt_at END AS next_attempt_at,
  last_error, created_at, updated_at, delivered_at`;

interface AttemptRow {
  delivery_id: string;
  number: number;
  at: Date;
  duration_ms: number;
  outcome: WebhookAttemptDto['outcome'];
  status_code: number | null;
  error: string | null;
  response_excerpt: string | null;
}

function toAttempt(r: AttemptRow): WebhookAttemptDto {
  return { number: r.number, at: iso(r.at)!, durationMs: r.duration_ms, outcome: r.outcome, statusCode: r.status_code, error: r.error, responseExcerpt: r.response_excerpt };
}

/** Attempts listed per delivery (newest first). */
export const ATTEMPTS_PER_DELIVERY = 50;

/** An endpoint as the fan-out matches it: what it is subscribed to, whose it is, when it was created (µs since the epoch). */
export interface SubscribedEndpoint {
  id: string;
  enabled: boolean;
  partnerId: string | null;
  eventTypes: string[];
  createdAtUs: number;
}

export interface NewEndpoint {
  id: string;
  partnerId: string | null;
  url: string;
  description: string | null;
  eventTypes: string[];
  enabled: boolean;
  sealedSecret: string;
  createdBy: string;
}

export interface EndpointChanges {
  url?: string;
  description?: string | null;
  eventTypes?: string[];
}

/** What an attempt needs, read in the delivery's tenant transaction under its lease. */
export interface AttemptContext {
  deliveryId: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  body: string;
  url: string;
  enabled: boolean;
  sealedSecret: string;
  sealedPreviousSecret: string | null;
  /** The attempt number this one will be (every round together). */
  attemptCount: number;
  roundAttempts: number;
  roundStartedAt: Date | null;
}

export interface ClaimedDelivery {
  id: string;
  tenantId: string;
  leaseToken: string;
}

export interface RecordedAttempt {
  number: number;
  at: Date;
  durationMs: number;
  outcome: WebhookAttemptDto['outcome'];
  statusCode: number | null;
  error: string | null;
  responseExcerpt: string | null;
}

export class WebhooksRepository {
  // ---- endpoints ----

  async insertEndpoint(tx: Tx, e: NewEndpoint): Promise<WebhookEndpointDto> {
    const [row] = returnedRows<EndpointRow>(
      await tx.query(
        `INSERT INTO gateway.webhook_endpoints (id, tenant_id, partner_id, url, description, event_types, enabled, secret, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${ENDPOINT_COLUMNS}`,
        [e.id, tx.scope.tenantId, e.partnerId, e.url, e.description, e.eventTypes, e.enabled, e.sealedSecret, e.createdBy],
      ),
    );
    return toEndpoint(row!);
  }

  async listEndpoints(tx: Tx, limit: number, afterId: string | null): Promise<WebhookEndpointDto[]> {
    const rows: EndpointRow[] = await tx.query(
      `SELECT ${ENDPOINT_COLUMNS} FROM gateway.webhook_endpoints WHERE ($1::uuid IS NULL OR id > $1) ORDER BY id LIMIT $2`,
      [afterId, limit],
    );
    return rows.map(toEndpoint);
  }

  async findEndpoint(tx: Tx, id: string, { lock = false } = {}): Promise<WebhookEndpointDto | null> {
    const [row]: EndpointRow[] = await tx.query(`SELECT ${ENDPOINT_COLUMNS} FROM gateway.webhook_endpoints WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    return row ? toEndpoint(row) : null;
  }

  async updateEndpoint(tx: Tx, id: string, c: EndpointChanges): Promise<WebhookEndpointDto | null> {
    const [row] = returnedRows<EndpointRow>(
      await tx.query(
        `UPDATE gateway.webhook_endpoints SET url = coalesce($2, url), event_types = coalesce($3, event_types),
           description = CASE WHEN $4::boolean THEN $5 ELSE description END, updated_at = now()
         WHERE id = $1 RETURNING ${ENDPOINT_COLUMNS}`,
        [id, c.url ?? null, c.eventTypes ?? null, c.description !== undefined, c.description ?? null],
      ),
    );
    return row ? toEndpoint(row) : null;
  }

  /** Enables an endpoint: its notice moves to `last_disabled`, its failure streak starts over. */
  async enableEndpoint(tx: Tx, id: string): Promise<WebhookEndpointDto | null> {
    const [row] = returnedRows<EndpointRow>(
      await tx.query(
        `UPDATE gateway.webhook_endpoints SET enabled = true, last_disabled = coalesce(disabled, last_disabled), disabled = NULL,
           consecutive_failures = 0, failing_since = NULL, updated_at = now()
         WHERE id = $1 RETURNING ${ENDPOINT_COLUMNS}`,
        [id],
      ),
    );
    return row ? toEndpoint(row) : null;
  }

  /** Disables an endpoint with a notice; its pending deliveries fail with the reason. */
  async disableEndpoint(tx: Tx, id: string, notice: { at: string; automatic: boolean; reason: string }): Promise<WebhookEndpointDto | null> {
    const [row] = returnedRows<EndpointRow>(
      await tx.query(
        `UPDATE gateway.webhook_endpoints SET enabled = false, disabled = $2::jsonb, updated_at = now() WHERE id = $1 RETURNING ${ENDPOINT_COLUMNS}`,
        [id, JSON.stringify(notice)],
      ),
    );
    if (!row) return null;
    await tx.query(
      `UPDATE gateway.webhook_deliveries SET status = 'failed', last_error = $2, lease_owner = NULL, lease_token = NULL, lease_until = NULL, updated_at = now()
       WHERE endpoint_id = $1 AND status = 'pending'`,
      [id, `the endpoint was disabled: ${notice.reason}`.slice(0, 2000)],
    );
    return toEndpoint(row);
  }

  async deleteEndpoint(tx: Tx, id: string): Promise<WebhookEndpointDto | null> {
    const [row] = returnedRows<EndpointRow>(await tx.query(`DELETE FROM gateway.webhook_endpoints WHERE id = $1 RETURNING ${ENDPOINT_COLUMNS}`, [id]));
    return row ? toEndpoint(row) : null;
  }

  async endpointSecrets(tx: Tx, id: string): Promise<{ secret: string; previousSecret: string | null; previousExpiresAt: Date | null } | null> {
    const [row]: Array<{ secret: string; previous_secret: string | null; previous_secret_expires_at: Date | null }> = await tx.query(
      `SELECT secret, previous_secret, previous_secret_expires_at FROM gateway.webhook_endpoints WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return row ? { secret: row.secret, previousSecret: row.previous_secret, previousExpiresAt: row.previous_secret_expires_at } : null;
  }

  /** Stores a new current secret and keeps the old one signing until `overlapSeconds` from now (0: not at all). */
  async rotateSecret(tx: Tx, id: string, sealedSecret: string, sealedPrevious: string, overlapSeconds: number): Promise<WebhookEndpointDto | null> {
    const [row] = returnedRows<EndpointRow>(
      await tx.query(
        `UPDATE gateway.webhook_endpoints SET secret = $2,
           previous_secret = CASE WHEN $4::int > 0 THEN $3 END,
           previous_secret_expires_at = CASE WHEN $4::int > 0 THEN now() + ($4::int * interval '1 second') END,
           updated_at = now()
         WHERE id = $1 RETURNING ${ENDPOINT_COLUMNS}`,
        [id, sealedSecret, sealedPrevious, overlapSeconds],
      ),
    );
    return row ? toEndpoint(row) : null;
  }

  // ---- fan-out ----

  /** Records who leads an account, unless a newer state is known already; true when it was recorded. */
  async upsertAccountLead(tx: Tx, accountId: string, leadPartnerId: string | null, asOf: string): Promise<boolean> {
    const rows = returnedRows(
      await tx.query(
        `INSERT INTO gateway.webhook_account_leads (tenant_id, account_id, lead_partner_id, as_of) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant_id, account_id) DO UPDATE SET lead_partner_id = EXCLUDED.lead_partner_id, as_of = EXCLUDED.as_of
         WHERE webhook_account_leads.as_of <= EXCLUDED.as_of
         RETURNING account_id`,
        [tx.scope.tenantId, accountId, leadPartnerId, asOf],
      ),
    );
    return rows.length > 0;
  }

  /** The lead partners of these accounts as known here (null: no partner); an account absent from the map is unknown. */
  async accountLeads(tx: Tx, accountIds: string[]): Promise<Map<string, string | null>> {
    if (accountIds.length === 0) return new Map();
    const rows: Array<{ account_id: string; lead_partner_id: string | null }> = await tx.query(
      `SELECT account_id, lead_partner_id FROM gateway.webhook_account_leads WHERE account_id = ANY($1::uuid[])`,
      [accountIds],
    );
    return new Map(rows.map((r) => [r.account_id, r.lead_partner_id]));
  }

  /** The tenant's endpoints subscribed to any of these event types (or to all), whoever owns them: `matchingEndpoints` picks per event. */
  async subscribedEndpoints(tx: ReadTx, types: string[]): Promise<SubscribedEndpoint[]> {
    const rows: Array<{ id: string; enabled: boolean; partner_id: string | null; event_types: string[]; created_us: string }> = await tx.query(
      `SELECT id, enabled, partner_id, event_types, floor(extract(epoch FROM created_at) * 1000000)::bigint AS created_us
       FROM gateway.webhook_endpoints WHERE event_types && ($1::text[] || ARRAY['*'])`,
      [types],
    );
    return rows.map((r) => ({ id: r.id, enabled: r.enabled, partnerId: r.partner_id, eventTypes: r.event_types, createdAtUs: Number(r.created_us) }));
  }

  async insertEvent(tx: Tx, e: { id: string; type: string; occurredAt: string; body: string }): Promise<void> {
    await tx.query(`INSERT INTO gateway.webhook_events (tenant_id, id, type, occurred_at, body) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, [
      tx.scope.tenantId,
      e.id,
      e.type,
      e.occurredAt,
      e.body,
    ]);
  }

  /** One delivery per endpoint, unless it exists (idempotent on endpoint and event). Returns the new ones' ids. */
  async insertDeliveries(tx: Tx, eventId: string, eventType: string, rows: Array<{ id: string; endpointId: string; status: 'pending' | 'skipped'; lastError?: string }>): Promise<string[]> {
    if (rows.length === 0) return [];
    const inserted: Array<{ id: string }> = await tx.query(
      `INSERT INTO gateway.webhook_deliveries (id, tenant_id, endpoint_id, event_id, event_type, status, next_attempt_at, last_error)
       SELECT d.id, $1, d.endpoint_id, $2, $3, d.status, CASE WHEN d.status = 'pending' THEN now() END, d.last_error
       FROM unnest($4::uuid[], $5::uuid[], $6::text[], $7::text[]) AS d(id, endpoint_id, status, last_error)
       ON CONFLICT (endpoint_id, event_id) DO NOTHING RETURNING id`,
      [tx.scope.tenantId, eventId, eventType, rows.map((r) => r.id), rows.map((r) => r.endpointId), rows.map((r) => r.status), rows.map((r) => r.lastError ?? null)],
    );
    return inserted.map((r) => r.id);
  }

  // ---- deliveries (API) ----

  async listDeliveries(tx: Tx, endpointId: string, limit: number, beforeId: string | null, status: WebhookDeliveryStatus | undefined): Promise<WebhookDeliveryDto[]> {
    const rows: DeliveryRow[] = await tx.query(
      `SELECT ${DELIVERY_COLUMNS} FROM gateway.webhook_deliveries
       WHERE endpoint_id = $1 AND ($2::uuid IS NULL OR id < $2) AND ($3::text IS NULL OR status = $3)
       ORDER BY id DESC LIMIT $4`,
      [endpointId, beforeId, status ?? null, limit],
    );
    return this.withAttempts(tx, rows);
  }

  async findDelivery(tx: Tx, id: string): Promise<WebhookDeliveryDto | null> {
    const rows: DeliveryRow[] = await tx.query(`SELECT ${DELIVERY_COLUMNS} FROM gateway.webhook_deliveries WHERE id = $1`, [id]);
    const [found] = await this.withAttempts(tx, rows);
    return found ?? null;
  }

  private async withAttempts(tx: Tx, rows: DeliveryRow[]): Promise<WebhookDeliveryDto[]> {
    if (rows.length === 0) return [];
    const attempts: AttemptRow[] = await tx.query(
      `SELECT a.delivery_id, a.number, a.at, a.duration_ms, a.outcome, a.status_code, a.error, a.response_excerpt
       FROM unnest($1::uuid[]) AS d(id)
       CROSS JOIN LATERAL (SELECT * FROM gateway.webhook_attempts a WHERE a.delivery_id = d.id ORDER BY a.number DESC LIMIT ${ATTEMPTS_PER_DELIVERY}) a`,
      [rows.map((r) => r.id)],
    );
    const byDelivery = new Map<string, WebhookAttemptDto[]>();
    for (const a of attempts) {
      const list = byDelivery.get(a.delivery_id) ?? [];
      list.push(toAttempt(a));
      byDelivery.set(a.delivery_id, list);
    }
    return rows.map((r) => ({
      id: r.id,
      endpointId: r.endpoint_id,
      eventId: r.event_id,
      eventType: r.event_type,
      status: r.status,
      attemptCount: r.attempt_count,
      nextAttemptAt: iso(r.next_attempt_at),
      lastError: r.last_error,
      createdAt: iso(r.created_at)!,
      updatedAt: iso(r.updated_at)!,
      deliveredAt: iso(r.delivered_at),
      attempts: byDelivery.get(r.id) ?? [],
    }));
  }

  /** Sends a delivery again: a new round of retries, due now (an attempt in flight keeps its lease). */
  async replayDelivery(tx: Tx, id: string): Promise<boolean> {
    const rows = returnedRows(
      await tx.query(
        `UPDATE gateway.webhook_deliveries SET status = 'pending', round_attempts = 0, round_started_at = NULL, next_attempt_at = now(), updated_at = now()
         WHERE id = $1 RETURNING id`,
        [id],
      ),
    );
    return rows.length > 0;
  }

  /** Replays every delivery of an endpoint created since `since` (failed and skipped ones, or all). */
  async replaySince(tx: Tx, endpointId: string, since: string, include: 'failed' | 'all'): Promise<number> {
    const rows = returnedRows(
      await tx.query(
        `UPDATE gateway.webhook_deliveries SET status = 'pending', round_attempts = 0, round_started_at = NULL, next_attempt_at = now(), updated_at = now()
         WHERE endpoint_id = $1 AND created_at >= $2 AND status <> 'pending' AND ($3::text = 'all' OR status IN ('failed', 'skipped'))
         RETURNING id`,
        [endpointId, since, include],
      ),
    );
    return rows.length;
  }

  // ---- attempts (the delivery worker, in the delivery's tenant transaction) ----

  /** What the attempt needs, if this claim still holds the delivery's lease. */
  async attemptContext(tx: Tx, deliveryId: string, leaseToken: string): Promise<AttemptContext | null> {
    const [row]: Array<{
      id: string;
      endpoint_id: string;
      event_id: string;
      event_type: string;
      body: string;
      url: string;
      enabled: boolean;
      secret: string;
      previous_secret: string | null;
      attempt_count: number;
      round_attempts: number;
      round_started_at: Date | null;
    }> = await tx.query(
      `SELECT d.id, d.endpoint_id, d.event_id, d.event_type, ev.body, e.url, e.enabled, e.secret,
              CASE WHEN e.previous_secret_expires_at > now() THEN e.previous_secret END AS previous_secret,
              d.attempt_count, d.round_attempts, d.round_started_at
       FROM gateway.webhook_deliveries d
       JOIN gateway.webhook_endpoints e ON e.id = d.endpoint_id
       JOIN gateway.webhook_events ev ON ev.tenant_id = d.tenant_id AND ev.id = d.event_id
       WHERE d.id = $1 AND d.lease_token = $2 AND d.status = 'pending'`,
      [deliveryId, leaseToken],
    );
    if (!row) return null;
    return {
      deliveryId: row.id,
      endpointId: row.endpoint_id,
      eventId: row.event_id,
      eventType: row.event_type,
      body: row.body,
      url: row.url,
      enabled: row.enabled,
      sealedSecret: row.secret,
      sealedPreviousSecret: row.previous_secret,
      attemptCount: row.attempt_count,
      roundAttempts: row.round_attempts,
      roundStartedAt: row.round_started_at,
    };
  }

  /** Locks the delivery under this claim's lease token (fenced: a taken-over lease records nothing). */
  async lockLeased(tx: Tx, deliveryId: string, leaseToken: string): Promise<{ attemptCount: number; roundAttempts: number; roundStartedAt: Date | null; endpointId: string } | null> {
    const [row]: Array<{ attempt_count: number; round_attempts: number; round_started_at: Date | null; endpoint_id: string }> = await tx.query(
      `SELECT attempt_count, round_attempts, round_started_at, endpoint_id FROM gateway.webhook_deliveries
       WHERE id = $1 AND lease_token = $2 AND status = 'pending' FOR UPDATE`,
      [deliveryId, leaseToken],
    );
    return row ? { attemptCount: row.attempt_count, roundAttempts: row.round_attempts, roundStartedAt: row.round_started_at, endpointId: row.endpoint_id } : null;
  }

  /** Fails a leased delivery without an attempt (its endpoint was disabled meanwhile). */
  async failLeased(tx: Tx, deliveryId: string, leaseToken: string, reason: string): Promise<void> {
    await tx.query(
      `UPDATE gateway.webhook_deliveries SET status = 'failed', last_error = $3, lease_owner = NULL, lease_token = NULL, lease_until = NULL, updated_at = now()
       WHERE id = $1 AND lease_token = $2 AND status = 'pending'`,
      [deliveryId, leaseToken, reason],
    );
  }

  async insertAttempt(tx: Tx, deliveryId: string, a: RecordedAttempt): Promise<void> {
    await tx.query(
      `INSERT INTO gateway.webhook_attempts (tenant_id, delivery_id, number, at, duration_ms, outcome, status_code, error, response_excerpt)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
      [tx.scope.tenantId, deliveryId, a.number, a.at, a.durationMs, a.outcome, a.statusCode, a.error, a.responseExcerpt],
    );
  }

  /**
   * Settles the delivery after an attempt: succeeded, retried at `retryInMs`, or failed for
   * good (`retryInMs` null). The lease is released either way.
   */
  async settleDelivery(tx: Tx, deliveryId: string, s: { succeeded: boolean; retryInMs: number | null; error: string | null; roundStartedAt: Date }): Promise<void> {
    const status = s.succeeded ? 'succeeded' : s.retryInMs === null ? 'failed' : 'pending';
    await tx.query(
      `UPDATE gateway.webhook_deliveries SET status = $2, attempt_count = attempt_count + 1, round_attempts = round_attempts + 1,
         round_started_at = coalesce(round_started_at, $3), next_attempt_at = CASE WHEN $2 = 'pending' THEN now() + ${ms('$4')} END,
         last_error = $5, delivered_at = CASE WHEN $2 = 'succeeded' THEN now() ELSE delivered_at END,
         lease_owner = NULL, lease_token = NULL, lease_until = NULL, updated_at = now()
       WHERE id = $1`,
      [deliveryId, status, s.roundStartedAt, s.retryInMs ?? 0, s.error],
    );
  }

  /** The endpoint's streak after an attempt; returns the new streak (locked for the caller's decision). */
  async recordEndpointOutcome(tx: Tx, endpointId: string, succeeded: boolean): Promise<{ consecutiveFailures: number; failingSince: Date | null; enabled: boolean } | null> {
    const [row] = returnedRows<{ consecutive_failures: number; failing_since: Date | null; enabled: boolean }>(
      await tx.query(
        succeeded
          ? `UPDATE gateway.webhook_endpoints SET consecutive_failures = 0, failing_since = NULL, last_success_at = now() WHERE id = $1
             RETURNING consecutive_failures, failing_since, enabled`
          : `UPDATE gateway.webhook_endpoints SET consecutive_failures = consecutive_failures + 1, failing_since = coalesce(failing_since, now()) WHERE id = $1
             RETURNING consecutive_failures, failing_since, enabled`,
        [endpointId],
      ),
    );
    return row ? { consecutiveFailures: row.consecutive_failures, failingSince: row.failing_since, enabled: row.enabled } : null;
  }

  // ---- scheduler (relay role, every tenant, scheduling columns only) ----

  /**
   * Claims up to `limit` due deliveries: pending ones whose time has come and that no live
   * lease holds (a lease that expired belonged to a process that died mid-attempt). SKIP
   * LOCKED: replicas claim side by side, never the same delivery.
   */
  async claim(db: DataSource, owner: string, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    return returnedRows<ClaimedDelivery>(
      await db.query(
        `UPDATE gateway.webhook_deliveries d SET lease_owner = $1, lease_token = gen_random_uuid(), lease_until = now() + ${ms('$3')}
         WHERE d.id IN (
           SELECT q.id FROM gateway.webhook_deliveries q
           WHERE q.status = 'pending' AND q.next_attempt_at <= now() AND (q.lease_until IS NULL OR q.lease_until < now())
           ORDER BY q.next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED)
         RETURNING d.id, d.tenant_id AS "tenantId", d.lease_token AS "leaseToken"`,
        [owner, limit, leaseMs],
      ),
    );
  }

  /** Hands a claimed delivery back without an attempt (shutdown). */
  async release(db: DataSource, id: string, leaseToken: string): Promise<void> {
    await db.query(`UPDATE gateway.webhook_deliveries SET lease_owner = NULL, lease_token = NULL, lease_until = NULL WHERE id = $1 AND lease_token = $2`, [id, leaseToken]);
  }

  /** The soonest a pending delivery becomes due (ms from now), for the worker's sleep. */
  async nextDueInMs(db: DataSource): Promise<number | null> {
    const [row]: Array<{ ms: number | null }> = await db.query(
      `SELECT extract(epoch FROM (min(greatest(next_attempt_at, coalesce(lease_until, next_attempt_at))) - now())) * 1000 AS ms
       FROM gateway.webhook_deliveries WHERE status = 'pending'`,
    );
    return row?.ms === null || row?.ms === undefined ? null : Math.max(0, Number(row.ms));
  }

  /** Deletes events older than the retention (their deliveries and attempts go with them), and expired idempotency keys. */
  async prune(db: DataSource, retentionDays: number): Promise<void> {
    await db.query(`DELETE FROM gateway.webhook_events WHERE created_at < now() - ($1::int * interval '1 day')`, [retentionDays]);
    await db.query(`DELETE FROM gateway.idempotency_keys WHERE created_at < now() - interval '24 hours'`);
  }
}
