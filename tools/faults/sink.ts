import { AckPolicy, connect, DeliverPolicy, NatsConnection } from 'nats';

/** One delivery the sink saw. */
interface Delivery {
  messageId: string;
  partnerId: string;
}

/**
 * A durable JetStream consumer standing in for a downstream service: it records every
 * partner-created event it is delivered (message id and partner id), acknowledges it, and
 * comes back by itself after NATS restarts or the stream is recreated.
 */
export class EventSink {
  readonly deliveries: Delivery[] = [];
  private nc?: NatsConnection;
  private stopped = false;
  private loop?: Promise<void>;

  constructor(
    private readonly natsUrl: string,
    private readonly stream: string,
    private readonly subject: string,
    private readonly durable: string,
  ) {}

  async start(): Promise<void> {
    this.nc = await connect({ servers: this.natsUrl.split(','), maxReconnectAttempts: -1, reconnectTimeWait: 250, name: 'fault-sink' });
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    const nc = this.nc!;
    while (!this.stopped) {
      try {
        const jsm = await nc.jetstreamManager({ timeout: 2_000 });
        try {
          await jsm.consumers.info(this.stream, this.durable);
        } catch {
          await jsm.consumers.add(this.stream, { durable_name: this.durable, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All, filter_subject: this.subject, ack_wait: 5_000_000_000 });
        }
        const consumer = await nc.jetstream().consumers.get(this.stream, this.durable);
        const messages = await consumer.consume({ max_messages: 256, abort_on_missing_resource: true });
        const watchdog = setInterval(() => {
          if (this.stopped) void messages.close();
        }, 200);
        try {
          for await (const m of messages) {
            const body = JSON.parse(new TextDecoder().decode(m.data)) as { partner?: { id?: string } };
            this.deliveries.push({ messageId: m.headers?.get('Nats-Msg-Id') || m.headers?.get('Steward-Message-Id') || `seq-${m.seq}`, partnerId: body.partner?.id ?? '?' });
            m.ack();
          }
        } finally {
          clearInterval(watchdog);
        }
      } catch {
        // Stream or consumer gone, NATS down: look again shortly.
      }
      if (!this.stopped) await new Promise((r) => setTimeout(r, 300));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.race([this.loop, new Promise((r) => setTimeout(r, 3_000))]);
    await this.nc?.close().catch(() => undefined);
  }

  /** Partner id → the distinct message ids delivered for it; and how many deliveries repeated a message id. */
  summary(): { byPartner: Map<string, Set<string>>; redeliveries: number } {
    const byPartner = new Map<string, Set<string>>();
    const seen = new Set<string>();
    let redeliveries = 0;
    for (const d of this.deliveries) {
      if (seen.has(d.messageId)) redeliveries += 1;
      seen.add(d.messageId);
      const ids = byPartner.get(d.partnerId) ?? new Set<string>();
      ids.add(d.messageId);
      byPartner.set(d.partnerId, ids);
    }
    return { byPartner, redeliveries };
  }
}
