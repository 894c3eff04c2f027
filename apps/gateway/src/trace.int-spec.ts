import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { SpanKind } from '@opentelemetry/api';
import type { ProbeSpan } from './testing/trace-probe';

const run = promisify(execFile);
const probe = path.resolve(__dirname, '../../../dist/apps/gateway/src/testing/trace-probe.js');

describe('one trace from HTTP through NATS to SQL', () => {
  let spans: ProbeSpan[];

  beforeAll(async () => {
    // `npm test` builds dist/ first; the probe runs in its own process so OpenTelemetry can patch modules.
    const { stdout } = await run(process.execPath, [probe], { timeout: 60_000, env: { ...process.env, LOG_LEVEL: 'silent' } });
    spans = (JSON.parse(stdout.trim().split('\n').pop()!) as { spans: ProbeSpan[] }).spans;
  }, 90_000);

  it('shares one trace id from the gateway span to the accounts SQL', () => {
    const server = spans.find((s) => s.kind === SpanKind.SERVER && String(s.attributes['url.path'] ?? s.attributes['http.target'] ?? '').includes('/v1/partners'));
    expect(server).toBeDefined();
    const traceId = server!.traceId;
    const inTrace = spans.filter((s) => s.traceId === traceId);
    const byId = new Map(inTrace.map((s) => [s.spanId, s]));
    const ancestors = (s: ProbeSpan): ProbeSpan[] => {
      const out: ProbeSpan[] = [];
      for (let p = s.parentSpanId && byId.get(s.parentSpanId); p; p = p.parentSpanId ? byId.get(p.parentSpanId) : undefined) out.push(p);
      return out;
    };

    const natsClient = inTrace.find((s) => s.name === 'accounts.partner.create.v1 request' && s.kind === SpanKind.CLIENT);
    const handler = inTrace.find((s) => s.name === 'accounts.partner.create.v1 handle' && s.kind === SpanKind.SERVER);
    const inserts = inTrace.filter((s) => s.attributes['db.system'] === 'postgresql' || s.attributes['db.system.name'] === 'postgresql');
    expect(natsClient).toBeDefined();
    expect(handler).toBeDefined();
    // The NATS hop: the handler's parent is the gateway's request span, across processes' headers.
    expect(handler!.parentSpanId).toBe(natsClient!.spanId);
    expect(ancestors(natsClient!)).toContain(server);
    // The SQL of the use case runs under the handler.
    const partnerInsert = inserts.find((s) => /INSERT INTO "accounts"."partners"|INSERT INTO accounts\.partners/i.test(String(s.attributes['db.statement'] ?? s.attributes['db.query.text'] ?? s.name)));
    expect(partnerInsert).toBeDefined();
    expect(ancestors(partnerInsert!)).toContain(handler);
    // The event the outbox relay published later belongs to the same trace.
    expect(inTrace.some((s) => s.name === 'accounts.events.partner.created.v1 publish')).toBe(true);
  });
});
