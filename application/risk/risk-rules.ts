import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { ruleSet, RISK_RULES_STREAM, type RiskRule } from '../../domain/risk';
import type { AppliedRule } from '../../domain/risk/rules';
import { CLOCK, type Clock } from '../ports/clock';
import type { Ledger } from '../ledger/ledger';
import { runCommand } from '../ledger/run-command';
import { LedgerCommand } from '../shared/command-base';
import { LEDGER } from '../shared/settings';

/** The rules in force, straight from the ledger (not a read model: a warning must apply the current rule). */
export async function loadRiskRules(ledger: Ledger): Promise<AppliedRule[]> {
  const stream = await ledger.load(RISK_RULES_STREAM, ruleSet.decider);
  return ruleSet.effectiveRules(stream.state);
}

export class DefineRiskRuleCommand extends LedgerCommand<{ rule: RiskRule }> {}
export class UpdateRiskRuleCommand extends LedgerCommand<{ ruleId: string; changes: ruleSet.RuleChanges }> {}

abstract class RiskRuleHandler<C extends LedgerCommand<unknown>> {
  constructor(
    @Inject(LEDGER) protected readonly ledger: Ledger,
    @Inject(CLOCK) protected readonly clock: Clock,
  ) {}

  protected abstract command(input: C['input']): ruleSet.RiskRuleCommand;

  execute({ input, meta }: C) {
    return runCommand(
      this.ledger,
      meta,
      async () => {
        const stream = await this.ledger.load(RISK_RULES_STREAM, ruleSet.decider);
        return [{ stream, events: ruleSet.decide(this.command(input), stream.state, { now: this.clock.now(), actor: meta.actor }) }];
      },
      (events) => {
        const d = events[0]!.data as { rule: RiskRule };
        return { rule: d.rule };
      },
    );
  }
}

/** The ministry adds an indicator rule (seed 002, 第三十三条: 动态维护风险预警指标、风险预警等级). */
@CommandHandler(DefineRiskRuleCommand)
export class DefineRiskRuleHandler extends RiskRuleHandler<DefineRiskRuleCommand> {
  protected command(input: DefineRiskRuleCommand['input']): ruleSet.RiskRuleCommand {
    return { type: 'DefineRiskRule', data: { rule: input.rule } };
  }
}

/** The ministry changes a rule's level, thresholds or switches it off; defaults become ledger rules then. */
@CommandHandler(UpdateRiskRuleCommand)
export class UpdateRiskRuleHandler extends RiskRuleHandler<UpdateRiskRuleCommand> {
  protected command(input: UpdateRiskRuleCommand['input']): ruleSet.RiskRuleCommand {
    return { type: 'UpdateRiskRule', data: { ruleId: input.ruleId, changes: input.changes } };
  }
}
