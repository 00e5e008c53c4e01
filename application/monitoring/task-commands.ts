import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { assertAllowed, regionResource } from '../access';
import { decider, regionPrefix, taskStreamId, type LabAssignment, type MonitoringModel, type PublishTask, type TaskCommand, type TaskState } from '../../domain/monitoring';
import { CLOCK, ID_GENERATOR, type Clock, type IdGenerator } from '../ports/clock';
import { READ_MODELS, type ReadModels } from '../ports/read-models';
import type { Ledger } from '../ledger/ledger';
import { dataOf, runCommand, type CommandOutcome } from '../ledger/run-command';
import { decideFresh } from '../quality/decide-on-stream';
import { LedgerCommand } from '../shared/command-base';
import { LEDGER } from '../shared/settings';
import { loadTask } from './load-task';

export type PublishTaskInput = Omit<PublishTask['data'], 'taskId' | 'publisher'> & { publisherName?: string };
export class PublishTaskCommand extends LedgerCommand<PublishTaskInput> {}
export class ConfigureModelCommand extends LedgerCommand<{ taskId: string; model: MonitoringModel }> {}
export class DistributeTaskCommand extends LedgerCommand<{ taskId: string; assignments: LabAssignment[] }> {}
export class SelectSpotCheckCommand extends LedgerCommand<{
  taskId: string;
  count: number;
  keyEntities?: string[];
  seed?: string;
  samplerCandidates?: string[];
  samplerCount?: number;
}> {}

export interface TaskAnswer {
  taskId: string;
  status: TaskState['status'];
}

/** A step's answer: the recorded event's data (e.g. the drawn entities), named by its type. */
export interface TaskStepAnswer {
  taskId: string;
  recorded: string;
  [field: string]: unknown;
}

/** A supervision agency publishes a monitoring task (风险监测 / 监督抽查) inside its region to a lead lab. */
@CommandHandler(PublishTaskCommand)
export class PublishTaskHandler implements ICommandHandler<PublishTaskCommand, CommandOutcome<TaskAnswer>> {
  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  execute({ input, meta }: PublishTaskCommand) {
    return runCommand(
      this.ledger,
      meta,
      async () => {
        assertAllowed(meta.actor, 'act', regionResource(input.regionCode));
        const { publisherName, ...rest } = input;
        const taskId = this.ids.uuid();
        const data: PublishTask['data'] = { ...rest, taskId, publisher: { orgId: meta.actor.orgId, name: publisherName ?? meta.actor.orgId } };
        return decideFresh(this.ledger, taskStreamId(taskId), decider, { type: 'PublishTask', data }, { now: this.clock.now(), actor: meta.actor });
      },
      (events) => ({ taskId: dataOf<{ taskId: string }>(events, 'TaskPublished').taskId, status: 'published' as const }),
    );
  }
}

/** Commands of the lead lab (and the labs) on an existing task: load, decide, append. */
abstract class TaskStepHandler<C extends LedgerCommand<{ taskId: string }>> {
  constructor(
    @Inject(LEDGER) protected readonly ledger: Ledger,
    @Inject(CLOCK) protected readonly clock: Clock,
    @Inject(ID_GENERATOR) protected readonly ids: IdGenerator,
    @Inject(READ_MODELS) protected readonly models: ReadModels,
  ) {}

  protected abstract command(input: C['input'], task: TaskState): Promise<TaskCommand> | TaskCommand;

  execute({ input, meta }: C) {
    return runCommand(
      this.ledger,
      meta,
      async () => {
        const task = await loadTask(this.ledger, input.taskId);
        const events = decider.decide(await this.command(input, task.state), task.state, { now: this.clock.now(), actor: meta.actor });
        return [{ stream: task, events }];
      },
      (events) => ({ ...events[0]!.data, taskId: input.taskId, recorded: events[0]!.type }),
    );
  }
}

/** 第十二条: the lead lab configures products, standard, analytes and limits. */
@CommandHandler(ConfigureModelCommand)
export class ConfigureModelHandler extends TaskStepHandler<ConfigureModelCommand> {
  protected command(input: ConfigureModelCommand['input']): TaskCommand {
    return { type: 'ConfigureModel', data: { model: input.model } };
  }
}

/** 第十三条: the lead lab hands the work to undertaking labs. */
@CommandHandler(DistributeTaskCommand)
export class DistributeTaskHandler extends TaskStepHandler<DistributeTaskCommand> {
  protected command(input: DistributeTaskCommand['input']): TaskCommand {
    return { type: 'DistributeTask', data: { assignments: input.assignments } };
  }
}

/**
 * 第二十条: the spot-checked entities are drawn at random from the registry — every approved entity in the
 * task's region producing one of the model's products — with a seed that is recorded (given by the caller,
 * e.g. announced beforehand, or generated). Key entities (重点监管对象) are included directly.
 */
@CommandHandler(SelectSpotCheckCommand)
export class SelectSpotCheckHandler extends TaskStepHandler<SelectSpotCheckCommand> {
  protected async command(input: SelectSpotCheckCommand['input'], task: TaskState): Promise<TaskCommand> {
    const registered = await this.models.find('entities', { status: 'approved', regionCode: { $prefix: regionPrefix(task.regionCode) } }, { limit: 100_000 });
    const products = new Set(task.model?.products ?? []);
    const candidates = registered.filter((e) => products.size === 0 || ((e.products as string[]) ?? []).some((p) => products.has(p))).map((e) => e._id);
    return {
      type: 'SelectSpotCheckEntities',
      data: {
        seed: input.seed ?? `SC-${this.ids.randomBase32(16)}`,
        candidates,
        count: input.count,
        keyEntities: input.keyEntities ?? [],
        ...(input.samplerCandidates ? { samplerCandidates: input.samplerCandidates } : {}),
        ...(input.samplerCount !== undefined ? { samplerCount: input.samplerCount } : {}),
      },
    };
  }
}
