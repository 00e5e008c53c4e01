import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decider as lotDecider, inheritedHolds, lotStreamId } from '../../domain/lots';
import { regionOfEid } from '../../domain/registration';
import { NotFoundError } from '../../domain/shared/errors';
import { decider as transferDecider, transferStreamId } from '../../domain/transfers';
import { CLOCK, type Clock } from '../ports/clock';
import type { Ledger } from '../ledger/ledger';
import { dataOf, runCommand, type CommandOutcome } from '../ledger/run-command';
import { LedgerCommand } from '../shared/command-base';
import { LEDGER, LEDGER_SETTINGS, type LedgerSettings } from '../shared/settings';
import { mintTraceCode } from '../lots/lot-numbering';
import { assertAllowed, transferResource } from '../access';
import type { Actor } from '../../domain/shared/actor';

export class ConfirmTransferCommand extends LedgerCommand<{ transferId: string }> {}
export class RejectTransferCommand extends LedgerCommand<{ transferId: string; reason: string }> {}

async function loadTransfer(ledger: Ledger, transferId: string, actor: Actor) {
  const stream = await ledger.load(transferStreamId(transferId), transferDecider);
  if (stream.state.status === 'none') throw new NotFoundError('transfer', transferId);
  // Someone who may not even see the transfer learns nothing of it (404), not who its receiver is.
  const s = stream.state;
  const to = (s.to ?? {}) as { entityId?: string; eid?: string };
  assertAllowed(actor, 'read', transferResource({ _id: transferId, _v: 0, fromEntityId: s.fromEntityId, toEntityId: to.entityId ?? null, fromRegion: s.fromEid ? regionOfEid(s.fromEid) : null, toRegion: to.eid ? regionOfEid(to.eid) : null }));
  return stream;
}

/**
 * 扫码交易, downstream side. Confirming closes the transfer, turns the source lot's reservation into a
 * shipment and creates the receiver's child lot with its own trace code — four streams, one append. The
 * child of a lot on hold is born held.
 */
@CommandHandler(ConfirmTransferCommand)
export class ConfirmTransferHandler implements ICommandHandler<ConfirmTransferCommand, CommandOutcome<{ transferId: string; childTraceCode: string; labelUrl: string }>> {
  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LEDGER_SETTINGS) private readonly settings: LedgerSettings,
  ) {}

  execute({ input, meta }: ConfirmTransferCommand) {
    return runCommand(
      this.ledger,
      meta,
      async () => {
        const ctx = { now: this.clock.now(), actor: meta.actor };
        const transfer = await loadTransfer(this.ledger, input.transferId, meta.actor);
        const t = transfer.state;
        const source = await this.ledger.load(lotStreamId(t.fromTraceCode), lotDecider);
        const to = t.to;
        if (!to || to.kind !== 'registered') {
          // Off-ledger shipments are closed at once; let the decider reject the confirmation.
          return [{ stream: transfer, events: transferDecider.decide({ type: 'ConfirmTransfer', data: { childTraceCode: '' } }, t, ctx) }];
        }
        const { traceCode: childTraceCode, write: numbering } = await mintTraceCode(
          this.ledger,
          this.settings.traceCodeSecret,
          { eid: to.eid, regionCode: regionOfEid(to.eid), productionDate: source.state.productionDate },
          ctx,
        );
        const confirmed = transferDecider.decide({ type: 'ConfirmTransfer', data: { childTraceCode } }, t, ctx);
        const committed = lotDecider.decide({ type: 'CommitReservation', data: { transferId: t.transferId } }, source.state, ctx);
        const child = lotDecider.decide(
          {
            type: 'CreateLot',
            data: {
              traceCode: childTraceCode,
              entityId: to.entityId,
              eid: to.eid,
              entityName: to.name,
              product: source.state.product,
              quantity: committed[0] && 'quantity' in committed[0].data ? committed[0].data.quantity : t.quantity,
              productionDate: source.state.productionDate,
              base: source.state.base!,
              origin: { kind: 'transfer', parentTraceCode: source.state.traceCode, transferId: t.transferId },
            },
          },
          lotDecider.initialState(),
          ctx,
        );
        // A pending transfer of a lot put on hold may still be confirmed, but the child is born held: the
        // same holds (ids and owners), so the owner's lifting decision reaches it too.
        let childState = child.reduce(lotDecider.evolve, lotDecider.initialState());
        for (const inherit of inheritedHolds(source.state)) {
          const held = lotDecider.decide(inherit, childState, ctx);
          childState = held.reduce(lotDecider.evolve, childState);
          child.push(...held);
        }
        return [
          { stream: transfer, events: confirmed },
          { stream: source, events: committed },
          numbering,
          { stream: this.ledger.fresh(lotStreamId(childTraceCode)), events: child },
        ];
      },
      (events) => {
        const d = dataOf<{ transferId: string; childTraceCode: string }>(events, 'TransferConfirmed');
        return { transferId: d.transferId, childTraceCode: d.childTraceCode, labelUrl: `${this.settings.publicUrl}/t/${d.childTraceCode}` };
      },
    );
  }
}

/** The receiver refuses the goods: the transfer closes and the reservation returns to the source lot. */
@CommandHandler(RejectTransferCommand)
export class RejectTransferHandler implements ICommandHandler<RejectTransferCommand, CommandOutcome<{ transferId: string; status: 'rejected' }>> {
  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ input, meta }: RejectTransferCommand) {
    return runCommand(
      this.ledger,
      meta,
      async () => {
        const ctx = { now: this.clock.now(), actor: meta.actor };
        const transfer = await loadTransfer(this.ledger, input.transferId, meta.actor);
        const rejected = transferDecider.decide({ type: 'RejectTransfer', data: { reason: input.reason } }, transfer.state, ctx);
        const source = await this.ledger.load(lotStreamId(transfer.state.fromTraceCode), lotDecider);
        const released = lotDecider.decide(
          { type: 'ReleaseReservation', data: { transferId: input.transferId, reason: input.reason } },
          source.state,
          ctx,
        );
        return [
          { stream: transfer, events: rejected },
          { stream: source, events: released },
        ];
      },
      () => ({ transferId: input.transferId, status: 'rejected' as const }),
    );
  }
}
