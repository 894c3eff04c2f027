import { randomUUID } from 'node:crypto';
import { JetStreamClient } from 'nats';
import { EventSchemas, EventSubject } from '@steward/contracts';
import { decode } from './codec';
import { ContextSigner, reportRejectedContext } from './context-signing';
import { readHeaders } from './headers';
import { streamName } from './streams';

/** One event as a replay delivers it: checked like a consumer checks it (signature, tenant, contract). */
export interface ReplayedEvent {
  subject: EventSubject;
  payload: unknown;
  messageId: string;
  occurredAt: string;
  /** Its sequence in the stream. */
  seq: number;
}

export interface ReplayOptions {
  /** Only this tenant's events (the signed tenant header decides). */
  tenantId: string;
  /** Only these subjects (unprefixed); others are skipped. */
  subjects: ReadonlySet<string>;
  /** Messages fetched per batch (default 500). */
  batch?: number;
  /** Stop between batches when this aborts. */
  signal?: AbortSignal;
}

/**
 * Reads a service's event stream from its first message, for rebuilding a read model: an
 * ordered (ephemeral) consumer, batches of events of one tenant, each verified like the
 * kit's consumers verify (a bad signature or a payload that breaks its contract is skipped
 * and reported, never applied). What the stream no longer holds (past its max age) cannot
 * be replayed.
 */
export class EventReplay {
  constructor(
    private readonly js: JetStreamClient,
    private readonly prefix: string,
    private readonly context: ContextSigner,
  ) {}

  async *replay(source: string, o: ReplayOptions): AsyncGenerator<ReplayedEvent[]> {
    // An ordered consumer starts at sequence 1 by itself. Asking for DeliverPolicy.All as well
    // makes the client send both (deliver all + opt_start_seq), which the server refuses.
    const consumer = await this.js.consumers.get(streamName(this.prefix, source), { filterSubjects: `${this.prefix}${source}.events.>` });
    const info = await consumer.info();
    if (info.num_pending === 0) return;
    const batch = o.batch ?? 500;
    for (;;) {
      if (o.signal?.aborted) return;
      const messages = await consumer.fetch({ max_messages: batch, expires: 2000 });
      const out: ReplayedEvent[] = [];
      let pending = -1;
      let seen = 0;
      for await (const m of messages) {
        seen += 1;
        pending = m.info.pending;
        const subject = m.subject.slice(this.prefix.length) as EventSubject;
        if (!o.subjects.has(subject)) {
          if (pending === 0) break;
          continue;
        }
        const verdict = this.context.verify(m.subject, m.headers, m.data, { checkAge: false });
        if (verdict !== 'ok') {
          reportRejectedContext('event', verdict, { subject: m.subject, consumer: 'replay' });
        } else {
          const envelope = readHeaders(m.headers, randomUUID);
          const parsed = EventSchemas[subject]?.safeParse(decode<unknown>(m.data));
          if (envelope.tenantId === o.tenantId && parsed?.success) {
            out.push({ subject, payload: parsed.data, messageId: envelope.messageId, occurredAt: envelope.occurredAt, seq: m.seq });
          }
        }
        if (pending === 0) break;
      }
      if (out.length) yield out;
      if (pending === 0 || seen === 0) return;
    }
  }
}
