import { timingSafeEqual } from 'node:crypto';
import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode, parseCredential, StewardError } from '@steward/contracts';
import { bindCaller } from '../http/request-context';
import { ACCESS, AccessRule } from './access';
import type { ApiKeyVerifier } from './api-keys';
import { AuthFailures } from './auth-failures';
import type { IdentityFeed } from './identity-feed';
import type { AccessTokens } from './jwt';
import { API_KEYS, GATEWAY_CONFIG, IDENTITY, TOKENS } from '../tokens';
import type { GatewayConfig } from '../config';

const unauthenticated = (message: string) => new StewardError(ErrorCode.Unauthenticated, message);

/**
 * Authenticates the credential the route accepts and binds tenant and actor to the
 * request context. The tenant always comes from the credential, never from the body or
 * the path. Partner keys are refused on user routes and vice versa.
 *
 * Failed attempts are throttled per client address and per credential (AuthFailures); a
 * valid access token of a user who was since deactivated or given another role is refused
 * (IdentityFeed: a Map lookup, no round trip); API keys are verified by accounts once and
 * then remembered (ApiKeyVerifier), refused ones too.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKENS) private readonly tokens: AccessTokens,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(IDENTITY) private readonly identity: IdentityFeed,
    @Inject(API_KEYS) private readonly apiKeys: ApiKeyVerifier,
    private readonly failures: AuthFailures,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS, [context.getHandler(), context.getClass()]);
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
    const apiKey = header(req, 'x-api-key');
    if (!rule) throw new StewardError(ErrorCode.Forbidden, 'This route is not open to anyone');

    switch (rule.kind) {
      case 'public':
        bindCaller(req, { kind: 'anonymous', actor: { kind: 'system', id: 'anonymous' }, tracker: `ip:${req.ip}` });
        return true;
      case 'operator': {
        const expected = this.config.operatorToken;
        if (!expected) throw new StewardError(ErrorCode.Forbidden, 'Operator bootstrap is disabled (STEWARD_OPERATOR_TOKEN is not set)');
        await this.failures.guard(reply, 'operator-token', req.ip);
        if (!bearer || !safeEqual(bearer, expected)) {
          await this.failures.failed('operator-token', bearer ? 'wrong' : 'missing', req.ip);
          throw unauthenticated('The operator token is missing or wrong');
        }
        bindCaller(req, { kind: 'operator', actor: { kind: 'operator', id: 'operator' }, tracker: 'operator' });
        return true;
      }
      case 'users': {
        if (!bearer && apiKey && rule.partners) return this.partner(req, reply, apiKey);
        if (!bearer) throw unauthenticated(apiKey ? 'Partner API keys cannot use this route: it needs a user access token' : 'Send an access token: Authorization: Bearer <token>');
        const claims = await this.tokens.verify(bearer).catch(async (err: unknown) => {
          // A bad token costs nothing to check; only its failures are throttled (a valid token never is).
          await this.failures.guard(reply, 'access-token', req.ip);
          await this.failures.failed('access-token', err instanceof StewardError && /expired/.test(err.message) ? 'expired' : 'invalid', req.ip);
          throw err;
        });
        const now = this.identity.check(claims);
        if (now !== 'ok') {
          this.failures.refused('access-token', now, req.ip, `user:${claims.userId}`);
          throw unauthenticated(now === 'deactivated' ? 'This user was deactivated: the access token no longer works' : "The user's role changed since this access token was issued: refresh it");
        }
        bindCaller(req, { kind: 'user', tenantId: claims.tenantId, actor: { kind: 'user', id: claims.userId, role: claims.role }, tracker: `tenant:${claims.tenantId}` });
        if (!rule.roles.includes(claims.role)) throw new StewardError(ErrorCode.Forbidden, `Requires one of the roles: ${rule.roles.join(', ')}`);
        return true;
      }
      case 'partners': {
        if (!apiKey) throw unauthenticated(bearer ? 'This route is for partner API keys: send X-Api-Key' : 'Send a partner API key: X-Api-Key: <key>');
        return this.partner(req, reply, apiKey);
      }
    }
  }

  private async partner(req: FastifyRequest, reply: FastifyReply, apiKey: string): Promise<boolean> {
    const parsed = parseCredential('stw', apiKey);
    const credential = parsed ? { id: `key:${parsed.id}`, field: 'header.x-api-key' } : undefined;
    await this.failures.guard(reply, 'api-key', req.ip, credential);
    if (!parsed) {
      // Not even the shape of a key: refused here, without asking accounts.
      await this.failures.failed('api-key', 'malformed', req.ip);
      throw unauthenticated('The API key is invalid');
    }
    const key = await this.apiKeys.verify(apiKey).catch(async (err: unknown) => {
      if (err instanceof StewardError && (err.code === ErrorCode.Unauthenticated || err.code === ErrorCode.ApiKeyRevoked)) {
        await this.failures.failed('api-key', err.code === ErrorCode.ApiKeyRevoked ? 'revoked' : /expired/.test(err.message) ? 'expired' : 'invalid', req.ip, credential);
      }
      throw err;
    });
    bindCaller(req, { kind: 'api-key', tenantId: key.tenantId, actor: { kind: 'api-key', id: key.keyId, partnerId: key.partnerId }, tracker: `partner:${key.tenantId}:${key.partnerId}` });
    return true;
  }
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
