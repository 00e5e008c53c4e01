import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { decider, type TaskSummary } from '../../domain/monitoring';
import { CLOCK, type Clock } from '../ports/clock';
import { EVENT_STORE, type EventStore } from '../ports/event-store';
import { PROJECTION_PROGRESS, READ_MODELS, type ProjectionProgress, type ReadModels } from '../ports/read-models';
import type { Ledger } from '../ledger/ledger';
import { runCommand } from '../ledger/run-command';
import { LedgerCommand } from '../shared/command-base';
import { LEDGER } from '../shared/settings';
import { loadTask } from './load-task';
import { taskSummary } from './task-summary';

export class SubmitLabReportCommand extends LedgerCommand<{ taskId: string; note?: string }> {}
export class SubmitTaskReportCommand extends LedgerCommand<{ taskId: string; conclusion: string }> {}

export interface ReportAnswer {
  taskId: string;
  summary: TaskSummary;
}

/**
 * Reports snapshot a summary computed from the samples read model into the task's stream; the read model
 * is first brought up to the present, so every result recorded before the report is counted.
 */
abstract class ReportHandler<C extends LedgerCommand<{ taskId: string }>> {
  constructor(
    @Inject(LEDGER) protected readonly ledger: Ledger,
    @Inject(CLOCK) protected readonly clock: Clock,
    @Inject(READ_MODELS) protected readonly models: ReadModels,
    @Inject(PROJECTION_PROGRESS) protected readonly progress: ProjectionProgress,
    @Inject(EVENT_STORE) protected readonly store: EventStore,
  ) {}

  protected abstract report(input: C['input'], summaryOf: (labOrgId?: string) => Promise<TaskSummary>, actorOrgId: string): Promise<Parameters<typeof decider.decide>[0]>;

  execute({ input, meta }: C) {
    return runCommand(
      this.ledger,
      meta,
      async () => {
        await this.progress.waitFor(await this.store.headPosition(), 10_000);
        const task = await loadTask(this.ledger, input.taskId);
        const command = await this.report(input, (lab) => taskSummary(this.models, input.taskId, lab), meta.actor.orgId);
        return [{ stream: task, events: decider.decide(command, task.state, { now: this.clock.now(), actor: meta.actor }) }];
      },
      (events) => ({ taskId: input.taskId, summary: (events[0]!.data as { summary: TaskSummary }).summary }),
    );
  }
}

/** 第十七条: an undertaking lab's summary of its own samples, to the lead lab. */
@CommandHandler(SubmitLabReportCommand)
export class SubmitLabReportHandler extends ReportHandler<SubmitLabReportCommand> {
  protected async report(input: SubmitLabReportCommand['input'], summaryOf: (lab?: string) => Promise<TaskSummary>, actorOrgId: string) {
    return { type: 'SubmitLabReport' as const, data: { summary: await summaryOf(actorOrgId), ...(input.note !== undefined ? { note: input.note } : {}) } };
  }
}

/** 第十八条: the lead lab's overall report of the task, to the publishing agency; the task closes. */
@CommandHandler(SubmitTaskReportCommand)
export class SubmitTaskReportHandler extends ReportHandler<SubmitTaskReportCommand> {
  protected async report(input: SubmitTaskReportCommand['input'], summaryOf: (lab?: string) => Promise<TaskSummary>) {
    return { type: 'SubmitTaskReport' as const, data: { summary: await summaryOf(), conclusion: input.conclusion } };
  }
}
