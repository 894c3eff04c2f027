import { Injectable } from '@nestjs/common';
import type { ListSubscriptionsRequest, Pricing, SubscriptionDto } from '@steward/contracts';
import { SubscriptionHistoryEntry, SubscriptionRow, toSubscriptionDto } from './subscription.row';

export { toSubscriptionDto, type SubscriptionRow };
import { idCursor, returnedRows, toPage, type Tx } from '@steward/persistence';

const COLUMNS = `id, account_id AS "accountId", project_id AS "projectId", product_id AS "productId", plan_id AS "planId", plan_version_id AS "planVersionId",
  pricing, price_source AS "priceSource", seats, channel, partner_id AS "partnerId", status, started_at AS "startedAt", term_unit AS "termUnit",
  current_term_start AS "currentTermStart", current_term_end AS "currentTermEnd", term_index AS "termIndex", renewal, renewed_until AS "renewedUntil",
  notice_days AS "noticeDays", cancel_at AS "cancelAt", cancellation_reason AS "cancellationReason", ended_at AS "endedAt", trial_id AS "trialId",
  external_ref AS "externalRef", version, created_at AS "createdAt", updated_at AS "updatedAt"`;

export interface NewSubscription {
  id: string;
  accountId: string;
  projectId: string | null;
  productId: string;
  planId: string;
  planVersionId: string;
  pricing: Pricing;
  priceSource: string;
  seats: number;
  channel: string;
  partnerId: string | null;
  startedAt: Date;
  termUnit: 'month' | 'year' | null;
  currentTermEnd: Date | null;
  renewal: 'auto' | 'manual';
  noticeDays: number;
  trialId: string | null;
  externalRef: string | null;
}

/** Columns a change may set (field → column). */
const CHANGEABLE = {
  planId: 'plan_id',
  planVersionId: 'plan_version_id',
  pricing: 'pricing',
  priceSource: 'price_source',
  seats: 'seats',
  status: 'status',
  termIndex: 'term_index',
  currentTermStart: 'current_term_start',
  currentTermEnd: 'current_term_end',
  renewedUntil: 'renewed_until',
  cancelAt: 'cancel_at',
  cancellationReason: 'cancellation_reason',
  endedAt: 'ended_at',
} as const;
export type SubscriptionChanges = Partial<Record<keyof typeof CHANGEABLE, unknown>>;

/**
 * Named queries on `catalog.subscriptions` and its append-only `subscription_history`. A
 * partner's transaction sees (and may write) only subscriptions of the accounts it leads.
 */
@Injectable()
export class SubscriptionsRepository {
  async insert(tx: Tx, s: NewSubscription): Promise<SubscriptionRow> {
    const rows = returnedRows<SubscriptionRow>(
      await tx.query(
        `INSERT INTO catalog.subscriptions (id, tenant_id, account_id, project_id, product_id, plan_id, plan_version_id, pricing, pricing_kind, price_source, seats, channel,
           partner_id, status, started_at, term_unit, current_term_start, current_term_end, renewal, notice_days, trial_id, external_ref, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'active', $14, $15, $14, $16, $17, $18, $19, $20, $14, $14)
         RETURNING ${COLUMNS}`,
        [
          s.id, tx.scope.tenantId, s.accountId, s.projectId, s.productId, s.planId, s.planVersionId, JSON.stringify(s.pricing), s.pricing.kind, s.priceSource, s.seats,
          s.channel, s.partnerId, s.startedAt, s.termUnit, s.currentTermEnd, s.renewal, s.noticeDays, s.trialId, s.externalRef,
        ],
      ),
    );
    return rows[0];
  }

  async find(tx: Tx, id: string, lock = false): Promise<SubscriptionRow | null> {
    const [row]: SubscriptionRow[] = await tx.query(`SELECT ${COLUMNS} FROM catalog.subscriptions WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id]);
    return row ?? null;
  }

  async findByExternalRef(tx: Tx, externalRef: string): Promise<SubscriptionRow | null> {
    const [row]: SubscriptionRow[] = await tx.query(`SELECT ${COLUMNS} FROM catalog.subscriptions WHERE external_ref = $1`, [externalRef]);
    return row ?? null;
  }

  async update(tx: Tx, id: string, changes: SubscriptionChanges, at: Date): Promise<SubscriptionRow> {
    const fields = (Object.keys(changes) as Array<keyof typeof CHANGEABLE>).filter((f) => changes[f] !== undefined);
    const value = (f: keyof typeof CHANGEABLE) => (f === 'pricing' ? JSON.stringify(changes[f]) : changes[f]);
    const rows = returnedRows<SubscriptionRow>(
      await tx.query(
        `UPDATE catalog.subscriptions SET ${[...fields.map((f, i) => `${CHANGEABLE[f]} = $${i + 3}`), 'updated_at = $2', 'version = version + 1'].join(', ')} WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, at, ...fields.map(value)],
      ),
    );
    return rows[0];
  }

  async list(tx: Tx, q: ListSubscriptionsRequest): Promise<{ items: SubscriptionDto[]; nextCursor: string | null }> {
    const after = q.cursor ? idCursor.decode(q.cursor) : null;
    const rows: SubscriptionRow[] = await tx.query(
      `SELECT ${COLUMNS} FROM catalog.subscriptions
       WHERE ($2::uuid IS NULL OR id > $2) AND ($3::uuid IS NULL OR account_id = $3) AND ($4::uuid IS NULL OR plan_id = $4) AND ($5::text IS NULL OR status = $5)
       ORDER BY id LIMIT $1`,
      [q.limit + 1, after, q.accountId ?? null, q.planId ?? null, q.status ?? null],
    );
    return toPage(rows, q.limit, toSubscriptionDto, (r) => idCursor.encode(r.id));
  }

  /** Outcome subscriptions of an account betting on this KPI, active at some point of [from, to). */
  async outcomeByKpi(tx: Tx, accountId: string, kpiKey: string, from: Date, to: Date): Promise<SubscriptionRow[]> {
    return tx.query(
      `SELECT ${COLUMNS} FROM catalog.subscriptions
       WHERE account_id = $1 AND pricing_kind = 'outcome' AND pricing->'kpi'->>'key' = $2 AND started_at < $4 AND (ended_at IS NULL OR ended_at > $3)`,
      [accountId, kpiKey, from, to],
    );
  }

  /** One page (by id) of the tenant's outcome subscriptions settled per `unit` that ran at some point of [from, to). */
  async addHistory(
    tx: Tx,
    h: { id: string; subscriptionId: string; accountId: string; at: Date; event: string; fromStatus: string | null; toStatus: string; details: Record<string, unknown>; actor: string },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO catalog.subscription_history (id, tenant_id, subscription_id, account_id, at, event, from_status, to_status, details, actor) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [h.id, tx.scope.tenantId, h.subscriptionId, h.accountId, h.at, h.event, h.fromStatus, h.toStatus, JSON.stringify(h.details), h.actor],
    );
  }

  async history(tx: Tx, subscriptionId: string): Promise<Array<Omit<SubscriptionHistoryEntry, 'at'> & { at: Date }>> {
    return tx.query(
      `SELECT at, event, from_status AS "fromStatus", to_status AS "toStatus", details, actor FROM catalog.subscription_history WHERE subscription_id = $1 ORDER BY at, id`,
      [subscriptionId],
    );
  }
}
