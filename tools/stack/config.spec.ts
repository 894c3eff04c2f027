import { DEFAULT_EMBEDDED_POSTGRES_PORT, DEFAULT_LOCAL_POSTGRES_URL, loadStackConfig } from './config';

const rootDir = '/repo';

describe('loadStackConfig', () => {
  it('uses the documented defaults with an empty environment', () => {
    const c = loadStackConfig({}, { rootDir });
    expect(c.databaseUrl).toBeUndefined();
    expect(c.localPostgresUrl).toBe(DEFAULT_LOCAL_POSTGRES_URL);
    expect(c.embeddedPostgresPort).toBe(DEFAULT_EMBEDDED_POSTGRES_PORT);
    expect(c.natsUrl).toBeUndefined();
    expect(c.localNats).toEqual({ host: '127.0.0.1', port: 4222 });
    expect(c.stateDir).toBe('/repo/.steward');
    expect(c.logLevel).toBe('info');
    expect(c.demoPassword).toBe('steward-demo');
    expect(c.gateway).toEqual({ host: '127.0.0.1', port: 3000, opsPort: 9100 });
    expect(c.userConfiguredOtel).toBe(false);
  });

  it('takes the user settings, ignoring blank ones', () => {
    const c = loadStackConfig(
      { DATABASE_URL: 'postgres://u:p@db/x', NATS_URL: ' ', LOG_LEVEL: 'debug', STEWARD_DEMO_PASSWORD: 'pw', STEWARD_EMBEDDED_PG_PORT: '6000', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' },
      { rootDir },
    );
    expect(c.databaseUrl).toBe('postgres://u:p@db/x');
    expect(c.natsUrl).toBeUndefined();
    expect(c.logLevel).toBe('debug');
    expect(c.demoPassword).toBe('pw');
    expect(c.embeddedPostgresPort).toBe(6000);
    expect(c.userConfiguredOtel).toBe(true);
    expect(loadStackConfig({ STEWARD_GATEWAY_OPS_PORT: '9300' }, { rootDir }).gateway.opsPort).toBe(9300);
  });

  it('rejects a bad port', () => {
    expect(() => loadStackConfig({ STEWARD_EMBEDDED_PG_PORT: 'abc' }, { rootDir })).toThrow(/STEWARD_EMBEDDED_PG_PORT/);
  });

  it('colours only on a TTY without NO_COLOR', () => {
    expect(loadStackConfig({}, { rootDir, isTTY: true }).color).toBe(true);
    expect(loadStackConfig({ NO_COLOR: '1' }, { rootDir, isTTY: true }).color).toBe(false);
    expect(loadStackConfig({}, { rootDir, isTTY: false }).color).toBe(false);
  });

  it('finds the repository root from the source folder', () => {
    expect(loadStackConfig({}).rootDir).toMatch(/[^/]+$/);
  });
});
