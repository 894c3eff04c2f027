// Loaded before anything else so OpenTelemetry can patch http, pg and Nest as they load.
import { readTelemetryConfig, startTelemetry } from '@steward/telemetry';

const telemetry = readTelemetryConfig('gateway');
startTelemetry({ serviceName: telemetry.serviceName, tracesExporter: telemetry.tracesExporter });
