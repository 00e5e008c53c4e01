import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { contactsDecider, decider, originContactsStreamId, originScopeRulesStreamId, originStreamId, originTargetsStreamId, scopeRulesDecider, targetsDecider, validateFields, type OriginContact, type OriginRecordInput } from '../../domain/origin';
import type { CollectionChannel } from '../../domain/origin';
import type { Actor } from '../../domain/shared/actor';
import { NotFoundError } from '../../domain/shared/errors';
import { AccessPolicy } from '../access/access-policy';
import { originRecordResource, regionResource } from '../access/resources';
import { CLOCK, type Clock } from '../ports/clock';
import type { RecordedEvent } from '../ports/event-store';
import type { Ledger, LoadedStream } from '../ledger/ledger';
import { runCommand } from '../ledger/run-command';
import { LedgerCommand } from '../shared/command-base';
import { LEDGER } from '../shared/settings';
import { ORIGIN_SETTINGS, scopeRulesFor, type OriginSettings } from './settings';
import type { OriginRecordCommand, OriginRecordState } from '../../domain/origin';

export class CollectOriginRecordCommand extends LedgerCommand<{ recordId: string; fields: OriginRecordInput; channel: CollectionChannel }> {}
export class ChangeOriginRecordCommand extends LedgerCommand<{ recordId: string; fields: OriginRecordInput }> {}
export class ReviewOriginRecordCommand extends LedgerCommand<{ recordId: string; decision: 'approve' | 'return' | 'refresh'; reason?: string; deadline?: string }> {}
export class SetOriginContactsCommand extends LedgerCommand<{ regionCode: string; contacts: OriginContact[] }> {}
export class SetOriginTargetsCommand extends LedgerCommand<{ regionCode: string; targets: Record<string, unknown> }> {}
export class SetOriginScopeRulesCommand extends LedgerCommand<{ provinceCode: string; thresholds: Record<string, unknown> }> {}

export interface OriginRecordOutcome {
  recordId: string;
  reviewState: string | null;
  changed: boolean;
}

const outcomeOf = (recordId: string) => (events: RecordedEvent[]): OriginRecordOutcome => {
  const last = events[events.length - 1];
  return { recordId, reviewState: (last?.data.reviewState as string | undefined) ?? null, changed: events.length > 0 };
};

/** The resource of a record as the stream holds it (for the policy); the new place too when a change moves it. */
export function resourceOfState(recordId: string, state: OriginRecordState) {
  return originRecordResource({ _id: recordId, villageCode: state.fields?.address.villageCode, entityId: state.fields?.entityId, collectorUserId: state.collectorUserId });
}

/**
 * May this actor collect a record at this village? A producer only for its own entity (a registered enterprise
 * collects its own, seed 003 §五(三)); supervision and collectors where their region covers the village.
 */
export function assertMayCollect(policy: AccessPolicy, actor: Actor, recordId: string, villageCode: string, entityId: string | null): void {
  if (actor.role === 'producer') {
    policy.act(actor, originRecordResource({ _id: recordId, villageCode, entityId: entityId === actor.orgId ? entityId : null }));
    return;
  }
  policy.act(actor, originRecordResource({ _id: recordId, villageCode }));
}

abstract class OriginHandler {
  constructor(
    @Inject(LEDGER) protected readonly ledger: Ledger,
    @Inject(CLOCK) protected readonly clock: Clock,
    @Inject(ORIGIN_SETTINGS) protected readonly settings: OriginSettings,
    @Inject(AccessPolicy) protected readonly policy: AccessPolicy,
  ) {}

  protected ctx(actor: Actor) {
    return { now: this.clock.now(), actor, places: this.settings.places, rules: this.settings.rules };
  }

  /** With the scope rules in force in the record's province (its own thresholds, if it set any). */
  protected async ctxIn(actor: Actor, provinceCode: string) {
    return { ...this.ctx(actor), rules: await scopeRulesFor(this.ledger, this.settings, [provinceCode]) };
  }

  protected async loadExisting(recordId: string): Promise<LoadedStream<OriginRecordState>> {
    const stream = await this.ledger.load(originStreamId(recordId), decider);
    if (stream.state.status === 'none') throw new NotFoundError('origin record', recordId);
    return stream;
  }
}

/** 采集 (form, or a point placed on the map): a new record for one base or plot. */
@CommandHandler(CollectOriginRecordCommand)
export class CollectOriginRecordHandler extends OriginHandler implements ICommandHandler<CollectOriginRecordCommand> {
  execute({ input, meta }: CollectOriginRecordCommand) {
    return runCommand(
      this.ledger,
      meta,
      async () => {
        const fields = validateFields(input.fields, this.settings.places);
        assertMayCollect(this.policy, meta.actor, input.recordId, fields.address.villageCode, fields.entityId);
        const events = decider.decide({ type: 'CollectOriginRecord', data: { recordId: input.recordId, fields: fields as unknown as OriginRecordInput, channel: input.channel } }, decider.initialState(), await this.ctxIn(meta.actor, fields.address.provinceCode));
        return [{ stream: this.ledger.fresh(originStreamId(input.recordId)), events }];
      },
      outcomeOf(input.recordId),
    );
  }
}

/** 信息变更: the whole form again; the same content appends nothing. Acting needs the record and the new place. */
@CommandHandler(ChangeOriginRecordCommand)
export class ChangeOriginRecordHandler extends OriginHandler implements ICommandHandler<ChangeOriginRecordCommand> {
  execute({ input, meta }: ChangeOriginRecordCommand) {
    return runCommand(
      this.ledger,
      meta,
      async () => {
        const stream = await this.loadExisting(input.recordId);
        this.policy.act(meta.actor, resourceOfState(input.recordId, stream.state));
        const fields = validateFields(input.fields, this.settings.places);
        assertMayCollect(this.policy, meta.actor, input.recordId, fields.address.villageCode, fields.entityId ?? stream.state.fields?.entityId ?? null);
        return [{ stream, events: decider.decide({ type: 'ChangeOriginRecord', data: { fields: fields as unknown as OriginRecordInput, channel: 'form' } }, stream.state, await this.ctxIn(meta.actor, fields.address.provinceCode)) }];
      },
      outcomeOf(input.recordId),
    );
  }
}

/** 审核 by the county (approve / return with reason and deadline), or a collector's 按期更新 (refresh). */
@CommandHandler(ReviewOriginRecordCommand)
export class ReviewOriginRecordHandler extends OriginHandler implements ICommandHandler<ReviewOriginRecordCommand> {
  execute({ input, meta }: ReviewOriginRecordCommand) {
    return runCommand(
      this.ledger,
      meta,
      async () => {
        const stream = await this.loadExisting(input.recordId);
        this.policy.act(meta.actor, resourceOfState(input.recordId, stream.state));
        const command: OriginRecordCommand =
          input.decision === 'approve'
            ? { type: 'ApproveOriginRecord', data: {} }
            : input.decision === 'return'
              ? { type: 'ReturnOriginRecord', data: { reason: input.reason ?? '', deadline: input.deadline ?? '' } }
              : { type: 'RefreshOriginRecord', data: {} };
        return [{ stream, events: decider.decide(command, stream.state, this.ctx(meta.actor)) }];
      },
      outcomeOf(input.recordId),
    );
  }
}

/** 附件2: a region's contact list, set by that region's own admins (or above). */
@CommandHandler(SetOriginContactsCommand)
export class SetOriginContactsHandler extends OriginHandler implements ICommandHandler<SetOriginContactsCommand> {
  execute({ input, meta }: SetOriginContactsCommand) {
    return runCommand(
      this.ledger,
      meta,
      async () => {
        if (input.regionCode !== '') this.policy.act(meta.actor, regionResource(input.regionCode));
        else this.policy.act(meta.actor, { ...regionResource(''), nationalOnly: true });
        const stream = await this.ledger.load(originContactsStreamId(input.regionCode), contactsDecider);
        return [{ stream, events: contactsDecider.decide({ type: 'SetOriginContacts', data: input }, stream.state, { now: this.clock.now(), actor: meta.actor }) }];
      },
      (events) => ({ regionCode: input.regionCode, changed: events.length > 0 }),
    );
  }
}

/** 目标任务: a region's expected counts per key product, set by reviewers whose scope covers the region (county and up). */
@CommandHandler(SetOriginTargetsCommand)
export class SetOriginTargetsHandler extends OriginHandler implements ICommandHandler<SetOriginTargetsCommand> {
  execute({ input, meta }: SetOriginTargetsCommand) {
    return runCommand(
      this.ledger,
      meta,
      async () => {
        if (input.regionCode !== '') this.policy.act(meta.actor, regionResource(input.regionCode));
        else this.policy.act(meta.actor, { ...regionResource(''), nationalOnly: true });
        const stream = await this.ledger.load(originTargetsStreamId(input.regionCode), targetsDecider);
        return [{ stream, events: targetsDecider.decide({ type: 'SetOriginTargets', data: input }, stream.state, { now: this.clock.now(), actor: meta.actor }) }];
      },
      (events) => ({ regionCode: input.regionCode, changed: events.length > 0 }),
    );
  }
}

/** A province's own 规模以上 thresholds, set by that province's administration (or the ministry). */
@CommandHandler(SetOriginScopeRulesCommand)
export class SetOriginScopeRulesHandler extends OriginHandler implements ICommandHandler<SetOriginScopeRulesCommand> {
  execute({ input, meta }: SetOriginScopeRulesCommand) {
    return runCommand(
      this.ledger,
      meta,
      async () => {
        this.policy.act(meta.actor, regionResource(input.provinceCode));
        const stream = await this.ledger.load(originScopeRulesStreamId(input.provinceCode), scopeRulesDecider);
        return [{ stream, events: scopeRulesDecider.decide({ type: 'SetOriginScopeRules', data: input }, stream.state, { now: this.clock.now(), actor: meta.actor }) }];
      },
      (events) => ({ provinceCode: input.provinceCode, changed: events.length > 0 }),
    );
  }
}
