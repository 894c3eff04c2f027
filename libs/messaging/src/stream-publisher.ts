import { createInbox, type Msg, type MsgHdrs, type NatsConnection, type Subscription } from 'nats';
import { HeaderNames } from '@steward/contracts';

/** One message for a JetStream stream; `msgId` is its `Nats-Msg-Id` (JetStream drops a second message with the same id). */
export interface StreamMessage {
  subject: string;
  data: Uint8Array;
  headers: MsgHdrs;
  msgId: string;
}

/** A stream's acknowledgement: the message is stored (or was already, `duplicate`). */
export interface StreamAck {
  stream: string;
  seq: number;
  duplicate: boolean;
}

/** What the outbox relay publishes through. */
export interface StreamPublisher {
  /** Resolves with every message's ack, in order, once all are stored; rejects with the first failure. */
  publishAll(messages: StreamMessage[]): Promise<StreamAck[]>;
}

/** A publish JetStream refused or did not answer. `code` is NATS's: '503' when no stream captures the subject. */
export class StreamPublishError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'StreamPublishError';
  }
}

const text = new TextDecoder();

/**
 * Publishes batches to JetStream over plain NATS publishes with a reply subject, and waits for
 * the stream's acks on one wildcard inbox subscription, matched by the reply's token; one timer
 * per batch. The same wire exchange as nats.js's `js.publish`, without its per-message request
 * machinery (a request object, a timer and an error object with a stack trace built for every
 * answered request), which cost the relay more CPU than anything else it did per event
 * (docs/benchmarks.md). An ack that comes after its batch timed out is dropped; the batch is
 * published again and JetStream drops the repeats by their message ids.
 */
export class JetStreamPublisher implements StreamPublisher {
  private readonly inbox: string;
  private sub?: Subscription;
  private readonly waiting = new Map<string, (err: Error | null, ack?: StreamAck) => void>();
  private next = 0;

  private readonly timeoutMs: number;

  /** `inboxPrefix`: the connection's (a service may only read its own inboxes); `timeoutMs`: how long a batch waits for its acks (default 5 s). */
  constructor(
    private readonly nc: NatsConnection,
    o: { inboxPrefix?: string; timeoutMs?: number } = {},
  ) {
    this.inbox = `${createInbox(o.inboxPrefix)}.`;
    this.timeoutMs = o.timeoutMs ?? 5_000;
  }

  publishAll(messages: StreamMessage[]): Promise<StreamAck[]> {
    if (messages.length === 0) return Promise.resolve([]);
    this.listen();
    return new Promise((resolve, reject) => {
      const acks: StreamAck[] = new Array(messages.length);
      const tokens: string[] = [];
      let left = messages.length;
      let settled = false;
      const finish = (err: Error | null) => {
        settled = true;
        clearTimeout(timer);
        for (const t of tokens) this.waiting.delete(t);
        if (err) reject(err);
        else resolve(acks);
      };
      const timer = setTimeout(
        () => finish(new StreamPublishError(`JetStream did not acknowledge ${left} of ${messages.length} messages within ${this.timeoutMs} ms`, 'TIMEOUT')),
        this.timeoutMs,
      );
      for (let i = 0; i < messages.length && !settled; i++) {
        const m = messages[i]!;
        const token = (this.next++).toString(36);
        tokens.push(token);
        this.waiting.set(token, (err, ack) => {
          if (settled) return;
          if (err) return finish(err);
          acks[i] = ack!;
          if (--left === 0) finish(null);
        });
        m.headers.set(HeaderNames.natsMsgId, m.msgId);
        try {
          this.nc.publish(m.subject, m.data, { reply: this.inbox + token, headers: m.headers });
        } catch (err) {
          finish(err instanceof Error ? err : new Error(String(err)));
        }
      }
    });
  }

  /** Stops listening for acks; batches still waiting time out. */
  close(): void {
    this.sub?.unsubscribe();
    this.sub = undefined;
  }

  private listen(): void {
    if (this.sub && !this.sub.isClosed()) return;
    this.sub = this.nc.subscribe(`${this.inbox}*`, {
      callback: (err, msg) => {
        if (err) {
          for (const settle of [...this.waiting.values()]) settle(err);
          return;
        }
        const settle = this.waiting.get(msg.subject.slice(this.inbox.length));
        if (!settle) return; // its batch timed out
        const ack = readAck(msg);
        if (ack instanceof Error) settle(ack);
        else settle(null, ack);
      },
    });
  }
}

/** A stream's answer to a publish: its ack, or the error it stands for. */
function readAck(msg: Msg): StreamAck | StreamPublishError {
  // No stream listens on the subject: NATS answers for it with an empty 503 status message.
  if (msg.data.length === 0 && msg.headers?.code === 503) return new StreamPublishError('no responders: no stream captures the subject', '503');
  let body: { stream?: string; seq?: number; duplicate?: boolean; error?: { code?: number; description?: string } };
  try {
    body = JSON.parse(text.decode(msg.data)) as typeof body;
  } catch {
    return new StreamPublishError('JetStream answered a publish with something that is not an ack', 'INVALID_ACK');
  }
  if (body.error) return new StreamPublishError(body.error.description ?? 'JetStream refused the message', String(body.error.code ?? 'ERROR'));
  if (!body.stream) return new StreamPublishError('JetStream answered a publish with an ack that names no stream', 'INVALID_ACK');
  return { stream: body.stream, seq: body.seq ?? 0, duplicate: body.duplicate === true };
}
