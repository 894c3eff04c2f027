// Names behind the ids an account carries (owner, CSM, partners, the author of an override),
// read only when the signed-in role may read them; otherwise a neutral sentence.
import { unwrap, type Schemas } from '@steward/api-client';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useApi, useCan, useSession } from '../../app/session-context';
import { readProblem } from '../../lib/problem';
import { mayReadUser, parseActor } from './account-people';

export type Account = Schemas['Account'];

/** A portal user's name (`Not assigned`, `Ada (you)`, `Ada`, or a neutral `Assigned` for roles that may not read users). */
export function useUserLabel(userId: string | null | undefined): string {
  const { t } = useTranslation();
  const api = useApi();
  const can = useCan();
  const session = useSession();
  const me = session?.user;
  const readable = mayReadUser(can('getUser'), me?.role, me?.id, userId) && userId !== me?.id;
  const query = useQuery({
    queryKey: ['user', userId],
    queryFn: () => unwrap(api.GET('/v1/users/{id}', { params: { path: { id: userId! } } })),
    enabled: readable,
    staleTime: 5 * 60_000,
  });
  if (!userId) return t('account.people.unassigned');
  if (me && userId === me.id) return t('account.people.you', { name: me.name });
  if (!readable) return t('account.people.assigned');
  if (query.data) return query.data.name;
  if (query.error) return readProblem(query.error).status === 404 ? t('account.people.unknownUser') : t('account.people.assigned');
  return t('states.loading');
}

/** Who set something, from the API's actor reference (`user:<id>`, `operator`...). */
export function useActorLabel(ref: string | null | undefined): string {
  const { t } = useTranslation();
  const can = useCan();
  const me = useSession()?.user;
  const actor = parseActor(ref);
  const user = useUserLabel(actor.kind === 'user' ? actor.id : null);
  // A user this role may not read is just "a user" (not "assigned", which is about owners).
  if (actor.kind === 'user' && (actor.id === me?.id || mayReadUser(can('getUser'), me?.role, me?.id, actor.id))) return user;
  return t(`account.actor.${actor.kind}`);
}

/** A channel partner's name. */
export function usePartnerName(partnerId: string | null | undefined): string {
  const { t } = useTranslation();
  const api = useApi();
  const can = useCan();
  const readable = !!partnerId && can('getPartner');
  const query = useQuery({
    queryKey: ['partner', partnerId],
    queryFn: () => unwrap(api.GET('/v1/partners/{id}', { params: { path: { id: partnerId! } } })),
    enabled: readable,
    staleTime: 5 * 60_000,
  });
  if (!partnerId) return '—';
  if (!readable || query.error) return t('account.partner.unknown');
  if (query.data) return query.data.name;
  return t('states.loading');
}
