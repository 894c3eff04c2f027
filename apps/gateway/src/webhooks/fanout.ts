import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AckPolicy, ConsumerMessages, DeliverPolicy, JetStreamClient, JetStreamManager, JsMsg, nanos } from 'nats';
import { accountOfEvent, AccountDto, deliverableEvent, ErrorCode, EVENT_SOURCES, Events, StewardError, Subjects, toFieldErrors, type EventDef } from '@steward/contracts';
import { ContextSigner, decode, EnvelopeHeaders, inBatches, readHeaders, reportRejectedContext, RpcClient, streamName } from '@steward/messaging';
import { afterCommit, Tx, UnitOfWork, uuidv7 } from '@steward/persistence';
import { logger, runWithContext } from '@steward/telemetry';
import { WebhookMetrics } from './webhooks.metrics';
import type { SubscribedEndpoint, WebhooksRepository } from './webhooks.repository';

/** Accounts' events that carry a whole account: they keep the account → lead partner read model current. */
const ACCOUNT_STATE_EVENTS = new Set<string>([Events.accounts.accountCreated, Events.accounts.accountUpdated, Events.accounts.accountDeleted, Events.accounts.accountRestored]);

/** An endpoint created up to this long after an event still gets it (clocks of the service and the database differ a little). */
const CLOCK_GRACE_MS = 5_000;

/**
 * At most this many events already received are fanned out together (per tenant, one
 * transaction), and at most this many are pulled at a time: a burst nobody listens to (a
 * settlement run's 10,000 events) costs one read per batch and one write of acks.
 */
const BATCH_MAX = 256;

/** An event that can never be delivered (its payload breaks the contract): terminated, not retried. */
class PoisonEvent extends Error {}

export interface FanoutOptions {
  prefix: string;
  /** The services whose event streams are followed (default: every service that emits events). */
  sources?: readonly string[];
  /** Told after a commit that created pending deliveries (the worker's nudge). */
  onDeliveries?: () => void;
}

/**
 * Turns the platform's JetStream events into webhook deliveries. One durable consumer per
 * source stream (`<prefix>gateway_webhooks_<service>`), shared by every gateway replica, so
 * each event is handled by one of them. For each event, in one transaction of its tenant:
 * the account → lead partner read model is updated (accounts' account events), the
 * endpoints that want it are found (subscribed to its type or to all; the tenant's own, and
 * the one partner that leads the account it is about), the event body is stored once and a
 * delivery row is inserted per endpoint, idempotent on (endpoint, event); then the message is
 * acknowledged. A crash before the ack redelivers the event, which inserts nothing twice. A
 * failure (database, accounts unreachable for a lookup) naks the event with back-off, and
 * it is retried without limit: no event is dropped while something is down.
 *
 * Events are verified first (signed context, ADR 10) and checked against their contract;
 * internal event types are acknowledged and ignored.
 */
export class WebhookFanout {
  private readonly running = new Set<ConsumerMessages>();
  private loops: Promise<void>[] = [];
  private stopped = false;

  constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly uow: UnitOfWork,
    private readonly repo: WebhooksRepository,
    private readonly context: ContextSigner,
    private readonly rpc: RpcClient,
    private readonly o: FanoutOptions,
  ) {}

  start(): void {
    this.stopped = false;
    this.loops = (this.o.sources ?? EVENT_SOURCES).map((source) => this.follow(source));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.running].map((m) => m.close().catch(() => undefined)));
    await Promise.all(this.loops);
  }

  durableName(source: string): string {
    return `${this.o.prefix}gateway_webhooks_${source}`.replace(/[^A-Za-z0-9_-]+/g, '_');
  }

  /**
   * Follows one source stream with its durable consumer, setting it up (again) whenever it is
   * missing: the stream may not exist yet (the gateway may not create it; its service does at
   * boot), or may have been recreated (NATS restarted without its store).
   */
  private async follow(source: string): Promise<void> {
    const stream = streamName(this.o.prefix, source);
    const durable = this.durableName(source);
    let failures = 0;
    while (!this.stopped) {
      try {
        try {
          await this.jsm.consumers.info(stream, durable);
        } catch {
          // From the start of the stream: the read model wants every account event it still holds;
          // endpoints only get events that happened after they were created.
          await this.jsm.consumers.add(stream, {
            durable_name: durable,
            ack_policy: AckPolicy.Explicit,
            deliver_policy: DeliverPolicy.All,
            filter_subject: `${this.o.prefix}${source}.events.>`,
            max_deliver: -1,
            ack_wait: nanos(30_000),
          });
        }
        const consumer = await this.js.consumers.get(stream, durable);
        const messages = await consumer.consume({ max_messages: BATCH_MAX, abort_on_missing_resource: true });
        this.running.add(messages);
        if (failures > 0) logger().info({ source, durable }, 'webhooks: following the event stream again');
        failures = 0;
        try {
          for await (const batch of inBatches(messages, BATCH_MAX)) await this.handleBatch(batch);
        } finally {
          this.running.delete(messages);
        }
        if (!this.stopped) await sleep(250);
      } catch (err) {
        if (this.stopped) break;
        failures += 1;
        if (failures === 1 || failures % 60 === 0) {
          logger().warn({ source, durable, failures, error: err instanceof Error ? err.message : String(err) }, 'webhooks: cannot follow the event stream yet; retrying');
        }
        await sleep(Math.min(5_000, 250 * failures));
      }
    }
  }

  /**
   * Handles what the stream delivered together: the events are checked one by one (every
   * event's signature, so a forged one is reported even when nobody would receive it), then each
   * tenant's events are fanned out in one transaction (leads and candidate endpoints read once),
   * and acknowledged after it commits. When that transaction fails, each event is tried on its
   * own, so one event that cannot be fanned out now does not hold back the others.
   */
  private async handleBatch(ms: JsMsg[]): Promise<void> {
    const byTenant = new Map<string, Checked[]>();
    for (const m of ms) {
      const c = this.check(m);
      if (!c) continue;
      const group = byTenant.get(c.tenantId);
      if (group) group.push(c);
      else byTenant.set(c.tenantId, [c]);
    }
    for (const [tenantId, checked] of byTenant) {
      if (await this.nobodyListens(tenantId, checked)) {
        for (const c of checked) c.m.ack(); // a lost ack only brings the event back to this same check
        continue;
      }
      const group = checked.map((c) => this.withPayload(c)).filter((p): p is Prepared => p !== null);
      if (group.length > 1) {
        try {
          await this.commit(group);
        } catch (err) {
          logger().debug({ events: group.length, error: err instanceof Error ? err.message : String(err) }, 'webhooks: a batch failed; fanning out its events one by one');
          for (const p of group) await this.handleOne(p);
          continue;
        }
        await Promise.all(group.map((p) => p.m.ackAck().catch(() => p.m.ack())));
      } else if (group.length === 1) {
        await this.handleOne(group[0]!);
      }
    }
  }

  /** Checks an event's signed context and type. Null when it was settled here (acknowledged or terminated). */
  private check(m: JsMsg): Checked | null {
    const verdict = this.context.verify(m.subject, m.headers, m.data, { checkAge: false });
    if (verdict !== 'ok') {
      reportRejectedContext('event', verdict, { subject: m.subject, consumer: 'gateway.webhooks' });
      m.term();
      return null;
    }
    const type = m.subject.slice(this.o.prefix.length);
    const def = deliverableEvent(type);
    const updatesReadModel = ACCOUNT_STATE_EVENTS.has(type);
    if (!def && !updatesReadModel) {
      m.ack();
      return null;
    }
    const envelope = readHeaders(m.headers, randomUUID);
    if (!envelope.tenantId) {
      logger().error({ subject: m.subject, messageId: envelope.messageId }, 'webhooks: event has no tenant; terminated');
      m.term();
      return null;
    }
    return { m, type, def, updatesReadModel, envelope, tenantId: envelope.tenantId };
  }

  /**
   * True when none of a tenant's events feeds the read model and none of its endpoints is
   * subscribed to their types: nothing can be delivered, so the events are acknowledged
   * without parsing their payloads or opening a transaction (one read-only round trip; most
   * events of most tenants, e.g. a settlement run's thousands). On a failed read, false: the
   * events take the usual path, which retries.
   */
  private async nobodyListens(tenantId: string, checked: Checked[]): Promise<boolean> {
    if (checked.some((c) => c.updatesReadModel)) return false;
    const types = [...new Set(checked.map((c) => c.type))];
    try {
      return (await this.uow.read({ tenantId }, (tx) => this.repo.subscribedEndpoints(tx, types))).length === 0;
    } catch {
      return false;
    }
  }

  /** The event with its payload parsed by its contract; null when it breaks it (terminated: it can never be delivered). */
  private withPayload(c: Checked): Prepared | null {
    try {
      return { ...c, payload: this.parse(c.def, c.m, c.envelope.messageId) };
    } catch (err) {
      logger().error({ subject: c.m.subject, messageId: c.envelope.messageId, error: err instanceof Error ? err.message : String(err) }, 'webhooks: event cannot be delivered; terminated');
      c.m.term();
      return null;
    }
  }

  /** One event in its own transaction; a failure (database, accounts unreachable) naks it with back-off. */
  private async handleOne(p: Prepared): Promise<void> {
    try {
      await this.commit([p]);
      await p.m.ackAck().catch(() => p.m.ack());
    } catch (err) {
      const attempt = p.m.info.redeliveryCount;
      if (attempt === 1 || attempt % 20 === 0) {
        logger().warn(
          { subject: p.m.subject, messageId: p.envelope.messageId, tenant_id: p.tenantId, attempt, error: err instanceof Error ? err.message : String(err) },
          'webhooks: fan-out failed; the event will be redelivered',
        );
      }
      p.m.nak(Math.min(30_000, 200 * 2 ** Math.min(attempt, 8)));
    }
  }

  /** Fans out one tenant's events, in order, in one transaction of that tenant. */
  private async commit(group: Prepared[]): Promise<void> {
    const { tenantId, envelope } = group[0]!;
    const actor = { kind: 'system' as const, id: 'gateway.webhooks' };
    const created = await runWithContext({ tenantId, actor, correlationId: envelope.correlationId }, () =>
      this.uow.forTenant(tenantId, async (tx) => {
        const state = await this.readState(tx, group);
        let pending = 0;
        for (const p of group) {
          pending += await runWithContext({ tenantId, actor, correlationId: p.envelope.correlationId }, async () => {
            if (p.updatesReadModel) {
              const account = (p.payload as { account: AccountDto }).account;
              if (await this.repo.upsertAccountLead(tx, account.id, account.leadPartnerId, account.updatedAt)) state.leads.set(account.id, account.leadPartnerId);
            }
            return p.def ? this.fanOut(tx, p.def, p.type, p.payload, p.envelope, state) : 0;
          });
        }
        return pending;
      }),
    );
    if (created > 0) this.o.onDeliveries?.();
  }

  /** What the group's events need to know, read once: the leads of the accounts they are about, and the endpoints subscribed to their types. */
  private async readState(tx: Tx, group: Prepared[]): Promise<BatchState> {
    const accounts = new Set<string>();
    const types = new Set<string>();
    for (const p of group) {
      if (p.updatesReadModel) accounts.add((p.payload as { account: AccountDto }).account.id);
      if (!p.def) continue;
      types.add(p.type);
      const accountId = (p.def.webhooks.audience ?? 'public') === 'public' ? accountOfEvent(p.def, p.payload) : null;
      if (accountId) accounts.add(accountId);
    }
    return {
      leads: await this.repo.accountLeads(tx, [...accounts]),
      endpoints: types.size ? await this.repo.subscribedEndpoints(tx, [...types]) : [],
    };
  }

  private parse(def: EventDef | undefined, m: JsMsg, messageId: string): unknown {
    const schema: z.ZodType = def?.payload ?? AccountStateSchema;
    const parsed = schema.safeParse(decode<unknown>(m.data));
    if (!parsed.success) throw new PoisonEvent(`event ${messageId} on ${m.subject} breaks its contract: ${JSON.stringify(toFieldErrors(parsed.error).slice(0, 5))}`);
    return parsed.data;
  }

  /** Creates the event's deliveries in the transaction; returns how many are pending. */
  private async fanOut(tx: Tx, def: EventDef, type: string, payload: unknown, envelope: { messageId: string; occurredAt: string }, state: BatchState): Promise<number> {
    const audience = def.webhooks.audience ?? 'public';
    const accountId = audience === 'public' ? accountOfEvent(def, payload) : null;
    const leadPartnerId = accountId ? await this.leadPartnerOf(tx, type, accountId, state) : null;
    const endpoints = matchingEndpoints(state.endpoints, type, envelope.occurredAt, CLOCK_GRACE_MS, leadPartnerId);
    if (endpoints.length === 0) return 0;
    const body = JSON.stringify({ id: envelope.messageId, type, occurredAt: envelope.occurredAt, tenantId: tx.scope.tenantId, data: payload });
    await this.repo.insertEvent(tx, { id: envelope.messageId, type, occurredAt: envelope.occurredAt, body });
    const rows = endpoints.map((e) =>
      e.enabled ? { id: uuidv7(), endpointId: e.id, status: 'pending' as const } : { id: uuidv7(), endpointId: e.id, status: 'skipped' as const, lastError: 'the endpoint was disabled when the event happened' },
    );
    const inserted = new Set(await this.repo.insertDeliveries(tx, envelope.messageId, type, rows));
    const pending = rows.filter((r) => inserted.has(r.id) && r.status === 'pending').length;
    const skipped = rows.filter((r) => inserted.has(r.id) && r.status === 'skipped').length;
    afterCommit(tx, () => {
      if (pending) WebhookMetrics.fannedOut().inc({ status: 'pending' }, pending);
      if (skipped) WebhookMetrics.fannedOut().inc({ status: 'skipped' }, skipped);
    });
    return pending;
  }

  /**
   * The partner that leads an account, from the read model; an account it has not heard of
   * (created before webhooks ran, or whose event is still on its way) is asked of accounts,
   * but only when some partner endpoint could want the event.
   */
  private async leadPartnerOf(tx: Tx, type: string, accountId: string, state: BatchState): Promise<string | null> {
    if (state.leads.has(accountId)) return state.leads.get(accountId) ?? null;
    if (!state.endpoints.some((e) => e.partnerId !== null && wants(e, type))) return null;
    try {
      const account = await this.rpc.request(Subjects.accounts.accountGet, { id: accountId });
      if (await this.repo.upsertAccountLead(tx, account.id, account.leadPartnerId, account.updatedAt)) state.leads.set(account.id, account.leadPartnerId);
      return account.leadPartnerId;
    } catch (err) {
      if (err instanceof StewardError && err.code === ErrorCode.NotFound) return null;
      throw err;
    }
  }
}

/** An event whose signed context and type were checked. */
interface Checked {
  m: JsMsg;
  type: string;
  def: EventDef | undefined;
  updatesReadModel: boolean;
  envelope: EnvelopeHeaders;
  tenantId: string;
}

/** An event checked and parsed, waiting for its tenant's transaction. */
interface Prepared extends Checked {
  payload: unknown;
}

/** Read once per transaction: who leads each account the events are about (absent: unknown here), and the endpoints subscribed to their types. */
interface BatchState {
  leads: Map<string, string | null>;
  endpoints: SubscribedEndpoint[];
}

const wants = (e: SubscribedEndpoint, type: string) => e.eventTypes.includes(type) || e.eventTypes.includes('*');

/**
 * The endpoints an event goes to: subscribed to its type (or to all), created before it
 * happened (with `graceMs` for clocks), and either the tenant's own or, when `leadPartnerId`
 * is given, that partner's.
 */
export function matchingEndpoints(endpoints: readonly SubscribedEndpoint[], type: string, at: string, graceMs: number, leadPartnerId: string | null): SubscribedEndpoint[] {
  const latestUs = (Date.parse(at) + graceMs) * 1000;
  return endpoints.filter((e) => wants(e, type) && e.createdAtUs <= latestUs && (e.partnerId === null || e.partnerId === leadPartnerId));
}

/** What the read model needs of an account event, should account events ever stop being deliverable. */
const AccountStateSchema = z.object({ account: AccountDto.pick({ id: true, leadPartnerId: true, updatedAt: true }) });

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
