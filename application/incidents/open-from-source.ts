import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { IncidentCategory, IncidentLevel, ResponsiblePerson } from '../../domain/incidents';
import { InvalidStateError, NotFoundError } from '../../domain/shared/errors';
import { CLOCK, ID_GENERATOR, type Clock, type IdGenerator } from '../ports/clock';
import { PROJECTION_PROGRESS, READ_MODELS, type ProjectionProgress, type ReadModels } from '../ports/read-models';
import type { ReadDoc } from '../ports/read-store';
import type { Ledger } from '../ledger/ledger';
import { runCommand, type CommandOutcome } from '../ledger/run-command';
import { LedgerCommand } from '../shared/command-base';
import { LEDGER, LEDGER_SETTINGS, type LedgerSettings } from '../shared/settings';
import { recordWrites, type IncidentOutcome } from './incident-commands';

export interface OpenFromSourceInput {
  source: { kind: 'failed-result'; sampleId: string } | { kind: 'risk-warning'; warningId: string };
  level?: IncidentLevel;
  category: IncidentCategory;
  responsible: ResponsiblePerson;
  title?: string;
  description?: string;
}
export class OpenIncidentFromSourceCommand extends LedgerCommand<OpenFromSourceInput> {}

const WARNING_LEVEL_TO_INCIDENT: Record<string, IncidentLevel> = { blue: 'general', yellow: 'serious', orange: 'major', red: 'especially-major' };

/**
 * A failed result or a risk warning opens an incident in one step: its lot, product, place and time are
 * taken from the sample or warning (read models caught up to the log head first), the rest from the caller.
 */
@CommandHandler(OpenIncidentFromSourceCommand)
export class OpenIncidentFromSourceHandler implements ICommandHandler<OpenIncidentFromSourceCommand, CommandOutcome<IncidentOutcome>> {
  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(READ_MODELS) private readonly models: ReadModels,
    @Inject(PROJECTION_PROGRESS) private readonly progress: ProjectionProgress,
    @Inject(LEDGER_SETTINGS) private readonly settings: LedgerSettings,
  ) {}

  execute({ input, meta }: OpenIncidentFromSourceCommand) {
    const incidentId = this.ids.uuid();
    return runCommand(
      this.ledger,
      meta,
      async () => {
        await this.progress.waitFor(await this.ledger.store.headPosition(), 10_000);
        const facts = input.source.kind === 'failed-result' ? await this.fromSample(input.source.sampleId) : await this.fromWarning(input.source.warningId);
        const deps = { models: this.models, progress: this.progress, store: this.ledger.store, traceCodeSecret: this.settings.traceCodeSecret };
        return recordWrites(
          this.ledger,
          deps,
          incidentId,
          {
            title: input.title ?? facts.title,
            description: input.description ?? facts.description,
            occurredAt: facts.occurredAt,
            place: facts.place,
            category: input.category,
            level: input.level ?? facts.level,
            traceCodes: facts.traceCodes,
            entityIds: facts.entityIds,
            source: input.source,
            responsible: input.responsible,
          },
          { now: this.clock.now(), actor: meta.actor },
        );
      },
      (events) => {
        const d = events.find((e) => e.type === 'IncidentRecorded')!.data as { incidentId: string; leadRegionCode: string };
        return { incidentId: d.incidentId, status: 'recorded' as const, leadRegionCode: d.leadRegionCode };
      },
    );
  }

  private async fromSample(sampleId: string) {
    const sample = await this.models.get('samples', sampleId);
    if (!sample) throw new NotFoundError('sample', sampleId);
    if (sample.verdict !== 'fail') throw new InvalidStateError('only a failed result opens an incident', { sampleId, verdict: sample.verdict ?? null });
    const subject = sample.subject as { entityId: string | null; entityName: string; regionCode: string };
    const place = sample.place as { address?: string; regionCode?: string } | undefined;
    const failed = ((sample.failed as string[] | undefined) ?? []).join('、');
    return {
      title: `${sample.product as string}抽检不合格${failed ? `（${failed}）` : ''}`,
      description: `样品 ${sampleId} 检测不合格${failed ? `：${failed}` : ''}，受检主体 ${subject.entityName}`,
      occurredAt: ((sample.failedAt as string | undefined) ?? (sample.sampledAt as string | undefined) ?? this.clock.now().toISOString()) as string,
      place: { address: place?.address ?? subject.entityName, regionCode: place?.regionCode ?? subject.regionCode },
      level: 'general' as IncidentLevel,
      traceCodes: sample.traceCode ? [sample.traceCode as string] : [],
      entityIds: subject.entityId ? [subject.entityId] : [],
    };
  }

  private async fromWarning(warningId: string) {
    const warning: ReadDoc | null = await this.models.get('risk_warnings', warningId);
    if (!warning) throw new NotFoundError('warning', warningId);
    const subject = warning.subject as { entityId: string | null; entityName: string | null; regionCode: string };
    return {
      title: `风险预警：${warning.ruleName as string}`,
      description: warning.reason as string,
      occurredAt: warning.raisedAt as string,
      place: { address: subject.entityName ?? (warning.ruleName as string), regionCode: subject.regionCode },
      level: WARNING_LEVEL_TO_INCIDENT[warning.level as string] ?? 'general',
      traceCodes: warning.traceCode ? [warning.traceCode as string] : [],
      entityIds: subject.entityId ? [subject.entityId] : [],
    };
  }
}
