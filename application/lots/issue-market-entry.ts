import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decider, type Market } from '../../domain/lots';
import type { Quantity } from '../../domain/shared/quantity';
import { CLOCK, ID_GENERATOR, type Clock, type IdGenerator } from '../ports/clock';
import type { Ledger } from '../ledger/ledger';
import { dataOf, runCommand, type CommandOutcome } from '../ledger/run-command';
import { assertActsFor } from '../shared/acting-for';
import { LedgerCommand } from '../shared/command-base';
import { LEDGER, LEDGER_SETTINGS, type LedgerSettings } from '../shared/settings';
import { loadLot } from './load-lot';
import { regionOfEid } from '../../domain/registration';

export class IssueMarketEntryCommand extends LedgerCommand<{ traceCode: string; market: Market; quantity: Quantity }> {}

export interface MarketEntryCertificate {
  certificateNo: string;
  traceCode: string;
  market: Market;
  quantity: Quantity;
  qrPayload: string;
  issuedAt: string;
}

/**
 * 入市追溯凭证 (seed 001): when (part of) a lot enters a wholesale or retail market or a processor, the
 * holder gets a certificate whose QR opens the lot's public trace page with the certificate number.
 */
@CommandHandler(IssueMarketEntryCommand)
export class IssueMarketEntryHandler implements ICommandHandler<IssueMarketEntryCommand, CommandOutcome<MarketEntryCertificate>> {
  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(LEDGER_SETTINGS) private readonly settings: LedgerSettings,
  ) {}

  execute({ input, meta }: IssueMarketEntryCommand) {
    return runCommand(
      this.ledger,
      meta,
      async () => {
        const lot = await loadLot(this.ledger, input.traceCode, this.settings.traceCodeSecret);
        assertActsFor(meta.actor, lot.state.entityId, 'request a market-entry certificate for its lot', regionOfEid(lot.state.eid));
        const now = this.clock.now();
        const day = now.toISOString().slice(0, 10).replace(/-/g, '');
        const certificateNo = `RS${day}${this.ids.randomBase32(8)}`;
        const qrPayload = `${this.settings.publicUrl}/t/${lot.state.traceCode}?cert=${certificateNo}`;
        const events = decider.decide(
          { type: 'IssueMarketEntryCertificate', data: { certificateNo, market: input.market, quantity: input.quantity, qrPayload } },
          lot.state,
          { now, actor: meta.actor },
        );
        return [{ stream: lot, events }];
      },
      (events) => {
        const d = dataOf<{ traceCode: string; certificateNo: string; market: Market; quantity: Quantity; qrPayload: string; certifiedAt: string }>(
          events,
          'MarketEntryCertified',
        );
        return { certificateNo: d.certificateNo, traceCode: d.traceCode, market: d.market, quantity: d.quantity, qrPayload: d.qrPayload, issuedAt: d.certifiedAt };
      },
    );
  }
}
