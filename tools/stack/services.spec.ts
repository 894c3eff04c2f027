import { commonServiceEnv, SERVICES, selectMigrations, type StackContext } from './services';

const ctx: StackContext = {
  databaseUrl: 'postgres://db',
  natsUrl: 'nats://n',
  logLevel: 'info',
  jwtSecret: 's'.repeat(32),
  operatorToken: 'op',
  gateway: { host: '127.0.0.1', port: 3000 },
  accountsOpsPort: 9101,
  natsPrefix: '',
  userConfiguredOtel: false,
};

describe('services', () => {
  it('hands every service the common variables, tracing off unless the user configured OTel', () => {
    expect(commonServiceEnv(ctx)).toEqual({ DATABASE_URL: 'postgres://db', NATS_URL: 'nats://n', STEWARD_NATS_PREFIX: '', LOG_LEVEL: 'info', OTEL_TRACES_EXPORTER: 'none' });
    expect(commonServiceEnv({ ...ctx, userConfiguredOtel: true })).not.toHaveProperty('OTEL_TRACES_EXPORTER');
  });

  it('gives the gateway its port, host and secrets, and accounts its ops port', () => {
    const gateway = SERVICES.find((s) => s.name === 'gateway')!;
    expect(gateway.env(ctx)).toEqual({ PORT: '3000', HOST: '127.0.0.1', STEWARD_JWT_SECRET: ctx.jwtSecret, STEWARD_OPERATOR_TOKEN: 'op' });
    expect(SERVICES.find((s) => s.name === 'accounts')!.env(ctx)).toEqual({ OPS_PORT: '9101' });
    expect(SERVICES.map((s) => s.opsUrl(ctx))).toEqual(['http://127.0.0.1:9101', 'http://127.0.0.1:3000']);
  });

  it('selects migrations: all, or the named ones in order, rejecting unknown names', () => {
    expect(selectMigrations([]).map((s) => s.name)).toEqual(['accounts', 'gateway']);
    expect(selectMigrations(['gateway']).map((s) => s.name)).toEqual(['gateway']);
    expect(() => selectMigrations(['nope'])).toThrow(/nope.*known: accounts, gateway/);
  });
});
