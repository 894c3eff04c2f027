// Business vocabularies shared by several libraries (domain and contracts): declared once
// here so no two lists can drift apart. A vocabulary one library alone uses stays there.
// WARNING: these values are stored and sent on the wire; add values, never rename them.

/** Pareto tier of an account (DOMAIN.md §1): 1 = the accounts making 80% of revenue. */
export const TIERS = [1, 2, 3] as const;
export type Tier = (typeof TIERS)[number];

/** How an account came to the vendor (an account's lead channel). */
export const ACCOUNT_LEAD_CHANNELS = ['direct', 'partner', 'dealer'] as const;
export type AccountLeadChannel = (typeof ACCOUNT_LEAD_CHANNELS)[number];

/** Who led a project's sale and delivery; decides its support level (DOMAIN.md §2). */
export const PROJECT_LEADS = ['vendor', 'partner', 'dealer', 'direct'] as const;
export type ProjectLead = (typeof PROJECT_LEADS)[number];

/** A delivered project, or a plain purchase. */
export const PROJECT_KINDS = ['project', 'purchase'] as const;
export type ProjectKind = (typeof PROJECT_KINDS)[number];

export const PROJECT_SIZES = ['large', 'mid', 'small'] as const;
export type ProjectSize = (typeof PROJECT_SIZES)[number];
