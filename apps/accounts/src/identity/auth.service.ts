import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, LoginRequest, RefreshRequest, SessionResponse, StewardError, UserDto, VerifiedApiKey, VerifyApiKeyRequest } from '@steward/contracts';
import { Tx, uuidv7, type UnitOfWork } from '@steward/persistence';
import { Clock, CLOCK, SERVICE_CONFIG, UNIT_OF_WORK } from '@steward/service-kit';
import { logger, type RequestContext } from '@steward/telemetry';
import type { AccountsConfig } from '../config';
import { ApiKeysRepository } from './api-keys.repository';
import { AuditLog } from './audit-log';
import { mintToken, parseToken, PASSWORD_HASHER, PasswordHasher, secretMatches } from './credentials';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import { TenantsRepository } from './tenants.repository';
import { UsersRepository } from './users.repository';

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
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
    @Inject(PASSWORD_HASHER) private readonly hasher: PasswordHasher,
    @Inject(SERVICE_CONFIG) private readonly config: AccountsConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly users: UsersRepository,
    private readonly tenants: TenantsRepository,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly apiKeys: ApiKeysRepository,
    private readonly audit: AuditLog,
  ) {}

  async login(req: LoginRequest): Promise<SessionResponse> {
    const tenantId = await this.uow.withoutTenant((em) => this.users.tenantForLogin(em, req.email));
    if (!tenantId) {
      await this.hasher.verify(await (this.decoy ??= this.hasher.hash(uuidv7())), req.password);
      throw invalidCredentials();
    }
    const found = await this.uow.forTenant(tenantId, (tx) => this.users.findWithPassword(tx, { email: req.email }));
    if (!found || !(await this.hasher.verify(found.passwordHash, req.password)) || !found.user.active) throw invalidCredentials();
    return this.uow.forTenant(tenantId, async (tx) => (await this.openSession(tx, found.user)).response);
  }

  /**
   * Rotates: the presented token is marked used and a new one of the same family issued.
   * A token presented again after it was used (or after its session ended) is a stolen copy
   * or a replay: the whole family is revoked, so neither the thief nor the owner can go on
   * with that session (the owner logs in again), and the reuse is audited.
   */
  async refresh(req: RefreshRequest, ctx?: RequestContext): Promise<SessionResponse> {
    const parsed = parseToken('rt', req.refreshToken);
    if (!parsed) throw invalidToken();
    // The family's revocation must commit, so the reuse is decided inside and thrown after the transaction.
    const outcome = await this.uow.forTenant(parsed.tenantId, async (tx): Promise<{ session: SessionResponse } | { refused: 'invalid' | 'reused' }> => {
      const token = await this.refreshTokens.find(tx, parsed.id, { lock: true });
      const now = this.clock.now();
      if (!token || !secretMatches(parsed.secret, token.secretHash)) return { refused: 'invalid' };
      if (token.revokedAt) {
        const revoked = await this.refreshTokens.revokeFamily(tx, token.familyId, now);
        logger().warn({ tenantId: parsed.tenantId, userId: token.userId, familyId: token.familyId, tokenId: token.id, revoked }, 'a used refresh token was presented again: its session is revoked');
        if (ctx) await this.audit.record(tx, ctx, { action: 'session.token-reused', entityType: 'user', entityId: token.userId, after: { familyId: token.familyId, tokenId: token.id, revokedTokens: revoked } });
        return { refused: 'reused' };
      }
      if (token.expiresAt.getTime() <= now.getTime()) return { refused: 'invalid' };
      const user = await this.users.find(tx, token.userId);
      if (!user || !user.active) return { refused: 'invalid' };
      const session = await this.openSession(tx, user, token.familyId);
      await this.refreshTokens.rotate(tx, token.id, now, session.tokenId);
      return { session: session.response };
    });
    if ('refused' in outcome) throw invalidToken();
    return outcome.session;
  }

  /** Ends the session the token belongs to: every token of its family is revoked. */
  async logout(req: RefreshRequest): Promise<{ revoked: boolean }> {
    const parsed = parseToken('rt', req.refreshToken);
    if (!parsed) return { revoked: false };
    return this.uow.forTenant(parsed.tenantId, async (tx) => {
      const token = await this.refreshTokens.find(tx, parsed.id);
      if (!token || token.revokedAt || !secretMatches(parsed.secret, token.secretHash)) return { revoked: false };
      await this.refreshTokens.revokeFamily(tx, token.familyId, this.clock.now());
      return { revoked: true };
    });
  }

  /** Resolves a partner API key; records its use at most once a minute to keep reads cheap. */
  async verifyApiKey(req: VerifyApiKeyRequest): Promise<VerifiedApiKey> {
    const parsed = parseToken('stw', req.key);
    if (!parsed) throw invalidKey();
    return this.uow.forTenant(parsed.tenantId, async (tx) => {
      const found = await this.apiKeys.findForVerify(tx, parsed.id);
      if (!found || !secretMatches(parsed.secret, found.secretHash)) throw invalidKey();
      const { key } = found;
      const now = this.clock.now();
      if (key.revokedAt) throw new StewardError(ErrorCode.ApiKeyRevoked, 'The API key was revoked');
      if (key.expiresAt && Date.parse(key.expiresAt) <= now.getTime()) {
        throw new StewardError(ErrorCode.Unauthenticated, key.replacedById ? 'The API key has expired: it was rotated and its overlap has ended (use the new key)' : 'The API key has expired');
      }
      await this.apiKeys.touch(tx, key.id, now);
      return { tenantId: parsed.tenantId, partnerId: key.partnerId, keyId: key.id, name: key.name, expiresAt: key.expiresAt, scopes: key.scopes };
    });
  }

  /** A new refresh token: of the family it was rotated from, or (at login) the first of a new one. */
  private async openSession(tx: Tx, user: UserDto, familyId?: string): Promise<{ response: SessionResponse; tokenId: string }> {
    const tenant = await this.tenants.current(tx);
    const id = uuidv7();
    const { token, secretHash } = mintToken('rt', tx.scope.tenantId, id);
    const expiresAt = new Date(this.clock.now().getTime() + this.config.app.refreshTokenTtlHours * 3600_000);
    await this.refreshTokens.insert(tx, { id, userId: user.id, familyId: familyId ?? id, secretHash, expiresAt });
    return { response: { user, tenant, refreshToken: token, refreshExpiresAt: expiresAt.toISOString() }, tokenId: id };
  }
}
