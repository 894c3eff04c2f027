import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ErrorCode, StewardError } from '@steward/contracts';
import { logger, Metrics } from '@steward/telemetry';
import type { GatewayConfig } from '../config';
import type { SharedCounters } from '../limits/shared-counters';
import { COUNTERS, GATEWAY_CONFIG } from '../tokens';

/** The credential kinds the gateway checks. */
export type CredentialKind = 'password' | 'refresh-token' | 'api-key' | 'access-token' | 'operator-token';

/** A credential a failure is counted against: a non-secret id (an e-mail's hash, a key's id) and the request field it came in. */
export interface CredentialRef {
  id: string;
  field: string;
}

/** A non-reversible, stable id for an e-mail (logs and counters never hold the address). */
export const emailRef = (email: string): string => `email:${createHash('sha256').update(email.trim().toLowerCase()).digest('base64url').slice(0, 22)}`;

/**
 * Throttles failed authentication per client address and per credential (an e-mail, an
 * API key, a refresh token), in buckets shared by every gateway replica: after
 * `AUTH_FAILURES_PER_IP` failures from an address, or `AUTH_FAILURES_PER_CREDENTIAL`
 * against one credential, within `AUTH_FAILURE_WINDOW_SECONDS`, further attempts get 429
 * with Retry-After before anything is checked (no password hash, no NATS round trip).
 * Every failure is counted (`steward_auth_failures_total{kind,reason}`) and logged with the
 * client address and the credential's non-secret id, never a password, key or token.
 */
@Injectable()
export class AuthFailures {
  private readonly windowMs: number;
  private readonly loggedThrottle = new Map<string, number>();

  constructor(
    @Inject(COUNTERS) private readonly counters: SharedCounters,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {
    this.windowMs = config.authFailures.windowSeconds * 1000;
  }

  /**
   * Refuses the attempt (429) when its address or credential has failed too often. `fresh`
   * reads every replica's counts first (one round trip: for logins and refreshes, which
   * are slow anyway); otherwise the replica's view (at most one sync interval old) decides.
   */
  async guard(reply: FastifyReply, kind: CredentialKind, ip: string, credential?: CredentialRef, { fresh = false } = {}): Promise<void> {
    const limits = this.config.authFailures;
    const buckets: Array<{ scope: 'ip' | 'credential'; bucket: string; limit: number; field: string }> = [{ scope: 'ip', bucket: ipBucket(ip), limit: limits.perIp, field: 'ip' }];
    if (credential) buckets.push({ scope: 'credential', bucket: credentialBucket(kind, credential), limit: limits.perCredential, field: credential.field });
    if (fresh) await this.counters.refresh(buckets.map((b) => b.bucket), this.windowMs).catch(() => undefined);
    for (const b of buckets) {
      const v = this.counters.peek(b.bucket, b.limit, this.windowMs);
      if (v.allowed) continue;
      Metrics.authThrottled().inc({ kind, scope: b.scope });
      this.logThrottle(b.bucket, { kind, scope: b.scope, ip, credential: credential?.id });
      void reply.header('retry-after', String(v.retryAfterSeconds));
      const rule = `at most ${b.limit} failed authentications per ${limits.windowSeconds} s ${b.scope === 'ip' ? 'from one client address' : 'against one credential'}`;
      throw new StewardError(ErrorCode.RateLimited, `Too many failed authentications ${b.scope === 'ip' ? 'from this address' : 'with this credential'}: retry after ${v.retryAfterSeconds} s`, {
        errors: [{ field: b.field, rule: 'failed-authentication-limit', message: rule }],
        retryAfterSeconds: v.retryAfterSeconds,
      });
    }
  }

  /** Counts, logs and throttles one failed attempt (the counts reach the shared store before this returns). */
  async failed(kind: CredentialKind, reason: string, ip: string, credential?: CredentialRef): Promise<void> {
    Metrics.authFailures().inc({ kind, reason });
    logger().warn({ event: 'auth.failed', kind, reason, ip, credential: credential?.id }, `authentication failed: ${kind} (${reason})`);
    const writes = [this.counters.record(ipBucket(ip), this.windowMs)];
    if (credential) writes.push(this.counters.record(credentialBucket(kind, credential), this.windowMs));
    await Promise.all(writes).catch(() => undefined);
  }

  /** Counts and logs a refused credential that is not a guess (a valid token of a deactivated user): no throttling. */
  refused(kind: CredentialKind, reason: string, ip: string, credential?: string): void {
    Metrics.authFailures().inc({ kind, reason });
    logger().warn({ event: 'auth.failed', kind, reason, ip, credential }, `authentication failed: ${kind} (${reason})`);
  }

  /** One log line per throttled bucket a minute: a flood of attempts must not flood the logs. */
  private logThrottle(bucket: string, fields: Record<string, unknown>): void {
    const now = Date.now();
    if ((this.loggedThrottle.get(bucket) ?? 0) > now - 60_000) return;
    if (this.loggedThrottle.size > 10_000) this.loggedThrottle.clear();
    this.loggedThrottle.set(bucket, now);
    logger().warn({ event: 'auth.throttled', ...fields }, 'authentication throttled after too many failures');
  }
}

const ipBucket = (ip: string) => `auth-ip:${ip}`;
const credentialBucket = (kind: CredentialKind, c: CredentialRef) => `auth-cred:${kind}:${c.id}`;
