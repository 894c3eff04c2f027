// Reading the ranking from the API (no React: unit-tested with a fake client).
import { unwrap, type Schemas, type StewardClient } from '@steward/api-client';

export type Account = Schemas['Account'];

/** How many accounts the Pareto ranking reads at most (pages of 200, highest revenue first). */
export const RANKING_MAX = 2000;
const PAGE = 200;

export interface Ranking {
  accounts: Account[];
  /** Every account with positive revenue was read. */
  complete: boolean;
  /** Every account was read (to the end of the list). */
  everyAccount: boolean;
}

/**
 * The accounts with the highest 12-month revenue, page after page (a cursor makes the pages
 * sequential), until `max` or the end of the list (accounts without revenue included, so that a
 * small tenant is read whole: the overrides list needs every account).
 */
export async function fetchRanking(api: StewardClient, max = RANKING_MAX, signal?: AbortSignal): Promise<Ranking> {
  const accounts: Account[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await unwrap(api.GET('/v1/accounts', { params: { query: { limit: Math.min(PAGE, max - accounts.length), sort: '-revenue12m', ...(cursor ? { cursor } : {}) } }, signal }));
    accounts.push(...page.items);
    cursor = page.nextCursor ?? undefined;
    if (!cursor) return { accounts, complete: true, everyAccount: true };
    if (accounts.length >= max) {
      const last = accounts[accounts.length - 1];
      return { accounts, complete: last !== undefined && last.revenue12m <= 0, everyAccount: false };
    }
  }
}

/**
 * Every account of some tiers (all pages, at most `max` each): when the ranking could not read
 * every account, the overrides of the accounts it did not reach are looked for here (a person
 * pins an account up to Tier 1 or 2 far more often than down).
 */
export async function fetchTiers(api: StewardClient, tiers: ReadonlyArray<'1' | '2' | '3'>, max = RANKING_MAX, signal?: AbortSignal): Promise<Account[]> {
  const all = await Promise.all(
    tiers.map(async (tier) => {
      const accounts: Account[] = [];
      let cursor: string | undefined;
      do {
        const page = await unwrap(api.GET('/v1/accounts', { params: { query: { tier, limit: PAGE, ...(cursor ? { cursor } : {}) } }, signal }));
        accounts.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor && accounts.length < max);
      return accounts;
    }),
  );
  return all.flat();
}

/** The accounts of both lists, each once (the first list's copy kept). */
export function mergeAccounts<A extends { id: string }>(first: readonly A[], second: readonly A[]): A[] {
  const seen = new Set(first.map((a) => a.id));
  return [...first, ...second.filter((a) => !seen.has(a.id))];
}
