import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { createHash, timingSafeEqual } from 'node:crypto';
import { assertAllowed, regionalRecord } from '../access';
import { complaintStreamId, decider, type ComplaintContact, type ComplaintKind } from '../../domain/complaints';
import { NotFoundError, ValidationError } from '../../domain/shared/errors';
import { CLOCK, ID_GENERATOR, type Clock, type IdGenerator } from '../ports/clock';
import { READ_MODELS, type ReadModels } from '../ports/read-models';
import type { Ledger } from '../ledger/ledger';
import { runCommand, type CommandOutcome } from '../ledger/run-command';
import { checkTraceCode } from '../lots/load-lot';
import { loadExisting } from '../quality/decide-on-stream';
import { LedgerCommand } from '../shared/command-base';
import { LEDGER, LEDGER_SETTINGS, type LedgerSettings } from '../shared/settings';

export interface SubmitComplaintInput {
  kind: ComplaintKind;
  traceCode?: string;
  regionCode?: string;
  product?: string;
  content: string;
  contact?: Partial<ComplaintContact>;
}
export class SubmitComplaintCommand extends LedgerCommand<SubmitComplaintInput> {}
export class AnswerComplaintCommand extends LedgerCommand<{ complaintId: string; answer: string; incidentId?: string }> {}

export const receiptHash = (receipt: string) => createHash('sha256').update(receipt, 'utf8').digest('hex');

/** The receipt matches the complaint's (compared as hashes, in constant time). */
export function receiptMatches(receipt: string, sha256: string): boolean {
  const a = Buffer.from(receiptHash(receipt), 'hex');
  const b = Buffer.from(/^[0-9a-f]{64}$/.test(sha256) ? sha256 : '', 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * 12316 留言 / 投诉 from the public. A complaint about a product names its trace code (the consumer page has
 * it) and goes to the supervision of the county where the lot is now; a message without one names its county.
 * The answer is for whoever holds the receipt: it is returned once, here, and only its SHA-256 is kept.
 */
@CommandHandler(SubmitComplaintCommand)
export class SubmitComplaintHandler implements ICommandHandler<SubmitComplaintCommand, CommandOutcome<{ complaintId: string; receipt: string; status: 'open' }>> {
  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(READ_MODELS) private readonly models: ReadModels,
    @Inject(LEDGER_SETTINGS) private readonly settings: LedgerSettings,
  ) {}

  execute({ input, meta }: SubmitComplaintCommand) {
    const receipt = this.ids.randomBase32(24);
    return runCommand(
      this.ledger,
      meta,
      async () => {
        const complaintId = this.ids.uuid();
        const { traceCode, regionCode, product } = await this.placeOf(input);
        const contact = { name: input.contact?.name ?? null, phone: input.contact?.phone ?? null, callBack: input.contact?.callBack === true };
        const data = { complaintId, kind: input.kind, traceCode, product, regionCode, content: input.content, contact, receiptSha256: receiptHash(receipt) };
        return [{ stream: this.ledger.fresh(complaintStreamId(complaintId)), events: decider.decide({ type: 'SubmitComplaint', data }, decider.initialState(), { now: this.clock.now(), actor: meta.actor }) }];
      },
      // A replayed command answers the first response (idempotency), whose receipt is the one kept.
      (events) => ({ complaintId: (events[0]!.data as { complaintId: string }).complaintId, receipt, status: 'open' as const }),
    );
  }

  private async placeOf(input: SubmitComplaintInput): Promise<{ traceCode: string | null; regionCode: string; product: string | null }> {
    if (input.traceCode) {
      const code = checkTraceCode(input.traceCode, this.settings.traceCodeSecret, 'traceCode');
      const lot = await this.models.get('lots', code);
      if (!lot) throw new NotFoundError('lot', code);
      const holder = lot.holder as { regionCode: string };
      return { traceCode: code, regionCode: holder.regionCode, product: (lot.product as string) ?? input.product ?? null };
    }
    if (!input.regionCode) throw new ValidationError('regionCode', 'a message without a trace code names its county (regionCode)');
    return { traceCode: null, regionCode: input.regionCode, product: input.product ?? null };
  }
}

/** The supervision of the complaint's county (and the levels above) answers it; an incident opened from it is named. */
@CommandHandler(AnswerComplaintCommand)
export class AnswerComplaintHandler implements ICommandHandler<AnswerComplaintCommand, CommandOutcome<{ complaintId: string; status: 'answered' }>> {
  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(READ_MODELS) private readonly models: ReadModels,
  ) {}

  execute({ input, meta }: AnswerComplaintCommand) {
    return runCommand(
      this.ledger,
      meta,
      async () => {
        const stream = await loadExisting(this.ledger, complaintStreamId(input.complaintId), decider, 'complaint', input.complaintId);
        assertAllowed(meta.actor, 'act', regionalRecord('complaint', input.complaintId, stream.state.regionCode));
        if (input.incidentId && !(await this.models.get('incidents', input.incidentId))) throw new ValidationError('incidentId', `no incident ${input.incidentId}`, { incidentId: input.incidentId });
        const data = { answer: input.answer, incidentId: input.incidentId ?? null };
        return [{ stream, events: decider.decide({ type: 'AnswerComplaint', data }, stream.state, { now: this.clock.now(), actor: meta.actor }) }];
      },
      () => ({ complaintId: input.complaintId, status: 'answered' as const }),
    );
  }
}
