import { runServiceProcess } from '@steward/telemetry';

// Telemetry starts before the service loads, so its instrumentations patch pg and Nest.
runServiceProcess('catalog', async () => (await import('./service.js')).catalogService.start());
