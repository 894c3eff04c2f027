import { Injectable } from '@nestjs/common';
import type { EntitlementGrant, EntitlementSetDto, Pricing } from '@steward/contracts';
import type { ReadTx, Tx } from '@steward/persistence';

/** A live grant of an account: an active subscription or trial, with what its plan version grants. */
export interface LiveGrant {
  kind: 'subscription' | 'trial';
  id: string;
  productId: string;
  planId: string;
  planVersionId: string;
  projectId: string | null;
  seats: number;
  pricing: Pricing;
  grant: EntitlementGrant;
  validFrom: Date;
  validUntil: Date | null;
}

/** Named queries behind entitlements: the live grants of an account, and the last set published per scope. */
@Injectable()
export class EntitlementsRepository {
  /** Active subscriptions (until their cancellation or term end) and active trials (until they end) of the account, started by `at`. */
  async liveGrants(tx: ReadTx, accountId: string, at: Date): Promise<LiveGrant[]> {
    return tx.query(
      `SELECT 'subscription' AS kind, s.id, s.product_id AS "productId", s.plan_id AS "planId", s.plan_version_id AS "planVersionId", s.project_id AS "projectId",
              s.seats, s.pricing, v.entitlements AS grant, s.current_term_start AS "validFrom",
              CASE WHEN s.cancel_at IS NOT NULL AND (s.current_term_end IS NULL OR s.cancel_at < s.current_term_end) THEN s.cancel_at ELSE s.current_term_end END AS "validUntil"
         FROM catalog.subscriptions s JOIN catalog.plan_versions v ON v.id = s.plan_version_id
        WHERE s.account_id = $1 AND s.status = 'active' AND s.started_at <= $2
       UNION ALL
       SELECT 'trial', t.id, t.product_id, t.plan_id, t.plan_version_id, t.project_id, 0, v.pricing, v.entitlements, t.started_at, t.ends_at
         FROM catalog.trials t JOIN catalog.plan_versions v ON v.id = t.plan_version_id
        WHERE t.account_id = $1 AND t.status = 'active' AND t.started_at <= $2
       ORDER BY "validFrom", id`,
      [accountId, at],
    );
  }

  /** The last published set of each scope of the account ('' = account-wide, else a project id). */
  async published(tx: Tx, accountId: string): Promise<Map<string, EntitlementSetDto>> {
    const rows: Array<{ scopeKey: string; entitlements: EntitlementSetDto }> = await tx.query(
      `SELECT scope_key AS "scopeKey", entitlements FROM catalog.entitlement_sets WHERE account_id = $1`,
      [accountId],
    );
    return new Map(rows.map((r) => [r.scopeKey, r.entitlements]));
  }

  async publish(tx: Tx, accountId: string, scopeKey: string, set: EntitlementSetDto): Promise<void> {
    await tx.query(
      `INSERT INTO catalog.entitlement_sets (tenant_id, account_id, scope_key, entitlements, as_of) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant_id, account_id, scope_key) DO UPDATE SET entitlements = EXCLUDED.entitlements, as_of = EXCLUDED.as_of`,
      [tx.scope.tenantId, accountId, scopeKey, JSON.stringify(set), set.asOf],
    );
  }
}
