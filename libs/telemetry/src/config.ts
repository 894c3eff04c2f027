/** Telemetry settings, read once from the standard variables. */
export interface TelemetryConfig {
  serviceName: string;
  logLevel: string;
  /** `otlp` (default), `console` or `none`: the standard OTEL_TRACES_EXPORTER values. */
  tracesExporter: string;
}

export function readTelemetryConfig(serviceName: string, env: NodeJS.ProcessEnv = process.env): TelemetryConfig {
  return {
    serviceName: env.OTEL_SERVICE_NAME || `steward-${serviceName}`,
    logLevel: env.LOG_LEVEL || 'info',
    tracesExporter: env.OTEL_TRACES_EXPORTER || 'otlp',
  };
}
