import { StewardApiError, type StewardClient } from '@steward/api-client';
import { fetchKeyAccounts, KEY_ACCOUNTS_MAX, perAccount, type KeyAccount } from './fetch';

const key = (id: string): KeyAccount => ({ id, name: id, tier: 1, revenue12m: 1 });

describe('fetchKeyAccounts', () => {
  it('reads Tier 1 then fills up with Tier 2, highest revenue first, at most the maximum', async () => {
    const queries: Array<{ tier?: string; limit?: number; sort?: string }> = [];
    const api = {
      GET: async (_p: string, init: { params: { query: { tier?: string; limit?: number; sort?: string } } }) => {
        queries.push(init.params.query);
        const n = init.params.query.tier === '1' ? 20 : (init.params.query.limit ?? 0);
        const items = Array.from({ length: n }, (_, i) => ({ id: `${init.params.query.tier}-${i}`, name: 'x', tier: Number(init.params.query.tier), revenue12m: 1, extra: true }));
        return { data: { items, nextCursor: null }, response: new Response('{}', { status: 200 }) };
      },
    } as unknown as StewardClient;
    const accounts = await fetchKeyAccounts(api);
    expect(accounts).toHaveLength(KEY_ACCOUNTS_MAX);
    expect(queries).toEqual([
      { tier: '1', limit: 50, sort: '-revenue12m' },
      { tier: '2', limit: 30, sort: '-revenue12m' },
    ]);
    expect(Object.keys(accounts[0]).sort()).toEqual(['id', 'name', 'revenue12m', 'tier']);
  });
});

describe('perAccount', () => {
  it('reads each account with at most 6 at once (a shared gate), keeps order, counts accounts gone or hidden', async () => {
    let running = 0;
    let peak = 0;
    const accounts = Array.from({ length: 20 }, (_, i) => key(`a${i}`));
    const out = await perAccount(accounts, async (a) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 2));
      running--;
      if (a.id === 'a3') throw new StewardApiError(404, undefined);
      return a.id.toUpperCase();
    });
    expect(peak).toBeLessThanOrEqual(6);
    expect(out.failed).toBe(1);
    expect(out.results.map((r) => r.value).slice(0, 4)).toEqual(['A0', 'A1', 'A2', 'A4']);
  });

  it('fails when every account fails for a server or network reason', async () => {
    await expect(perAccount([key('a'), key('b')], async () => Promise.reject(new TypeError('network')))).rejects.toThrow('network');
    await expect(perAccount([key('a')], async () => Promise.reject(new StewardApiError(404, undefined)))).resolves.toEqual({ results: [], failed: 1 });
    await expect(perAccount([], async () => 1)).resolves.toEqual({ results: [], failed: 0 });
  });
});
