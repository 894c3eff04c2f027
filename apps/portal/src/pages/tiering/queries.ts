// The server state of the tiering page and of the overview (shared cache keys under ['tiering']).
import { unwrap, type Schemas } from '@steward/api-client';
import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../app/session-context';
import { fetchRanking, fetchTiers, RANKING_MAX, type Ranking } from './fetch';

export { RANKING_MAX, type Ranking };

export type TieringSummary = Schemas['TieringSummary'];

export const tieringKeys = {
  all: ['tiering'] as const,
  summary: ['tiering', 'summary'] as const,
  ranking: ['tiering', 'ranking', RANKING_MAX] as const,
};

export function useTieringSummary() {
  const api = useApi();
  return useQuery({ queryKey: tieringKeys.summary, queryFn: () => unwrap(api.GET('/v1/tiering/summary')) });
}

export function useRanking(enabled = true) {
  const api = useApi();
  return useQuery({ queryKey: tieringKeys.ranking, queryFn: ({ signal }) => fetchRanking(api, RANKING_MAX, signal), enabled, staleTime: 60_000 });
}

/** Every Tier 1 and Tier 2 account (for the overrides the ranking did not reach). */
export function useUpperTiers(enabled: boolean) {
  const api = useApi();
  return useQuery({ queryKey: ['tiering', 'upper-tiers', RANKING_MAX], queryFn: ({ signal }) => fetchTiers(api, ['1', '2'], RANKING_MAX, signal), enabled, staleTime: 60_000 });
}
