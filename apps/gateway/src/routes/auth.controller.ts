import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccessSessionDto, ErrorCode, parseCredential, SessionResponse, StewardError, Subjects } from '@steward/contracts';
import type { RpcClient } from '@steward/messaging';
import { Public } from '../auth/access';
import { AuthFailures, emailRef } from '../auth/auth-failures';
import type { IdentityFeed } from '../auth/identity-feed';
import type { AccessTokens } from '../auth/jwt';
import { Returns } from '../openapi/returns';
import { IDENTITY, RPC, TOKENS } from '../tokens';
import { LoginBody, RefreshBody } from './dtos';

@ApiTags('auth')
@Controller('v1/auth')
export class AuthController {
  constructor(
    @Inject(RPC) private readonly rpc: RpcClient,
    @Inject(TOKENS) private readonly tokens: AccessTokens,
    @Inject(IDENTITY) private readonly identity: IdentityFeed,
    private readonly failures: AuthFailures,
  ) {}

  @Post('login')
  @HttpCode(200)
  @Public()
  @ApiOperation({ operationId: 'login', summary: 'Log in with e-mail and password; returns a short-lived access token and a refresh token (failed attempts are throttled per address and per e-mail: 429)' })
  @Returns(AccessSessionDto, { errors: [401] })
  async login(@Body() body: LoginBody, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const credential = { id: emailRef(body.email), field: 'email' };
    // Every replica's counts, before any password hash is computed.
    await this.failures.guard(reply, 'password', req.ip, credential, { fresh: true });
    const session = await this.rpc.request(Subjects.accounts.authLogin, body).catch(async (err: unknown) => {
      if (err instanceof StewardError && err.code === ErrorCode.InvalidCredentials) await this.failures.failed('password', 'wrong-email-or-password', req.ip, credential);
      throw err;
    });
    return this.session(session);
  }

  @Post('refresh')
  @HttpCode(200)
  @Public()
  @ApiOperation({ operationId: 'refreshSession', summary: 'Exchange a refresh token for a new access token (the refresh token rotates; presenting a used one ends its session)' })
  @Returns(AccessSessionDto, { errors: [401] })
  async refresh(@Body() body: RefreshBody, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const parsed = parseCredential('rt', body.refreshToken);
    const credential = parsed ? { id: `rt:${parsed.id}`, field: 'refreshToken' } : undefined;
    await this.failures.guard(reply, 'refresh-token', req.ip, credential, { fresh: true });
    if (!parsed) {
      await this.failures.failed('refresh-token', 'malformed', req.ip);
      throw new StewardError(ErrorCode.Unauthenticated, 'The refresh token is invalid or expired');
    }
    const session = await this.rpc.request(Subjects.accounts.authRefresh, body).catch(async (err: unknown) => {
      if (err instanceof StewardError && err.code === ErrorCode.Unauthenticated) await this.failures.failed('refresh-token', 'invalid-expired-or-reused', req.ip, credential);
      throw err;
    });
    return this.session(session);
  }

  @Post('logout')
  @HttpCode(200)
  @Public()
  @ApiOperation({ operationId: 'logout', summary: 'End the session of a refresh token (every token rotated from the same login is revoked)' })
  @Returns(Subjects.accounts.authLogout)
  logout(@Body() body: RefreshBody) {
    return this.rpc.request(Subjects.accounts.authLogout, body);
  }

  private async session(s: SessionResponse): Promise<AccessSessionDto> {
    // The freshest state of this user: the read model of stale roles learns it here too.
    this.identity.applyUser(s.user);
    const accessToken = await this.tokens.sign({ userId: s.user.id, tenantId: s.tenant.id, role: s.user.role });
    return { accessToken, tokenType: 'Bearer' as const, expiresIn: this.tokens.ttlSeconds, refreshToken: s.refreshToken, refreshExpiresAt: s.refreshExpiresAt, user: s.user, tenant: s.tenant };
  }
}
