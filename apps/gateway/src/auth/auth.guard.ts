import { timingSafeEqual } from 'node:crypto';
import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ErrorCode, StewardError, Subjects } from '@steward/contracts';
import type { RpcClient } from '@steward/messaging';
import { bindCaller } from '../http/request-context';
import { ACCESS, AccessRule } from './access';
import type { AccessTokens } from './jwt';
import { GATEWAY_CONFIG, RPC, TOKENS } from '../tokens';
import type { GatewayConfig } from '../config';

const unauthenticated = (message: string) => new StewardError(ErrorCode.Unauthenticated, message);

/**
 * Authenticates the credential the route accepts and binds tenant and actor to the
 * request context. The tenant always comes from the credential, never from the body or
 * the path. Partner keys are refused on user routes and vice versa.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKENS) private readonly tokens: AccessTokens,
    @Inject(RPC) private readonly rpc: RpcClient,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS, [context.getHandler(), context.getClass()]);
    const req = context.switchToHttp().getRequest<FastifyRequest>();
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
        if (!bearer || !safeEqual(bearer, expected)) throw unauthenticated('The operator token is missing or wrong');
        bindCaller(req, { kind: 'operator', actor: { kind: 'operator', id: 'operator' }, tracker: 'operator' });
        return true;
      }
      case 'users': {
        if (!bearer && apiKey && rule.partners) return this.partner(req, apiKey);
        if (!bearer) throw unauthenticated(apiKey ? 'Partner API keys cannot use this route: it needs a user access token' : 'Send an access token: Authorization: Bearer <token>');
        const claims = await this.tokens.verify(bearer);
        bindCaller(req, { kind: 'user', tenantId: claims.tenantId, actor: { kind: 'user', id: claims.userId, role: claims.role }, tracker: `tenant:${claims.tenantId}` });
        if (!rule.roles.includes(claims.role)) throw new StewardError(ErrorCode.Forbidden, `Requires one of the roles: ${rule.roles.join(', ')}`);
        return true;
      }
      case 'partners': {
        if (!apiKey) throw unauthenticated(bearer ? 'This route is for partner API keys: send X-Api-Key' : 'Send a partner API key: X-Api-Key: <key>');
        return this.partner(req, apiKey);
      }
    }
  }

  private async partner(req: FastifyRequest, apiKey: string): Promise<boolean> {
    const key = await this.rpc.request(Subjects.accounts.apiKeyVerify, { key: apiKey });
    bindCaller(req, { kind: 'api-key', tenantId: key.tenantId, actor: { kind: 'api-key', id: key.keyId, partnerId: key.partnerId }, tracker: `api-key:${key.keyId}` });
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
