import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { effectiveQualityRules, QUALITY_RULES_STREAM, qualityRuleSet, type AppliedQualityRule } from '../../domain/data-quality';
import type { QualityRuleChanges } from '../../domain/data-quality/rule-set';
import { CLOCK, type Clock } from '../ports/clock';
import type { Ledger } from '../ledger/ledger';
import { runCommand } from '../ledger/run-command';
import { LedgerCommand } from '../shared/command-base';
import { LEDGER } from '../shared/settings';

/** The data-quality rules in force, from the ledger (defaults until the ministry changes one). */
export async function loadQualityRules(ledger: Ledger): Promise<AppliedQualityRule[]> {
  const stream = await ledger.load(QUALITY_RULES_STREAM, qualityRuleSet.decider);
  return effectiveQualityRules(stream.state);
}

export class UpdateQualityRuleCommand extends LedgerCommand<{ ruleId: string; changes: QualityRuleChanges }> {}

/**
 * 清洗规则设置: the ministry changes a rule's threshold, category, severity, fields or switches it off. The
 * data-quality projection applies the new rule to every record checked after it (a rebuild replays each rule
 * as it stood when each record arrived).
 */
@CommandHandler(UpdateQualityRuleCommand)
export class UpdateQualityRuleHandler {
  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ input, meta }: UpdateQualityRuleCommand) {
    return runCommand(
      this.ledger,
      meta,
      async () => {
        const stream = await this.ledger.load(QUALITY_RULES_STREAM, qualityRuleSet.decider);
        const events = qualityRuleSet.decide({ type: 'UpdateQualityRule', data: input }, stream.state, { now: this.clock.now(), actor: meta.actor });
        return [{ stream, events }];
      },
      (events) => ({ rule: (events[0]!.data as { rule: unknown }).rule }),
    );
  }
}
