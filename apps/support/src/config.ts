import { z } from 'zod';
import type { ServiceConfig } from '@steward/service-kit';

/**
 * The support service's own settings, on top of the kit's base variables (DATABASE_URL,
 * NATS_URL, OPS_PORT, SUPPORT_DB_ROLE…). Add a variable here, map it to a typed field,
 * and inject it with `@Inject(SERVICE_CONFIG) config: SupportConfig` (`config.app`).
 */
export const SupportSettings = z.object({}).transform(() => ({}));

export type SupportSettings = z.output<typeof SupportSettings>;
export type SupportConfig = ServiceConfig<SupportSettings>;
