import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { ErrorCode, EventMap, Events, ReadModelStatusDto, StewardError } from '@steward/contracts';
import type { EventReplay } from '@steward/messaging';
import type { Tx, UnitOfWork } from '@steward/persistence';
import { Clock, CLOCK, defineJob, EVENT_REPLAY, JOBS, JobQueue, requireRole, RunningJob, tenantOf, UNIT_OF_WORK } from '@steward/service-kit';
import type { RequestContext } from '@steward/telemetry';
import { DirectoryRepository } from './directory.repository';
import type { KnownAccount, KnownEntitlement, KnownProject, KnownUser } from './directory.types';

/** Rebuilds one tenant's read models by replaying accounts' and the catalog's streams. WARNING: stored kind. */
export const RebuildReadModelsJob = defineJob('support.read-model-rebuild', z.object({ requestedBy: z.string() }), { maxAttempts: 3, timeoutMs: 30 * 60_000 });

/** The events each read model is fed by (live consumers and the replay alike). */
const FEEDS = {
  accounts: [
    Events.accounts.accountCreated,
    Events.accounts.accountUpdated,
    Events.accounts.accountDeleted,
    Events.accounts.accountRestored,
    Events.accounts.accountTierChanged,
    Events.accounts.projectCreated,
    Events.accounts.projectUpdated,
    Events.accounts.projectDeleted,
    Events.accounts.projectWentLive,
    Events.accounts.userCreated,
    Events.accounts.userUpdated,
    Events.accounts.partnerCreated,
  ],
  catalog: [Events.catalog.entitlementsChanged],
} as const;
type FedSubject = (typeof FEEDS)[keyof typeof FEEDS][number];

/**
 * What support knows of other services' facts (DOMAIN.md §1, §3): accounts (tier, lead
 * channel, region, CSM, partner), projects, users, partners and entitlements, kept from their
 * events. Other features read them here, inside their own transaction: no cross-schema read,
 * no synchronous call on the hot path.
 */
@Injectable()
export class DirectoryService {
  constructor(
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(JOBS) private readonly jobs: JobQueue,
    @Inject(EVENT_REPLAY) private readonly replay: EventReplay,
    private readonly repo: DirectoryRepository,
  ) {}

  /** Applies one event of a feed to the read models (consumers and the rebuild). */
  async apply<S extends FedSubject>(tx: Tx, subject: S, payload: EventMap[S]): Promise<void> {
    const e = payload as EventMap[FedSubject];
    switch (subject) {
      case Events.accounts.accountCreated:
      case Events.accounts.accountUpdated:
      case Events.accounts.accountDeleted:
      case Events.accounts.accountRestored:
        return this.repo.upsertAccount(tx, (e as EventMap[typeof Events.accounts.accountCreated]).account);
      case Events.accounts.accountTierChanged: {
        const t = e as EventMap[typeof Events.accounts.accountTierChanged];
        return this.repo.setTier(tx, t.accountId, t.newTier);
      }
      case Events.accounts.projectCreated:
      case Events.accounts.projectUpdated:
      case Events.accounts.projectWentLive:
        return this.repo.upsertProject(tx, (e as EventMap[typeof Events.accounts.projectCreated]).project, false);
      case Events.accounts.projectDeleted:
        return this.repo.upsertProject(tx, (e as EventMap[typeof Events.accounts.projectDeleted]).project, true);
      case Events.accounts.userCreated:
      case Events.accounts.userUpdated:
        return this.repo.upsertUser(tx, (e as EventMap[typeof Events.accounts.userCreated]).user);
      case Events.accounts.partnerCreated:
        return this.repo.upsertPartner(tx, (e as EventMap[typeof Events.accounts.partnerCreated]).partner);
      case Events.catalog.entitlementsChanged:
        return this.repo.upsertEntitlements(tx, (e as EventMap[typeof Events.catalog.entitlementsChanged]).entitlements);
    }
  }

  /** The subjects a feed applies, for registering consumers. */
  feeds(): typeof FEEDS {
    return FEEDS;
  }

  accountIn(tx: Tx, id: string): Promise<KnownAccount | null> {
    return this.repo.account(tx, id);
  }

  projectIn(tx: Tx, id: string): Promise<KnownProject | null> {
    return this.repo.project(tx, id);
  }

  userIn(tx: Tx, id: string): Promise<KnownUser | null> {
    return this.repo.user(tx, id);
  }

  userNamesIn(tx: Tx, ids: string[]): Promise<Map<string, string>> {
    return this.repo.userNames(tx, ids);
  }

  entitlementIn(tx: Tx, accountId: string, projectId: string | null): Promise<KnownEntitlement | null> {
    return this.repo.entitlement(tx, accountId, projectId, this.clock.now());
  }

  status(ctx: RequestContext): Promise<ReadModelStatusDto> {
    requireRole(ctx, ['admin', 'manager']);
    return this.uow.forTenant(tenantOf(ctx), async (tx) => {
      const c = await this.repo.counts(tx);
      const job = await this.jobs.latest(tx, RebuildReadModelsJob);
      return {
        ...c,
        lastAppliedAt: c.lastAppliedAt ? new Date(c.lastAppliedAt).toISOString() : null,
        rebuild: job ? { jobId: job.id, status: job.status, applied: job.progress?.done ?? 0, lastError: job.lastError } : null,
      };
    });
  }

  /** Starts a rebuild (one at a time per tenant: asking again while one waits returns it). */
  requestRebuild(ctx: RequestContext): Promise<{ jobId: string }> {
    const actor = requireRole(ctx, ['admin']);
    return this.uow.forTenant(tenantOf(ctx), async (tx) => {
      const jobId = await this.jobs.enqueue(tx, RebuildReadModelsJob, { requestedBy: `user:${actor.id}` }, { debounce: { key: 'rebuild' } });
      return { jobId };
    });
  }

  /**
   * The rebuild job: replays both streams from their first message and applies this
   * tenant's events in steps of one batch each (upserts keep the newest version, so a replay
   * over live rows changes only what drifted). Rows are not deleted first: a stream keeps
   * 7 days, and facts older than that live only in the rows.
   */
  async rebuild(job: RunningJob<{ requestedBy: string }>): Promise<void> {
    let applied = 0;
    for (const source of ['accounts', 'catalog'] as const) {
      const subjects = new Set<string>(FEEDS[source]);
      try {
        for await (const batch of this.replay.replay(source, { tenantId: job.tenantId, subjects, signal: job.signal })) {
          await job.step(
            async (tx) => {
              for (const ev of batch) await this.apply(tx, ev.subject as FedSubject, ev.payload as never);
              return batch.length;
            },
            (n) => ({ done: (applied += n), total: null }),
          );
        }
      } catch (err) {
        // A source without a stream yet (the catalog never published) has nothing to replay.
        if (!String((err as Error)?.message ?? err).includes('not found')) throw err;
      }
    }
  }

  /** Refuses work on an account support does not know (yet): a 400 naming the field. */
  static unknownAccount(field = 'accountId'): StewardError {
    return StewardError.validation([{ field, rule: 'exists', message: 'is not an account support knows (accounts publishes new accounts within a second): check the id, or retry shortly' }]);
  }

  static notFound(what: string, id: string): StewardError {
    return new StewardError(ErrorCode.NotFound, `${what} ${id} was not found`, { entity: what, id });
  }
}
