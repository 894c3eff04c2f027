import { Inject, Injectable } from '@nestjs/common';
import { CreateUserRequest, ErrorCode, Events, ListUsersRequest, Page, Role, StewardError, UpdateUserRequest, UserDto } from '@steward/contracts';
import type { Outbox } from '@steward/messaging';
import { isUniqueViolation, Tx, uuidv7, withSavepoint, type UnitOfWork } from '@steward/persistence';
import { ANY_ROLE, Clock, CLOCK, OUTBOX, requireRole, tenantOf, UNIT_OF_WORK } from '@steward/service-kit';
import type { RequestContext } from '@steward/telemetry';
import { AuditLog } from './audit-log';
import { PASSWORD_HASHER, type PasswordHasher } from './credentials';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import { UsersRepository } from './users.repository';

const MANAGE: readonly Role[] = ['admin'];
const LIST: readonly Role[] = ['admin', 'manager'];

const emailTaken = (email: string) =>
  new StewardError(ErrorCode.EmailTaken, `The e-mail ${email} is already registered`, { errors: [{ field: 'email', rule: 'unique', message: 'is already registered' }] });

@Injectable()
export class UsersService {
  constructor(
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
    @Inject(OUTBOX) private readonly outbox: Outbox,
    @Inject(PASSWORD_HASHER) private readonly hasher: PasswordHasher,
    private readonly repo: UsersRepository,
    private readonly audit: AuditLog,
    private readonly refreshTokens: RefreshTokensRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  get(ctx: RequestContext, id: string): Promise<UserDto> {
    const actor = requireRole(ctx, ANY_ROLE);
    // Everyone may read themselves; reading others is for those who may list users.
    if (actor.id !== id) requireRole(ctx, LIST);
    return this.uow.forTenant(tenantOf(ctx), (tx) => this.find(tx, id));
  }

  list(ctx: RequestContext, q: ListUsersRequest): Promise<Page<UserDto>> {
    requireRole(ctx, LIST);
    return this.uow.forTenant(tenantOf(ctx), (tx) => this.repo.list(tx, q));
  }

  async create(ctx: RequestContext, req: CreateUserRequest): Promise<UserDto> {
    requireRole(ctx, MANAGE);
    const tenantId = tenantOf(ctx);
    const passwordHash = await this.hasher.hash(req.password);
    return this.uow.forTenant(tenantId, (tx) => this.insert(tx, ctx, { email: req.email, name: req.name, role: req.role, passwordHash }));
  }

  /** Admins change anyone; everyone may change their own name and password. */
  async update(ctx: RequestContext, req: UpdateUserRequest): Promise<UserDto> {
    const actor = requireRole(ctx, ANY_ROLE);
    const self = actor.id === req.id;
    if (!self || req.role !== undefined || req.active !== undefined) requireRole(ctx, MANAGE);
    const passwordHash = req.password ? await this.hasher.hash(req.password) : undefined;
    return this.uow.forTenant(tenantOf(ctx), async (tx) => {
      // Lock the row: concurrent updates of the same user apply one after the other.
      const before = await this.repo.find(tx, req.id, { lock: true });
      if (!before) throw StewardError.notFound('user', req.id);
      const losesAdmin = before.role === 'admin' && before.active && ((req.role !== undefined && req.role !== 'admin') || req.active === false);
      if (losesAdmin && (await this.repo.otherActiveAdmins(tx, before.id)) === 0) throw new StewardError(ErrorCode.LastAdmin, 'A tenant must keep at least one active admin');
      await this.repo.update(tx, req.id, { name: req.name, role: req.role, active: req.active, passwordHash });
      // A deactivated user's sessions end now: no refresh token of theirs works again, even after a reactivation.
      if (req.active === false && before.active) await this.refreshTokens.revokeForUser(tx, req.id, this.clock.now());
      const after = await this.find(tx, req.id);
      await this.audit.record(tx, ctx, { action: 'user.updated', entityType: 'user', entityId: req.id, before, after: { ...after, ...(passwordHash ? { passwordChanged: true } : {}) } });
      await this.outbox.emit(tx, Events.accounts.userUpdated, { user: after }, { ...ctx, tenantId: tx.scope.tenantId });
      return after;
    });
  }

  /** Inserts a user inside the caller's transaction (shared with tenant bootstrap). */
  async insert(tx: Tx, ctx: RequestContext, u: { email: string; name: string; role: Role; passwordHash: string }): Promise<UserDto> {
    // A savepoint keeps the transaction usable if the e-mail turns out to be taken.
    const user = await withSavepoint(tx, () => this.repo.insert(tx, { id: uuidv7(), ...u })).catch((err: unknown) => {
      throw isUniqueViolation(err, 'login_directory_pkey') || isUniqueViolation(err, 'users_tenant_id_email_key') ? emailTaken(u.email) : err;
    });
    const tenantCtx = { ...ctx, tenantId: tx.scope.tenantId };
    await this.audit.record(tx, tenantCtx, { action: 'user.created', entityType: 'user', entityId: user.id, after: user });
    await this.outbox.emit(tx, Events.accounts.userCreated, { user }, tenantCtx);
    return user;
  }

  private async find(tx: Tx, id: string): Promise<UserDto> {
    const user = await this.repo.find(tx, id);
    if (!user) throw StewardError.notFound('user', id);
    return user;
  }
}
