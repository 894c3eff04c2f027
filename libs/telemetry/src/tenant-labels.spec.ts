import { outcomeOfStatus, TenantLabels } from './metrics';

describe('TenantLabels: the bounded tenant label of per-tenant metrics', () => {
  it.each([
    ['a listed tenant keeps its id even past the limit', 0, ['slo-tenant'], ['slo-tenant', 'x', 'slo-tenant'], ['slo-tenant', 'other', 'slo-tenant']],
    ['the first tenants seen keep their ids up to the limit, later ones are other', 2, [], ['t1', 't2', 't3', 't1', 't4'], ['t1', 't2', 'other', 't1', 'other']],
    ['a tenant labelled once keeps its label', 1, [], ['t1', 't2', 't1'], ['t1', 'other', 't1']],
    ['no tenant (operator token, unauthenticated) is none', 5, [], [undefined, ''], ['none', 'none']],
  ])('%s', (_name, limit, always, tenants, expected) => {
    const labels = new TenantLabels(limit, always);
    expect(tenants.map((t) => labels.label(t))).toEqual(expected);
  });

  it('never hands out more distinct labels than listed + limit + other + none, whatever the traffic', () => {
    const labels = new TenantLabels(50, ['a', 'b']);
    const seen = new Set(Array.from({ length: 10_000 }, (_, i) => labels.label(i % 7 === 0 ? undefined : `tenant-${i}`)));
    seen.add(labels.label('a')).add(labels.label('b'));
    expect(seen.size).toBe(2 + 50 + 2);
  });

  it.each([
    [200, 'ok'],
    [302, 'ok'],
    [404, 'client_error'],
    [429, 'client_error'],
    [500, 'server_error'],
    [503, 'server_error'],
  ] as const)('status %i is %s', (status, outcome) => expect(outcomeOfStatus(status)).toBe(outcome));
});
