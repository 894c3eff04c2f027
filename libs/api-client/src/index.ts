export { createStewardClient, pages, StewardApiError, unwrap } from './client';
export type { Problem, Schemas, StewardClient, StewardClientOptions } from './client';
export type { components, operations, paths } from './schema';
