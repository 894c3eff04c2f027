export * from './envelope';
export * from './error-codes';
export * from './errors';
export * from './validation';
export * from './csv';
export * from './common';
export * from './define';
export * from './registry';
export * from './nats-access';
export * from './credential-token';
export * from './accounts/identity';
export * from './accounts/customers';
export * from './accounts/contract';
export * from './support/contract';
export * from './catalog/contract';
export * from './feedback/contract';
// generate:service adds new service contracts above this line
