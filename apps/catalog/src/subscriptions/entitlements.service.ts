import { Inject, Injectable } from '@nestjs/common';
import { EntitlementSetDto, Events, GetEntitlementsRequest } from '@steward/contracts';
import { mergeEntitlements, type Grant } from '@steward/catalog-domain';
import type { Outbox } from '@steward/messaging';
import { sameJson, type Tx, type UnitOfWork } from '@steward/persistence';
import { Clock, CLOCK, OUTBOX, UNIT_OF_WORK } from '@steward/service-kit';
import type { RequestContext } from '@steward/telemetry';
import { authorize } from '../access';
import { DirectoryService } from '../directory/directory.service';
import { EntitlementsRepository, LiveGrant } from './entitlements.repository';

/** Sets are compared as jsonb holds them (key order ignored), their `asOf` apart. */
const sameSet = (a: EntitlementSetDto | undefined, b: EntitlementSetDto) => a !== undefined && sameJson({ ...a, asOf: null }, { ...b, asOf: null });

/**
 * Entitlements: what the account's (and its projects') live subscriptions and trials grant,
 * merged by catalog-domain's `mergeEntitlements`. Queried live (`entitlement.get.v1`), and
 * published as `entitlements.changed` whenever a scope's set changes, from the transaction
 * that changed it (outbox): support keeps them as a read model to route and time tickets.
 */
@Injectable()
export class EntitlementsService {
  constructor(
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
    @Inject(OUTBOX) private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly repo: EntitlementsRepository,
    private readonly directory: DirectoryService,
  ) {}

  /** A lookup on support's and partners' hot path: read-only, one round trip a statement (no BEGIN and COMMIT). */
  get(ctx: RequestContext, req: GetEntitlementsRequest): Promise<EntitlementSetDto> {
    return this.uow.read(authorize(ctx, 'read'), async (tx) => {
      const now = this.clock.now();
      // One round trip: the checks fail the lookup with their 404 or 400, else the grants count.
      const [grants] = await Promise.all([
        this.repo.liveGrants(tx, req.accountId, now),
        this.directory.requireAccountIn(tx, req.accountId),
        req.projectId ? this.directory.requireProjectIn(tx, req.accountId, req.projectId) : undefined,
      ]);
      return this.setOf(req.accountId, req.projectId ?? null, grants, now);
    });
  }

  /**
   * Recomputes every scope of the account (account-wide, and each project with grants of its own
   * or a set published before) and publishes those that changed, in the caller's transaction.
   */
  async refreshIn(tx: Tx, accountId: string, cause: string): Promise<EntitlementSetDto[]> {
    const now = this.clock.now();
    const grants = await this.repo.liveGrants(tx, accountId, now);
    const published = await this.repo.published(tx, accountId);
    const scopes = new Set<string>(['', ...published.keys(), ...grants.flatMap((g) => (g.projectId ? [g.projectId] : []))]);
    const changed: EntitlementSetDto[] = [];
    for (const key of scopes) {
      const set = this.setOf(accountId, key || null, grants, now);
      if (sameSet(published.get(key), set)) continue;
      await this.repo.publish(tx, accountId, key, set);
      await this.outbox.emit(tx, Events.catalog.entitlementsChanged, { entitlements: set, cause });
      changed.push(set);
    }
    return changed;
  }

  private setOf(accountId: string, projectId: string | null, grants: LiveGrant[], now: Date): EntitlementSetDto {
    const applying = grants.filter((g) => g.projectId === null || g.projectId === projectId);
    const merged = mergeEntitlements(
      applying.map((g) => ({
        grant: { ...(g.grant as Grant), seats: g.pricing.kind === 'subscription' && g.pricing.unit === 'seat' ? g.seats : g.grant.seats },
        validFrom: g.validFrom.toISOString(),
        validUntil: g.validUntil?.toISOString() ?? null,
      })),
    );
    return {
      accountId,
      projectId,
      ...merged,
      sources: applying.map((g) => ({
        kind: g.kind,
        id: g.id,
        productId: g.productId,
        planId: g.planId,
        planVersionId: g.planVersionId,
        projectId: g.projectId,
        validFrom: g.validFrom.toISOString(),
        validUntil: g.validUntil?.toISOString() ?? null,
      })),
      asOf: now.toISOString(),
    };
  }
}
