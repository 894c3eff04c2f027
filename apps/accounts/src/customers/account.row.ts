import type { AccountDto, TierOverrideDto } from '@steward/contracts';

/** Column list that maps an accounts row straight onto AccountDto (alias `a`). */
export const ACCOUNT_COLUMNS = `a.id, a.external_id AS "externalId", a.name, a.industry, a.region, a.size_band AS "sizeBand",
  a.owner_id AS "ownerId", a.csm_id AS "csmId", a.lead_channel AS "leadChannel", a.lead_partner_id AS "leadPartnerId",
  a.strategic, a.high_potential AS "highPotential", a.lifecycle, a.custom_attributes AS "customAttributes",
  a.tier, a.computed_tier AS "computedTier", a.tier_reason AS "tierReason", a.tier_override AS "tierOverride",
  a.revenue_12m::text AS "revenue12m", (SELECT t.currency FROM accounts.tenants t WHERE t.id = a.tenant_id) AS currency, a.created_at AS "createdAt", a.updated_at AS "updatedAt", a.deleted_at AS "deletedAt", a.version,
  a.name_key AS "nameKey"`;

export interface AccountRow extends Omit<AccountDto, 'revenue12m' | 'createdAt' | 'updatedAt' | 'deletedAt' | 'tierOverride'> {
  revenue12m: string;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
  tierOverride: TierOverrideDto | null;
  nameKey: string;
}

export function toAccountDto(r: AccountRow): AccountDto {
  return {
    id: r.id,
    externalId: r.externalId,
    name: r.name,
    industry: r.industry,
    region: r.region,
    sizeBand: r.sizeBand,
    ownerId: r.ownerId,
    csmId: r.csmId,
    leadChannel: r.leadChannel,
    leadPartnerId: r.leadPartnerId,
    strategic: r.strategic,
    highPotential: r.highPotential,
    lifecycle: r.lifecycle,
    customAttributes: r.customAttributes,
    tier: r.tier,
    computedTier: r.computedTier,
    tierReason: r.tierReason,
    tierOverride: r.tierOverride,
    revenue12m: Number(r.revenue12m),
    currency: r.currency,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    deletedAt: r.deletedAt ? r.deletedAt.toISOString() : null,
    version: r.version,
  };
}
