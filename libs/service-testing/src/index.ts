export * from './service-harness';
export * from './nats-clients';
