import { Writable } from 'node:stream';
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { runWithContext } from './context';
import { createLogger } from './logger';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(JSON.parse(String(chunk)));
      cb();
    },
  });
  return { lines, stream };
}

describe('JSON logs', () => {
  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  });
  afterAll(() => {
    context.disable();
  });

  it('carry the trace, span, tenant and correlation ids of the unit of work', () => {
    const { lines, stream } = capture();
    const log = createLogger('test-service', 'info', stream);
    const span = trace.wrapSpanContext({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED });
    context.with(trace.setSpan(context.active(), span), () =>
      runWithContext({ tenantId: '11111111-2222-4333-8444-555555555555', actor: { kind: 'system', id: 't' }, correlationId: 'corr-1' }, () => log.info({ subject: 'x' }, 'handled')),
    );
    expect(lines[0]).toMatchObject({
      level: 'info',
      service: 'test-service',
      msg: 'handled',
      subject: 'x',
      trace_id: '0af7651916cd43dd8448eb211c80319c',
      span_id: 'b7ad6b7169203331',
      tenant_id: '11111111-2222-4333-8444-555555555555',
      correlation_id: 'corr-1',
    });
    expect(typeof lines[0].time).toBe('string');
  });

  it('leave the ids out outside a request', () => {
    const { lines, stream } = capture();
    createLogger('test-service', 'info', stream).warn('idle');
    expect(lines[0]).not.toHaveProperty('tenant_id');
    expect(lines[0]).not.toHaveProperty('trace_id');
  });
});
