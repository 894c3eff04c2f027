import { uuidv7 } from '@steward/persistence';
import { Inject, Injectable } from '@nestjs/common';
import { ApiKeyDto, CreateApiKeyRequest, CreateApiKeyResponse, Events, ListApiKeysRequest, Page, Role, StewardError } from '@steward/contracts';
import type { Outbox } from '@steward/messaging';
import type { UnitOfWork } from '@steward/persistence';
import type { RequestContext } from '@steward/telemetry';
import { actorRef } from '@steward/contracts';
import { requireRole, tenantOf } from './access';
import { AuditLog } from './audit-log';
import { mintToken } from './credentials';
import { ApiKeyEntity, PartnerEntity } from './identity.entities';
import { toApiKeyDto } from './mappers';
import { paginate } from './pagination';
import { OUTBOX, UOW } from './tokens';

const MANAGE: readonly Role[] = ['admin'];
const READ: readonly Role[] = ['admin', 'manager'];

@Injectable()
export class ApiKeysService {
  constructor(
    @Inject(UOW) private readonly uow: UnitOfWork,
    @Inject(OUTBOX) private readonly outbox: Outbox,
    private readonly audit: AuditLog,
  ) {}

  /** Issues a key for a partner. The full key is returned once; only a hash is stored. */
  create(ctx: RequestContext, req: CreateApiKeyRequest): Promise<CreateApiKeyResponse> {
    requireRole(ctx, MANAGE);
    const tenantId = tenantOf(ctx);
    if (req.expiresAt && Date.parse(req.expiresAt) <= Date.now()) {
      throw StewardError.validation([{ field: 'expiresAt', rule: 'future', message: 'must be in the future' }]);
    }
    return this.uow.forTenant(tenantId, async (em) => {
      if (!(await em.existsBy(PartnerEntity, { id: req.partnerId }))) throw StewardError.notFound('partner', req.partnerId);
      const id = uuidv7();
      const { token, secretHash } = mintToken('stw', tenantId, id);
      await em.insert(ApiKeyEntity, {
        id,
        tenantId,
        partnerId: req.partnerId,
        name: req.name,
        prefix: token.slice(0, 12),
        secretHash,
        createdBy: actorRef(ctx.actor),
        expiresAt: req.expiresAt ? new Date(req.expiresAt) : null,
      });
      const apiKey = toApiKeyDto(await em.findOneByOrFail(ApiKeyEntity, { id }));
      await this.audit.record(em, ctx, tenantId, { action: 'api-key.created', entityType: 'api-key', entityId: id, after: apiKey });
      await this.outbox.emit(em, Events.accounts.apiKeyCreated, { apiKey });
      return { apiKey, key: token };
    });
  }

  list(ctx: RequestContext, q: ListApiKeysRequest): Promise<Page<ApiKeyDto>> {
    requireRole(ctx, READ);
    return this.uow.forTenant(tenantOf(ctx), (em) => {
      const qb = em.createQueryBuilder(ApiKeyEntity, 'k').where('k.partnerId = :p', { p: q.partnerId });
      return paginate(qb, q, 'k.id', 'ASC', toApiKeyDto);
    });
  }

  /** Revoking is idempotent: revoking a revoked key returns it unchanged. */
  revoke(ctx: RequestContext, id: string): Promise<ApiKeyDto> {
    requireRole(ctx, MANAGE);
    const tenantId = tenantOf(ctx);
    return this.uow.forTenant(tenantId, async (em) => {
      const before = await em.createQueryBuilder(ApiKeyEntity, 'k').setLock('pessimistic_write').where('k.id = :id', { id }).getOne();
      if (!before) throw StewardError.notFound('api-key', id);
      if (before.revokedAt) return toApiKeyDto(before);
      await em.update(ApiKeyEntity, { id }, { revokedAt: new Date() });
      const after = toApiKeyDto(await em.findOneByOrFail(ApiKeyEntity, { id }));
      await this.audit.record(em, ctx, tenantId, { action: 'api-key.revoked', entityType: 'api-key', entityId: id, before: toApiKeyDto(before), after });
      await this.outbox.emit(em, Events.accounts.apiKeyRevoked, { apiKey: after });
      return after;
    });
  }
}
