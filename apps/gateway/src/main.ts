import { runServiceProcess } from '@steward/telemetry';

// Telemetry starts before the gateway loads, so its instrumentations patch http, pg and Nest.
runServiceProcess('gateway', async () => (await import('./bootstrap.js')).listen());
