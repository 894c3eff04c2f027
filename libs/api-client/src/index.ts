export { createStewardClient, pages, StewardApiError, unwrap } from './client';
export type { Problem, Schemas, StewardClient, StewardClientOptions } from './client';
export type { components, operations, paths } from './schema';
export { BODY_RULES, mayCall, OPERATION_ROLES } from './access';
export type { FieldRule, OperationId, Role } from './access';
