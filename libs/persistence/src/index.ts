export * from './roles';
export * from './rls';
export * from './data-source';
export * from './migrate';
export * from './unit-of-work';
export * from './ids';
export * from './pg-results';
