import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { SessionResponse, Subjects } from '@steward/contracts';
import type { RpcClient } from '@steward/messaging';
import { Public } from '../auth/access';
import type { AccessTokens } from '../auth/jwt';
import { RPC, TOKENS } from '../tokens';
import { LoginBody, RefreshBody } from './dtos';

@ApiTags('auth')
@Controller('v1/auth')
export class AuthController {
  constructor(
    @Inject(RPC) private readonly rpc: RpcClient,
    @Inject(TOKENS) private readonly tokens: AccessTokens,
  ) {}

  @Post('login')
  @HttpCode(200)
  @Public()
  @ApiOperation({ summary: 'Log in with e-mail and password; returns a short-lived access token and a refresh token' })
  async login(@Body() body: LoginBody) {
    return this.session(await this.rpc.request(Subjects.accounts.authLogin, body));
  }

  @Post('refresh')
  @HttpCode(200)
  @Public()
  @ApiOperation({ summary: 'Exchange a refresh token for a new access token (the refresh token rotates)' })
  async refresh(@Body() body: RefreshBody) {
    return this.session(await this.rpc.request(Subjects.accounts.authRefresh, body));
  }

  @Post('logout')
  @HttpCode(200)
  @Public()
  @ApiOperation({ summary: 'Revoke a refresh token' })
  logout(@Body() body: RefreshBody) {
    return this.rpc.request(Subjects.accounts.authLogout, body);
  }

  private async session(s: SessionResponse) {
    const accessToken = await this.tokens.sign({ userId: s.user.id, tenantId: s.tenant.id, role: s.user.role });
    return { accessToken, tokenType: 'Bearer', expiresIn: this.tokens.ttlSeconds, refreshToken: s.refreshToken, refreshExpiresAt: s.refreshExpiresAt, user: s.user, tenant: s.tenant };
  }
}
