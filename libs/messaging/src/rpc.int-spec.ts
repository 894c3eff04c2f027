import { randomUUID } from 'node:crypto';
import { NatsConnection } from 'nats';
import { ErrorCode, StewardError, Subjects, UserDto } from '@steward/contracts';
import { DomainError } from '@steward/domain-kernel';
import type { RequestContext } from '@steward/telemetry';
// Integration specs of platform libraries use the shared test environment (test code only).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { expectEventually, sleep, testEnv, testPrefix } from '@steward/testing';
import { connectNats } from './nats';
import { RpcClient } from './rpc-client';
import { RpcServer } from './rpc-server';

const userGet = Subjects.accounts.userGet;
let clientNc: NatsConnection;
let serverNc: NatsConnection;
let otherNc: NatsConnection;
const servers: RpcServer[] = [];

beforeAll(async () => {
  [clientNc, serverNc, otherNc] = await Promise.all(['client', 'server', 'other'].map((n) => connectNats({ url: testEnv.natsUrl, name: `steward-rpc-test-${n}` })));
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  await Promise.all([clientNc, serverNc, otherNc].map((nc) => nc?.close()));
});

function serve(nc: NatsConnection, prefix: string, queue = 'accounts'): RpcServer {
  const s = new RpcServer(nc, prefix, queue);
  servers.push(s);
  return s;
}

function user(id: string): UserDto {
  return { id, tenantId: randomUUID(), email: 'u@example.test', name: 'U', role: 'viewer', active: true, createdAt: new Date(0).toISOString(), updatedAt: new Date(0).toISOString() };
}

const ctx = (): RequestContext => ({ tenantId: randomUUID(), actor: { kind: 'system', id: 'rpc-test' }, correlationId: randomUUID() });

async function failure(p: Promise<unknown>): Promise<{ err: StewardError; ms: number }> {
  const started = Date.now();
  try {
    await p;
  } catch (err) {
    if (!(err instanceof StewardError)) throw new Error(`expected a StewardError, got ${String(err)}`);
    return { err, ms: Date.now() - started };
  }
  throw new Error('expected the request to fail');
}

/** Lets a just-made subscription reach the server before requests are sent. */
const settle = (...ncs: NatsConnection[]) => Promise.all(ncs.map((nc) => nc.flush()));

describe('RpcClient errors', () => {
  it('a service that is down (no subscriber) fails fast with SERVICE_UNAVAILABLE', async () => {
    const client = new RpcClient(clientNc, testPrefix('rpcdown'), 5000);
    const { err, ms } = await failure(client.request(userGet, { id: randomUUID() }, { context: ctx() }));
    expect(err.code).toBe(ErrorCode.ServiceUnavailable);
    expect(err.details).toMatchObject({ service: 'accounts', subject: userGet });
    expect(ms).toBeLessThan(1000);
  });

  it('a service that never answers fails with TIMEOUT within the timeout, never hangs', async () => {
    const prefix = testPrefix('rpcmute');
    const received: string[] = [];
    const sub = serverNc.subscribe(prefix + userGet, { callback: (_e, m) => received.push(m.subject) });
    await settle(serverNc);
    try {
      const client = new RpcClient(clientNc, prefix, 5000);
      const { err, ms } = await failure(client.request(userGet, { id: randomUUID() }, { context: ctx(), timeoutMs: 400 }));
      expect(err.code).toBe(ErrorCode.Timeout);
      expect(err.details).toMatchObject({ timeoutMs: 400 });
      expect(ms).toBeGreaterThanOrEqual(380);
      expect(ms).toBeLessThan(400 + 300);
      expect(received).toHaveLength(1);
      // The client's default timeout applies when none is given.
      const short = new RpcClient(clientNc, prefix, 250);
      const second = await failure(short.request(userGet, { id: randomUUID() }, { context: ctx() }));
      expect(second.err.code).toBe(ErrorCode.Timeout);
      expect(second.ms).toBeLessThan(250 + 300);
    } finally {
      sub.unsubscribe();
    }
  });

  it('answers each caller with its own reply when many are in flight at once, whatever order the replies come in', async () => {
    const prefix = testPrefix('rpcorder');
    // Replies in reverse order of arrival: each request waits less than the one before it.
    let n = 0;
    serve(serverNc, prefix).handle(userGet, async (req) => {
      await sleep(200 - 10 * n++);
      return user(req.id);
    });
    await settle(serverNc);
    const client = new RpcClient(clientNc, prefix, 5000);
    const ids = Array.from({ length: 15 }, () => randomUUID());
    const answers = await Promise.all(ids.map((id) => client.request(userGet, { id }, { context: ctx() })));
    expect(answers.map((a) => a.id)).toEqual(ids);
  });

  it('a connection closed while a request waits fails it with SERVICE_UNAVAILABLE at once, not at its timeout', async () => {
    const prefix = testPrefix('rpcclosed');
    const sub = serverNc.subscribe(prefix + userGet, { callback: () => undefined });
    await settle(serverNc);
    const nc = await connectNats({ url: testEnv.natsUrl, name: 'steward-rpc-test-closing' });
    try {
      const client = new RpcClient(nc, prefix, 5000);
      const waiting = failure(client.request(userGet, { id: randomUUID() }, { context: ctx() }));
      await nc.flush();
      await nc.close();
      const { err, ms } = await waiting;
      expect(err.code).toBe(ErrorCode.ServiceUnavailable);
      expect(ms).toBeLessThan(1000);
    } finally {
      sub.unsubscribe();
    }
  });
});

describe('RpcServer', () => {
  it('answers a valid request with the handler result and passes the envelope context', async () => {
    const prefix = testPrefix('rpcok');
    const seen: RequestContext[] = [];
    serve(serverNc, prefix).handle(userGet, async (req, c) => {
      seen.push(c);
      return user(req.id);
    });
    await settle(serverNc);
    const id = randomUUID();
    const c = ctx();
    await expect(new RpcClient(clientNc, prefix).request(userGet, { id }, { context: c })).resolves.toMatchObject({ id });
    expect(seen).toEqual([{ tenantId: c.tenantId, actor: c.actor, correlationId: c.correlationId }]);
  });

  it("a handler's plain Error reaches the caller as INTERNAL with its message, not an opaque error", async () => {
    const prefix = testPrefix('rpcboom');
    serve(serverNc, prefix).handle(userGet, async () => {
      throw new Error('boom');
    });
    await settle(serverNc);
    const c = ctx();
    const { err } = await failure(new RpcClient(clientNc, prefix).request(userGet, { id: randomUUID() }, { context: c }));
    expect(err.code).toBe(ErrorCode.Internal);
    expect(err.message).toContain('boom');
    expect(err.message).not.toMatch(/internal server error/i);
    expect(err.details).toMatchObject({ subject: userGet, correlationId: c.correlationId, errorName: 'Error' });
  });

  it('a handler throwing StewardError keeps its code, message and details', async () => {
    const prefix = testPrefix('rpcsteward');
    serve(serverNc, prefix).handle(userGet, async (req) => {
      throw new StewardError(ErrorCode.NotFound, `user ${req.id} was not found`, { entity: 'user', id: req.id, nested: { n: 1 } });
    });
    await settle(serverNc);
    const id = randomUUID();
    const { err } = await failure(new RpcClient(clientNc, prefix).request(userGet, { id }, { context: ctx() }));
    expect(err).toBeInstanceOf(StewardError);
    expect(err.code).toBe(ErrorCode.NotFound);
    expect(err.message).toBe(`user ${id} was not found`);
    expect(err.details).toEqual({ entity: 'user', id, nested: { n: 1 } });
  });

  it("a domain rule a handler's input breaks (DomainError) reaches the caller as VALIDATION_FAILED naming each field and rule, never INTERNAL", async () => {
    const prefix = testPrefix('rpcdomain');
    serve(serverNc, prefix).handle(userGet, async () => {
      throw new DomainError('OUT_OF_RANGE', 'targets.resolution', 'must be above 0', { min: 1 }, [
        { code: 'OUT_OF_RANGE', field: 'targets.resolution', message: 'must be above 0' },
        { code: 'UNREACHABLE_RULE', field: 'rules[2]', message: 'comes after a catch-all' },
      ]);
    });
    await settle(serverNc);
    const { err } = await failure(new RpcClient(clientNc, prefix).request(userGet, { id: randomUUID() }, { context: ctx() }));
    expect(err.code).toBe(ErrorCode.ValidationFailed);
    expect(err.message).toBe('targets.resolution: must be above 0 (and 1 more)');
    expect(err.details).toEqual({
      min: 1,
      domainCode: 'OUT_OF_RANGE',
      errors: [
        { field: 'targets.resolution', rule: 'out-of-range', message: 'must be above 0' },
        { field: 'rules[2]', rule: 'unreachable-rule', message: 'comes after a catch-all' },
      ],
    });
  });

  it('with response checking on, a reply that breaks its response schema is answered INTERNAL naming the drift', async () => {
    const prefix = testPrefix('rpccheck');
    const server = new RpcServer(serverNc, prefix, 'accounts', { checkResponses: true });
    servers.push(server);
    server.handle(userGet, async (req) => ({ ...user(req.id), role: 'superuser' }) as unknown as UserDto);
    await settle(serverNc);
    const { err } = await failure(new RpcClient(clientNc, prefix).request(userGet, { id: randomUUID() }, { context: ctx() }));
    expect(err.code).toBe(ErrorCode.Internal);
    expect(err.message).toContain('breaks the accounts.user.get.v1 response contract');
    expect(err.message).toContain('"field":"role"');
  });

  it('an invalid payload is refused with VALIDATION_FAILED naming each field; the handler never runs', async () => {
    const prefix = testPrefix('rpcinvalid');
    let calls = 0;
    serve(serverNc, prefix).handle(userGet, async (req) => {
      calls++;
      return user(req.id);
    });
    await settle(serverNc);
    const client = new RpcClient(clientNc, prefix);
    const bad = await failure(client.request(userGet, { id: 'not-a-uuid' }, { context: ctx() }));
    expect(bad.err.code).toBe(ErrorCode.ValidationFailed);
    expect(bad.err.details?.errors).toEqual([expect.objectContaining({ field: 'id', rule: 'format' })]);
    expect(bad.err.message).toContain('id');

    const extra = await failure(client.request(userGet, { id: randomUUID(), admin: true } as never, { context: ctx() }));
    expect(extra.err.code).toBe(ErrorCode.ValidationFailed);
    expect(extra.err.details?.errors).toEqual([expect.objectContaining({ field: 'admin', rule: 'unknown-field' })]);

    const missing = await failure(client.request(userGet, {} as never, { context: ctx() }));
    expect(missing.err.details?.errors).toEqual([expect.objectContaining({ field: 'id' })]);

    // Raw bytes that are not JSON at all.
    const raw = await clientNc.request(prefix + userGet, new TextEncoder().encode('{oops'), { timeout: 2000 });
    const body = JSON.parse(new TextDecoder().decode(raw.data)) as { ok: boolean; error: { code: string } };
    expect(body).toMatchObject({ ok: false, error: { code: ErrorCode.ValidationFailed } });
    expect(calls).toBe(0);
  });

  it('replicas on the same prefix and queue share the requests; a server on another prefix gets none', async () => {
    const prefix = testPrefix('rpcqueue');
    const counts = { a: 0, b: 0, other: 0 };
    const handler = (k: keyof typeof counts) => async (req: { id: string }) => {
      counts[k]++;
      return user(req.id);
    };
    serve(serverNc, prefix).handle(userGet, handler('a'));
    serve(otherNc, prefix).handle(userGet, handler('b'));
    serve(serverNc, testPrefix('rpcqueue')).handle(userGet, handler('other'));
    await settle(serverNc, otherNc);
    const client = new RpcClient(clientNc, prefix);
    const results = await Promise.all(Array.from({ length: 50 }, () => client.request(userGet, { id: randomUUID() }, { context: ctx() })));
    expect(results).toHaveLength(50);
    expect(counts.a + counts.b).toBe(50);
    expect(counts.a).toBeGreaterThan(0);
    expect(counts.b).toBeGreaterThan(0);
    expect(counts.other).toBe(0);
  });

  it('close() waits for an in-flight request: the caller gets its answer, later callers get SERVICE_UNAVAILABLE', async () => {
    const prefix = testPrefix('rpcclose');
    const events: string[] = [];
    let started!: () => void;
    const handlerStarted = new Promise<void>((r) => (started = r));
    const server = new RpcServer(serverNc, prefix, 'accounts');
    server.handle(userGet, async (req) => {
      events.push('handler started');
      started();
      await sleep(500);
      events.push('handler done');
      return user(req.id);
    });
    await settle(serverNc);
    const client = new RpcClient(clientNc, prefix, 5000);
    const id = randomUUID();
    const answer = client.request(userGet, { id }, { context: ctx() });
    await handlerStarted;
    const closed = server.close().then(() => events.push('close resolved'));
    await expect(answer).resolves.toMatchObject({ id });
    await closed;
    expect(events).toEqual(['handler started', 'handler done', 'close resolved']);
    await expectEventually(async () => {
      const { err } = await failure(client.request(userGet, { id: randomUUID() }, { context: ctx(), timeoutMs: 1000 }));
      expect(err.code).toBe(ErrorCode.ServiceUnavailable);
    });
  });
});
