import { Inject, Optional } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decider, entityStreamId, type ApplyForRegistration } from '../../domain/registration';
import type { Clock, IdGenerator } from '../ports/clock';
import { CLOCK, ID_GENERATOR } from '../ports/clock';
import type { Ledger } from '../ledger/ledger';
import { dataOf, runCommand, type CommandOutcome } from '../ledger/run-command';
import { LedgerCommand } from '../shared/command-base';
import { assertCreditCodeFree } from './credit-code-claim';
import { LEDGER, LEDGER_SETTINGS, type LedgerSettings } from '../shared/settings';
import { BLOB_STORE, type BlobStore } from '../ports/blob-store';
import { attachmentsWrite, type AttachmentRef } from '../attachments/attachments';

type BaseInput = Omit<ApplyForRegistration['data']['bases'][number], 'baseId'> & { baseId?: string };
/** `attachments`: the proof documents (证明材料) for the county's review, uploaded before; kept in their own stream. */
export type ApplyForRegistrationInput = Omit<ApplyForRegistration['data'], 'entityId' | 'bases'> & { bases: BaseInput[]; attachments?: AttachmentRef[] };

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
    @Optional() @Inject(BLOB_STORE) private readonly blobs?: BlobStore,
  ) {}

  execute({ input, meta }: ApplyForRegistrationCommand) {
    return runCommand(
      this.ledger,
      meta,
      async () => {
        const entityId = this.ids.uuid();
        const { attachments, ...application } = input;
        const bases = application.bases.map((b, i) => ({ ...b, baseId: b.baseId ?? `B${i + 1}` }));
        const ctx = { now: this.clock.now(), actor: meta.actor, calendar: this.settings.calendar };
        const events = decider.decide({ type: 'ApplyForRegistration', data: { ...application, entityId, bases } }, decider.initialState(), ctx);
        // Early answer for an enterprise registered already; the claim itself is taken on approval.
        if (input.creditCode) await assertCreditCodeFree(this.ledger, input.creditCode, null);
        const proofs = await attachmentsWrite(this.ledger, this.blobs, { kind: 'entity', id: entityId }, attachments, ctx);
        const applied = { stream: this.ledger.fresh(entityStreamId(entityId)), events };
        return proofs ? [applied, proofs] : [applied];
      },
      (events) => {
        const d = dataOf<{ entityId: string; reviewDeadline: string; bases: { baseId: string }[] }>(events, 'RegistrationApplied');
        return { entityId: d.entityId, status: 'pending' as const, reviewDeadline: d.reviewDeadline, baseIds: d.bases.map((b) => b.baseId) };
      },
    );
  }
}
