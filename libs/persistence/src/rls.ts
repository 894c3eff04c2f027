/** The name of the transaction-local setting that carries the tenant. */
export const TENANT_SETTING = 'app.tenant_id';

/** Set only for partner API keys: narrows partner-scoped tables to the partner's rows. */
export const PARTNER_SETTING = 'app.partner_id';
