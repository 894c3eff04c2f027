// Who may do what on the account page, and who is behind an actor reference: pure rules, tested.

export type RoleLike = 'admin' | 'manager' | 'csm' | 'agent' | 'viewer';

/**
 * Whether the override buttons show: the role may call the operation, and a CSM only on the
 * accounts he or she is the CSM of (the API answers 403 otherwise).
 */
export function mayOverrideTier(allowed: boolean, role: RoleLike | undefined, csmId: string | null, userId: string | undefined): boolean {
  if (!allowed || !role) return false;
  return role !== 'csm' || (!!csmId && csmId === userId);
}

/** Whether GET /v1/users/{id} will answer: admins and managers read anyone, others only themselves. */
export function mayReadUser(allowed: boolean, role: RoleLike | undefined, userId: string | undefined, targetId: string | null | undefined): boolean {
  if (!allowed || !role || !targetId) return false;
  return role === 'admin' || role === 'manager' || targetId === userId;
}

export type ActorKind = 'user' | 'api-key' | 'operator' | 'system' | 'unknown';

/** An actor reference of the API (`user:<id>`, `api-key:<id>`, `operator`, `system:<id>`). */
export function parseActor(ref: string | null | undefined): { kind: ActorKind; id: string | null } {
  if (!ref) return { kind: 'unknown', id: null };
  if (ref === 'operator') return { kind: 'operator', id: null };
  const m = /^(user|api-key|system):(.+)$/.exec(ref);
  if (!m) return { kind: 'unknown', id: null };
  return { kind: m[1] as ActorKind, id: m[2] };
}
