import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { WebhookHeaders } from '@steward/contracts';
import { UnitOfWork } from '@steward/persistence';
import { logger, runWithContext } from '@steward/telemetry';
import type { DataSource } from 'typeorm';
import { postWebhook, type AttemptResult, type OutboundPolicy } from './outbound';
import { nextRetryDelayMs } from './retry-schedule';
import type { SecretBox } from './secret-box';
import { signatureHeader } from './signing';
import { WebhookMetrics } from './webhooks.metrics';
import type { ClaimedDelivery, WebhooksRepository } from './webhooks.repository';
import type { WebhookSettings } from './webhooks.settings';

/** The response body kept per attempt. */
export const RESPONSE_EXCERPT_CHARS = 1024;

const clean = (s: string | null, max: number): string | null => (s === null ? null : s.replaceAll('\u0000', '\uFFFD').slice(0, max));

/**
 * Sends due webhook deliveries (docs/adr/0020-webhooks.md). Any number of gateway replicas
 * run one each: a claim takes due deliveries with `FOR UPDATE SKIP LOCKED` and gives each a
 * lease (`WEBHOOKS_LEASE_MS`, longer than an attempt may take), so two replicas never send the
 * same delivery at once. The attempt runs in the delivery's tenant context: the endpoint,
 * its secrets and the event body are read under the lease, the request is signed and sent
 * outside any transaction, then the attempt and its outcome are recorded in one transaction
 * fenced by the lease token (a claim that lost its lease records nothing). A process that
 * dies mid-attempt (even SIGKILL) leaves its lease to expire and the delivery is sent again by
 * whoever claims next: at least once, with the same `Steward-Event-Id` for receivers to dedupe.
 *
 * Failures retry on the schedule of retry-schedule.ts; an endpoint whose attempts keep
 * failing is disabled with a notice (WEBHOOKS_DISABLE_AFTER_FAILURES in a row, and failing for
 * WEBHOOKS_DISABLE_AFTER_MS).
 */
export class DeliveryWorker {
  private readonly owner = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly inFlight = new Map<string, { claim: ClaimedDelivery; controller: AbortController; done: Promise<void> }>();
  private loop?: Promise<void>;
  private stopping = false;
  private wake?: () => void;
  private claimFailures = 0;
  private lastPrune = 0;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly scheduler: DataSource,
    private readonly repo: WebhooksRepository,
    private readonly box: SecretBox,
    private readonly settings: WebhookSettings,
    private readonly policy: OutboundPolicy,
  ) {}

  start(): void {
    this.stopping = false;
    this.loop = this.run();
  }

  /** Due work may exist now (a fan-out, a replay, a test event): claim without waiting for the poll. */
  readonly nudge = (): void => {
    this.wake?.();
  };

  /**
   * Stops claiming, aborts attempts in flight and hands their deliveries back at once (no
   * attempt recorded): another replica, or the next start, sends them.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    for (const a of this.inFlight.values()) a.controller.abort();
    await this.loop;
    await Promise.all([...this.inFlight.values()].map((a) => a.done));
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      const room = this.settings.concurrency - this.inFlight.size;
      let claimed: ClaimedDelivery[] = [];
      if (room > 0) {
        try {
          claimed = await this.repo.claim(this.scheduler, this.owner, room, this.settings.leaseMs);
          if (this.claimFailures > 0) logger().info({ failures: this.claimFailures }, 'webhooks: claiming deliveries works again');
          this.claimFailures = 0;
        } catch (err) {
          this.claimFailures += 1;
          if (this.claimFailures === 1 || this.claimFailures % 60 === 0) logger().warn({ failures: this.claimFailures, error: (err as Error).message }, 'webhooks: cannot claim deliveries; retrying');
        }
        for (const c of claimed) this.spawn(c);
        await this.pruneNow();
      }
      if (this.stopping) break;
      // A full claim may leave more due work: look again at once; otherwise wait for a nudge,
      // an attempt finishing, or the next poll.
      if (room > 0 && claimed.length === room) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.settings.pollMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  private spawn(claim: ClaimedDelivery): void {
    const controller = new AbortController();
    const done = runWithContext({ tenantId: claim.tenantId, actor: { kind: 'system', id: 'gateway.webhooks' }, correlationId: claim.id }, () => this.attempt(claim, controller.signal))
      .catch((err: unknown) => logger().error({ err, deliveryId: claim.id, tenant_id: claim.tenantId }, 'webhooks: an attempt failed unexpectedly; its lease will expire and it will be retried'))
      .finally(() => {
        this.inFlight.delete(claim.id);
        this.wake?.();
      });
    this.inFlight.set(claim.id, { claim, controller, done });
  }

  private async attempt(claim: ClaimedDelivery, signal: AbortSignal): Promise<void> {
    const ctx = await this.uow.forTenant(claim.tenantId, (tx) => this.repo.attemptContext(tx, claim.id, claim.leaseToken));
    if (!ctx) return; // deleted, replayed under another lease, or taken over
    if (!ctx.enabled) {
      // Disabled after this claim (disabling fails pending deliveries; this one was in flight).
      await this.uow.forTenant(claim.tenantId, (tx) => this.repo.failLeased(tx, claim.id, claim.leaseToken, 'the endpoint is disabled'));
      return;
    }
    const startedAt = new Date();
    const secrets = [this.box.open(ctx.sealedSecret), ...(ctx.sealedPreviousSecret ? [this.box.open(ctx.sealedPreviousSecret)] : [])];
    const timestamp = Math.floor(startedAt.getTime() / 1000);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Steward-Webhooks/1',
      [WebhookHeaders.signature]: signatureHeader(secrets, timestamp, ctx.body),
      [WebhookHeaders.eventId]: ctx.eventId,
      [WebhookHeaders.eventType]: ctx.eventType,
      [WebhookHeaders.deliveryId]: ctx.deliveryId,
    };
    const result = await postWebhook(ctx.url, ctx.body, { headers, timeoutMs: this.settings.timeoutMs, maxResponseBytes: this.settings.maxResponseBytes, policy: this.policy, signal });
    if (signal.aborted) {
      // Shutting down: hand the delivery back without counting the attempt.
      await this.repo.release(this.scheduler, claim.id, claim.leaseToken).catch(() => undefined);
      return;
    }
    WebhookMetrics.attempts().inc({ outcome: result.outcome });
    WebhookMetrics.latency().observe({ outcome: result.outcome }, result.durationMs / 1000);
    await this.record(claim, ctx.endpointId, startedAt, result);
  }

  /** Records the attempt and settles the delivery and the endpoint's streak, fenced by the lease. */
  private async record(claim: ClaimedDelivery, endpointId: string, startedAt: Date, result: AttemptResult): Promise<void> {
    const succeeded = result.outcome === 'succeeded';
    const settled = await this.uow.forTenant(claim.tenantId, async (tx) => {
      const locked = await this.repo.lockLeased(tx, claim.id, claim.leaseToken);
      if (!locked) return null;
      await this.repo.insertAttempt(tx, claim.id, {
        number: locked.attemptCount + 1,
        at: startedAt,
        durationMs: result.durationMs,
        outcome: result.outcome,
        statusCode: result.statusCode,
        error: clean(result.error, 2000),
        responseExcerpt: clean(result.responseBody, RESPONSE_EXCERPT_CHARS),
      });
      const roundStartedAt = locked.roundStartedAt ?? startedAt;
      const retryInMs = succeeded ? null : nextRetryDelayMs(locked.roundAttempts + 1, Date.now() - roundStartedAt.getTime(), this.settings.retry);
      await this.repo.settleDelivery(tx, claim.id, { succeeded, retryInMs, error: clean(result.error, 2000), roundStartedAt });
      const streak = await this.repo.recordEndpointOutcome(tx, endpointId, succeeded);
      let disabled = false;
      if (
        !succeeded &&
        streak?.enabled &&
        streak.consecutiveFailures >= this.settings.disableAfterFailures &&
        streak.failingSince !== null &&
        Date.now() - streak.failingSince.getTime() >= this.settings.disableAfterMs
      ) {
        const since = streak.failingSince.toISOString();
        const reason = `every attempt has failed since ${since} (${streak.consecutiveFailures} in a row; the last: ${result.error ?? result.outcome}); re-enable the endpoint once it answers 2xx`;
        await this.repo.disableEndpoint(tx, endpointId, { at: new Date().toISOString(), automatic: true, reason: reason.slice(0, 1000) });
        disabled = true;
      }
      return { retryInMs, disabled, streak };
    });
    if (!settled) return;
    WebhookMetrics.deliveries().inc({ outcome: succeeded ? 'succeeded' : settled.retryInMs === null || settled.disabled ? 'failed' : 'retried' });
    if (settled.disabled) {
      WebhookMetrics.disabled().inc();
      logger().warn({ endpointId, tenant_id: claim.tenantId, consecutiveFailures: settled.streak?.consecutiveFailures, lastError: result.error }, 'webhooks: endpoint disabled after sustained failure');
    } else if (!succeeded) {
      logger().info({ deliveryId: claim.id, endpointId, outcome: result.outcome, statusCode: result.statusCode, retryInMs: settled.retryInMs }, settled.retryInMs === null ? 'webhooks: delivery failed for good' : 'webhooks: attempt failed; will retry');
    }
    // A retry due before the next poll: wake up for it.
    if (settled.retryInMs !== null && settled.retryInMs < this.settings.pollMs) setTimeout(this.nudge, settled.retryInMs + 5).unref();
  }

  /** Deletes what is past the retention, at most once an hour per process. */
  private async pruneNow(): Promise<void> {
    if (Date.now() - this.lastPrune < 3_600_000) return;
    this.lastPrune = Date.now();
    await this.repo.prune(this.scheduler, this.settings.retentionDays).catch((err: unknown) => logger().warn({ error: (err as Error).message }, 'webhooks: pruning old deliveries failed'));
  }
}
