import { NodeSDK } from '@opentelemetry/sdk-node';
import type { SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NestInstrumentation } from '@opentelemetry/instrumentation-nestjs-core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

let sdk: NodeSDK | undefined;

export interface StartTelemetryOptions {
  serviceName: string;
  /** Tests pass an in-memory exporter; otherwise OTEL_TRACES_EXPORTER decides. */
  exporter?: SpanExporter;
  /**
   * From OTEL_TRACES_EXPORTER. With `none` (and no explicit exporter) the SDK is not
   * started at all: instrumenting every query and request only to drop the spans costs
   * about a quarter of the write path's throughput (docs/benchmarks.md).
   */
  tracesExporter?: string;
}

/**
 * Starts the OpenTelemetry SDK. Must run before Nest, pg or http are loaded so the
 * instrumentations can patch them: each app's main.ts imports its instrument.ts first.
 */
export function startTelemetry(options: StartTelemetryOptions): NodeSDK | undefined {
  if (sdk) return sdk;
  if (!options.exporter && options.tracesExporter === 'none') return undefined;
  const spanProcessors: SpanProcessor[] | undefined = options.exporter ? [new SimpleSpanProcessor(options.exporter)] : undefined;
  sdk = new NodeSDK({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }),
    // Without explicit processors the SDK builds the exporter from OTEL_TRACES_EXPORTER (otlp | console | none).
    spanProcessors,
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => /^\/(healthz|readyz|metrics)/.test(req.url ?? '') }),
      new PgInstrumentation({ enhancedDatabaseReporting: false, requireParentSpan: true }),
      new NestInstrumentation(),
    ],
  });
  sdk.start();
  return sdk;
}

export async function shutdownTelemetry(): Promise<void> {
  await sdk?.shutdown();
  sdk = undefined;
}
