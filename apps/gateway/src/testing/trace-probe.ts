/**
 * Run as its own Node process (`node dist/apps/gateway/src/testing/trace-probe.js`):
 * starts OpenTelemetry with an in-memory exporter BEFORE anything else loads (the
 * instrumentations patch http, pg and Nest at require time, which Jest's module
 * registry would bypass), then drives one login through the real gateway and accounts
 * service and prints the finished spans as JSON on stdout.
 */
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { shutdownTelemetry, startTelemetry } from '@steward/telemetry';

export interface ProbeSpan {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  service: string;
  attributes: Record<string, unknown>;
}

async function main(): Promise<void> {
  const exporter = new InMemorySpanExporter();
  startTelemetry({ serviceName: 'steward-trace-probe', exporter });
  // Loaded only now, after the instrumentations are in place.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startGatewayHarness } = require('./gateway-harness') as typeof import('./gateway-harness');
  const h = await startGatewayHarness('trace');
  try {
    const t = await h.tenant();
    exporter.reset();
    const res = await h.http().post('/v1/partners').set('authorization', `Bearer ${t.token}`).set('x-correlation-id', 'trace-probe').send({ name: 'Traced Partner', kind: 'reseller' });
    if (res.status !== 201) throw new Error(`POST /v1/partners answered ${res.status}: ${JSON.stringify(res.body)}`);
    // Let the outbox relay publish the event (its span joins the same trace).
    await h.accounts.runtime.relay.drain();
    await new Promise((r) => setTimeout(r, 300));
    const spans: ProbeSpan[] = exporter.getFinishedSpans().map((s) => ({
      name: s.name,
      kind: s.kind,
      traceId: s.spanContext().traceId,
      spanId: s.spanContext().spanId,
      parentSpanId: s.parentSpanContext?.spanId,
      service: String(s.resource.attributes['service.name']),
      attributes: s.attributes,
    }));
    process.stdout.write(`${JSON.stringify({ spans })}\n`);
  } finally {
    await h.close();
    await shutdownTelemetry();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
