// What other projects (the end-to-end tests) may use of the local stack: starting the built
// platform exactly as `npm start` does, stopping processes by PID, and the demo catalog's seeding.
export { findRepoRoot } from './config';
export { freePortsContext, startPlatform, type PlatformOptions, type RunningPlatform } from './platform';
export { stopAll, type ManagedProcess } from './processes';
export { findNatsServer, startNatsServer, type NatsCredentials, type NatsHandle } from './nats';
export { freePort } from './net';
export { SERVICES, type ServiceSpec, type StackContext } from './services';
export { demoCatalog, seedDemoCatalog, type CatalogSeedApi } from './demo-catalog';
export { DEMO_PARTNERS, demoPlan } from './demo-data';
export { DEMO_SURVEYS, feedbackDemoPlan, seedFeedback, type FeedbackSeedApi } from './demo-feedback';
export { DEMO_ADMIN, seedDemoTenant, type SeedOptions, type SeedResult } from './seed';
