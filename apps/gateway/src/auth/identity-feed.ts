import { ConsumerEvents, DeliverPolicy, JetStreamClient, JsMsg, type ConsumerMessages } from 'nats';
import { ApiKeyChangedEvent, ApiKeyRotatedEvent, EventSchemas, Events, UserChangedEvent, type UserDto } from '@steward/contracts';
import { ContextSigner, decode, reportRejectedContext, streamName } from '@steward/messaging';
import { logger } from '@steward/telemetry';
import type { AccessClaims } from './jwt';
import type { ApiKeyVerifier } from './api-keys';

interface UserState {
  tenantId: string;
  role: UserDto['role'];
  active: boolean;
  /** accounts' `updatedAt` of the state (ms): an older event never overwrites a newer state. */
  at: number;
}

/** What a valid access token's claims are worth now. */
export type ClaimsVerdict = 'ok' | 'deactivated' | 'role-changed';

export interface IdentityFeedOptions {
  prefix: string;
  /** Access-token lifetime: a user change older than this cannot concern a live token. */
  accessTokenTtlMs: number;
  now?: () => number;
}

/** How often the feed checks that the accounts stream is the one its consumers follow. */
const STREAM_CHECK_MS = 2_000;

/**
 * The gateway's read model of who may still do what, fed by accounts' events, so that a
 * deactivated or demoted user loses the old role on the next request without a NATS round
 * trip per request (docs/adr/0013-identity-read-model-and-auth-throttling.md).
 *
 * - `accounts.events.user.updated.v1` → each user's latest role and active flag. A valid
 *   access token is refused when its user was deactivated or its role differs from the
 *   current one (the client refreshes and gets a token with the current role). On start
 *   the feed replays the last access-token lifetime of changes (an ordered JetStream
 *   consumer from that instant), and /readyz fails until it has caught up.
 * - `accounts.events.api-key.revoked.v1` → the API key cache forgets the key;
 *   `accounts.events.api-key.rotated.v1` → it forgets the old key, whose expiry is now the
 *   end of the overlap (the next request verifies it again and caches the new expiry).
 * - Changes made through this replica apply before its response is sent
 *   ({@link applyUser}, {@link ApiKeyVerifier.forget}); other replicas learn them from
 *   the events: commit → outbox relay (nudged at commit) → JetStream → this consumer,
 *   typically well under a second.
 *
 * Every event's signed context is verified (the gateway holds the context key); one that
 * fails is skipped and counted (`steward_context_rejected_total{kind="event"}`).
 */
export class IdentityFeed {
  private readonly users = new Map<string, UserState>();
  private readonly caughtUp = new Set<string>();
  private readonly running: ConsumerMessages[] = [];
  private loops: Promise<void>[] = [];
  private stopped = false;
  private readonly now: () => number;
  private readonly stream: string;
  private streamWatch?: NodeJS.Timeout;
  private streamCreated?: string;

  constructor(
    private readonly js: JetStreamClient,
    private readonly context: ContextSigner,
    private readonly apiKeys: ApiKeyVerifier,
    private readonly o: IdentityFeedOptions,
  ) {
    this.now = o.now ?? Date.now;
    this.stream = streamName(o.prefix, 'accounts');
  }

  start(): void {
    // Changes within the last token lifetime (plus clock skew) matter; older ones cannot.
    const lookbackMs = this.o.accessTokenTtlMs + 60_000;
    this.loops = [
      this.follow(Events.accounts.userUpdated, { deliver_policy: DeliverPolicy.StartTime, opt_start_time: new Date(this.now() - lookbackMs).toISOString() }, (m) => this.onUser(m)),
      // The key cache starts empty: only revocations from now on concern it.
      this.follow(Events.accounts.apiKeyRevoked, { deliver_policy: DeliverPolicy.New }, (m) => this.onKeyRevoked(m)),
      this.follow(Events.accounts.apiKeyRotated, { deliver_policy: DeliverPolicy.New }, (m) => this.onKeyRotated(m)),
    ];
    void this.checkStream();
    this.streamWatch = setInterval(() => void this.checkStream(), STREAM_CHECK_MS);
    this.streamWatch.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.streamWatch);
    await Promise.all(this.running.map((m) => m.close().catch(() => undefined)));
    await Promise.all(this.loops);
  }

  /** For /readyz: fails until every feed has replayed what it must. */
  async readiness(): Promise<void> {
    if (this.loops.length === 0 || this.caughtUp.size < this.loops.length) throw new Error(`the identity feed has not caught up yet (${[...this.caughtUp].join(', ') || 'nothing'} done)`);
  }

  /** Whether a valid access token's role still holds: a Map lookup. */
  check(claims: AccessClaims): ClaimsVerdict {
    const state = this.users.get(claims.userId);
    if (!state || state.tenantId !== claims.tenantId) return 'ok';
    if (!state.active) return 'deactivated';
    return state.role === claims.role ? 'ok' : 'role-changed';
  }

  /** Records a user's state (from an event, or from a change this replica just made). */
  applyUser(user: UserDto): void {
    const at = Date.parse(user.updatedAt);
    const known = this.users.get(user.id);
    if (known && known.at > at) return;
    this.users.set(user.id, { tenantId: user.tenantId, role: user.role, active: user.active, at });
    this.prune();
  }

  /** Users known here (tests). */
  get size(): number {
    return this.users.size;
  }

  private lastPrune = 0;

  /** Forgets states older than a token lifetime: every token issued before them has expired. */
  private prune(): void {
    const now = this.now();
    if (now - this.lastPrune < 60_000) return;
    this.lastPrune = now;
    const horizon = now - this.o.accessTokenTtlMs - 60_000;
    for (const [id, s] of this.users) if (s.at < horizon) this.users.delete(id);
  }

  private onUser(m: JsMsg): void {
    const event = this.read<UserChangedEvent>(m, Events.accounts.userUpdated);
    if (event) this.applyUser(event.user);
  }

  private onKeyRevoked(m: JsMsg): void {
    const event = this.read<ApiKeyChangedEvent>(m, Events.accounts.apiKeyRevoked);
    if (event) this.apiKeys.forget(event.apiKey.id);
  }

  private onKeyRotated(m: JsMsg): void {
    const event = this.read<ApiKeyRotatedEvent>(m, Events.accounts.apiKeyRotated);
    if (event) this.apiKeys.forget(event.previous.id);
  }

  /** The event, if its signed context verifies and its payload keeps the contract. */
  private read<T>(m: JsMsg, subject: keyof typeof EventSchemas): T | undefined {
    const verdict = this.context.verify(m.subject, m.headers, m.data, { checkAge: false });
    if (verdict !== 'ok') {
      reportRejectedContext('event', verdict, { subject: m.subject, consumer: 'gateway.identity-feed' });
      return undefined;
    }
    const parsed = EventSchemas[subject].safeParse(decode<unknown>(m.data));
    if (!parsed.success) {
      logger().error({ subject: m.subject, seq: m.seq }, 'identity feed: an event breaks its contract; skipped');
      return undefined;
    }
    return parsed.data as T;
  }

  /**
   * The consumers' own signals of a lost stream (status events, missed heartbeats; see
   * {@link watch}) can miss a stream deleted and created again between two pulls: nats.js then
   * recreates its ordered consumer on the new stream at the old sequence and waits there. So the
   * stream's creation time is checked every {@link STREAM_CHECK_MS}; when it changes, every
   * consumer is closed and {@link follow} starts it over from the time of its last event.
   */
  private async checkStream(): Promise<void> {
    const created = await this.js.streams
      .get(this.stream)
      .then((st) => st.info(false))
      .then((info) => info.created)
      .catch(() => undefined);
    if (!created || this.stopped) return;
    if (this.streamCreated !== undefined && created !== this.streamCreated) {
      logger().warn({ stream: this.stream }, 'identity feed: the accounts stream was created again (NATS lost its store?); following it again from the last event seen');
      await Promise.all(this.running.map((m) => m.close().catch(() => undefined)));
    }
    this.streamCreated = created;
  }

  /**
   * An ordered consumer recovers from lost messages by itself, but not from its stream being
   * deleted and created again (it would wait for a sequence the new stream has not reached):
   * when the stream or consumer is reported gone, or heartbeats stop, close it so
   * {@link follow} starts over from the time of the last event.
   */
  private async watch(messages: ConsumerMessages): Promise<void> {
    const gone = new Set<string>([ConsumerEvents.StreamNotFound, ConsumerEvents.ConsumerNotFound, ConsumerEvents.ConsumerDeleted, ConsumerEvents.NoResponders]);
    try {
      for await (const s of await messages.status()) {
        if (gone.has(s.type) || (s.type === ConsumerEvents.HeartbeatsMissed && Number(s.data) >= 2)) {
          await messages.close();
          return;
        }
      }
    } catch {
      // the messages were closed
    }
  }

  /**
   * Follows one event subject with an ordered consumer, from `start`; after an error (the
   * stream not there yet, NATS away, the stream recreated) it resumes from the time of the
   * last event it handled (not its sequence: a recreated stream numbers from 1 again).
   * Seeing an event twice is harmless: states apply newest-first, revocations repeat.
   */
  private async follow(subject: string, start: { deliver_policy: DeliverPolicy; opt_start_time?: string }, handle: (m: JsMsg) => void): Promise<void> {
    let resumeAt: string | undefined;
    let failures = 0;
    while (!this.stopped) {
      try {
        const from = resumeAt === undefined ? start : { deliver_policy: DeliverPolicy.StartTime, opt_start_time: resumeAt };
        const consumer = await this.js.consumers.get(this.stream, { filterSubjects: this.o.prefix + subject, ...from });
        const messages = await consumer.consume({ max_messages: 256 });
        this.running.push(messages);
        void this.watch(messages);
        failures = 0;
        // Nothing to replay: caught up at once.
        if ((consumer as { currentConsumer?: { num_pending?: number } | null }).currentConsumer?.num_pending === 0) this.caughtUp.add(subject);
        for await (const m of messages) {
          resumeAt = new Date(Math.floor(m.info.timestampNanos / 1e6)).toISOString();
          try {
            handle(m);
          } catch (err) {
            logger().error({ err, subject: m.subject, seq: m.seq }, 'identity feed: an event could not be applied; skipped');
          }
          if (m.info.pending === 0) this.caughtUp.add(subject);
        }
        this.running.splice(this.running.indexOf(messages), 1);
        // The consumer went away without an error (deleted on the server): start over, not in a tight loop.
        if (!this.stopped) await new Promise((r) => setTimeout(r, 250));
      } catch (err) {
        if (this.stopped) break;
        failures += 1;
        if (failures === 1 || failures % 60 === 0) logger().warn({ subject, error: err instanceof Error ? err.message : String(err), failures }, 'identity feed: cannot follow the accounts stream yet; retrying');
        await new Promise((r) => setTimeout(r, Math.min(5_000, 250 * failures)));
      }
    }
  }
}
