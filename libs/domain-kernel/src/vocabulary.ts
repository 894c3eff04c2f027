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

/** Support levels (DOMAIN.md §2): L1 vendor-led large projects, L2 partner-led, L3 direct and dealer customers. */
export const SUPPORT_LEVELS = ['L1', 'L2', 'L3'] as const;
export type SupportLevel = (typeof SUPPORT_LEVELS)[number];

/** What a support ticket is about; `return` is a return (RMA). */
export const TICKET_CATEGORIES = ['question', 'incident', 'install', 'repair', 'return', 'complaint'] as const;
export type TicketCategory = (typeof TICKET_CATEGORIES)[number];

/** Ticket priorities, most urgent first. */
export const TICKET_PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

/** The lifecycle class of every ticket status, built-in or a tenant's own: new → triaged → in-progress ⇄ waiting → resolved → closed. */
export const TICKET_STATUS_CLASSES = ['new', 'triaged', 'in-progress', 'waiting', 'resolved', 'closed'] as const;
export type TicketStatusClass = (typeof TICKET_STATUS_CLASSES)[number];

/** After-sales orders (RMA) raised from a ticket. */
export const RMA_KINDS = ['installation', 'repair', 'return'] as const;
export type RmaKind = (typeof RMA_KINDS)[number];

/** Service-recovery vouchers: a credit on the account, or a free service. */
export const VOUCHER_KINDS = ['credit', 'free-service'] as const;
export type VoucherKind = (typeof VOUCHER_KINDS)[number];
