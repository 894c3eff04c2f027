import type { QueryRunner } from 'typeorm';
import { ident } from './roles';

/**
 * The tenant predicate of every policy. `nullif(…, '')` because a pooled connection
 * reports the setting as '' (not NULL) after a transaction that set it locally ended,
 * and ''::uuid would raise instead of matching nothing (see STACK-NOTES).
 */
export const TENANT_PREDICATE = tenantPredicate('tenant_id');

export function tenantPredicate(column: string): string {
  return `${ident(column)} = nullif(current_setting('app.tenant_id', true), '')::uuid`;
}

/** The name of the transaction-local setting that carries the tenant. */
export const TENANT_SETTING = 'app.tenant_id';

/** Set only for partner API keys: narrows partner-scoped tables to the partner's rows. */
export const PARTNER_SETTING = 'app.partner_id';

/**
 * Turns on forced row-level security for a tenant table and lets the runtime role see
 * and write only the rows of the tenant set in the current transaction.
 */
export async function enableTenantRls(qr: QueryRunner, table: string, appRole: string, privileges = 'SELECT, INSERT, UPDATE, DELETE', column = 'tenant_id'): Promise<void> {
  const t = qualified(table);
  const predicate = tenantPredicate(column);
  await qr.query(`ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY`);
  await qr.query(`ALTER TABLE ${t} FORCE ROW LEVEL SECURITY`);
  await qr.query(`CREATE POLICY tenant_isolation ON ${t} TO ${ident(appRole)} USING (${predicate}) WITH CHECK (${predicate})`);
  await qr.query(`GRANT ${privileges} ON ${t} TO ${ident(appRole)}`);
}

export async function disableTenantRls(qr: QueryRunner, table: string): Promise<void> {
  await qr.query(`DROP POLICY IF EXISTS tenant_isolation ON ${qualified(table)}`);
}

/** `accounts.users` → `"accounts"."users"` */
export function qualified(table: string): string {
  return table
    .split('.')
    .map((p) => ident(p))
    .join('.');
}
