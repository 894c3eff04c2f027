// The server state of the tiering page and of the overview (shared cache keys under ['tiering']).
import { unwrap, type Schemas, type StewardClient } from '@steward/api-client';
import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../app/session-context';

export type Account = Schemas['Account'];
export type TieringSummary = Schemas['TieringSummary'];

/** How many accounts the Pareto ranking reads at most (pages of 200, highest revenue first). */
export const RANKING_MAX = 2000;
const PAGE = 200;

export const tieringKeys = {
  all: ['tiering'] as const,
  summary: ['tiering', 'summary'] as const,
  ranking: ['tiering', 'ranking', RANKING_MAX] as const,
};

export function useTieringSummary() {
  const api = useApi();
  return useQuery({ queryKey: tieringKeys.summary, queryFn: () => unwrap(api.GET('/v1/tiering/summary')) });
}

export interface Ranking {
  accounts: Account[];
  /** Every account with positive revenue was read. */
  complete: boolean;
  /** Every account was read (to the end of the list). */
  everyAccount: boolean;
}

/**
 * The accounts with the highest 12-month revenue, page after page (a cursor makes the pages
 * sequential), until RANKING_MAX, the end of the list, or an account without positive revenue.
 */
export async function fetchRanking(api: StewardClient, max = RANKING_MAX, signal?: AbortSignal): Promise<Ranking> {
  const accounts: Account[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await unwrap(api.GET('/v1/accounts', { params: { query: { limit: Math.min(PAGE, max - accounts.length), sort: '-revenue12m', ...(cursor ? { cursor } : {}) } }, signal }));
    accounts.push(...page.items);
    cursor = page.nextCursor ?? undefined;
    const last = page.items[page.items.length - 1];
    if (!cursor) return { accounts, complete: true, everyAccount: true };
    if (last && last.revenue12m <= 0) return { accounts, complete: true, everyAccount: false };
    if (accounts.length >= max) return { accounts, complete: false, everyAccount: false };
  }
}

export function useRanking(enabled = true) {
  const api = useApi();
  return useQuery({ queryKey: tieringKeys.ranking, queryFn: ({ signal }) => fetchRanking(api, RANKING_MAX, signal), enabled, staleTime: 60_000 });
}
