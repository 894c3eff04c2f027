import type { StewardClient } from '@steward/api-client';
import { fetchRanking, fetchTiers, mergeAccounts, type Account } from './fetch';

type Query = { limit?: number; cursor?: string; sort?: string; tier?: string };

/** A fake client over a list of accounts: pages of `limit`, the cursor is the next index. */
function fakeApi(accounts: Array<Partial<Account>>) {
  const calls: Query[] = [];
  const api = {
    GET: async (_path: string, init: { params: { query: Query } }) => {
      const q = init.params.query;
      calls.push(q);
      const list = q.tier ? accounts.filter((a) => String(a.tier) === q.tier) : accounts;
      const start = Number(q.cursor ?? 0);
      const end = start + (q.limit ?? 50);
      return { data: { items: list.slice(start, end), nextCursor: end < list.length ? String(end) : null }, response: new Response('{}', { status: 200 }) };
    },
  } as unknown as StewardClient;
  return { api, calls };
}

const accounts = (n: number, revenue: (i: number) => number = (i) => 1000 - i) => Array.from({ length: n }, (_, i) => ({ id: `a${i}`, name: `A${i}`, tier: (i < 2 ? 1 : i < 5 ? 2 : 3) as Account['tier'], revenue12m: revenue(i) }));

describe('fetchRanking', () => {
  it('reads a small tenant whole, by revenue, page after page', async () => {
    const { api, calls } = fakeApi(accounts(450));
    const r = await fetchRanking(api, 2000);
    expect(r.accounts).toHaveLength(450);
    expect(r).toMatchObject({ complete: true, everyAccount: true });
    expect(calls.map((c) => [c.cursor, c.limit, c.sort])).toEqual([
      [undefined, 200, '-revenue12m'],
      ['200', 200, '-revenue12m'],
      ['400', 200, '-revenue12m'],
    ]);
  });

  it('stops at the maximum (the last page only as large as needed)', async () => {
    const { api, calls } = fakeApi(accounts(1000));
    const r = await fetchRanking(api, 300);
    expect(r.accounts).toHaveLength(300);
    expect(r).toMatchObject({ complete: false, everyAccount: false });
    expect(calls.map((c) => c.limit)).toEqual([200, 100]);
  });

  it('is complete (every positive revenue read) when the maximum reaches accounts without revenue', async () => {
    const { api } = fakeApi(accounts(500, (i) => (i < 100 ? 100 : 0)));
    expect(await fetchRanking(api, 200)).toMatchObject({ complete: true, everyAccount: false });
  });

  it('throws the problem of a failed page', async () => {
    const api = { GET: async () => ({ error: { code: 'FORBIDDEN', status: 403, title: 'Forbidden' }, response: new Response('{}', { status: 403 }) }) } as unknown as StewardClient;
    await expect(fetchRanking(api)).rejects.toMatchObject({ status: 403 });
  });
});

describe('fetchTiers and mergeAccounts', () => {
  it('reads every account of the tiers and merges without duplicates', async () => {
    const { api } = fakeApi(accounts(10));
    const upper = await fetchTiers(api, ['1', '2']);
    expect(upper.map((a) => a.id)).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
    const merged = mergeAccounts([{ id: 'a0', x: 1 }, { id: 'z', x: 1 }], upper.map((a) => ({ id: a.id, x: 2 })));
    expect(merged.map((a) => [a.id, a.x])).toEqual([
      ['a0', 1],
      ['z', 1],
      ['a1', 2],
      ['a2', 2],
      ['a3', 2],
      ['a4', 2],
    ]);
  });
});
