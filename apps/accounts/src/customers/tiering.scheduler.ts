import { randomUUID } from 'node:crypto';
import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { logger } from '@steward/telemetry';
import { SERVICE_CONFIG } from '@steward/service-kit';
import type { AccountsConfig } from '../config';
import { TieringService } from './tiering.service';

/**
 * Debounces re-tiering per tenant: a burst of revenue batches triggers one recompute,
 * `TIERING_DEBOUNCE_MS` after the last one. In-process: with several replicas each may
 * re-tier once; the advisory lock in TieringService serialises them and the second finds
 * nothing to change.
 */
@Injectable()
export class TieringScheduler implements OnApplicationShutdown {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly tiering: TieringService,
    @Inject(SERVICE_CONFIG) private readonly config: AccountsConfig,
  ) {}

  schedule(tenantId: string): void {
    clearTimeout(this.timers.get(tenantId));
    this.timers.set(
      tenantId,
      setTimeout(() => {
        this.timers.delete(tenantId);
        const run = this.tiering
          .retier({ tenantId, actor: { kind: 'system', id: 'tiering' }, correlationId: `retier-${randomUUID()}` }, tenantId)
          .then((r) => logger().info({ tenant_id: tenantId, ...r }, 'tenant re-tiered after revenue change'))
          .catch((err) => logger().error({ err, tenant_id: tenantId }, 're-tiering failed'))
          .finally(() => this.running.delete(run));
        this.running.add(run);
      }, this.config.app.tieringDebounceMs),
    );
  }

  /** True while a re-tiering is scheduled or running for the tenant (tests, readiness). */
  pending(tenantId: string): boolean {
    return this.timers.has(tenantId) || this.running.size > 0;
  }

  async onApplicationShutdown(): Promise<void> {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }
}
