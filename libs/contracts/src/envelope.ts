/**
 * Envelope metadata travels in NATS headers, never in payloads, so a payload is the
 * business fact alone and the tenant can only come from the caller's credential.
 *
 * WARNING: wire names. Renaming a header breaks every deployed service.
 */
export const HeaderNames = {
  messageId: 'Steward-Message-Id',
  tenantId: 'Steward-Tenant-Id',
  actor: 'Steward-Actor',
  correlationId: 'Steward-Correlation-Id',
  occurredAt: 'Steward-Occurred-At',
  /** W3C trace context */
  traceparent: 'traceparent',
  tracestate: 'tracestate',
  /** JetStream de-duplication id; the outbox id is used for it. */
  natsMsgId: 'Nats-Msg-Id',
  /** A keyed write: the request's Idempotency-Key (`key#n` for its n-th NATS request) and its fingerprint. */
  idempotencyKey: 'Steward-Idempotency-Key',
  requestFingerprint: 'Steward-Request-Fingerprint',
  /** On a reply: the stored outcome of an earlier request with the same key. */
  idempotentReplayed: 'Steward-Idempotent-Replayed',
  /**
   * HMAC-SHA256 of the envelope (subject, message id, occurred-at, tenant, actor,
   * correlation id, body encoding) and the body, with the platform's context key
   * (libs/messaging context-signing.ts). Services refuse requests and events without a valid one.
   */
  signature: 'Steward-Signature',
} as const;

export const ROLES = ['admin', 'manager', 'csm', 'agent', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Who caused a message: a portal user, a partner API key, the platform operator or a service. */
export type Actor =
  | { kind: 'user'; id: string; role: Role }
  | { kind: 'api-key'; id: string; partnerId: string }
  | { kind: 'operator'; id: 'operator' }
  | { kind: 'system'; id: string };

export interface Envelope {
  messageId: string;
  /** Absent only for platform-level commands (operator bootstrap, login lookups). */
  tenantId?: string;
  actor: Actor;
  correlationId: string;
  /** ISO-8601 instant */
  occurredAt: string;
}

/** Serialises an actor for the {@link HeaderNames.actor} header. */
export function encodeActor(actor: Actor): string {
  return JSON.stringify(actor);
}

/** Parses the actor header; anything malformed is treated as an anonymous system actor. */
export function decodeActor(raw: string | undefined): Actor {
  if (!raw) return { kind: 'system', id: 'anonymous' };
  try {
    const parsed = JSON.parse(raw) as Partial<Actor>;
    switch (parsed.kind) {
      case 'user':
        if (typeof parsed.id === 'string' && ROLES.includes(parsed.role as Role)) return parsed as Actor;
        break;
      case 'api-key':
        if (typeof parsed.id === 'string' && typeof parsed.partnerId === 'string') return parsed as Actor;
        break;
      case 'operator':
        return { kind: 'operator', id: 'operator' };
      case 'system':
        if (typeof parsed.id === 'string') return parsed as Actor;
        break;
    }
  } catch {
    // fall through
  }
  return { kind: 'system', id: 'anonymous' };
}

/** A stable, human-readable id for audit logs: `user:<id>`, `api-key:<id>`, `operator`, `system:<id>`. */
export function actorRef(actor: Actor): string {
  return actor.kind === 'operator' ? 'operator' : `${actor.kind}:${actor.id}`;
}
