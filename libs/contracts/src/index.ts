export * from './envelope';
export * from './errors';
export * from './validation';
export * from './common';
export * from './subjects';
export * from './accounts/identity';
export * from './accounts/customers';
