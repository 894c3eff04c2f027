import { timingSafeEqual } from 'node:crypto';
import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiKeyScope, ErrorCode, parseCredential, StewardError, VerifiedApiKey } from '@steward/contracts';
import { bindCaller } from '../http/request-context';
import { routeLabelOf } from '../http/route-label';
import { ACCESS, AccessRule, API_KEY_SCOPE, requiredScope } from './access';
import type { ApiKeyVerifier } from './api-keys';
import { AuthFailures } from './auth-failures';
import type { IdentityFeed } from './identity-feed';
import type { AccessClaims, AccessTokens } from './jwt';
import { API_KEYS, GATEWAY_CONFIG, IDENTITY, TOKENS } from '../tokens';
import type { GatewayConfig } from '../config';

const unauthenticated = (message: string) => new StewardError(ErrorCode.Unauthenticated, message);
/** A valid credential that may not do this: 403, naming what is missing. */
const forbidden = (field: string, rule: string, message: string) => new StewardError(ErrorCode.Forbidden, message, { errors: [{ field, rule, message }] });
const USER_ROUTE = 'This route is for portal users (Authorization: Bearer <access token>)';

/**
 * Authenticates the credential the route accepts and binds tenant and actor to the
 * request context. The tenant always comes from the credential, never from the body or
 * the path.
 *
 * 401 only when no valid credential was given (missing, malformed, wrong, expired,
 * revoked, or a token whose user was since deactivated or given another role). A valid
 * credential that may not use the route gets 403 naming why: the wrong kind (a partner key
 * on a user route, a user token on a partner or operator route, the operator token
 * anywhere but the operator routes), a role the route does not admit, or an API key
 * without the scope the method needs (`read` for GET/HEAD, `write` for the rest, or the
 * route's own: access.ts). A 403 is not a failed authentication: it is not throttled.
 *
 * Failed attempts are throttled per client address and per credential (AuthFailures); a
 * valid access token of a user who was since deactivated or given another role is refused
 * (IdentityFeed: a Map lookup, no round trip); API keys are verified by accounts once and
 * then remembered with their scopes and expiry (ApiKeyVerifier), refused ones too.
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
    const targets = [context.getHandler(), context.getClass()];
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS, targets);
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
        if (bearer && safeEqual(bearer, expected)) {
          bindCaller(req, { kind: 'operator', actor: { kind: 'operator', id: 'operator' }, tracker: 'operator' });
          return true;
        }
        // A valid user token or partner key is the wrong kind of credential here, not a wrong one.
        if (bearer && (await this.tokens.verify(bearer).then(() => true, () => false))) {
          throw forbidden('authorization', 'credential-kind', 'This route is for the platform operator: a user access token cannot use it');
        }
        if (!bearer && apiKey) {
          await this.partner(req, reply, apiKey);
          throw forbidden('x-api-key', 'credential-kind', 'This route is for the platform operator: partner API keys cannot use it');
        }
        await this.failures.failed('operator-token', bearer ? 'wrong' : 'missing', req.ip);
        throw unauthenticated('The operator token is missing or wrong');
      }
      case 'users': {
        if (bearer) {
          const claims = await this.user(req, reply, bearer);
          if (!rule.roles.includes(claims.role)) throw forbidden('(caller)', 'role', `Requires one of the roles: ${rule.roles.join(', ')} (yours: ${claims.role})`);
          return true;
        }
        if (apiKey) {
          const key = await this.partner(req, reply, apiKey);
          if (!rule.partners) throw forbidden('x-api-key', 'credential-kind', `Partner API keys cannot use this route: ${USER_ROUTE}`);
          this.requireScope(req, key, targets);
          return true;
        }
        throw unauthenticated(rule.partners ? 'Send an access token (Authorization: Bearer <token>) or a partner API key (X-Api-Key: <key>)' : 'Send an access token: Authorization: Bearer <token>');
      }
      case 'partners': {
        if (apiKey) {
          const key = await this.partner(req, reply, apiKey);
          this.requireScope(req, key, targets);
          return true;
        }
        if (bearer) {
          await this.user(req, reply, bearer);
          throw forbidden('authorization', 'credential-kind', 'This route is for partner API keys (X-Api-Key: <key>): a user access token cannot use it');
        }
        throw unauthenticated('Send a partner API key: X-Api-Key: <key>');
      }
    }
  }

  /** A valid, current user access token (401 otherwise), bound as the caller. */
  private async user(req: FastifyRequest, reply: FastifyReply, bearer: string): Promise<AccessClaims> {
    const operator = this.config.operatorToken;
    if (operator && safeEqual(bearer, operator)) throw forbidden('authorization', 'credential-kind', 'The operator token opens only the operator routes (POST /v1/tenants)');
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
    return claims;
  }

  /** A valid partner API key (401 otherwise), bound as the caller. */
  private async partner(req: FastifyRequest, reply: FastifyReply, apiKey: string): Promise<VerifiedApiKey> {
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
    return key;
  }

  /** The key must hold the scope this request needs (checked on cached keys too: the scopes are cached with the key). */
  private requireScope(req: FastifyRequest, key: VerifiedApiKey, targets: Parameters<Reflector['getAllAndOverride']>[1]): void {
    const needed = requiredScope(req.method, this.reflector.getAllAndOverride<ApiKeyScope | undefined>(API_KEY_SCOPE, targets));
    if (!key.scopes.includes(needed)) {
      throw forbidden('x-api-key', 'scope', `This API key lacks the '${needed}' scope (it has: ${key.scopes.join(', ') || 'none'}); ${req.method} ${routeLabelOf(req)} needs it`);
    }
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
