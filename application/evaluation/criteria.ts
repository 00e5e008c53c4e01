import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { criteriaDecider, EVALUATION_CRITERIA_STREAM, type CriteriaChange, type CriteriaState } from '../../domain/evaluation/criteria';
import { CLOCK, type Clock } from '../ports/clock';
import type { Ledger } from '../ledger/ledger';
import { runCommand } from '../ledger/run-command';
import { LedgerCommand } from '../shared/command-base';
import { LEDGER } from '../shared/settings';

/** The evaluation criteria in force, straight from the ledger (a handful of events; like the risk rules). */
export async function loadEvaluationCriteria(ledger: Ledger): Promise<CriteriaState> {
  return (await ledger.load(EVALUATION_CRITERIA_STREAM, criteriaDecider)).state;
}

export class SetEvaluationCriteriaCommand extends LedgerCommand<{ regionCode: string; change: CriteriaChange }> {}

/** The ministry sets the national defaults or a region's own weights, targets and grade cut-offs. */
@CommandHandler(SetEvaluationCriteriaCommand)
export class SetEvaluationCriteriaHandler {
  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ input, meta }: SetEvaluationCriteriaCommand) {
    return runCommand(
      this.ledger,
      meta,
      async () => {
        const stream = await this.ledger.load(EVALUATION_CRITERIA_STREAM, criteriaDecider);
        return [{ stream, events: criteriaDecider.decide({ type: 'SetEvaluationCriteria', data: input }, stream.state, { now: this.clock.now(), actor: meta.actor }) }];
      },
      (events) => ({ regionCode: (events[0]!.data as { regionCode: string }).regionCode }),
    );
  }
}
