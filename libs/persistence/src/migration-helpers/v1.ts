/**
 * Migration helpers, version 1. FROZEN: landed migrations call these, and a landed
 * migration must do tomorrow exactly what it did when it first ran. Never edit this file
 * (tools/migrations/landed.json holds its checksum and a test fails on any change); a
 * change is a new `v2.ts` that new migrations import.
 */
import type { QueryRunner } from 'typeorm';
import { ident } from '../roles';

/**
 * The tenant predicate of every policy. `nullif(…, '')` because a pooled connection
 * reports the setting as '' (not NULL) after a transaction that set it locally ended,
 * and ''::uuid would raise instead of matching nothing (see STACK-NOTES).
 */
export function tenantPredicate(column: string): string {
  return `${ident(column)} = nullif(current_setting('app.tenant_id', true), '')::uuid`;
}

export const TENANT_PREDICATE = tenantPredicate('tenant_id');

/** The partner of a partner API key's transaction (set together with the tenant). */
export const PARTNER_ID = `nullif(current_setting('app.partner_id', true), '')::uuid`;

/** `accounts.users` → `"accounts"."users"` */
export function qualified(table: string): string {
  return table
    .split('.')
    .map((p) => ident(p))
    .join('.');
}

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

export interface PartnerScope {
  /** The partner role (`steward_<service>_partner`) whose transactions the policy narrows. */
  role: string;
  /** SQL that is true for the rows the partner may touch, e.g. `lead_partner_id = ${PARTNER_ID}`. */
  predicate: string;
  privileges: string;
}

/**
 * A tenant table that partner API keys may also reach: tenant users run as the runtime
 * role, whose policy checks only the tenant; partner keys run as the partner role
 * (`SET LOCAL ROLE`), whose policy adds `partner.predicate`. Separate roles, not one policy
 * with "partner unset OR …": that OR wrecks PostgreSQL's row estimates for every tenant
 * query (docs/adr/0003-row-level-security.md).
 */
export async function enablePartnerScopedRls(qr: QueryRunner, table: string, appRole: string, partner: PartnerScope, privileges = 'SELECT, INSERT, UPDATE, DELETE'): Promise<void> {
  await enableTenantRls(qr, table, appRole, privileges);
  const p = `${TENANT_PREDICATE} AND ${partner.predicate}`;
  await qr.query(`CREATE POLICY partner_scope ON ${qualified(table)} TO ${ident(partner.role)} USING (${p}) WITH CHECK (${p})`);
  await qr.query(`GRANT ${partner.privileges} ON ${qualified(table)} TO ${ident(partner.role)}`);
}
