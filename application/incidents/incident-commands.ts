import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { assertAllowed, incidentPlaceResource, incidentResource } from '../access';
import {
  decider,
  incidentStreamId,
  type CloseIncident,
  type GradeIncident,
  type IncidentState,
  type LogHandling,
  type PublishPublicNotice,
  type RecordIncident,
} from '../../domain/incidents';
import type { Actor, DecisionContext } from '../../domain/shared/actor';
import { CLOCK, ID_GENERATOR, type Clock, type IdGenerator } from '../ports/clock';
import { PROJECTION_PROGRESS, READ_MODELS, type ProjectionProgress, type ReadModels } from '../ports/read-models';
import type { Ledger, LoadedStream, StreamWrite } from '../ledger/ledger';
import { runCommand, type CommandOutcome } from '../ledger/run-command';
import { loadExisting } from '../quality/decide-on-stream';
import { recallNoticeWrites } from '../recall/notices';
import { LedgerCommand } from '../shared/command-base';
import { LEDGER, LEDGER_SETTINGS, type LedgerSettings } from '../shared/settings';
import { holdWrites, liftWrites } from './holds';
import { incidentChain, type ChainDeps } from './incident-chain';

export type RecordIncidentInput = Omit<RecordIncident['data'], 'incidentId' | 'chain'>;
export class RecordIncidentCommand extends LedgerCommand<RecordIncidentInput> {}
export class GradeIncidentCommand extends LedgerCommand<{ incidentId: string } & GradeIncident['data']> {}
export class ReviewIncidentCommand extends LedgerCommand<{ incidentId: string; decision: 'start-response' | 'no-response'; opinion: string; recallDeadlineHours: number }> {}
export class LogHandlingCommand extends LedgerCommand<{ incidentId: string } & LogHandling['data']> {}
export class PublishPublicNoticeCommand extends LedgerCommand<{ incidentId: string } & Omit<PublishPublicNotice['data'], 'noticeId'>> {}
export class CloseIncidentCommand extends LedgerCommand<{ incidentId: string } & CloseIncident['data']> {}

export interface IncidentOutcome {
  incidentId: string;
  status: IncidentState['status'];
  leadRegionCode: string;
}

const HOUR = 3_600_000;

/** Agencies (监管机构) at every level; the roles an incident's lead or affected region is made of. */
export const SUPERVISION_ROLES: ReadonlySet<string> = new Set(['ministry-admin', 'province-admin', 'city-admin', 'county-admin', 'township-admin', 'supervisor', 'inspector']);

/** What every incident handler is built from. */
abstract class IncidentHandler {
  constructor(
    @Inject(LEDGER) protected readonly ledger: Ledger,
    @Inject(CLOCK) protected readonly clock: Clock,
    @Inject(ID_GENERATOR) protected readonly ids: IdGenerator,
    @Inject(READ_MODELS) protected readonly models: ReadModels,
    @Inject(PROJECTION_PROGRESS) protected readonly progress: ProjectionProgress,
    @Inject(LEDGER_SETTINGS) protected readonly settings: LedgerSettings,
  ) {}

  protected get chainDeps(): ChainDeps {
    return { models: this.models, progress: this.progress, store: this.ledger.store, traceCodeSecret: this.settings.traceCodeSecret };
  }

  protected ctx(actor: Actor): DecisionContext {
    return { now: this.clock.now(), actor };
  }

  protected load(incidentId: string): Promise<LoadedStream<IncidentState>> {
    return loadExisting(this.ledger, incidentStreamId(incidentId), decider, 'incident', incidentId);
  }

  /** The outcome, folded from the stream as it was plus what this command appended. */
  protected outcome(incidentId: string, before: IncidentState | null) {
    return (events: { type: string; data: Record<string, unknown>; streamId: string }[]): IncidentOutcome => {
      const own = events.filter((e) => e.streamId === incidentStreamId(incidentId)).map((e) => ({ type: e.type, data: e.data }) as Parameters<typeof decider.evolve>[1]);
      const state = own.reduce(decider.evolve, before ?? decider.initialState());
      return { incidentId, status: state.status, leadRegionCode: state.leadRegionCode };
    };
  }
}

/**
 * Who may manage an incident once recorded: its responsible person, and supervision whose region contains
 * the lead agency's region (the lead agency and the levels above it) — the access policy's decision
 * (`incidentResource`: managed at the lead's region). Which roles may call the routes is the permission's.
 */
export function assertManages(actor: Actor, state: IncidentState): void {
  assertAllowed(actor, 'act', incidentResource(state));
}

/** 录入: synthesises the chain of the named lots (404 for an unknown code) and records the incident. */
@CommandHandler(RecordIncidentCommand)
export class RecordIncidentHandler extends IncidentHandler implements ICommandHandler<RecordIncidentCommand, CommandOutcome<IncidentOutcome>> {
  execute({ input, meta }: RecordIncidentCommand) {
    const incidentId = this.ids.uuid();
    return runCommand(
      this.ledger,
      meta,
      async () => recordWrites(this.ledger, this.chainDeps, incidentId, input, this.ctx(meta.actor)),
      (events) => {
        const recorded = events.find((e) => e.type === 'IncidentRecorded')!.data as { incidentId: string; leadRegionCode: string };
        return { incidentId: recorded.incidentId, status: 'recorded' as const, leadRegionCode: recorded.leadRegionCode };
      },
    );
  }
}

/** The write that records an incident (shared with opening one from a warning or a failed result). */
export async function recordWrites(ledger: Ledger, deps: ChainDeps, incidentId: string, input: RecordIncidentInput, ctx: DecisionContext): Promise<StreamWrite[]> {
  // Recording is allowed in the region where the incident happened (the policy's decision).
  assertAllowed(ctx.actor, 'act', incidentPlaceResource(input.place?.regionCode));
  const { scope } = await incidentChain(deps, Array.isArray(input.traceCodes) ? input.traceCodes : []);
  const events = decider.decide({ type: 'RecordIncident', data: { ...input, incidentId, chain: scope } }, decider.initialState(), ctx);
  return [{ stream: ledger.fresh(incidentStreamId(incidentId)), events }];
}

@CommandHandler(GradeIncidentCommand)
export class GradeIncidentHandler extends IncidentHandler implements ICommandHandler<GradeIncidentCommand, CommandOutcome<IncidentOutcome>> {
  execute({ input, meta }: GradeIncidentCommand) {
    let before: IncidentState | null = null;
    return runCommand(
      this.ledger,
      meta,
      async () => {
        const stream = await this.load(input.incidentId);
        before = stream.state;
        assertManages(meta.actor, stream.state);
        return [{ stream, events: decider.decide({ type: 'GradeIncident', data: { level: input.level, reason: input.reason } }, stream.state, this.ctx(meta.actor)) }];
      },
      (events) => this.outcome(input.incidentId, before)(events),
    );
  }
}

/**
 * 审核 → 启动应急处置: the chain is synthesised again (it may have grown since recording); starting the
 * response puts every lot of it on hold and sends every holder a recall notice — all in one append.
 */
@CommandHandler(ReviewIncidentCommand)
export class ReviewIncidentHandler extends IncidentHandler implements ICommandHandler<ReviewIncidentCommand, CommandOutcome<IncidentOutcome>> {
  execute({ input, meta }: ReviewIncidentCommand) {
    let before: IncidentState | null = null;
    return runCommand(
      this.ledger,
      meta,
      async () => {
        const stream = await this.load(input.incidentId);
        before = stream.state;
        const ctx = this.ctx(meta.actor);
        const chain = await incidentChain(this.chainDeps, stream.state.traceCodes, 'incident.traceCodes');
        const recallDeadline = new Date(ctx.now.getTime() + input.recallDeadlineHours * HOUR).toISOString();
        const events = decider.decide(
          { type: 'ReviewIncident', data: { decision: input.decision, opinion: input.opinion, chain: chain.scope, recallDeadline } },
          stream.state,
          ctx,
        );
        const writes: StreamWrite[] = [{ stream, events }];
        if (events.some((e) => e.type === 'ResponseStarted')) {
          writes.push(...(await holdWrites(this.ledger, input.incidentId, chain.scope.traceCodes, `应急事件处置中（${input.incidentId}），暂停销售`, ctx)));
          writes.push(...(await recallNoticeWrites(this.ledger, input.incidentId, chain.holders, recallDeadline, ctx)));
        }
        return writes;
      },
      (events) => this.outcome(input.incidentId, before)(events),
    );
  }
}

@CommandHandler(LogHandlingCommand)
export class LogHandlingHandler extends IncidentHandler implements ICommandHandler<LogHandlingCommand, CommandOutcome<{ incidentId: string; seq: number }>> {
  execute({ input, meta }: LogHandlingCommand) {
    return runCommand(
      this.ledger,
      meta,
      async () => {
        const stream = await this.load(input.incidentId);
        assertManages(meta.actor, stream.state);
        const { incidentId: _i, ...data } = input;
        return [{ stream, events: decider.decide({ type: 'LogHandling', data }, stream.state, this.ctx(meta.actor)) }];
      },
      (events) => ({ incidentId: input.incidentId, seq: (events[0]!.data as { seq: number }).seq }),
    );
  }
}

@CommandHandler(PublishPublicNoticeCommand)
export class PublishPublicNoticeHandler extends IncidentHandler implements ICommandHandler<PublishPublicNoticeCommand, CommandOutcome<{ incidentId: string; noticeId: string; traceCodes: string[] }>> {
  execute({ input, meta }: PublishPublicNoticeCommand) {
    const noticeId = this.ids.uuid();
    return runCommand(
      this.ledger,
      meta,
      async () => {
        const stream = await this.load(input.incidentId);
        assertManages(meta.actor, stream.state);
        const data = { noticeId, title: input.title, body: input.body, traceCodes: input.traceCodes };
        return [{ stream, events: decider.decide({ type: 'PublishPublicNotice', data }, stream.state, this.ctx(meta.actor)) }];
      },
      (events) => {
        const d = events[0]!.data as { noticeId: string; traceCodes: string[] };
        return { incidentId: input.incidentId, noticeId: d.noticeId, traceCodes: d.traceCodes };
      },
    );
  }
}

/** Closing with the handling record lifts the incident's holds; the grant ends with the close (projection). */
@CommandHandler(CloseIncidentCommand)
export class CloseIncidentHandler extends IncidentHandler implements ICommandHandler<CloseIncidentCommand, CommandOutcome<IncidentOutcome>> {
  execute({ input, meta }: CloseIncidentCommand) {
    let before: IncidentState | null = null;
    return runCommand(
      this.ledger,
      meta,
      async () => {
        const stream = await this.load(input.incidentId);
        before = stream.state;
        assertManages(meta.actor, stream.state);
        const ctx = this.ctx(meta.actor);
        const events = decider.decide({ type: 'CloseIncident', data: { record: input.record } }, stream.state, ctx);
        const lifts = await liftWrites(this.ledger, input.incidentId, stream.state.traceCodes, `应急事件已结案（${input.incidentId}），解除暂停销售`, ctx);
        return [{ stream, events }, ...lifts];
      },
      (events) => this.outcome(input.incidentId, before)(events),
    );
  }
}
