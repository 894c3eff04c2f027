import { connect } from 'node:net';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { hardenedFastifyOptions, installInputGuards, jsonDepthExceeded } from './input-guard';

describe('the gateway while it shuts down', () => {
  it('answers a request that arrives during shutdown with a 503 problem and Retry-After, not Fastify\'s plain JSON', async () => {
    const adapter = new FastifyAdapter(hardenedFastifyOptions());
    installInputGuards(adapter);
    const fastify = adapter.getInstance();
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    fastify.get('/slow', async () => {
      await slow;
      return { ok: true };
    });
    fastify.get('/fast', async () => ({ ok: true }));
    await fastify.listen({ port: 0, host: '127.0.0.1' });
    const { port } = fastify.server.address() as { port: number };

    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.on('data', (d) => (data += d.toString()));
    const closed = new Promise((r) => socket.on('close', r));
    await new Promise((r) => socket.once('connect', r));
    socket.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise((r) => setTimeout(r, 50));
    const closing = fastify.close();
    // The keep-alive connection is busy, so it stays open: the next request on it arrives mid-shutdown.
    socket.write('GET /fast HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise((r) => setTimeout(r, 50));
    release();
    await closing;
    await closed;

    const responses = data.split(/(?=HTTP\/1\.1 )/);
    expect(responses[0]).toMatch(/^HTTP\/1\.1 200/);
    const late = responses[1]!;
    expect(late).toMatch(/^HTTP\/1\.1 503/);
    expect(late).toMatch(/content-type: application\/problem\+json/i);
    expect(late).toMatch(/retry-after: 1/i);
    expect(JSON.parse(late.slice(late.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE', instance: '/fast' });
  });
});

describe('JSON depth, checked on the text', () => {
  it.each([
    ['{}', 1, false],
    ['{"a":[1,{"b":[]}]}', 4, false],
    ['{"a":[1,{"b":[]}]}', 3, true],
    ['"[[[[[[[["', 1, false],
    ['{"a":"\\"[[[[[["}', 1, false],
    ['[[[]]]', 3, false],
    ['[[[]]]', 2, true],
  ])('%s with a limit of %i: too deep = %s', (json, max, tooDeep) => {
    expect(jsonDepthExceeded(json, max)).toBe(tooDeep);
  });
});
