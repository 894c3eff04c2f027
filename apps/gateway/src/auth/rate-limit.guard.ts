import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';

/**
 * Rate limits per tenant (portal users), per API key (partners) and per IP (public
 * routes), configured in the gateway config. Runs after AuthGuard, which picks the bucket.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const r = req as unknown as FastifyRequest;
    return r.caller?.tracker ?? `ip:${r.ip}`;
  }
}
