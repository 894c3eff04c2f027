import { z } from 'zod';
import type { ServiceConfig } from '@steward/service-kit';

/**
 * The {{name}} service's own settings, on top of the kit's base variables (DATABASE_URL,
 * NATS_URL, OPS_PORT, {{NAME}}_DB_ROLE…). Add a variable here, map it to a typed field,
 * and inject it with `@Inject(SERVICE_CONFIG) config: {{Name}}Config` (`config.app`).
 */
export const {{Name}}Settings = z.object({}).transform(() => ({}));

export type {{Name}}Settings = z.output<typeof {{Name}}Settings>;
export type {{Name}}Config = ServiceConfig<{{Name}}Settings>;
