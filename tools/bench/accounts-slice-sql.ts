/**
 * SQL of the accounts-slice benchmark: the bulk data load (superuser, bench bookkeeping
 * only) and the raw baselines (what a DBA would write against the same tables, run as the
 * runtime role `steward_accounts` so row-level security applies as it does to the
 * platform). Shared by accounts-slice.bench.ts and the raw list server
 * (accounts-slice-raw.ts).
 */

/** 100,000 accounts × 24 months of revenue = 2.4 M revenue rows. */
export const ACCOUNTS = 100_000;
export const MONTHS = 24;

export const INDUSTRIES = ['Manufacturing', 'Automotive', 'Chemicals', 'Energy', 'Food', 'Healthcare', 'Logistics', 'Retail', 'Software', 'Telecom', 'Finance', 'Public Sector'];
export const REGIONS = ['EMEA', 'DACH', 'Nordics', 'NA', 'LATAM', 'APAC'];
const NAME_1 = ['Acme', 'Apex', 'Atlas', 'Aurora', 'Beacon', 'Blue', 'Cedar', 'Cobalt', 'Crest', 'Delta', 'Echo', 'Ember', 'Falcon', 'Summit', 'Granite', 'Harbor', 'Helix', 'Horizon', 'Iron', 'Juniper', 'Keystone', 'Lumen', 'Maple', 'Meridian', 'Nimbus', 'Northwind', 'Oak', 'Orion', 'Pioneer', 'Quantum', 'Raven', 'Redwood', 'Sierra', 'Silver', 'Sterling', 'Titan', 'Union', 'Vertex', 'Willow', 'Zenith'];
const NAME_2 = ['Steel', 'Logistics', 'Foods', 'Pharma', 'Energy', 'Systems', 'Motors', 'Textiles', 'Chemicals', 'Holdings', 'Partners', 'Labs', 'Robotics', 'Media', 'Retail', 'Health', 'Capital', 'Water', 'Aero', 'Marine', 'Mining', 'Paper', 'Glass', 'Plastics', 'Software', 'Telecom', 'Farms', 'Builders', 'Optics', 'Tools'];
const LEGAL = ['GmbH', 'AG', 'Ltd', 'Inc', 'SA', 'BV'];

const sqlArray = (xs: readonly string[]) => `ARRAY[${xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(',')}]`;
const pick = (xs: readonly string[]) => `(${sqlArray(xs)})[1 + floor(random() * ${xs.length})::int]`;

/**
 * The bulk load, as the superuser on the bench database, in one transaction. Parameters:
 * $1 tenant id, $2 csm user ids (uuid[]), $3 owner id. Ids are UUIDv7-shaped and ascending
 * in insertion order, like the platform's. Revenue is Pareto-shaped: account at (random)
 * rank r books 1e10 / r^1.1 minor units a month (±30% noise), 70% product / 30% service,
 * 35% gross margin, for the 24 full months before the current one (UTC).
 * FK triggers are skipped (session_replication_role = replica); every referenced row exists.
 */
export const LOAD_STATEMENTS: readonly string[] = [
  `SET session_replication_role = replica`,
  `SET synchronous_commit = off`,
  `SELECT setseed(0.2026)`,
  `BEGIN`,
  `UPDATE accounts.tenants SET currency = 'EUR' WHERE id = $1::uuid`,
  `CREATE TEMP TABLE bench_ids ON COMMIT DROP AS
     SELECT i, (lpad(to_hex(1763900000000 + i), 12, '0') || '7' || substr(m, 1, 3) || '8' || substr(m, 4, 15))::uuid AS id
     FROM generate_series(1, ${ACCOUNTS}) i, LATERAL md5(i::text) m`,
  `INSERT INTO accounts.accounts (id, tenant_id, external_id, name, industry, region, size_band, owner_id, csm_id, lead_channel, strategic, high_potential, lifecycle, created_at, updated_at)
   SELECT b.id, $1::uuid, 'CRM-' || b.i,
     ${pick(NAME_1)} || ' ' || ${pick(NAME_2)} || ' ' || ${pick(LEGAL)},
     ${pick(INDUSTRIES)}, ${pick(REGIONS)}, ${pick(['1-49', '50-249', '250-999', '1000-4999', '5000+'])},
     CASE WHEN random() < 0.3 THEN $3::uuid END,
     CASE WHEN random() < 0.9 THEN ($2::uuid[])[1 + floor(random() * cardinality($2::uuid[]))::int] END,
     CASE WHEN random() < 0.8 THEN 'direct' ELSE 'dealer' END,
     random() < 0.03, random() < 0.05,
     ${pick(['prospect', 'onboarding', 'active', 'active', 'active', 'at-risk', 'churned'])},
     now() - (${ACCOUNTS + 1} - b.i) * interval '1 minute', now()
   FROM bench_ids b ORDER BY b.i`,
  `CREATE TEMP TABLE bench_rank ON COMMIT DROP AS
     SELECT id, rank FROM (SELECT id, row_number() OVER (ORDER BY random()) AS rank FROM bench_ids) x ORDER BY id`,
  `INSERT INTO accounts.revenue_records (tenant_id, account_id, month, product_revenue, service_revenue, gross_margin, currency, updated_at)
   SELECT $1::uuid, r.id, m.month, (v.total * 0.7)::bigint, v.total - (v.total * 0.7)::bigint, (v.total * 0.35)::bigint, 'EUR', now()
   FROM bench_rank r
   CROSS JOIN LATERAL (SELECT (date_trunc('month', now() AT TIME ZONE 'UTC') - k * interval '1 month')::date AS month FROM generate_series(${MONTHS}, 1, -1) k) m
   CROSS JOIN LATERAL (SELECT round(1e10 / power(r.rank, 1.1) * (0.7 + 0.6 * random()))::bigint AS total) v`,
  `COMMIT`,
  `SET session_replication_role = DEFAULT`,
  `ANALYZE accounts.accounts`,
  `ANALYZE accounts.revenue_records`,
];

/**
 * Raw retiering baseline: one set-based statement. 12-month sums, cumulative share with a
 * window function over the positive accounts (ties by id, like computeTiers), Tier 1 = the shortest prefix reaching
 * 80% of the positive total, Tier 2 = the shortest prefix of the rest reaching 80% of
 * what remains (exact integer comparisons: before·5 < total·4), flags lift Tier 3 to
 * Tier 2, then one UPDATE of the rows whose tier, reason or revenue differs. No
 * overrides (the bench data has none), no events, no summary row. $1/$2 = window [from, to).
 * Written with window functions only (no self-join of the CTEs): under row-level security
 * the planner estimates ~0.5% of the accounts, and a first version that joined the
 * ranked CTE back to the sums chose a nested loop (10^10 comparisons, > 10 minutes).
 */
export const RETIER_BASELINE_SQL = `
WITH s AS (
  SELECT a.id, a.strategic, a.high_potential, coalesce(r.revenue, 0)::bigint AS revenue
  FROM accounts.accounts a
  LEFT JOIN (SELECT account_id, sum(product_revenue + service_revenue) AS revenue
             FROM accounts.revenue_records WHERE month >= $1::date AND month < $2::date GROUP BY account_id) r ON r.account_id = a.id
  WHERE a.deleted_at IS NULL
), p AS (
  SELECT s.*,
         CASE WHEN revenue > 0 THEN sum(revenue) FILTER (WHERE revenue > 0) OVER (ORDER BY revenue DESC, id ROWS UNBOUNDED PRECEDING) - revenue END AS before,
         sum(revenue) FILTER (WHERE revenue > 0) OVER () AS total
  FROM s
), q AS (
  SELECT p.*, coalesce(max(before + revenue) FILTER (WHERE before * 5 < total * 4) OVER (), 0) AS c1 FROM p
), rt AS (
  SELECT q.*, CASE WHEN before IS NULL THEN 3 WHEN before * 5 < total * 4 THEN 1 WHEN (before - c1) * 5 < (total - c1) * 4 THEN 2 ELSE 3 END AS rev_tier FROM q
), n AS (
  SELECT id, revenue,
         CASE WHEN rev_tier IN (1, 2) THEN rev_tier WHEN strategic OR high_potential THEN 2 ELSE 3 END AS tier,
         CASE WHEN rev_tier = 1 THEN 'tier1-revenue' WHEN rev_tier = 2 THEN 'tier2-revenue' WHEN strategic THEN 'strategic'
              WHEN high_potential THEN 'high-potential' WHEN revenue > 0 THEN 'rest' ELSE 'no-positive-revenue' END AS reason
  FROM rt
)
UPDATE accounts.accounts a
SET tier = n.tier, computed_tier = n.tier, tier_reason = n.reason, computed_reason = n.reason, revenue_12m = n.revenue, tiered_at = now()
FROM n
WHERE a.id = n.id
  AND (a.tier, a.computed_tier, a.tier_reason, a.computed_reason, a.revenue_12m) IS DISTINCT FROM (n.tier, n.tier, n.reason, n.reason, n.revenue)`;

/** The platform's retiering read (tiering.service.ts), for EXPLAIN ANALYZE. */
export const RETIER_PLATFORM_READ_SQL = `SELECT a.id, a.strategic, a.high_potential AS "highPotential", a.tier_override AS override, a.tier, a.computed_tier AS "computedTier",
       a.tier_reason AS "tierReason", a.computed_reason AS "computedReason", a.revenue_12m::text AS "revenue12m", coalesce(r.revenue, 0)::text AS revenue
FROM accounts.accounts a
LEFT JOIN (SELECT account_id, sum(product_revenue + service_revenue) AS revenue
           FROM accounts.revenue_records WHERE month >= $1::date AND month < $2::date GROUP BY account_id) r ON r.account_id = a.id
WHERE a.deleted_at IS NULL`;

/** The platform's revenue upsert (revenue.service.ts), as the raw baseline runs it. */
export const UPSERT_SQL = `INSERT INTO accounts.revenue_records AS r (tenant_id, account_id, month, product_revenue, service_revenue, gross_margin, currency)
SELECT $1, u.account_id, u.month, u.product, u.service, u.margin, u.currency
FROM unnest($2::uuid[], $3::date[], $4::bigint[], $5::bigint[], $6::bigint[], $7::text[]) AS u(account_id, month, product, service, margin, currency)
ON CONFLICT (tenant_id, account_id, month) DO UPDATE
  SET product_revenue = EXCLUDED.product_revenue, service_revenue = EXCLUDED.service_revenue,
      gross_margin = EXCLUDED.gross_margin, currency = EXCLUDED.currency, updated_at = now()
  WHERE (r.product_revenue, r.service_revenue, r.gross_margin, r.currency)
        IS DISTINCT FROM (EXCLUDED.product_revenue, EXCLUDED.service_revenue, EXCLUDED.gross_margin, EXCLUDED.currency)
RETURNING (xmax = 0) AS inserted, account_id, to_char(month, 'YYYY-MM') AS month`;

/** Same column list as apps/accounts/src/customers/account.row.ts (alias `a`). */
export const ACCOUNT_COLUMNS = `a.id, a.external_id AS "externalId", a.name, a.industry, a.region, a.size_band AS "sizeBand",
  a.owner_id AS "ownerId", a.csm_id AS "csmId", a.lead_channel AS "leadChannel", a.lead_partner_id AS "leadPartnerId",
  a.strategic, a.high_potential AS "highPotential", a.lifecycle, a.custom_attributes AS "customAttributes",
  a.tier, a.computed_tier AS "computedTier", a.tier_reason AS "tierReason", a.tier_override AS "tierOverride",
  a.revenue_12m::text AS "revenue12m", a.created_at AS "createdAt", a.updated_at AS "updatedAt", a.deleted_at AS "deletedAt", a.version,
  a.name_key AS "nameKey"`;

export interface ListCursor {
  s: string;
  k: string | null;
  id: string;
}

export const encodeCursor = (c: ListCursor): string => Buffer.from(JSON.stringify(c)).toString('base64url');
export const decodeCursor = (raw: string): ListCursor => JSON.parse(Buffer.from(raw, 'base64url').toString()) as ListCursor;

/**
 * The list query the platform builds (accounts.repository.ts `list`) for the filters the
 * bench uses: namePrefix, industry, region, tier, csmId, sort, cursor, limit.
 */
export function listQuery(search: URLSearchParams): { sql: string; params: unknown[]; sort: string; limit: number } {
  const where: string[] = ['a.deleted_at IS NULL'];
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const namePrefix = search.get('namePrefix');
  // The same range as the platform (a LIKE cannot use the index under row-level security).
  if (namePrefix) where.push(`a.name_key >= ${p(namePrefix.toLowerCase())} AND a.name_key < ${p(namePrefix.toLowerCase() + '\u{10FFFF}')}`);
  for (const [param, column] of [
    ['industry', 'industry'],
    ['region', 'region'],
    ['csmId', 'csm_id'],
  ] as const) {
    const v = search.get(param);
    if (v) where.push(`a.${column} = ${p(v)}`);
  }
  const tier = search.get('tier');
  if (tier) where.push(`a.tier = ${p(Number(tier))}`);
  const sort = search.get('sort') ?? 'name';
  const limit = Number(search.get('limit') ?? 50);
  const desc = sort.startsWith('-');
  const key = sort.replace('-', '');
  const column = key === 'name' ? 'a.name_key' : key === 'revenue12m' ? 'a.revenue_12m' : null;
  const dir = desc ? 'DESC' : 'ASC';
  const op = desc ? '<' : '>';
  const cursor = search.get('cursor');
  if (cursor) {
    const c = decodeCursor(cursor);
    if (column) where.push(`(${column}, a.id) ${op} (${p(c.k)}${key === 'revenue12m' ? '::bigint' : ''}, ${p(c.id)}::uuid)`);
    else where.push(`a.id ${op} ${p(c.id)}::uuid`);
  }
  const order = column ? `${column} ${dir}, a.id ${dir}` : `a.id ${dir}`;
  return { sql: `SELECT ${ACCOUNT_COLUMNS} FROM accounts.accounts a WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ${p(limit + 1)}`, params, sort, limit };
}
