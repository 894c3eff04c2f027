import { Inject, Injectable } from '@nestjs/common';
import { actorRef, ApiKeyDto, CreateApiKeyRequest, CreateApiKeyResponse, Events, ListApiKeysRequest, Page, Role, StewardError } from '@steward/contracts';
import type { Outbox } from '@steward/messaging';
import { uuidv7, type UnitOfWork } from '@steward/persistence';
import { Clock, CLOCK, OUTBOX, requireRole, tenantOf, UNIT_OF_WORK } from '@steward/service-kit';
import type { RequestContext } from '@steward/telemetry';
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
    private readonly repo: ApiKeysRepository,
    private readonly partners: PartnersRepository,
    private readonly audit: AuditLog,
  ) {}

  /** Issues a key for a partner. The full key is returned once; only a hash is stored. */
  create(ctx: RequestContext, req: CreateApiKeyRequest): Promise<CreateApiKeyResponse> {
    requireRole(ctx, MANAGE);
    const tenantId = tenantOf(ctx);
    if (req.expiresAt && Date.parse(req.expiresAt) <= this.clock.now().getTime()) {
      throw StewardError.validation([{ field: 'expiresAt', rule: 'future', message: 'must be in the future' }]);
    }
    return this.uow.forTenant(tenantId, async (tx) => {
      if (!(await this.partners.exists(tx, req.partnerId))) throw StewardError.notFound('partner', req.partnerId);
      const id = uuidv7();
      const { token, secretHash } = mintToken('stw', tenantId, id);
      const apiKey = await this.repo.insert(tx, {
        id,
        partnerId: req.partnerId,
        name: req.name,
        prefix: token.slice(0, 12),
        secretHash,
        createdBy: actorRef(ctx.actor),
        expiresAt: req.expiresAt ? new Date(req.expiresAt) : null,
      });
      await this.audit.record(tx, ctx, { action: 'api-key.created', entityType: 'api-key', entityId: id, after: apiKey });
      await this.outbox.emit(tx, Events.accounts.apiKeyCreated, { apiKey });
      return { apiKey, key: token };
    });
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
