import { uuidv7 } from '@steward/persistence';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ErrorCode, LoginRequest, RefreshRequest, SessionResponse, StewardError, VerifiedApiKey, VerifyApiKeyRequest } from '@steward/contracts';
import type { UnitOfWork } from '@steward/persistence';
import type { AccountsConfig } from '../config';
import { mintToken, parseToken, PasswordHasher, secretMatches } from './credentials';
import { ApiKeyEntity, RefreshTokenEntity, TenantEntity, UserEntity } from './identity.entities';
import { toTenantDto, toUserDto } from './mappers';
import { ACCOUNTS_CONFIG, HASHER, UOW } from './tokens';

const invalidCredentials = () => new StewardError(ErrorCode.InvalidCredentials, 'The e-mail or password is wrong');
const invalidToken = () => new StewardError(ErrorCode.Unauthenticated, 'The refresh token is invalid or expired');
const invalidKey = () => new StewardError(ErrorCode.Unauthenticated, 'The API key is invalid');

/**
 * Checks credentials. The gateway owns the signing key and signs access tokens; this
 * service answers who a credential belongs to and rotates refresh tokens.
 */
@Injectable()
export class AuthService {
  // A real hash to compare against when the e-mail is unknown, so timing does not reveal which e-mails exist.
  private decoy?: Promise<string>;

  constructor(
    @Inject(UOW) private readonly uow: UnitOfWork,
    @Inject(HASHER) private readonly hasher: PasswordHasher,
    @Inject(ACCOUNTS_CONFIG) private readonly config: AccountsConfig,
  ) {}

  async login(req: LoginRequest): Promise<SessionResponse> {
    const tenantId = await this.uow.withoutTenant(async (em) => {
      const [row] = await em.query('SELECT accounts.tenant_for_login($1) AS tenant_id', [req.email]);
      return (row?.tenant_id as string | null) ?? null;
    });
    if (!tenantId) {
      await this.hasher.verify(await (this.decoy ??= this.hasher.hash(uuidv7())), req.password);
      throw invalidCredentials();
    }
    const user = await this.uow.forTenant(tenantId, (em) => em.findOneBy(UserEntity, { email: req.email }));
    if (!user || !(await this.hasher.verify(user.passwordHash, req.password)) || !user.active) throw invalidCredentials();
    return this.uow.forTenant(tenantId, (em) => this.openSession(em, user));
  }

  /** Rotates: the presented token is revoked and a new one issued; a reused token fails. */
  async refresh(req: RefreshRequest): Promise<SessionResponse> {
    const parsed = parseToken('rt', req.refreshToken);
    if (!parsed) throw invalidToken();
    return this.uow.forTenant(parsed.tenantId, async (em) => {
      const token = await em.createQueryBuilder(RefreshTokenEntity, 't').setLock('pessimistic_write').where('t.id = :id', { id: parsed.id }).getOne();
      if (!token || token.revokedAt || token.expiresAt.getTime() <= Date.now() || !secretMatches(parsed.secret, token.secretHash)) throw invalidToken();
      const user = await em.findOneBy(UserEntity, { id: token.userId });
      if (!user || !user.active) throw invalidToken();
      await em.update(RefreshTokenEntity, { id: token.id }, { revokedAt: new Date() });
      return this.openSession(em, user);
    });
  }

  async logout(req: RefreshRequest): Promise<{ revoked: boolean }> {
    const parsed = parseToken('rt', req.refreshToken);
    if (!parsed) return { revoked: false };
    return this.uow.forTenant(parsed.tenantId, async (em) => {
      const token = await em.findOneBy(RefreshTokenEntity, { id: parsed.id });
      if (!token || token.revokedAt || !secretMatches(parsed.secret, token.secretHash)) return { revoked: false };
      await em.update(RefreshTokenEntity, { id: token.id }, { revokedAt: new Date() });
      return { revoked: true };
    });
  }

  /** Resolves a partner API key; records its use at most once a minute to keep reads cheap. */
  async verifyApiKey(req: VerifyApiKeyRequest): Promise<VerifiedApiKey> {
    const parsed = parseToken('stw', req.key);
    if (!parsed) throw invalidKey();
    return this.uow.forTenant(parsed.tenantId, async (em) => {
      const key = await em.findOneBy(ApiKeyEntity, { id: parsed.id });
      if (!key || !secretMatches(parsed.secret, key.secretHash)) throw invalidKey();
      if (key.revokedAt) throw new StewardError(ErrorCode.ApiKeyRevoked, 'The API key was revoked');
      if (key.expiresAt && key.expiresAt.getTime() <= Date.now()) throw new StewardError(ErrorCode.Unauthenticated, 'The API key has expired');
      await em.query(`UPDATE accounts.api_keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`, [key.id]);
      return { tenantId: key.tenantId, partnerId: key.partnerId, keyId: key.id, name: key.name };
    });
  }

  private async openSession(em: EntityManager, user: UserEntity): Promise<SessionResponse> {
    const tenant = await em.findOneByOrFail(TenantEntity, { id: user.tenantId });
    const id = uuidv7();
    const { token, secretHash } = mintToken('rt', user.tenantId, id);
    const expiresAt = new Date(Date.now() + this.config.refreshTokenTtlHours * 3600_000);
    await em.insert(RefreshTokenEntity, { id, tenantId: user.tenantId, userId: user.id, secretHash, expiresAt });
    return { user: toUserDto(user), tenant: toTenantDto(tenant), refreshToken: token, refreshExpiresAt: expiresAt.toISOString() };
  }
}
