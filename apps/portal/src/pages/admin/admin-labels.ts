// Pure helpers of the admin pages: the API's vocabularies as catalog keys, an API key's status,
// an audit entry's actor and changed fields, and the audit filters in the URL.
import type { Role, Schemas } from '@steward/api-client';

export const ROLES: readonly Role[] = ['admin', 'manager', 'csm', 'agent', 'viewer'];
export const PARTNER_KINDS = ['reseller', 'system-integrator', 'dealer'] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];
export const KEY_SCOPES = ['read', 'write'] as const;

/** Every audit action the API writes, with its catalog key (i18next splits keys on dots, so the codes are not keys themselves). */
export const AUDIT_ACTIONS: Record<string, string> = {
  'user.created': 'userCreated',
  'user.updated': 'userUpdated',
  'tenant.created': 'tenantCreated',
  'partner.created': 'partnerCreated',
  'api-key.created': 'apiKeyCreated',
  'api-key.rotated': 'apiKeyRotated',
  'api-key.revoked': 'apiKeyRevoked',
  'session.token-reused': 'sessionTokenReused',
};

/** Every entity type the audit log holds, with its catalog key. */
export const ENTITY_TYPES: Record<string, string> = {
  user: 'user',
  tenant: 'tenant',
  partner: 'partner',
  'api-key': 'apiKey',
};

/** The catalog key of an audit action (`admin.audit.action.other` for one this portal does not know yet). */
export function actionKey(action: string): string {
  const k = AUDIT_ACTIONS[action];
  return k ? `admin.audit.action.${k}` : 'admin.audit.action.other';
}

export function entityTypeKey(type: string): string {
  const k = ENTITY_TYPES[type];
  return k ? `admin.audit.entity.${k}` : 'admin.audit.entity.other';
}

export type KeyStatus = 'active' | 'rotating' | 'expired' | 'revoked';

/** An API key's state now: revoked, expired, rotating (replaced, still valid during the overlap) or active. */
export function keyStatus(key: Pick<Schemas['ApiKey'], 'revokedAt' | 'expiresAt' | 'replacedById'>, now: number = Date.now()): KeyStatus {
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && Date.parse(key.expiresAt) <= now) return 'expired';
  if (key.replacedById) return 'rotating';
  return 'active';
}

/** What may still be done with a key: rotate only an active one (not already replaced), revoke any not revoked nor expired. */
export function keyActions(status: KeyStatus): { rotate: boolean; revoke: boolean } {
  return { rotate: status === 'active', revoke: status === 'active' || status === 'rotating' };
}

export type ActorKind = 'user' | 'apiKey' | 'operator' | 'system' | 'other';

/** An audit actor (`user:<id>`, `api-key:<id>`, `operator`, `system:<id>`) as a kind and an id. */
export function parseActor(actor: string): { kind: ActorKind; id?: string } {
  if (actor === 'operator') return { kind: 'operator' };
  const i = actor.indexOf(':');
  if (i < 0) return { kind: 'other', id: actor || undefined };
  const kind = actor.slice(0, i);
  const id = actor.slice(i + 1) || undefined;
  if (kind === 'user') return { kind: 'user', id };
  if (kind === 'api-key') return { kind: 'apiKey', id };
  if (kind === 'operator') return { kind: 'operator' };
  if (kind === 'system') return { kind: 'system', id };
  return { kind: 'other', id: actor };
}

/** Bookkeeping fields (ids, timestamps, versions) that say nothing about what changed. */
const NOISE = new Set(['id', 'tenantId', 'createdAt', 'updatedAt', 'version']);

/**
 * The names of the fields an audit entry changed: those that differ between before and after
 * (both present), else every field of the one present (a creation, or a note like a reused token).
 */
export function changedFields(before: Record<string, unknown> | null | undefined, after: Record<string, unknown> | null | undefined): string[] {
  if (before && after) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.filter((k) => !NOISE.has(k) && JSON.stringify(before[k]) !== JSON.stringify(after[k])).sort();
  }
  const one = after ?? before;
  return one ? Object.keys(one).filter((k) => !NOISE.has(k)).sort() : [];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string): boolean => UUID.test(s);

export interface AuditFilters {
  entityType?: string;
  entityId?: string;
}

/** The audit filters from the URL: an entity type up to 50 characters, an entity id only when it is a UUID (the API refuses others). */
export function parseAuditFilters(params: URLSearchParams): AuditFilters & { invalidEntityId?: string } {
  const entityType = params.get('entityType')?.trim() || undefined;
  const rawId = params.get('entityId')?.trim() || undefined;
  return {
    ...(entityType && entityType.length <= 50 ? { entityType } : {}),
    ...(rawId && isUuid(rawId) ? { entityId: rawId.toLowerCase() } : {}),
    ...(rawId && !isUuid(rawId) ? { invalidEntityId: rawId } : {}),
  };
}

/** The URL search params with one filter set (or removed when empty), the others kept. */
export function withFilter(params: URLSearchParams, name: keyof AuditFilters, value: string | undefined): URLSearchParams {
  const next = new URLSearchParams(params);
  const v = value?.trim();
  if (v) next.set(name, v);
  else next.delete(name);
  return next;
}

/** A lookup of user names by id, for showing who did what. */
export function namesById(users: readonly { id: string; name: string }[]): Map<string, string> {
  return new Map(users.map((u) => [u.id, u.name]));
}

/** The fields a problem names, as antd form field errors (fields the form does not have are left to the alert). */
export function problemFieldErrors(fields: readonly { field: string; message: string }[], formFields: readonly string[], pathOf: (field: string) => (string | number)[] | undefined): { name: (string | number)[]; errors: string[] }[] {
  return fields.flatMap((f) => {
    const name = pathOf(f.field);
    return name && formFields.includes(String(name[0])) ? [{ name, errors: [f.message] }] : [];
  });
}
