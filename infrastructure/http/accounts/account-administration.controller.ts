import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AdministerAccountCommand, type AccountAdministration, type AdministrationOutcome } from '../../../application/accounts/account-administration';
import { actorOf } from '../auth/auth.guard';
import { Requires } from '../auth/permission.decorator';
import { CommandGateway } from '../command-gateway';
import { parseInput } from '../validation/parse-input';
import { AccountIdParam, DisableAccountBody, NoFieldsBody } from './account-administration.schemas';

/**
 * An admin's actions on the accounts it administers (issue 11): who may act on whom follows delegation, and
 * only inside the admin's region. Each is an event on the account's stream, so it is in the audit log.
 */
@ApiTags('accounts')
@ApiBearerAuth()
@Controller('api/v1/accounts')
export class AccountAdministrationController {
  constructor(private readonly commands: CommandGateway) {}

  @Post(':accountId/disable')
  @HttpCode(200)
  @Requires('account.create')
  @ApiOperation({ summary: 'Disable an account: sign-in refused and every token revoked at once (the next request with it is 401)' })
  disable(@Req() req: Request, @Param('accountId') accountId: string, @Body() body: unknown) {
    const { reason } = parseInput(DisableAccountBody, body ?? {});
    return this.run(req, accountId, 'disable', reason);
  }

  @Post(':accountId/enable')
  @HttpCode(200)
  @Requires('account.create')
  @ApiOperation({ summary: 'Enable a disabled account again (its old tokens stay revoked)' })
  enable(@Req() req: Request, @Param('accountId') accountId: string, @Body() body: unknown) {
    parseInput(NoFieldsBody, body ?? {});
    return this.run(req, accountId, 'enable');
  }

  @Post(':accountId/unlock')
  @HttpCode(200)
  @Requires('account.create')
  @ApiOperation({ summary: 'Lift every address lock of an account (after failed sign-ins or password changes)' })
  unlock(@Req() req: Request, @Param('accountId') accountId: string, @Body() body: unknown) {
    parseInput(NoFieldsBody, body ?? {});
    return this.run(req, accountId, 'unlock');
  }

  @Post(':accountId/reset-password')
  @HttpCode(200)
  @Requires('account.create')
  @ApiOperation({
    summary: 'Set a one-time password (shown once, in temporaryPassword), revoke every token and lift the locks; the owner must change it at next sign-in',
  })
  resetPassword(@Req() req: Request, @Param('accountId') accountId: string, @Body() body: unknown) {
    parseInput(NoFieldsBody, body ?? {});
    return this.run(req, accountId, 'reset-password');
  }

  private run(req: Request, accountId: string, action: AccountAdministration, reason?: string) {
    parseInput(AccountIdParam, accountId, 'accountId');
    return this.commands.execute<AdministrationOutcome>(new AdministerAccountCommand({ accountId, action, ...(reason ? { reason } : {}) }, { ...this.commands.meta(req), actor: actorOf(req) }));
  }
}
