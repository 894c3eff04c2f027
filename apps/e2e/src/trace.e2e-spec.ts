import { expectEventually } from '@steward/testing';
import { CollectedSpan, OtlpCollector } from './otlp-collector';
import { PlatformHarness, startPlatformHarness } from './platform-harness';

// OTLP span kinds (the API's SpanKind + 1).
const SERVER = 2;
const CLIENT = 3;

const collector = new OtlpCollector();
let h: PlatformHarness;

beforeAll(async () => {
  const endpoint = await collector.start();
  h = await startPlatformHarness('e2etrace', {
    baseEnv: {
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '100',
    },
  });
});
afterAll(async () => {
  await h?.close();
  await collector.stop();
});

describe('one trace from HTTP through NATS to SQL, across the service processes', () => {
  it('shares one trace id from the gateway request to the accounts SQL and the published event', async () => {
    const t = await h.tenant();
    const res = await h.http().post('/v1/partners').set('authorization', `Bearer ${t.token}`).set('x-correlation-id', 'e2e-trace').send({ name: 'Traced Partner', kind: 'reseller' }).expect(201);
    expect(res.body.name).toBe('Traced Partner');

    const spans = await expectEventually(
      () => {
        const server = collector.spans.find((s) => s.service === 'steward-gateway' && s.kind === SERVER && String(s.attributes['url.path'] ?? s.attributes['http.target'] ?? '').includes('/v1/partners'));
        expect(server).toBeDefined();
        const inTrace = collector.spans.filter((s) => s.traceId === server!.traceId);
        expect(inTrace.some((s) => s.name === 'accounts.events.partner.created.v1 publish')).toBe(true);
        return { server: server!, inTrace };
      },
      { timeoutMs: 15_000, intervalMs: 100 },
    );
    // The request span is named after its route, as clients see it (issue 13, part 6).
    expect(spans.server.name).toBe('POST /v1/partners');
    expect(spans.server.attributes['http.route']).toBe('/v1/partners');
    const byId = new Map(spans.inTrace.map((s) => [s.spanId, s]));
    const ancestors = (s: CollectedSpan): CollectedSpan[] => {
      const out: CollectedSpan[] = [];
      for (let p = s.parentSpanId ? byId.get(s.parentSpanId) : undefined; p; p = p.parentSpanId ? byId.get(p.parentSpanId) : undefined) out.push(p);
      return out;
    };

    const natsClient = spans.inTrace.find((s) => s.name === 'accounts.partner.create.v1 request' && s.kind === CLIENT);
    const handler = spans.inTrace.find((s) => s.name === 'accounts.partner.create.v1 handle' && s.kind === SERVER);
    expect(natsClient?.service).toBe('steward-gateway');
    expect(handler?.service).toBe('steward-accounts');
    // The NATS hop, across two processes: the handler's parent is the gateway's request span.
    expect(handler!.parentSpanId).toBe(natsClient!.spanId);
    expect(ancestors(natsClient!)).toContain(spans.server);
    // The SQL of the use case runs under the handler, in the accounts process.
    const insert = spans.inTrace.find((s) => /INSERT INTO accounts\.partners/i.test(String(s.attributes['db.statement'] ?? s.attributes['db.query.text'] ?? s.name)));
    expect(insert?.service).toBe('steward-accounts');
    expect(ancestors(insert!)).toContain(handler);
    // The event the outbox relay published later belongs to the same trace.
    const publish = spans.inTrace.find((s) => s.name === 'accounts.events.partner.created.v1 publish');
    expect(publish?.service).toBe('steward-accounts');
  });

  it('names request spans after the route without the router\'s escapes: GET /v1/accounts:export, GET /v1/accounts/:id', async () => {
    const t = await h.tenant();
    const auth = { authorization: `Bearer ${t.token}` };
    const account = await h.http().post('/v1/accounts').set(auth).send({ name: 'Span Co' }).expect(201);
    await h.http().get('/v1/accounts:export').set(auth).expect(200);
    await h.http().get(`/v1/accounts/${account.body.id}`).set(auth).expect(200);
    const serverSpan = (path: string) => collector.spans.find((s) => s.service === 'steward-gateway' && s.kind === SERVER && String(s.attributes['url.path'] ?? s.attributes['http.target'] ?? '') === path);
    await expectEventually(() => {
      expect(serverSpan('/v1/accounts:export')?.name).toBe('GET /v1/accounts:export');
      expect(serverSpan(`/v1/accounts/${account.body.id}`)?.name).toBe('GET /v1/accounts/:id');
    }, { timeoutMs: 15_000, intervalMs: 100 });
  });
});
