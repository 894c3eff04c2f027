import { z } from 'zod';
import type { ServiceConfig } from '@steward/service-kit';

/**
 * The catalog service's own settings, on top of the kit's base variables (DATABASE_URL,
 * NATS_URL, OPS_PORT, CATALOG_DB_ROLE…). Add a variable here, map it to a typed field,
 * and inject it with `@Inject(SERVICE_CONFIG) config: CatalogConfig` (`config.app`).
 */
export const CatalogSettings = z
  .object({
    /** Outcome contracts settled per step of a settlement run (one transaction each). */
    CATALOG_SETTLEMENT_PAGE: z.coerce.number().int().min(1).max(20_000).default(2_500),
  })
  .transform((e) => ({ settlementPage: e.CATALOG_SETTLEMENT_PAGE }));

export type CatalogSettings = z.output<typeof CatalogSettings>;
export type CatalogConfig = ServiceConfig<CatalogSettings>;

/** Settings for tests and tools (what the schema gives an empty environment). */
export const defaultCatalogSettings = (): CatalogSettings => CatalogSettings.parse({});
