import { z } from 'zod';
import type { ServiceConfig } from '@steward/service-kit';

/**
 * The catalog service's own settings, on top of the kit's base variables (DATABASE_URL,
 * NATS_URL, OPS_PORT, CATALOG_DB_ROLE…). Add a variable here, map it to a typed field,
 * and inject it with `@Inject(SERVICE_CONFIG) config: CatalogConfig` (`config.app`).
 */
export const CatalogSettings = z.object({}).transform(() => ({}));

export type CatalogSettings = z.output<typeof CatalogSettings>;
export type CatalogConfig = ServiceConfig<CatalogSettings>;
