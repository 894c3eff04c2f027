import type { FastifyReply } from 'fastify';
import { ErrorCode, StewardError } from '@steward/contracts';
import { Metrics } from '@steward/telemetry';
import type { GatewayConfig } from '../config';
import type { SharedCounters } from './shared-counters';

/** Requests one survey invitation token may make per rate-limit window (open, save, submit and retries). */
export const RESPONSES_PER_TOKEN = 30;

/**
 * The respondent endpoint's extra budget, on the shared counters (ADR 12): per invitation
 * token. Per client address, respondents count against the anonymous budget every public
 * route shares (`RATE_LIMIT_ANONYMOUS`, applied by RateLimitGuard before this runs).
 */
export class RespondentLimits {
  private readonly windowMs: number;

  constructor(
    private readonly counters: SharedCounters,
    private readonly config: GatewayConfig,
  ) {
    this.windowMs = config.rateLimit.windowSeconds * 1000;
  }

  /** Counts a request of this invitation, or refuses it (429, Retry-After, naming `token`). */
  take(reply: FastifyReply, invitationId: string): void {
    const v = this.counters.take(`survey-token:${invitationId}`, RESPONSES_PER_TOKEN, this.windowMs);
    if (v.allowed) return;
    Metrics.rateLimited().inc({ scope: 'survey-token' });
    void reply.header('retry-after', String(v.retryAfterSeconds));
    const rule = `at most ${RESPONSES_PER_TOKEN} requests per ${this.config.rateLimit.windowSeconds} s with one invitation`;
    throw new StewardError(ErrorCode.RateLimited, `Too many requests with this invitation (${rule}): retry after ${v.retryAfterSeconds} s`, {
      errors: [{ field: 'token', rule: 'rate-limit', message: rule }],
      retryAfterSeconds: v.retryAfterSeconds,
    });
  }
}
