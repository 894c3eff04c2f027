import { Inject, Injectable } from '@nestjs/common';
import { actorRef, ErrorCode, GetPolicyRequest, PutPolicyRequest, PutPolicyResponse, StewardError, SupportPolicyDto } from '@steward/contracts';
import { isUniqueViolation, Tx, UnitOfWork } from '@steward/persistence';
import { ANY_ROLE, Clock, CLOCK, JOBS, JobQueue, requireRole, tenantOf, UNIT_OF_WORK } from '@steward/service-kit';
import { assertPolicyDocument, BUILT_IN_STATUSES, defaultPolicyDocument, type SupportPolicyDocument } from '@steward/support-domain';
import type { RequestContext } from '@steward/telemetry';
import { ReapplyPolicyJob } from '../tickets/tickets.jobs';
import { PolicyRepository } from './policy.repository';

/** A policy version as the rest of the service uses it. */
export interface PolicyVersion {
  version: number;
  doc: SupportPolicyDocument;
}

const CACHE_LIMIT = 2000;

/**
 * The tenant's support policy, versioned (DOMAIN.md §2): routing rules, standards per level,
 * calendars, statuses, warnings, reopen window, recovery rules, after-sales targets. Version 0
 * is the built-in default until a tenant saves one. Saved versions never change, so they are
 * cached by (tenant, version); a ticket keeps the version it was created under.
 */
@Injectable()
export class PolicyService {
  private readonly cache = new Map<string, SupportPolicyDocument>();

  constructor(
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(JOBS) private readonly jobs: JobQueue,
    private readonly repo: PolicyRepository,
  ) {}

  get(ctx: RequestContext, req: GetPolicyRequest): Promise<SupportPolicyDto> {
    requireRole(ctx, ANY_ROLE);
    return this.uow.forTenant(tenantOf(ctx), async (tx) => {
      if (req.version === undefined) {
        const version = await this.repo.currentVersion(tx);
        if (version === 0) return toDto(0, defaultPolicyDocument, null, null, null);
        const row = (await this.repo.find(tx, version))!;
        return toDto(row.version, row.document, row.comment, row.createdAt, row.createdBy);
      }
      const row = await this.repo.find(tx, req.version);
      if (!row) throw StewardError.notFound('policy version', String(req.version));
      return toDto(row.version, row.document, row.comment, row.createdAt, row.createdBy);
    });
  }

  /** Validates (every problem named by field), saves the next version, and re-applies it to open tickets when asked. */
  put(ctx: RequestContext, req: PutPolicyRequest): Promise<PutPolicyResponse> {
    requireRole(ctx, ['admin']);
    const doc = req.policy as unknown as SupportPolicyDocument;
    assertPolicyDocument(doc);
    return this.uow.forTenant(tenantOf(ctx), async (tx) => {
      const row = await this.repo.insert(tx, { document: doc, comment: req.comment ?? null, createdAt: this.clock.now(), createdBy: actorRef(ctx.actor) }).catch((err: unknown) => {
        if (isUniqueViolation(err, 'policies_pkey')) throw new StewardError(ErrorCode.Conflict, 'Another policy version was saved at the same time: read it and try again', { errors: [{ field: 'policy', rule: 'concurrent-save', message: 'another version was saved at the same moment' }] });
        throw err;
      });
      this.cache.set(`${tx.scope.tenantId}:${row.version}`, row.document);
      const reapplyJobId = req.reapplyToOpenTickets ? await this.jobs.enqueue(tx, ReapplyPolicyJob, { version: row.version, after: null }) : null;
      return { ...toDto(row.version, row.document, row.comment, row.createdAt, row.createdBy), reapplyJobId };
    });
  }

  /** The version new tickets get now. */
  async currentIn(tx: Tx): Promise<PolicyVersion> {
    const version = await this.repo.currentVersion(tx);
    return { version, doc: await this.versionIn(tx, version) };
  }

  /** A saved version (0: the default). */
  async versionIn(tx: Tx, version: number): Promise<SupportPolicyDocument> {
    if (version === 0) return defaultPolicyDocument;
    const key = `${tx.scope.tenantId}:${version}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const row = await this.repo.find(tx, version);
    if (!row) throw new Error(`policy version ${version} of tenant ${tx.scope.tenantId} is missing`);
    if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, row.document);
    return row.document;
  }
}

function toDto(version: number, doc: SupportPolicyDocument, comment: string | null, createdAt: Date | null, createdBy: string | null): SupportPolicyDto {
  return {
    version,
    policy: doc as unknown as SupportPolicyDto['policy'],
    comment,
    createdAt: createdAt ? new Date(createdAt).toISOString() : null,
    createdBy,
    statuses: [...BUILT_IN_STATUSES, ...doc.statuses].map((s) => ({ ...s })),
  };
}
