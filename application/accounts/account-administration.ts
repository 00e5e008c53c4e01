import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { accountStreamId, decider, mayAdminister, type AccountCommand, type AccountState } from '../../domain/accounts';
import { accountResource, assertAllowed } from '../access';
import type { Actor } from '../../domain/shared/actor';
import { NotFoundError } from '../../domain/shared/errors';
import { CLOCK, ID_GENERATOR, type Clock, type IdGenerator } from '../ports/clock';
import { PASSWORD_HASHER, type PasswordHasher } from '../ports/password-hasher';
import type { Ledger } from '../ledger/ledger';
import { runCommand, type CommandOutcome } from '../ledger/run-command';
import { LedgerCommand } from '../shared/command-base';
import { LEDGER } from '../shared/settings';
import { accountView, type AccountView } from './accounts';
import { ACCOUNT_CREDENTIALS, type AccountCredentials } from './credentials';

/**
 * An admin's actions on another account (issue 11): disable, enable, unlock, reset the password. Who may act
 * on whom follows delegation (domain/accounts/delegation.ts); where, follows the region scope.
 */
export type AccountAdministration = 'disable' | 'enable' | 'unlock' | 'reset-password';
export class AdministerAccountCommand extends LedgerCommand<{ accountId: string; action: AccountAdministration; reason?: string }> {}

export interface AdministrationOutcome {
  account: AccountView & { status: AccountState['status'] };
  /** reset-password only, on the first answer only: the one-time password to hand to the owner. */
  temporaryPassword?: string;
}

/** The region part of "may this admin administer this account": the access policy's (admins act on accounts in their region subtree). */
export function assertMayAdministerAccountIn(actor: Actor, target: AccountState): void {
  assertAllowed(actor, 'act', accountResource(target));
}

function commandFor(action: AccountAdministration, reason: string | undefined): AccountCommand {
  switch (action) {
    case 'disable':
      return { type: 'DisableAccount', data: { reason: reason ?? '' } };
    case 'enable':
      return { type: 'EnableAccount', data: {} };
    case 'unlock':
      return { type: 'UnlockAccount', data: {} };
    case 'reset-password':
      return { type: 'ResetPassword', data: {} };
  }
}

/**
 * The credential store is written before the event (decision 0011): a disable revokes every token first, so
 * when the admin gets the answer the account is out at once (a crash before the event leaves the tokens
 * revoked and the account active: the admin sees it active and disables again); a reset stores the one-time
 * password first (a crash leaves the owner's old password replaced, never the old one still valid).
 */
@CommandHandler(AdministerAccountCommand)
export class AdministerAccountHandler implements ICommandHandler<AdministerAccountCommand, CommandOutcome<AdministrationOutcome>> {
  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(PASSWORD_HASHER) private readonly hasher: PasswordHasher,
    @Inject(ACCOUNT_CREDENTIALS) private readonly credentials: AccountCredentials,
  ) {}

  async execute({ input, meta }: AdministerAccountCommand) {
    let temporaryPassword: string | undefined;
    let credentialWritten = false;
    const outcome = await runCommand(
      this.ledger,
      meta,
      async () => {
        const stream = await this.ledger.load(accountStreamId(input.accountId), decider);
        if (stream.state.status === 'none') throw new NotFoundError('account', input.accountId);
        assertMayAdministerAccountIn(meta.actor, stream.state);
        mayAdminister(meta.actor, { role: stream.state.role, accountId: stream.state.accountId });
        const events = decider.decide(commandFor(input.action, input.reason), stream.state, { now: this.clock.now(), actor: meta.actor });
        if (events.length > 0 && !credentialWritten) {
          if (input.action === 'disable') await this.credentials.revokeTokens(input.accountId);
          if (input.action === 'reset-password') {
            temporaryPassword = `${this.ids.randomBase32(6)}-${this.ids.randomBase32(6)}-rs`;
            await this.credentials.setPassword(input.accountId, await this.hasher.hash(temporaryPassword));
          }
          credentialWritten = true;
        }
        return [{ stream, events }];
      },
      (events) => events,
    );
    const state = (await this.ledger.load(accountStreamId(input.accountId), decider)).state;
    const result: AdministrationOutcome = { account: { ...accountView(state), status: state.status }, ...(temporaryPassword && !outcome.duplicate ? { temporaryPassword } : {}) };
    return { result, position: outcome.position, duplicate: outcome.duplicate };
  }
}
