import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decider as lotDecider, lotStreamId } from '../../domain/lots';
import { decider as entityDecider, entityStreamId } from '../../domain/registration';
import { BusinessRuleError, NotFoundError, ValidationError } from '../../domain/shared/errors';
import type { Quantity } from '../../domain/shared/quantity';
import { CLOCK, type Clock } from '../ports/clock';
import type { Ledger } from '../ledger/ledger';
import { dataOf, runCommand, type CommandOutcome } from '../ledger/run-command';
import { assertActsFor } from '../shared/acting-for';
import { LedgerCommand } from '../shared/command-base';
import { LEDGER, LEDGER_SETTINGS, type LedgerSettings } from '../shared/settings';
import { mintTraceCode } from './lot-numbering';

export interface CreateLotInput {
  entityId: string;
  baseId: string;
  product: string;
  quantity: Quantity;
  productionDate: string;
}
export class CreateLotCommand extends LedgerCommand<CreateLotInput> {}

export interface CreatedLot {
  traceCode: string;
  labelUrl: string;
}

/** A producer records a lot produced at one of its bases; the lot gets its trace code (label). */
@CommandHandler(CreateLotCommand)
export class CreateLotHandler implements ICommandHandler<CreateLotCommand, CommandOutcome<CreatedLot>> {
  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LEDGER_SETTINGS) private readonly settings: LedgerSettings,
  ) {}

  execute({ input, meta }: CreateLotCommand) {
    return runCommand(
      this.ledger,
      meta,
      async () => {
        const ctx = { now: this.clock.now(), actor: meta.actor };
        const entity = await this.ledger.load(entityStreamId(input.entityId), entityDecider);
        if (entity.state.status === 'none') throw new NotFoundError('entity', input.entityId);
        assertActsFor(meta.actor, input.entityId, 'create its lots', entity.state.regionCode);
        if (entity.state.status !== 'approved' || !entity.state.eid)
          throw new BusinessRuleError('ENTITY_NOT_APPROVED', 'only an approved entity (with an e-ID) can create lots', {
            entityId: input.entityId,
            status: entity.state.status,
          });
        const base = entity.state.bases.find((b) => b.baseId === input.baseId);
        if (!base) throw new ValidationError('baseId', `entity ${input.entityId} has no base ${input.baseId}`);
        const { traceCode, write } = await mintTraceCode(
          this.ledger,
          this.settings.traceCodeSecret,
          { eid: entity.state.eid, regionCode: base.regionCode, productionDate: input.productionDate },
          ctx,
        );
        const events = lotDecider.decide(
          {
            type: 'CreateLot',
            data: {
              traceCode,
              entityId: input.entityId,
              eid: entity.state.eid,
              entityName: entity.state.name,
              product: input.product,
              quantity: input.quantity,
              productionDate: input.productionDate,
              base: { baseId: base.baseId, name: base.name, regionCode: base.regionCode, lat: base.lat, lon: base.lon },
              origin: { kind: 'produced' },
            },
          },
          lotDecider.initialState(),
          ctx,
        );
        return [write, { stream: this.ledger.fresh(lotStreamId(traceCode)), events }];
      },
      (events) => {
        const { traceCode } = dataOf<{ traceCode: string }>(events, 'LotCreated');
        return { traceCode, labelUrl: `${this.settings.publicUrl}/t/${traceCode}` };
      },
    );
  }
}
