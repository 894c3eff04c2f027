import { Inject, Injectable } from '@nestjs/common';
import {
  actorRef,
  API_KEY_SCOPES,
  ApiKeyDto,
  ApiKeyScope,
  CreateApiKeyRequest,
  CreateApiKeyResponse,
  ErrorCode,
  Events,
  ListApiKeysRequest,
  Page,
  Role,
  RotateApiKeyRequest,
  RotateApiKeyResponse,
  StewardError,
} from '@steward/contracts';
import type { Outbox } from '@steward/messaging';
import { Tx, uuidv7, type UnitOfWork } from '@steward/persistence';
import { Clock, CLOCK, OUTBOX, requireRole, SERVICE_CONFIG, tenantOf, UNIT_OF_WORK } from '@steward/service-kit';
import type { RequestContext } from '@steward/telemetry';
import type { AccountsConfig } from '../config';
import { ApiKeysRepository } from './api-keys.repository';
import { AuditLog } from './audit-log';
import { mintToken } from './credentials';
import { PartnersRepository } from './partners.repository';

const MANAGE: readonly Role[] = ['admin'];
const READ: readonly Role[] = ['admin', 'manager'];

@Injectable()
export class ApiKeysService {
  constructor(
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
    @Inject(OUTBOX) private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVICE_CONFIG) private readonly config: AccountsConfig,
    private readonly repo: ApiKeysRepository,
    private readonly partners: PartnersRepository,
    private readonly audit: AuditLog,
  ) {}

  /** Issues a key for a partner. The full key is returned once; only a hash is stored. */
  create(ctx: RequestContext, req: CreateApiKeyRequest): Promise<CreateApiKeyResponse> {
    requireRole(ctx, MANAGE);
    const tenantId = tenantOf(ctx);
    this.requireFuture(req.expiresAt);
    return this.uow.forTenant(tenantId, async (tx) => {
      if (!(await this.partners.exists(tx, req.partnerId))) throw StewardError.notFound('partner', req.partnerId);
      const issued = await this.issue(tx, ctx, { partnerId: req.partnerId, name: req.name, scopes: req.scopes ?? API_KEY_SCOPES, expiresAt: req.expiresAt ? new Date(req.expiresAt) : null });
      await this.audit.record(tx, ctx, { action: 'api-key.created', entityType: 'api-key', entityId: issued.apiKey.id, after: issued.apiKey });
      await this.outbox.emit(tx, Events.accounts.apiKeyCreated, { apiKey: issued.apiKey });
      return issued;
    });
  }

  get(ctx: RequestContext, id: string): Promise<ApiKeyDto> {
    requireRole(ctx, READ);
    return this.uow.forTenant(tenantOf(ctx), async (tx) => {
      const key = await this.repo.find(tx, id);
      if (!key) throw StewardError.notFound('api-key', id);
      return key;
    });
  }

  /**
   * Issues a new key in place of an active one (same partner, name and scopes; the old
   * expiry unless the request sets another). The old key keeps working for the overlap
   * (`overlapSeconds`, bounded by API_KEY_ROTATION_MAX_OVERLAP_SECONDS; the configured
   * default otherwise), then expires; revoking either stays immediate. A key is rotated once:
   * rotate its successor next.
   */
  rotate(ctx: RequestContext, req: RotateApiKeyRequest): Promise<RotateApiKeyResponse> {
    requireRole(ctx, MANAGE);
    const { defaultOverlapSeconds, maxOverlapSeconds } = this.config.app.apiKeyRotation;
    const overlapSeconds = req.overlapSeconds ?? defaultOverlapSeconds;
    if (overlapSeconds > maxOverlapSeconds) {
      throw StewardError.validation([{ field: 'overlapSeconds', rule: 'max', message: `must be at most ${maxOverlapSeconds} (API_KEY_ROTATION_MAX_OVERLAP_SECONDS)` }]);
    }
    this.requireFuture(req.expiresAt);
    return this.uow.forTenant(tenantOf(ctx), async (tx) => {
      const old = await this.repo.find(tx, req.id, { lock: true });
      if (!old) throw StewardError.notFound('api-key', req.id);
      const now = this.clock.now();
      const refuse = (rule: string, message: string) => new StewardError(ErrorCode.Conflict, `API key ${req.id} ${message}`, { errors: [{ field: 'path.id', rule, message }] });
      if (old.revokedAt) throw refuse('active', 'was revoked: issue a new key instead');
      if (old.replacedById) throw refuse('not-rotated', `was already rotated: rotate its successor ${old.replacedById}`);
      if (old.expiresAt && Date.parse(old.expiresAt) <= now.getTime()) throw refuse('active', 'has expired: issue a new key instead');
      const expiresAt = req.expiresAt === undefined ? (old.expiresAt ? new Date(old.expiresAt) : null) : req.expiresAt === null ? null : new Date(req.expiresAt);
      const issued = await this.issue(tx, ctx, { partnerId: old.partnerId, name: old.name, scopes: old.scopes, expiresAt, rotatedFromId: old.id });
      const overlapEnd = new Date(now.getTime() + overlapSeconds * 1000);
      const previous = await this.repo.replace(tx, old.id, issued.apiKey.id, old.expiresAt && Date.parse(old.expiresAt) < overlapEnd.getTime() ? new Date(old.expiresAt) : overlapEnd);
      await this.audit.record(tx, ctx, { action: 'api-key.rotated', entityType: 'api-key', entityId: old.id, before: old, after: previous });
      await this.audit.record(tx, ctx, { action: 'api-key.created', entityType: 'api-key', entityId: issued.apiKey.id, after: issued.apiKey });
      await this.outbox.emit(tx, Events.accounts.apiKeyRotated, { apiKey: issued.apiKey, previous });
      return { ...issued, previous };
    });
  }

  private async issue(
    tx: Tx,
    ctx: RequestContext,
    k: { partnerId: string; name: string; scopes: readonly ApiKeyScope[]; expiresAt: Date | null; rotatedFromId?: string },
  ): Promise<CreateApiKeyResponse> {
    const id = uuidv7();
    const { token, secretHash } = mintToken('stw', tx.scope.tenantId, id);
    // Stored in the declared order, so two keys with the same scopes list them alike.
    const scopes = API_KEY_SCOPES.filter((s) => k.scopes.includes(s));
    const apiKey = await this.repo.insert(tx, { ...k, id, scopes, prefix: token.slice(0, 12), secretHash, createdBy: actorRef(ctx.actor) });
    return { apiKey, key: token };
  }

  private requireFuture(expiresAt: string | null | undefined): void {
    if (expiresAt && Date.parse(expiresAt) <= this.clock.now().getTime()) {
      throw StewardError.validation([{ field: 'expiresAt', rule: 'future', message: 'must be in the future' }]);
    }
  }

  list(ctx: RequestContext, q: ListApiKeysRequest): Promise<Page<ApiKeyDto>> {
    requireRole(ctx, READ);
    return this.uow.forTenant(tenantOf(ctx), (tx) => this.repo.list(tx, q));
  }

  /** Revoking is idempotent: revoking a revoked key returns it unchanged. */
  revoke(ctx: RequestContext, id: string): Promise<ApiKeyDto> {
    requireRole(ctx, MANAGE);
    return this.uow.forTenant(tenantOf(ctx), async (tx) => {
      const before = await this.repo.find(tx, id, { lock: true });
      if (!before) throw StewardError.notFound('api-key', id);
      if (before.revokedAt) return before;
      const after = await this.repo.revoke(tx, id, this.clock.now());
      await this.audit.record(tx, ctx, { action: 'api-key.revoked', entityType: 'api-key', entityId: id, before, after });
      await this.outbox.emit(tx, Events.accounts.apiKeyRevoked, { apiKey: after });
      return after;
    });
  }
}
