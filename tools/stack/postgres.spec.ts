import { redactUrl, resolvePostgres, withDatabase, type EmbeddedPostgresHandle, type PostgresDeps } from './postgres';

const opts = {
  localUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
  databaseName: 'steward',
  embedded: { dataDir: '/tmp/x/postgres', port: 54329 },
};

function fakes(localReachable: boolean) {
  const calls: string[] = [];
  const embedded: EmbeddedPostgresHandle = {
    port: 54329,
    dataDir: '/tmp/x/postgres',
    initialised: true,
    reused: false,
    urlFor: (db) => `postgres://postgres:pw@127.0.0.1:54329/${db}`,
    stop: jest.fn(async () => undefined),
  };
  const deps: PostgresDeps = {
    tryConnect: async (url) => {
      calls.push(`connect ${url}`);
      return localReachable ? undefined : 'connect ECONNREFUSED';
    },
    ensureDatabase: async (url, name) => {
      calls.push(`ensure ${name} on ${url}`);
      return true;
    },
    startEmbedded: async (o) => {
      calls.push(`embedded ${o.dataDir}:${o.port}`);
      o.log?.('a note from the embedded PostgreSQL');
      return embedded;
    },
  };
  return { calls, deps, embedded };
}

describe('resolvePostgres', () => {
  it('uses DATABASE_URL first and touches nothing else', async () => {
    const { calls, deps } = fakes(true);
    const h = await resolvePostgres({ ...opts, databaseUrl: 'postgres://app:secret@db:5432/prod' }, deps);
    expect(h.source).toBe('env');
    expect(h.url).toBe('postgres://app:secret@db:5432/prod');
    expect(h.description).not.toContain('secret');
    expect(calls).toEqual([]);
  });

  it('uses the local PostgreSQL next, with database steward', async () => {
    const { calls, deps } = fakes(true);
    const h = await resolvePostgres(opts, deps);
    expect(h.source).toBe('local');
    expect(h.url).toBe('postgres://postgres@127.0.0.1:5432/steward');
    expect(calls).toEqual([`connect ${opts.localUrl}`, `ensure steward on ${opts.localUrl}`]);
  });

  it('falls back to the embedded PostgreSQL and stops it through the handle', async () => {
    const { calls, deps, embedded } = fakes(false);
    const log = jest.fn();
    const h = await resolvePostgres({ ...opts, log }, deps);
    expect(h.source).toBe('embedded');
    expect(h.url).toBe('postgres://postgres:pw@127.0.0.1:54329/steward');
    expect(calls).toEqual([`connect ${opts.localUrl}`, 'embedded /tmp/x/postgres:54329', 'ensure steward on postgres://postgres:pw@127.0.0.1:54329/postgres']);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('ECONNREFUSED'));
    // e.g. where the data lives when the postgres system user cannot reach the clone
    expect(log).toHaveBeenCalledWith('a note from the embedded PostgreSQL');
    expect(h.description).toContain('initialised');
    await h.stop();
    expect(embedded.stop).toHaveBeenCalled();
  });

  it('stops the embedded PostgreSQL when creating the database fails', async () => {
    const { deps, embedded } = fakes(false);
    deps.ensureDatabase = async () => {
      throw new Error('nope');
    };
    await expect(resolvePostgres(opts, deps)).rejects.toThrow('nope');
    expect(embedded.stop).toHaveBeenCalled();
  });
});

describe('URL helpers', () => {
  it('swaps the database', () => {
    expect(withDatabase('postgres://a:b@h:1/postgres?sslmode=disable', 'steward')).toBe('postgres://a:b@h:1/steward?sslmode=disable');
  });
  it('hides passwords', () => {
    expect(redactUrl('postgres://a:b@h:1/x')).toBe('postgres://a:***@h:1/x');
    expect(redactUrl('postgres://a@h:1/x')).toBe('postgres://a@h:1/x');
  });
});
