// The server state of the overview's cards.
import { unwrap } from '@steward/api-client';
import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../app/session-context';
import { fetchKeyAccounts, KEY_ACCOUNTS_MAX, perAccount, type KeyAccount } from './fetch';

export type { KeyAccount };

export function useMovement(since: string, enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: ['tiering', 'movement', since],
    queryFn: () => unwrap(api.GET('/v1/tiering/movement', { params: { query: { since, limit: 50 } } })),
    enabled,
  });
}

export function useKeyAccounts(enabled: boolean) {
  const api = useApi();
  return useQuery({ queryKey: ['tiering', 'key-accounts', KEY_ACCOUNTS_MAX], queryFn: ({ signal }) => fetchKeyAccounts(api, signal), enabled });
}

export function useStakeholderMaps(accounts: readonly KeyAccount[] | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: ['tiering', 'key-accounts', 'stakeholder-maps', accounts?.map((a) => a.id)],
    queryFn: ({ signal }) => perAccount(accounts ?? [], (a) => unwrap(api.GET('/v1/accounts/{id}/stakeholder-map', { params: { path: { id: a.id } }, signal }))),
    enabled: accounts !== undefined,
  });
}

export function useKeyProjects(accounts: readonly KeyAccount[] | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: ['tiering', 'key-accounts', 'projects', accounts?.map((a) => a.id)],
    queryFn: ({ signal }) => perAccount(accounts ?? [], (a) => unwrap(api.GET('/v1/accounts/{id}/projects', { params: { path: { id: a.id } }, signal }))),
    enabled: accounts !== undefined,
  });
}
