import { z } from 'zod';
import { Cursor, page, Uuid } from './common';
import type { EventDef } from './define';
import { eventDefinitions } from './registry';

/**
 * Webhooks: tenants and partners register HTTPS endpoints, and the gateway POSTs them the
 * platform's public events, signed (docs/webhooks.md, docs/adr/0020-webhooks.md). This file
 * holds what callers see: the deliverable event types (derived from the contracts registry,
 * so an event a service adds is deliverable without touching webhook code), the request and
 * response bodies of `/v1/webhooks/...`, and the body and headers of a delivery.
 */

/** WARNING: wire names. The HTTP headers of every webhook request. */
export const WebhookHeaders = {
  /** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">[,v1=<hex, with the previous secret during a rotation>]` */
  signature: 'Steward-Signature',
  /** The event's id: the same on every retry, replay and redelivery (receivers dedupe on it). */
  eventId: 'Steward-Event-Id',
  eventType: 'Steward-Event-Type',
  /** One (endpoint, event) pair: the same on every attempt of that delivery. */
  deliveryId: 'Steward-Delivery-Id',
} as const;

/** WARNING: wire name. The type of the event `POST /v1/webhooks/endpoints/{id}/test` sends. */
export const WEBHOOK_TEST_EVENT = 'webhooks.test.v1';

/** Subscribes an endpoint to every deliverable event type, present and future. */
export const ALL_EVENT_TYPES = '*';

export interface WebhookEventType {
  /** The event's subject, as on the wire: `accounts.events.account.created.v1`. */
  type: string;
  /** The service that emits it. */
  service: string;
  summary: string;
  /** Whether partners' endpoints may receive it (about an account the partner leads). */
  partners: boolean;
}

/**
 * Every event type a webhook may carry: each declared event whose audience is not
 * `internal`, in registry order. Derived, never listed: a new public event is deliverable at once.
 */
export function webhookEventTypes(): WebhookEventType[] {
  return [...eventDefinitions().values()]
    .filter((d) => (d.webhooks.audience ?? 'public') !== 'internal')
    .map((d) => ({ type: d.subject, service: d.subject.slice(0, d.subject.indexOf('.')), summary: d.summary, partners: (d.webhooks.audience ?? 'public') === 'public' }));
}

/** The definition of a deliverable event type; undefined for internal and unknown ones. */
export function deliverableEvent(type: string): EventDef | undefined {
  const def = eventDefinitions().get(type);
  return def && (def.webhooks.audience ?? 'public') !== 'internal' ? def : undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The account an event is about, which decides the partner that may receive it: the
 * event's own `accountOf` if it declares one, else the one account its payload names
 * (`accountId`, `account.id`, or `<field>.accountId` one level down). Several different
 * accounts, or none: null (partners' endpoints do not get it).
 */
export function accountOfEvent(def: Pick<EventDef, 'webhooks'>, payload: unknown): string | null {
  if (def.webhooks.accountOf) return def.webhooks.accountOf(payload);
  if (!isRecord(payload)) return null;
  const found = new Set<string>();
  const take = (v: unknown) => {
    if (typeof v === 'string' && UUID.test(v)) found.add(v.toLowerCase());
  };
  take(payload.accountId);
  if (isRecord(payload.account)) take(payload.account.id);
  for (const v of Object.values(payload)) if (isRecord(v)) take(v.accountId);
  return found.size === 1 ? [...found][0]! : null;
}

// ---- requests ----

const Instant = z.iso.datetime();
const EndpointUrl = z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }).max(2048);
const EventTypeList = z.array(z.string().min(1).max(200)).min(1).max(200);
const Description = z.string().trim().max(500);

/** `POST /v1/webhooks/endpoints`. `eventTypes: ['*']` subscribes to every type, present and future. */
export const CreateWebhookEndpointRequest = z.strictObject({
  url: EndpointUrl,
  eventTypes: EventTypeList,
  description: Description.optional(),
  /** Created disabled: receives nothing until enabled (default true). */
  enabled: z.boolean().default(true),
});
export type CreateWebhookEndpointRequest = z.infer<typeof CreateWebhookEndpointRequest>;

/** `PATCH /v1/webhooks/endpoints/{id}`: what is given changes. `enabled: true` also re-enables an endpoint that was disabled automatically. */
export const UpdateWebhookEndpointRequest = z.strictObject({
  url: EndpointUrl.optional(),
  eventTypes: EventTypeList.optional(),
  description: Description.nullable().optional(),
  enabled: z.boolean().optional(),
});
export type UpdateWebhookEndpointRequest = z.infer<typeof UpdateWebhookEndpointRequest>;

/** `POST /v1/webhooks/endpoints/{id}/rotate-secret`. */
export const RotateWebhookSecretRequest = z.strictObject({
  /** How long the previous secret keeps signing beside the new one (default 24 h; 0: it stops at once). */
  overlapSeconds: z.number().int().min(0).max(7 * 86_400).optional(),
});
export type RotateWebhookSecretRequest = z.infer<typeof RotateWebhookSecretRequest>;

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'succeeded', 'failed', 'skipped'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** `POST /v1/webhooks/endpoints/{id}/replay`: sends again every delivery of the endpoint made since a time. */
export const ReplayWebhookDeliveriesRequest = z.strictObject({
  since: Instant,
  /** `failed` (default): the failed and skipped ones; `all`: succeeded ones too. */
  include: z.enum(['failed', 'all']).default('failed'),
});
export type ReplayWebhookDeliveriesRequest = z.infer<typeof ReplayWebhookDeliveriesRequest>;

/** `GET /v1/webhooks/endpoints/{id}/deliveries`. */
export const ListWebhookDeliveriesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: Cursor.optional(),
  status: z.enum(WEBHOOK_DELIVERY_STATUSES).optional(),
});
export type ListWebhookDeliveriesQuery = z.infer<typeof ListWebhookDeliveriesQuery>;

// ---- responses ----

export const WebhookEventTypeDto = z.object({ type: z.string(), service: z.string(), summary: z.string(), partners: z.boolean() });
export const WebhookEventTypeList = z.object({ items: z.array(WebhookEventTypeDto) });
export type WebhookEventTypeList = z.infer<typeof WebhookEventTypeList>;

/** Why an endpoint stopped receiving: by hand, or automatically after sustained failure (the notice). */
export const WebhookDisabledNotice = z.object({
  at: Instant,
  automatic: z.boolean(),
  reason: z.string(),
});

export const WebhookEndpointDto = z.object({
  id: Uuid,
  url: z.string(),
  description: z.string().nullable(),
  eventTypes: z.array(z.string()),
  enabled: z.boolean(),
  /** The partner that owns the endpoint; null for the tenant's own endpoints. */
  partnerId: Uuid.nullable(),
  /** Set while the endpoint is disabled; kept as history after a re-enable in `lastDisabled`. */
  disabled: WebhookDisabledNotice.nullable(),
  lastDisabled: WebhookDisabledNotice.nullable(),
  /** Failed attempts in a row (any delivery) and since when; 0 / null after a success. */
  consecutiveFailures: z.number().int(),
  failingSince: Instant.nullable(),
  lastSuccessAt: Instant.nullable(),
  /** During a rotation: until when the previous secret still signs (a second `v1=`). */
  previousSecretExpiresAt: Instant.nullable(),
  createdAt: Instant,
  updatedAt: Instant,
});
export type WebhookEndpointDto = z.infer<typeof WebhookEndpointDto>;
export const WebhookEndpointPage = page(WebhookEndpointDto);

/** The answer to a creation: the signing secret, shown this once. */
export const CreatedWebhookEndpoint = z.object({ endpoint: WebhookEndpointDto, secret: z.string() });
export type CreatedWebhookEndpoint = z.infer<typeof CreatedWebhookEndpoint>;

/** The answer to a rotation: the new secret, shown this once; the previous one signs too until `previousSecretExpiresAt`. */
export const RotatedWebhookSecret = z.object({ endpoint: WebhookEndpointDto, secret: z.string(), previousSecretExpiresAt: Instant.nullable() });
export type RotatedWebhookSecret = z.infer<typeof RotatedWebhookSecret>;

export const WEBHOOK_ATTEMPT_OUTCOMES = ['succeeded', 'http-error', 'timeout', 'network-error', 'refused-address'] as const;

/** One HTTP attempt of a delivery. */
export const WebhookAttemptDto = z.object({
  number: z.number().int(),
  at: Instant,
  durationMs: z.number().int(),
  outcome: z.enum(WEBHOOK_ATTEMPT_OUTCOMES),
  /** The receiver's HTTP status; null when none came (timeout, network, refused address). */
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
  /** The first 1,024 characters of the response body. */
  responseExcerpt: z.string().nullable(),
});
export type WebhookAttemptDto = z.infer<typeof WebhookAttemptDto>;

export const WebhookDeliveryDto = z.object({
  id: Uuid,
  endpointId: Uuid,
  eventId: Uuid,
  eventType: z.string(),
  status: z.enum(WEBHOOK_DELIVERY_STATUSES),
  /** Attempts of every round (a replay starts a new round of retries). */
  attemptCount: z.number().int(),
  nextAttemptAt: Instant.nullable(),
  lastError: z.string().nullable(),
  createdAt: Instant,
  updatedAt: Instant,
  deliveredAt: Instant.nullable(),
  /** Newest first, at most 50. */
  attempts: z.array(WebhookAttemptDto),
});
export type WebhookDeliveryDto = z.infer<typeof WebhookDeliveryDto>;
export const WebhookDeliveryPage = page(WebhookDeliveryDto);

export const ReplayWebhookDeliveriesResponse = z.object({ replayed: z.number().int() });
export type ReplayWebhookDeliveriesResponse = z.infer<typeof ReplayWebhookDeliveriesResponse>;

/** The JSON body of every webhook request. `data` is the event's payload as its contract declares it. */
export const WebhookPayload = z.object({
  id: Uuid,
  type: z.string(),
  occurredAt: Instant,
  tenantId: Uuid,
  data: z.unknown(),
});
export type WebhookPayload = z.infer<typeof WebhookPayload>;
