import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CreateUserRequest, ErrorCode, Events, ListUsersRequest, Page, Role, StewardError, UpdateUserRequest, UserDto } from '@steward/contracts';
import type { Outbox } from '@steward/messaging';
import { isUniqueViolation, uuidv7, type UnitOfWork } from '@steward/persistence';
import type { RequestContext } from '@steward/telemetry';
import { requireRole, tenantOf } from './access';
import { AuditLog } from './audit-log';
import type { PasswordHasher } from './credentials';
import { UserEntity } from './identity.entities';
import { toUserDto } from './mappers';
import { paginate } from './pagination';
import { HASHER, OUTBOX, UOW } from './tokens';

const MANAGE: readonly Role[] = ['admin'];
const LIST: readonly Role[] = ['admin', 'manager'];
const ANY: readonly Role[] = ['admin', 'manager', 'csm', 'agent', 'viewer'];

@Injectable()
export class UsersService {
  constructor(
    @Inject(UOW) private readonly uow: UnitOfWork,
    @Inject(OUTBOX) private readonly outbox: Outbox,
    @Inject(HASHER) private readonly hasher: PasswordHasher,
    private readonly audit: AuditLog,
  ) {}

  get(ctx: RequestContext, id: string): Promise<UserDto> {
    const actor = requireRole(ctx, ANY);
    // Everyone may read themselves; reading others is for those who may list users.
    if (actor.id !== id) requireRole(ctx, LIST);
    return this.uow.forTenant(tenantOf(ctx), async (em) => toUserDto(await this.find(em, id)));
  }

  list(ctx: RequestContext, q: ListUsersRequest): Promise<Page<UserDto>> {
    requireRole(ctx, LIST);
    return this.uow.forTenant(tenantOf(ctx), (em) => {
      const qb = em.createQueryBuilder(UserEntity, 'u');
      if (q.role) qb.andWhere('u.role = :role', { role: q.role });
      if (q.active !== undefined) qb.andWhere('u.active = :active', { active: q.active });
      return paginate(qb, q, 'u.id', 'ASC', toUserDto);
    });
  }

  async create(ctx: RequestContext, req: CreateUserRequest): Promise<UserDto> {
    requireRole(ctx, MANAGE);
    const tenantId = tenantOf(ctx);
    const passwordHash = await this.hasher.hash(req.password);
    return toUserDto(await this.uow.forTenant(tenantId, (em) => this.insert(em, ctx, tenantId, { email: req.email, name: req.name, role: req.role, passwordHash })));
  }

  /** Admins change anyone; everyone may change their own name and password. */
  async update(ctx: RequestContext, req: UpdateUserRequest): Promise<UserDto> {
    const actor = requireRole(ctx, ANY);
    const self = actor.id === req.id;
    if (!self || req.role !== undefined || req.active !== undefined) requireRole(ctx, MANAGE);
    const passwordHash = req.password ? await this.hasher.hash(req.password) : undefined;
    const tenantId = tenantOf(ctx);
    return this.uow.forTenant(tenantId, async (em) => {
      // Lock the row: concurrent updates of the same user apply one after the other.
      const before = await em.createQueryBuilder(UserEntity, 'u').setLock('pessimistic_write').where('u.id = :id', { id: req.id }).getOne();
      if (!before) throw StewardError.notFound('user', req.id);
      const losesAdmin = before.role === 'admin' && before.active && ((req.role !== undefined && req.role !== 'admin') || req.active === false);
      if (losesAdmin) await this.assertAnotherAdmin(em, before.id);
      const changes: Partial<UserEntity> = {};
      if (req.name !== undefined) changes.name = req.name;
      if (req.role !== undefined) changes.role = req.role;
      if (req.active !== undefined) changes.active = req.active;
      if (passwordHash) changes.passwordHash = passwordHash;
      await em.update(UserEntity, { id: req.id }, { ...changes, updatedAt: () => 'now()' } as object);
      const after = await this.find(em, req.id);
      await this.audit.record(em, ctx, tenantId, {
        action: 'user.updated',
        entityType: 'user',
        entityId: req.id,
        before: toUserDto(before),
        after: { ...toUserDto(after), ...(passwordHash ? { passwordChanged: true } : {}) },
      });
      await this.outbox.emit(em, Events.accounts.userUpdated, { user: toUserDto(after) });
      return toUserDto(after);
    });
  }

  /** Inserts a user inside the caller's transaction (shared with tenant bootstrap). */
  async insert(em: EntityManager, ctx: RequestContext, tenantId: string, u: { email: string; name: string; role: Role; passwordHash: string }): Promise<UserEntity> {
    const id = uuidv7();
    try {
      // A savepoint keeps the transaction usable if the e-mail turns out to be taken.
      await em.query('SAVEPOINT add_user');
      await em.query('INSERT INTO accounts.login_directory (email, tenant_id) VALUES ($1, $2)', [u.email, tenantId]);
      await em.insert(UserEntity, { id, tenantId, email: u.email, name: u.name, role: u.role, passwordHash: u.passwordHash, active: true });
      await em.query('RELEASE SAVEPOINT add_user');
    } catch (err) {
      if (isUniqueViolation(err, 'login_directory_pkey') || isUniqueViolation(err, 'users_tenant_id_email_key')) {
        throw new StewardError(ErrorCode.EmailTaken, `The e-mail ${u.email} is already registered`, { errors: [{ field: 'email', rule: 'unique', message: 'is already registered' }] });
      }
      throw err;
    }
    const user = await this.find(em, id);
    await this.audit.record(em, ctx, tenantId, { action: 'user.created', entityType: 'user', entityId: id, after: toUserDto(user) });
    await this.outbox.emit(em, Events.accounts.userCreated, { user: toUserDto(user) }, { ...ctx, tenantId });
    return user;
  }

  private async find(em: EntityManager, id: string): Promise<UserEntity> {
    const user = await em.findOneBy(UserEntity, { id });
    if (!user) throw StewardError.notFound('user', id);
    return user;
  }

  private async assertAnotherAdmin(em: EntityManager, exceptId: string): Promise<void> {
    // Serialise admin demotions per tenant so two admins cannot demote each other at once.
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('last-admin:' || current_setting('app.tenant_id')))`);
    const others = await em
      .createQueryBuilder(UserEntity, 'u')
      .where('u.role = :r AND u.active = true AND u.id <> :id', { r: 'admin', id: exceptId })
      .getCount();
    if (others === 0) throw new StewardError(ErrorCode.LastAdmin, 'A tenant must keep at least one active admin');
  }
}
