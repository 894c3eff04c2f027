export * from './context';
export * from './http-route';
export * from './config';
export * from './logger';
export * from './metrics';
export * from './otel';
export * from './ops-server';
export * from './service-process';
