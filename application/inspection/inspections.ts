import { Inject, Optional } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { assertAllowed, inspectionStateResource, regionalRecord, regionResource } from '../access';
import { decider, inspectionStreamId, type Finding, type InspectedSubject, type Inspector } from '../../domain/inspection';
import { decider as entityDecider, entityStreamId, isValidEid, normalizeEid } from '../../domain/registration';
import { NotFoundError, ValidationError } from '../../domain/shared/errors';
import { CLOCK, ID_GENERATOR, type Clock, type IdGenerator } from '../ports/clock';
import type { Ledger } from '../ledger/ledger';
import { dataOf, runCommand, type CommandOutcome } from '../ledger/run-command';
import { claimStreamId, type UniqueValueClaimed } from '../ledger/unique-claim';
import { openCaseWrite } from '../enforcement/cases';
import { decideFresh, loadExisting } from '../quality/decide-on-stream';
import { LedgerCommand } from '../shared/command-base';
import { LEDGER } from '../shared/settings';
import { BLOB_STORE, type BlobStore } from '../ports/blob-store';
import { attachmentsWrite, type AttachmentRef } from '../attachments/attachments';

export class PublishInspectionCommand extends LedgerCommand<{ title: string; regionCode: string; inspectors: Inspector[]; dueDate: string; plan?: string; targets?: string[]; publisherName?: string }> {}
export type InspectionSubjectInput = { kind: 'registered'; eid: string } | Extract<InspectedSubject, { kind: 'unregistered' }>;
export class RecordInspectionCommand extends LedgerCommand<{
  inspectionId: string;
  subject: InspectionSubjectInput;
  visitedAt: string;
  checklist?: { item: string; ok: boolean; note?: string }[];
  findings: Finding[];
  conclusion: string;
  guidedToRegister?: boolean;
  /** Photos, video, documents of the visit (uploaded before; the ledger keeps their SHA-256). */
  attachments?: AttachmentRef[];
}> {}
export class ReferInspectionCommand extends LedgerCommand<{ inspectionId: string; recordId: string; note?: string }> {}
export class CompleteInspectionCommand extends LedgerCommand<{ inspectionId: string; summary: string }> {}

const load = (ledger: Ledger, id: string) => loadExisting(ledger, inspectionStreamId(id), decider, 'inspection task', id);

/** 第四条: an agency publishes an inspection task (巡查计划) to its inspectors. */
@CommandHandler(PublishInspectionCommand)
export class PublishInspectionHandler implements ICommandHandler<PublishInspectionCommand, CommandOutcome<{ inspectionId: string }>> {
  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  execute({ input, meta }: PublishInspectionCommand) {
    return runCommand(
      this.ledger,
      meta,
      async () => {
        assertAllowed(meta.actor, 'act', regionResource(input.regionCode));
        const inspectionId = this.ids.uuid();
        const { publisherName, ...rest } = input;
        return decideFresh(this.ledger, inspectionStreamId(inspectionId), decider, { type: 'PublishInspectionTask', data: { ...rest, inspectionId, publisher: { orgId: meta.actor.orgId, name: publisherName ?? meta.actor.orgId } } }, { now: this.clock.now(), actor: meta.actor });
      },
      (events) => ({ inspectionId: dataOf<{ inspectionId: string }>(events, 'InspectionTaskPublished').inspectionId }),
    );
  }
}

/**
 * 第六条: a visit, recorded by scanning the entity's e-ID (the entity's registration fills in who it is)
 * or by hand for an unregistered one. Who may record is the policy's: an inspector the task names (the
 * publisher's delegation, anywhere in the task's region — the decider keeps the subject there), the
 * publisher, and supervision whose region covers the task's; anyone else is refused before anything is read.
 */
@CommandHandler(RecordInspectionCommand)
export class RecordInspectionHandler implements ICommandHandler<RecordInspectionCommand, CommandOutcome<{ inspectionId: string; recordId: string }>> {
  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Optional() @Inject(BLOB_STORE) private readonly blobs?: BlobStore,
  ) {}

  execute({ input, meta }: RecordInspectionCommand) {
    return runCommand(
      this.ledger,
      meta,
      async () => {
        const task = await load(this.ledger, input.inspectionId);
        assertAllowed(meta.actor, 'act', inspectionStateResource(task.state));
        const subject = input.subject.kind === 'registered' ? await this.byEid(input.subject.eid) : input.subject;
        const { inspectionId: _i, subject: _s, attachments, ...rest } = input;
        const recordId = this.ids.uuid();
        const ctx = { now: this.clock.now(), actor: meta.actor };
        const recorded = { stream: task, events: decider.decide({ type: 'RecordInspection', data: { ...rest, recordId, subject } }, task.state, ctx) };
        const attached = await attachmentsWrite(this.ledger, this.blobs, { kind: 'inspection-record', id: recordId, inspectionId: input.inspectionId }, attachments, ctx);
        return attached ? [recorded, attached] : [recorded];
      },
      (events) => ({ inspectionId: input.inspectionId, recordId: dataOf<{ recordId: string }>(events, 'InspectionRecorded').recordId }),
    );
  }

  /** The e-ID's owner, from its uniqueness claim in the ledger. */
  private async byEid(input: string): Promise<InspectedSubject> {
    const eid = normalizeEid(input);
    if (!isValidEid(eid)) throw new ValidationError('subject.eid', 'subject.eid: not a valid e-ID (check character mismatch)');
    const [claimed] = await this.ledger.store.readStream(claimStreamId('eid', eid), { maxCount: 1 });
    if (!claimed) throw new NotFoundError('entity with e-ID', eid);
    const { ownerId } = (claimed as unknown as UniqueValueClaimed).data;
    const entity = await this.ledger.load(entityStreamId(ownerId), entityDecider);
    return { kind: 'registered', entityId: ownerId, eid, name: entity.state.name, regionCode: entity.state.regionCode };
  }
}

/** 第七条: findings go to the enforcement agency — the case opens in the same append as the referral (who may: as for recording). */
@CommandHandler(ReferInspectionCommand)
export class ReferInspectionHandler implements ICommandHandler<ReferInspectionCommand, CommandOutcome<{ inspectionId: string; recordId: string; caseId: string }>> {
  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  execute({ input, meta }: ReferInspectionCommand) {
    return runCommand(
      this.ledger,
      meta,
      async () => {
        const ctx = { now: this.clock.now(), actor: meta.actor };
        const task = await load(this.ledger, input.inspectionId);
        assertAllowed(meta.actor, 'act', inspectionStateResource(task.state));
        const caseId = this.ids.uuid();
        const referred = decider.decide({ type: 'ReferInspectionFindings', data: { recordId: input.recordId, caseId, ...(input.note ? { note: input.note } : {}) } }, task.state, ctx);
        const d = referred[0]!.data as { subject: InspectedSubject; findings: Finding[] };
        const s = d.subject;
        const opened = openCaseWrite(
          this.ledger,
          {
            caseId,
            referral: { kind: 'inspection', inspectionId: input.inspectionId, recordId: input.recordId, findings: d.findings.map((f) => f.description) },
            subject: { entityId: s.kind === 'registered' ? s.entityId : null, eid: s.kind === 'registered' ? s.eid : null, entityName: s.name, regionCode: s.regionCode },
            product: null,
            traceCodes: [],
            summary: `基地巡查发现问题：${d.findings.map((f) => f.description).join('；')}`,
            referredBy: { orgId: meta.actor.orgId, userId: meta.actor.userId },
          },
          ctx,
        );
        return [{ stream: task, events: referred }, opened];
      },
      (events) => ({ inspectionId: input.inspectionId, recordId: input.recordId, caseId: dataOf<{ caseId: string }>(events, 'CaseOpened').caseId }),
    );
  }
}

@CommandHandler(CompleteInspectionCommand)
export class CompleteInspectionHandler implements ICommandHandler<CompleteInspectionCommand, CommandOutcome<{ inspectionId: string; status: 'completed' }>> {
  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ input, meta }: CompleteInspectionCommand) {
    return runCommand(
      this.ledger,
      meta,
      async () => {
        const task = await load(this.ledger, input.inspectionId);
        assertAllowed(meta.actor, 'act', regionalRecord('inspection', input.inspectionId, task.state.regionCode));
        return [{ stream: task, events: decider.decide({ type: 'CompleteInspection', data: { summary: input.summary } }, task.state, { now: this.clock.now(), actor: meta.actor }) }];
      },
      () => ({ inspectionId: input.inspectionId, status: 'completed' as const }),
    );
  }
}
