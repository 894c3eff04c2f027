import { NatsNotFoundError, resolveNats, type NatsDeps } from './nats';

const opts = { host: '127.0.0.1', port: 4222, storeDir: '/tmp/s/nats', searchPath: '/usr/bin' };

function deps(over: Partial<NatsDeps>): NatsDeps {
  return {
    probe: async () => false,
    findBinary: () => undefined,
    startServer: async (bin) => ({ source: 'started', url: 'nats://127.0.0.1:4222', description: bin, stop: async () => undefined }),
    ...over,
  };
}

describe('resolveNats', () => {
  it('uses NATS_URL first without probing', async () => {
    const probe = jest.fn(async () => true);
    const h = await resolveNats({ ...opts, natsUrl: 'nats://elsewhere:4222' }, deps({ probe }));
    expect(h).toMatchObject({ source: 'env', url: 'nats://elsewhere:4222' });
    expect(probe).not.toHaveBeenCalled();
  });

  it('uses a server already on 127.0.0.1:4222', async () => {
    const findBinary = jest.fn(() => '/usr/sbin/nats-server');
    const h = await resolveNats(opts, deps({ probe: async () => true, findBinary }));
    expect(h).toMatchObject({ source: 'local', url: 'nats://127.0.0.1:4222' });
    expect(findBinary).not.toHaveBeenCalled();
  });

  it('starts nats-server when one is found', async () => {
    const h = await resolveNats(opts, deps({ findBinary: () => '/usr/sbin/nats-server' }));
    expect(h).toMatchObject({ source: 'started', description: '/usr/sbin/nats-server' });
  });

  it('fails with install instructions when there is none', async () => {
    const err: unknown = await resolveNats(opts, deps({})).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NatsNotFoundError);
    const message = (err as Error).message;
    expect(message).toContain('apt-get install nats-server');
    expect(message).toContain('brew install nats-server');
    expect(message).toContain('docker run -p 4222:4222 nats -js');
    expect(message).toContain('NATS_URL');
  });
});
