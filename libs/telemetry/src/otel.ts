import { createRequire } from 'node:module';
import type * as SdkNode from '@opentelemetry/sdk-node';
import type * as SdkTraceBase from '@opentelemetry/sdk-trace-base';
import type * as InstrumentationHttp from '@opentelemetry/instrumentation-http';
import type * as InstrumentationPg from '@opentelemetry/instrumentation-pg';
import type * as InstrumentationNest from '@opentelemetry/instrumentation-nestjs-core';
import type * as Resources from '@opentelemetry/resources';
import type * as SemanticConventions from '@opentelemetry/semantic-conventions';

type NodeSDK = SdkNode.NodeSDK;
type SpanExporter = SdkTraceBase.SpanExporter;
type SpanProcessor = SdkTraceBase.SpanProcessor;

// The SDK and its instrumentations are loaded only when tracing is on: with
// OTEL_TRACES_EXPORTER=none they are never used, and loading them cost every process about
// 50 MB of memory and 350 ms of start-up (docs/benchmarks.md, start-up).
const load = createRequire(__filename);

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
  const { NodeSDK } = load('@opentelemetry/sdk-node') as typeof SdkNode;
  const { SimpleSpanProcessor } = load('@opentelemetry/sdk-trace-base') as typeof SdkTraceBase;
  const { HttpInstrumentation } = load('@opentelemetry/instrumentation-http') as typeof InstrumentationHttp;
  const { PgInstrumentation } = load('@opentelemetry/instrumentation-pg') as typeof InstrumentationPg;
  const { NestInstrumentation } = load('@opentelemetry/instrumentation-nestjs-core') as typeof InstrumentationNest;
  const { resourceFromAttributes } = load('@opentelemetry/resources') as typeof Resources;
  const { ATTR_SERVICE_NAME } = load('@opentelemetry/semantic-conventions') as typeof SemanticConventions;
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
