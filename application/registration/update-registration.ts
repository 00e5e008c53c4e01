import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decider, entityStreamId, type Base, type RegistrationChanges } from '../../domain/registration';
import { NotFoundError } from '../../domain/shared/errors';
import { CLOCK, type Clock } from '../ports/clock';
import type { Ledger } from '../ledger/ledger';
import { runCommand, type CommandOutcome } from '../ledger/run-command';
import { assertActsFor } from '../shared/acting-for';
import { LedgerCommand } from '../shared/command-base';
import { LEDGER, LEDGER_SETTINGS, type LedgerSettings } from '../shared/settings';

export class UpdateRegistrationCommand extends LedgerCommand<{ entityId: string; changes: RegistrationChanges }> {}
export class AddBaseCommand extends LedgerCommand<{ entityId: string; base: Omit<Base, 'baseId'> & { baseId?: string } }> {}

@CommandHandler(UpdateRegistrationCommand)
export class UpdateRegistrationHandler implements ICommandHandler<UpdateRegistrationCommand, CommandOutcome<{ entityId: string }>> {
  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LEDGER_SETTINGS) private readonly settings: LedgerSettings,
  ) {}

  execute({ input, meta }: UpdateRegistrationCommand) {
    return runCommand(
      this.ledger,
      meta,
      async () => {
        const stream = await this.ledger.load(entityStreamId(input.entityId), decider);
        if (stream.state.status === 'none') throw new NotFoundError('entity', input.entityId);
        assertActsFor(meta.actor, input.entityId, 'update its registration', stream.state.regionCode);
        const events = decider.decide({ type: 'UpdateRegistration', data: { changes: input.changes } }, stream.state, {
          now: this.clock.now(),
          actor: meta.actor,
          calendar: this.settings.calendar,
        });
        return [{ stream, events }];
      },
      () => ({ entityId: input.entityId }),
    );
  }
}

@CommandHandler(AddBaseCommand)
export class AddBaseHandler implements ICommandHandler<AddBaseCommand, CommandOutcome<{ entityId: string; baseId: string }>> {
  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LEDGER_SETTINGS) private readonly settings: LedgerSettings,
  ) {}

  execute({ input, meta }: AddBaseCommand) {
    return runCommand(
      this.ledger,
      meta,
      async () => {
        const stream = await this.ledger.load(entityStreamId(input.entityId), decider);
        if (stream.state.status === 'none') throw new NotFoundError('entity', input.entityId);
        assertActsFor(meta.actor, input.entityId, 'add a base', stream.state.regionCode);
        const base = { ...input.base, baseId: input.base.baseId ?? `B${stream.state.bases.length + 1}` };
        const events = decider.decide({ type: 'AddBase', data: { base } }, stream.state, {
          now: this.clock.now(),
          actor: meta.actor,
          calendar: this.settings.calendar,
        });
        return [{ stream, events }];
      },
      (events) => ({ entityId: input.entityId, baseId: (events[0]!.data as { base: Base }).base.baseId }),
    );
  }
}
