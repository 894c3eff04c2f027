import { commonServiceEnv, natsServices, opsPortVariable, opsUrl, SERVICES, selectMigrations, serviceEnv, type StackContext } from './services';

const ctx: StackContext = {
  databaseUrl: 'postgres://db',
  natsUrl: 'nats://n',
  logLevel: 'info',
  jwtSecret: 's'.repeat(32),
  operatorToken: 'op',
  gateway: { host: '127.0.0.1', port: 3000, opsPort: 9200 },
  opsPorts: { accounts: 9201 },
  natsPrefix: '',
  userConfiguredOtel: false,
};
const spec = (name: string) => SERVICES.find((s) => s.name === name)!;

describe('services', () => {
  it('hands every service the common variables, tracing off unless the user configured OTel', () => {
    expect(commonServiceEnv(ctx)).toEqual({ DATABASE_URL: 'postgres://db', NATS_URL: 'nats://n', STEWARD_NATS_PREFIX: '', LOG_LEVEL: 'info', OTEL_TRACES_EXPORTER: 'none' });
    expect(commonServiceEnv({ ...ctx, userConfiguredOtel: true })).not.toHaveProperty('OTEL_TRACES_EXPORTER');
  });

  it('gives the gateway its port, ops port, host and secrets, and each NATS service its own ops port', () => {
    expect(serviceEnv(spec('gateway'), ctx)).toEqual({ PORT: '3000', HOST: '127.0.0.1', OPS_PORT: '9200', OPS_HOST: '127.0.0.1', STEWARD_JWT_SECRET: ctx.jwtSecret, STEWARD_OPERATOR_TOKEN: 'op' });
    expect(serviceEnv(spec('gateway'), { ...ctx, gateway: { host: '127.0.0.1', port: 3000 } }).OPS_PORT).toBe('0');
    expect(serviceEnv(spec('accounts'), ctx)).toEqual({ OPS_PORT: '9201', OPS_HOST: '127.0.0.1' });
    expect(opsUrl(spec('accounts'), ctx)).toBe('http://127.0.0.1:9201');
    expect(opsUrl(spec('accounts'), { ...ctx, opsPorts: {} })).toBe('http://127.0.0.1:9101');
    expect(opsUrl(spec('gateway'), ctx)).toBe('http://127.0.0.1:9200');
    expect(opsUrl(spec('gateway'), { ...ctx, gateway: { host: '127.0.0.1', port: 3000 } })).toBe('http://127.0.0.1:3000');
  });

  it('lists the gateway last, every NATS service with a distinct default ops port', () => {
    expect(SERVICES[SERVICES.length - 1]!.name).toBe('gateway');
    const ports = natsServices().map((s) => s.opsPort);
    expect(new Set(ports).size).toBe(ports.length);
    expect(opsPortVariable('accounts')).toBe('STEWARD_ACCOUNTS_OPS_PORT');
  });

  it('selects migrations: all, or the named ones in order, rejecting unknown names', () => {
    expect(selectMigrations([]).map((s) => s.name)).toEqual(SERVICES.filter((s) => s.migrations).map((s) => s.name));
    expect(selectMigrations(['gateway']).map((s) => s.name)).toEqual(['gateway']);
    expect(() => selectMigrations(['nope'])).toThrow(/nope.*known: accounts.*gateway/);
  });
});
