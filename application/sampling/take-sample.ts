import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { regionOfEid } from '../../domain/registration/eid';
import { decider as entityDecider, entityStreamId } from '../../domain/registration';
import { NotFoundError, ValidationError } from '../../domain/shared/errors';
import { assertAllowed, assertWithinTaskRegion, entityResource, regionalRecord, type Resource } from '../access';
import type { Quantity } from '../../domain/shared/quantity';
import { decider, sampleStreamId, type ManualProduct, type Sampler, type SampleSource, type SamplingPlace } from '../../domain/sampling';
import { CLOCK, ID_GENERATOR, type Clock, type IdGenerator } from '../ports/clock';
import type { Ledger } from '../ledger/ledger';
import { dataOf, runCommand, type CommandOutcome } from '../ledger/run-command';
import { loadLot } from '../lots/load-lot';
import { loadTask, taskSnapshot } from '../monitoring/load-task';
import { LedgerCommand } from '../shared/command-base';
import { LEDGER, LEDGER_SETTINGS, type LedgerSettings } from '../shared/settings';

export interface TakeSampleInput {
  taskId: string;
  /** Scanned from the label: the lot's details come from the ledger. */
  traceCode?: string;
  /** Or entered by hand for an unlabelled product. */
  manual?: ManualProduct;
  place: SamplingPlace;
  sampledAt: string;
  sampler: Sampler;
  labOrgId?: string;
  quantity?: Quantity;
  note?: string;
}
export class TakeSampleCommand extends LedgerCommand<TakeSampleInput> {}

export interface TakenSample {
  sampleId: string;
  taskId: string;
  traceCode: string | null;
  product: string;
  subject: { entityId: string | null; entityName: string; regionCode: string };
}

/** 抽样 (seed 002, 第十五/二十一条): scan the trace code (the lot fills the sheet) or enter the product by hand. */
@CommandHandler(TakeSampleCommand)
export class TakeSampleHandler implements ICommandHandler<TakeSampleCommand, CommandOutcome<TakenSample>> {
  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(LEDGER_SETTINGS) private readonly settings: LedgerSettings,
  ) {}

  execute({ input, meta }: TakeSampleCommand) {
    return runCommand(
      this.ledger,
      meta,
      async () => {
        if ((input.traceCode === undefined) === (input.manual === undefined)) {
          throw new ValidationError('traceCode', 'give either traceCode (scanned) or manual (hand-entered product), not both');
        }
        const task = await loadTask(this.ledger, input.taskId);
        let source: SampleSource;
        if (input.traceCode !== undefined) {
          const lot = (await loadLot(this.ledger, input.traceCode, this.settings.traceCodeSecret, 'traceCode')).state;
          source = {
            kind: 'lot',
            lot: {
              traceCode: lot.traceCode,
              product: lot.product,
              entityId: lot.entityId,
              eid: lot.eid,
              entityName: lot.entityName,
              regionCode: regionOfEid(lot.eid),
              productionDate: lot.productionDate,
              baseRegionCode: lot.base!.regionCode,
            },
          };
        } else {
          source = { kind: 'manual', manual: input.manual! };
        }
        // Who was sampled must lie in the sampler's region and in the task's (a lab of region 46 samples
        // Hainan's lots and entities only, under whichever task): nothing is appended otherwise.
        for (const subject of await this.subjectsOf(source)) {
          assertAllowed(meta.actor, 'act', subject);
          assertWithinTaskRegion(task.state.regionCode, subject);
        }
        const sampleId = this.ids.uuid();
        const { taskId: _t, traceCode: _c, manual: _m, ...rest } = input;
        const events = decider.decide(
          { type: 'TakeSample', data: { ...rest, sampleId, task: taskSnapshot(task.state), source } },
          decider.initialState(),
          { now: this.clock.now(), actor: meta.actor },
        );
        return [{ stream: this.ledger.fresh(sampleStreamId(sampleId)), events }];
      },
      (events) => {
        const d = dataOf<TakenSample & { subject: TakenSample['subject'] }>(events, 'SampleTaken');
        return { sampleId: d.sampleId, taskId: d.taskId, traceCode: d.traceCode, product: d.product, subject: d.subject };
      },
    );
  }

  /**
   * The records a sample is about, as the access policy sees them: the scanned lot where its holder is; a
   * hand-entered product where it was found, and the registered entity it names (which must exist).
   */
  private async subjectsOf(source: SampleSource): Promise<Resource[]> {
    if (source.kind === 'lot') return [regionalRecord('lot', source.lot.traceCode, source.lot.regionCode)];
    const found = regionalRecord('sample', 'hand-entered product', typeof source.manual.regionCode === 'string' ? source.manual.regionCode : null);
    const entityId = source.manual.entityId;
    if (typeof entityId !== 'string' || entityId === '') return [found];
    const entity = await this.ledger.load(entityStreamId(entityId), entityDecider);
    if (entity.state.status === 'none') throw new NotFoundError('entity', entityId);
    return [found, entityResource({ _id: entityId, regionCode: entity.state.regionCode })];
  }
}
