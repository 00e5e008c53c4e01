import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decider, entityStreamId, type ApplyForRegistration } from '../../domain/registration';
import type { Clock, IdGenerator } from '../ports/clock';
import { CLOCK, ID_GENERATOR } from '../ports/clock';
import type { Ledger } from '../ledger/ledger';
import { dataOf, runCommand, type CommandOutcome } from '../ledger/run-command';
import { LedgerCommand } from '../shared/command-base';
import { assertCreditCodeFree } from './credit-code-claim';
import { LEDGER, LEDGER_SETTINGS, type LedgerSettings } from '../shared/settings';

type BaseInput = Omit<ApplyForRegistration['data']['bases'][number], 'baseId'> & { baseId?: string };
export type ApplyForRegistrationInput = Omit<ApplyForRegistration['data'], 'entityId' | 'bases'> & { bases: BaseInput[] };

export class ApplyForRegistrationCommand extends LedgerCommand<ApplyForRegistrationInput> {}

export interface RegistrationApplication {
  entityId: string;
  status: 'pending';
  reviewDeadline: string;
  baseIds: string[];
}

@CommandHandler(ApplyForRegistrationCommand)
export class ApplyForRegistrationHandler implements ICommandHandler<ApplyForRegistrationCommand, CommandOutcome<RegistrationApplication>> {
  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(LEDGER_SETTINGS) private readonly settings: LedgerSettings,
  ) {}

  execute({ input, meta }: ApplyForRegistrationCommand) {
    return runCommand(
      this.ledger,
      meta,
      async () => {
        const entityId = this.ids.uuid();
        const bases = input.bases.map((b, i) => ({ ...b, baseId: b.baseId ?? `B${i + 1}` }));
        const events = decider.decide(
          { type: 'ApplyForRegistration', data: { ...input, entityId, bases } },
          decider.initialState(),
          { now: this.clock.now(), actor: meta.actor, calendar: this.settings.calendar },
        );
        // Early answer for an enterprise registered already; the claim itself is taken on approval.
        if (input.creditCode) await assertCreditCodeFree(this.ledger, input.creditCode, null);
        return [{ stream: this.ledger.fresh(entityStreamId(entityId)), events }];
      },
      (events) => {
        const d = dataOf<{ entityId: string; reviewDeadline: string; bases: { baseId: string }[] }>(events, 'RegistrationApplied');
        return { entityId: d.entityId, status: 'pending' as const, reviewDeadline: d.reviewDeadline, baseIds: d.bases.map((b) => b.baseId) };
      },
    );
  }
}
