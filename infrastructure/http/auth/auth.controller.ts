import { Body, Controller, Get, HttpCode, Inject, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import type { Request } from 'express';
import { ChangePasswordCommand, CreateAccountCommand, LoginCommand, type PasswordChangeOutcome, type SignedIn } from '../../../application/accounts/accounts';
import { READ_MODELS, type ReadModels } from '../../../application/ports/read-models';
import type { Filter } from '../../../application/ports/read-store';
import { listScope } from '../../../application/access';
import { CommandGateway } from '../command-gateway';
import { pagedFind } from '../validation/page-params';
import { parseInput } from '../validation/parse-input';
import { actorOf, sourceOf } from './auth.guard';
import { signedInActorOf } from './request-identity';
import { ChangePasswordBody, CreateAccountBody, LoginBody } from './auth.schemas';
import { AllowedBeforePasswordChange, Public, Requires } from './permission.decorator';
import { TOKEN_SERVICE, type TokenService } from './token-service';

@ApiTags('accounts')
@ApiBearerAuth()
@Controller('api/v1')
export class AuthController {
  constructor(
    private readonly commands: CommandGateway,
    @Inject(TOKEN_SERVICE) private readonly tokens: TokenService,
    @Inject(READ_MODELS) private readonly models: ReadModels,
  ) {}

  @Post('auth/login')
  @HttpCode(200)
  @Public()
  @Throttle({ login: {} })
  @ApiOperation({
    summary:
      'Sign in → bearer token with expiry. Repeated failures from one address lock that address out of the account for a growing time (423, details.until); attempts are rate-limited (429). With account.mustChangePassword the token opens only /auth/password and /auth/me.',
  })
  async login(@Req() req: Request, @Body() body: unknown) {
    const { username, password } = parseInput(LoginBody, body);
    const meta = { ...this.commands.meta(req), actor: { userId: `login:${username}`, orgId: 'public', role: 'consumer' as const, regionCode: '' } };
    const signedIn = await this.commands.execute<SignedIn>(new LoginCommand({ username, password, source: sourceOf(req) }, meta));
    const { position: _p, duplicate: _d, tokenVersion, ...view } = signedIn;
    return { ...this.tokens.issue(view, tokenVersion), account: view };
  }

  @Get('auth/me')
  @Requires('trace.public')
  @AllowedBeforePasswordChange()
  @ApiOperation({ summary: 'Who the token belongs to' })
  me(@Req() req: Request) {
    return actorOf(req);
  }

  @Post('auth/password')
  @HttpCode(200)
  @Requires('trace.public')
  @AllowedBeforePasswordChange()
  @ApiOperation({
    summary:
      'Change your password (password rules apply). Every token issued before is revoked: the answer carries a new one. A wrong current password counts towards the lockout like a failed sign-in (401, then 423).',
  })
  async changePassword(@Req() req: Request, @Body() body: unknown) {
    const { currentPassword, newPassword } = parseInput(ChangePasswordBody, body);
    const changed = await this.commands.execute<PasswordChangeOutcome>(
      new ChangePasswordCommand({ accountId: signedInActorOf(req).userId, currentPassword, newPassword, source: sourceOf(req) }, this.commands.meta(req)),
    );
    return { accountId: changed.accountId, ...this.tokens.issue(changed.account, changed.tokenVersion), account: changed.account, position: changed.position, duplicate: changed.duplicate };
  }

  @Post('accounts')
  @Requires('account.create')
  @ApiOperation({ summary: 'Delegated account creation: each level creates the admins of the level below and its own staff, inside its region' })
  async create(@Req() req: Request, @Body() body: unknown) {
    const { commandId: _c, orgName, ...input } = parseInput(CreateAccountBody, body);
    const actor = actorOf(req);
    return this.commands.execute(
      new CreateAccountCommand({ ...input, orgName, orgId: `org-${input.role}-${input.regionCode || 'national'}-${orgName}` }, { ...this.commands.meta(req), actor }),
    );
  }

  @Get('accounts')
  @Requires('account.read')
  @ApiOperation({ summary: 'Accounts inside your region' })
  async list(@Req() req: Request, @Query() query: Record<string, string>) {
    const filter: Filter = listScope(actorOf(req), 'accounts', query.region);
    return pagedFind(this.models, 'accounts', filter, { createdAt: -1 }, query);
  }
}
