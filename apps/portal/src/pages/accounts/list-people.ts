// Names of the users and partners the list shows, for the roles that may read them (useCan).
import { pages, type Schemas } from '@steward/api-client';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useApi, useCan } from '../../app/session-context';

export type User = Schemas['User'];
export type Partner = Schemas['Partner'];

/** At most this many are read for names (the lists are paged by 200). */
const MAX_ITEMS = 2000;

async function collect<T>(it: AsyncGenerator<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of it) {
    out.push(item);
    if (out.length >= MAX_ITEMS) break;
  }
  return out;
}

/** Every user of the tenant by id, when the role may list users; else an empty map. */
export function useUserNames(): { users: User[]; byId: Map<string, User>; enabled: boolean } {
  const api = useApi();
  const enabled = useCan()('listUsers');
  const query = useQuery({
    queryKey: ['accounts-list', 'users'],
    enabled,
    staleTime: 5 * 60_000,
    queryFn: () => collect(pages((cursor) => api.GET('/v1/users', { params: { query: { limit: 200, cursor } } }))),
  });
  const users = useMemo(() => [...(query.data ?? [])].sort((a, b) => a.name.localeCompare(b.name)), [query.data]);
  const byId = useMemo(() => new Map(users.map((u) => [u.id, u])), [users]);
  return { users, byId, enabled };
}

/** Every partner by id, when the role may list partners; else an empty map. */
export function usePartnerNames(): { partners: Partner[]; byId: Map<string, Partner>; enabled: boolean } {
  const api = useApi();
  const enabled = useCan()('listPartners');
  const query = useQuery({
    queryKey: ['accounts-list', 'partners'],
    enabled,
    staleTime: 5 * 60_000,
    queryFn: () => collect(pages((cursor) => api.GET('/v1/partners', { params: { query: { limit: 200, cursor } } }))),
  });
  const partners = useMemo(() => [...(query.data ?? [])].sort((a, b) => a.name.localeCompare(b.name)), [query.data]);
  const byId = useMemo(() => new Map(partners.map((p) => [p.id, p])), [partners]);
  return { partners, byId, enabled };
}
