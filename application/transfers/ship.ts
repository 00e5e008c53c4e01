import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decider as lotDecider, type OffLedgerReceiver } from '../../domain/lots';
import { decider as entityDecider, entityStreamId, isValidEid, normalizeEid, regionOfEid } from '../../domain/registration';
import { BusinessRuleError, NotFoundError, ValidationError } from '../../domain/shared/errors';
import type { Quantity } from '../../domain/shared/quantity';
import { decider as transferDecider, transferStreamId } from '../../domain/transfers';
import { CLOCK, ID_GENERATOR, type Clock, type IdGenerator } from '../ports/clock';
import type { Ledger } from '../ledger/ledger';
import { runCommand, type CommandOutcome } from '../ledger/run-command';
import { claimStreamId, type UniqueValueClaimed } from '../ledger/unique-claim';
import { assertActsFor } from '../shared/acting-for';
import { LedgerCommand } from '../shared/command-base';
import { LEDGER, LEDGER_SETTINGS, type LedgerSettings } from '../shared/settings';
import { loadLot } from '../lots/load-lot';

export type ShipTo = { kind: 'registered'; eid: string } | ({ kind: 'unregistered' } & OffLedgerReceiver);
export class ShipCommand extends LedgerCommand<{ fromTraceCode: string; quantity: Quantity; to: ShipTo }> {}

export interface Shipment {
  transferId: string;
  status: 'pending' | 'closed';
  fromTraceCode: string;
}

/**
 * 扫码交易, upstream side. To a registered entity: the quantity is reserved on the lot and a pending
 * transfer opened, in one append (the lot's expected revision makes concurrent shipments from one lot
 * queue up, so it never ships more than it holds). To an unregistered party: recorded by hand, deducted
 * at once, and the chain ends there.
 */
@CommandHandler(ShipCommand)
export class ShipHandler implements ICommandHandler<ShipCommand, CommandOutcome<Shipment>> {
  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(LEDGER_SETTINGS) private readonly settings: LedgerSettings,
  ) {}

  execute({ input, meta }: ShipCommand) {
    return runCommand(
      this.ledger,
      meta,
      async () => {
        const ctx = { now: this.clock.now(), actor: meta.actor };
        const lot = await loadLot(this.ledger, input.fromTraceCode, this.settings.traceCodeSecret, 'fromTraceCode');
        assertActsFor(meta.actor, lot.state.entityId, 'ship from its lot', regionOfEid(lot.state.eid));
        const transferId = this.ids.uuid();
        const transfer = this.ledger.fresh(transferStreamId(transferId));
        const from = { transferId, fromTraceCode: lot.state.traceCode, fromEntityId: lot.state.entityId, quantity: input.quantity };

        if (input.to.kind === 'unregistered') {
          const { kind: _kind, ...receiver } = input.to;
          return [
            { stream: lot, events: lotDecider.decide({ type: 'ShipOffLedger', data: { shipmentId: transferId, quantity: input.quantity, receiver } }, lot.state, ctx) },
            { stream: transfer, events: transferDecider.decide({ type: 'RecordOffLedgerShipment', data: { ...from, receiver } }, transferDecider.initialState(), ctx) },
          ];
        }

        const receiver = await this.resolveEid(input.to.eid);
        const initiated = transferDecider.decide(
          {
            type: 'InitiateTransfer',
            data: { ...from, fromEid: lot.state.eid, product: lot.state.product, to: { kind: 'registered', ...receiver } },
          },
          transferDecider.initialState(),
          ctx,
        );
        const reserved = lotDecider.decide({ type: 'ReserveQuantity', data: { transferId, quantity: input.quantity } }, lot.state, ctx);
        return [
          { stream: lot, events: reserved },
          { stream: transfer, events: initiated },
        ];
      },
      (events) => {
        const t = events.find((e) => e.streamId.startsWith('transfer-'))!;
        const d = t.data as { transferId: string; fromTraceCode: string };
        return { transferId: d.transferId, status: t.type === 'TransferInitiated' ? ('pending' as const) : ('closed' as const), fromTraceCode: d.fromTraceCode };
      },
    );
  }

  /** The e-ID's owner, from its uniqueness claim in the ledger (not an eventually-consistent read model). */
  private async resolveEid(input: string): Promise<{ entityId: string; eid: string; name: string }> {
    const eid = normalizeEid(input);
    if (!isValidEid(eid)) throw new ValidationError('to.eid', 'to.eid: not a valid e-ID (check character mismatch)');
    const [claimed] = await this.ledger.store.readStream(claimStreamId('eid', eid), { maxCount: 1 });
    if (!claimed) throw new NotFoundError('entity with e-ID', eid);
    const { ownerId } = (claimed as unknown as UniqueValueClaimed).data;
    const entity = await this.ledger.load(entityStreamId(ownerId), entityDecider);
    if (entity.state.status !== 'approved')
      throw new BusinessRuleError('RECEIVER_NOT_APPROVED', 'the receiving entity is not approved', { eid, status: entity.state.status });
    return { entityId: ownerId, eid, name: entity.state.name };
  }
}
