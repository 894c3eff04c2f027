import {
  Actor,
  actorRef,
  ALL_EVENT_TYPES,
  CreatedWebhookEndpoint,
  CreateWebhookEndpointRequest,
  ErrorCode,
  FieldError,
  ListWebhookDeliveriesQuery,
  Page,
  ReplayWebhookDeliveriesRequest,
  ReplayWebhookDeliveriesResponse,
  RotatedWebhookSecret,
  RotateWebhookSecretRequest,
  StewardError,
  UpdateWebhookEndpointRequest,
  WEBHOOK_TEST_EVENT,
  webhookEventTypes,
  WebhookDeliveryDto,
  WebhookEndpointDto,
  WebhookEventTypeList,
} from '@steward/contracts';
import { afterCommit, idCursor, Scope, toPage, Tx, UnitOfWork, uuidv7 } from '@steward/persistence';
import { keyedWrite } from './keyed';
import { checkDestination, RefusedDestination, type OutboundPolicy } from './outbound';
import type { SecretBox } from './secret-box';
import { newSigningSecret } from './signing';
import type { WebhooksRepository } from './webhooks.repository';
import type { WebhookSettings } from './webhooks.settings';

/** Who is asking: a tenant user (admin or manager) or a partner API key (its own endpoints only). */
export interface WebhookCaller {
  tenantId: string;
  actor: Actor;
}

const scopeOf = (c: WebhookCaller): Scope => ({ tenantId: c.tenantId, partnerId: c.actor.kind === 'api-key' ? c.actor.partnerId : null });
const notFound = (what: string, id: string) => StewardError.notFound(what, id);

/**
 * Webhook endpoints and deliveries, one method per use case (docs/webhooks.md). Every use
 * case runs in one transaction of the caller's scope: a user's sees the tenant's endpoints, a
 * partner key's only the partner's own (row-level security, the partner role); another
 * partner's endpoint simply does not exist (404). Writes accept an Idempotency-Key.
 */
export class WebhooksService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly repo: WebhooksRepository,
    private readonly box: SecretBox,
    private readonly settings: Pick<WebhookSettings, 'secretOverlapSeconds'>,
    private readonly policy: OutboundPolicy,
    /** Wakes the delivery worker after a commit that made something due. */
    private readonly nudge: () => void,
  ) {}

  /** The types a caller may subscribe to: every deliverable type; for partners, those about accounts. */
  eventTypes(c: WebhookCaller): WebhookEventTypeList {
    const partner = c.actor.kind === 'api-key';
    return { items: webhookEventTypes().filter((t) => !partner || t.partners) };
  }

  async create(c: WebhookCaller, body: CreateWebhookEndpointRequest): Promise<CreatedWebhookEndpoint> {
    const eventTypes = this.checkEventTypes(c, body.eventTypes);
    await this.checkUrl(body.url);
    const scope = scopeOf(c);
    return keyedWrite(
      c.tenantId,
      () =>
        this.uow.forScope(scope, async (tx) => {
          const secret = newSigningSecret();
          const endpoint = await this.repo.insertEndpoint(tx, {
            id: uuidv7(),
            partnerId: scope.partnerId ?? null,
            url: body.url,
            description: body.description || null,
            eventTypes,
            enabled: body.enabled,
            sealedSecret: this.box.seal(secret),
            createdBy: actorRef(c.actor),
          });
          return { endpoint, secret };
        }),
      this.sealingSecret(),
    );
  }

  async list(c: WebhookCaller, q: { limit: number; cursor?: string }): Promise<Page<WebhookEndpointDto>> {
    const after = q.cursor ? idCursor.decode(q.cursor) : null;
    const rows = await this.uow.forScope(scopeOf(c), (tx) => this.repo.listEndpoints(tx, q.limit + 1, after));
    return toPage(rows, q.limit, (r) => r, (last) => idCursor.encode(last.id));
  }

  async get(c: WebhookCaller, id: string): Promise<WebhookEndpointDto> {
    return this.uow.forScope(scopeOf(c), async (tx) => (await this.repo.findEndpoint(tx, id)) ?? throwNotFound('webhook endpoint', id));
  }

  async update(c: WebhookCaller, id: string, body: UpdateWebhookEndpointRequest): Promise<WebhookEndpointDto> {
    const eventTypes = body.eventTypes ? this.checkEventTypes(c, body.eventTypes) : undefined;
    if (body.url) await this.checkUrl(body.url);
    return keyedWrite(c.tenantId, () =>
      this.uow.forScope(scopeOf(c), async (tx) => {
        const current = (await this.repo.findEndpoint(tx, id, { lock: true })) ?? throwNotFound('webhook endpoint', id);
        let endpoint = (await this.repo.updateEndpoint(tx, id, { url: body.url, eventTypes, description: body.description === undefined ? undefined : body.description || null }))!;
        if (body.enabled === true && !current.enabled) endpoint = (await this.repo.enableEndpoint(tx, id))!;
        if (body.enabled === false && current.enabled) endpoint = (await this.repo.disableEndpoint(tx, id, { at: new Date().toISOString(), automatic: false, reason: `disabled by ${actorRef(c.actor)}` }))!;
        return endpoint;
      }),
    );
  }

  async remove(c: WebhookCaller, id: string): Promise<WebhookEndpointDto> {
    return keyedWrite(c.tenantId, () => this.uow.forScope(scopeOf(c), async (tx) => (await this.repo.deleteEndpoint(tx, id)) ?? throwNotFound('webhook endpoint', id)));
  }

  /** Re-enables an endpoint (disabled by hand or automatically); its notice is kept as `lastDisabled`. */
  async enable(c: WebhookCaller, id: string): Promise<WebhookEndpointDto> {
    return keyedWrite(c.tenantId, () => this.uow.forScope(scopeOf(c), async (tx) => (await this.repo.enableEndpoint(tx, id)) ?? throwNotFound('webhook endpoint', id)));
  }

  /** A new secret, shown once; the previous one keeps signing beside it for the overlap. */
  async rotateSecret(c: WebhookCaller, id: string, body: RotateWebhookSecretRequest): Promise<RotatedWebhookSecret> {
    const overlap = body.overlapSeconds ?? this.settings.secretOverlapSeconds;
    return keyedWrite(
      c.tenantId,
      () =>
        this.uow.forScope(scopeOf(c), async (tx) => {
          const current = (await this.repo.endpointSecrets(tx, id)) ?? throwNotFound('webhook endpoint', id);
          const secret = newSigningSecret();
          // Re-sealed: a secret stored under a previous STEWARD_WEBHOOKS_SECRET_KEY moves to the current one.
          const endpoint = (await this.repo.rotateSecret(tx, id, this.box.seal(secret), this.box.seal(this.box.open(current.secret)), overlap))!;
          return { endpoint, secret, previousSecretExpiresAt: endpoint.previousSecretExpiresAt };
        }),
      this.sealingSecret(),
    );
  }

  /** Queues a `webhooks.test.v1` event to the endpoint alone (even a disabled one: it checks a fix). */
  async sendTest(c: WebhookCaller, id: string): Promise<WebhookDeliveryDto> {
    return keyedWrite(c.tenantId, () =>
      this.uow.forScope(scopeOf(c), async (tx) => {
        const endpoint = (await this.repo.findEndpoint(tx, id)) ?? throwNotFound('webhook endpoint', id);
        const eventId = uuidv7();
        const occurredAt = new Date().toISOString();
        const body = JSON.stringify({ id: eventId, type: WEBHOOK_TEST_EVENT, occurredAt, tenantId: c.tenantId, data: { endpointId: endpoint.id, message: 'A test event from Steward: your endpoint is reachable and verifies the signature.' } });
        await this.repo.insertEvent(tx, { id: eventId, type: WEBHOOK_TEST_EVENT, occurredAt, body });
        const [deliveryId] = await this.repo.insertDeliveries(tx, eventId, WEBHOOK_TEST_EVENT, [{ id: uuidv7(), endpointId: endpoint.id, status: 'pending' }]);
        afterCommit(tx, this.nudge);
        return (await this.repo.findDelivery(tx, deliveryId!))!;
      }),
    );
  }

  async listDeliveries(c: WebhookCaller, endpointId: string, q: ListWebhookDeliveriesQuery): Promise<Page<WebhookDeliveryDto>> {
    const before = q.cursor ? idCursor.decode(q.cursor) : null;
    return this.uow.forScope(scopeOf(c), async (tx) => {
      if (!(await this.repo.findEndpoint(tx, endpointId))) throwNotFound('webhook endpoint', endpointId);
      const rows = await this.repo.listDeliveries(tx, endpointId, q.limit + 1, before, q.status);
      return toPage(rows, q.limit, (r) => r, (last) => idCursor.encode(last.id));
    });
  }

  async getDelivery(c: WebhookCaller, id: string): Promise<WebhookDeliveryDto> {
    return this.uow.forScope(scopeOf(c), async (tx) => (await this.repo.findDelivery(tx, id)) ?? throwNotFound('webhook delivery', id));
  }

  /** Sends one delivery again now, with a new round of retries (same event id, same delivery id). */
  async replayDelivery(c: WebhookCaller, id: string): Promise<WebhookDeliveryDto> {
    return keyedWrite(c.tenantId, () =>
      this.uow.forScope(scopeOf(c), async (tx) => {
        const delivery = (await this.repo.findDelivery(tx, id)) ?? throwNotFound('webhook delivery', id);
        await this.requireEnabled(tx, delivery.endpointId);
        await this.repo.replayDelivery(tx, id);
        afterCommit(tx, this.nudge);
        return (await this.repo.findDelivery(tx, id))!;
      }),
    );
  }

  /** Sends again every delivery of the endpoint created since `since` (failed and skipped ones, or all). */
  async replaySince(c: WebhookCaller, endpointId: string, body: ReplayWebhookDeliveriesRequest): Promise<ReplayWebhookDeliveriesResponse> {
    return keyedWrite(c.tenantId, () =>
      this.uow.forScope(scopeOf(c), async (tx) => {
        await this.requireEnabled(tx, endpointId);
        const replayed = await this.repo.replaySince(tx, endpointId, body.since, body.include);
        if (replayed > 0) afterCommit(tx, this.nudge);
        return { replayed };
      }),
    );
  }

  private async requireEnabled(tx: Tx, endpointId: string): Promise<void> {
    const endpoint = (await this.repo.findEndpoint(tx, endpointId)) ?? throwNotFound('webhook endpoint', endpointId);
    if (!endpoint.enabled) {
      throw new StewardError(ErrorCode.Conflict, 'The endpoint is disabled: enable it first (POST /v1/webhooks/endpoints/{id}/enable), then replay', {
        errors: [{ field: 'endpoint', rule: 'enabled', message: 'must be enabled to replay deliveries' }],
      });
    }
  }

  /** Known, deliverable types (or `*`); partners only those about accounts. Duplicates dropped. */
  private checkEventTypes(c: WebhookCaller, types: string[]): string[] {
    const allowed = new Set(this.eventTypes(c).items.map((t) => t.type));
    const errors: FieldError[] = [];
    types.forEach((t, i) => {
      if (t !== ALL_EVENT_TYPES && !allowed.has(t)) {
        errors.push({ field: `eventTypes[${i}]`, rule: 'event-type', message: `is not an event type this caller may subscribe to (see GET /v1/webhooks/event-types, or "${ALL_EVENT_TYPES}" for all)` });
      }
    });
    if (errors.length) throw StewardError.validation(errors);
    return types.includes(ALL_EVENT_TYPES) ? [ALL_EVENT_TYPES] : [...new Set(types)];
  }

  private async checkUrl(url: string): Promise<void> {
    try {
      await checkDestination(url, this.policy);
    } catch (err) {
      if (err instanceof RefusedDestination) throw StewardError.validation([{ field: 'url', rule: err.rule, message: err.message }]);
      throw err;
    }
  }

  /** Replies that carry a secret are stored with their key sealed, never in the clear. */
  private sealingSecret<T extends { secret: string }>() {
    return {
      store: (reply: T) => ({ ...reply, secret: this.box.seal(reply.secret) }),
      restore: (stored: unknown) => {
        const s = stored as T;
        return { ...s, secret: this.box.open(s.secret) };
      },
    };
  }
}

function throwNotFound(what: string, id: string): never {
  throw notFound(what, id);
}
