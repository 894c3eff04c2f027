export * from './config';
export * from './tokens';
export * from './access';
export * from './handlers';
export * from './service';
export * from './process';
export * from './jobs';
export * from './migration-helpers/v1';
export { keyedWriteError, principalOf } from './keyed';
