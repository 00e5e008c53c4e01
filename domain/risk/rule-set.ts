import type { DecisionContext } from '../shared/actor';
import type { Decider } from '../shared/decider';
import { BusinessRuleError, InvalidStateError, ValidationError } from '../shared/errors';
import { assertNever, type DomainEvent } from '../shared/event';
import { requireText } from '../shared/validate';
import { isWarningLevel, WARNING_LEVELS } from './levels';
import { DEFAULT_RULES, validateParams, validateRule, type AppliedRule, type RiskRule, type RuleParams } from './rules';
import type { WarningLevel } from './levels';

/**
 * The ministry's risk rules (风险预警指标与等级, seed 002 第三十三条) as an aggregate, stream `riskrules-national`.
 * Built-in defaults stand until a rule is first updated; defining a new rule adds one.
 */
export const RISK_RULES_STREAM = 'riskrules-national';

export interface RuleChanges {
  name?: string;
  level?: WarningLevel;
  params?: RuleParams;
  enabled?: boolean;
}

export type DefineRiskRule = { type: 'DefineRiskRule'; data: { rule: RiskRule } };
export type UpdateRiskRule = { type: 'UpdateRiskRule'; data: { ruleId: string; changes: RuleChanges } };
export type RiskRuleCommand = DefineRiskRule | UpdateRiskRule;

export type RiskRuleDefined = DomainEvent<'RiskRuleDefined', { rule: RiskRule; definedAt: string; definedBy: string }>;
/** Carries the whole rule after the change, so a reader never needs the defaults of the code that wrote it. */
export type RiskRuleUpdated = DomainEvent<'RiskRuleUpdated', { ruleId: string; changes: RuleChanges; rule: RiskRule; updatedAt: string; updatedBy: string }>;
export type RiskRuleEvent = RiskRuleDefined | RiskRuleUpdated;
export const RISK_RULE_EVENT_TYPES: RiskRuleEvent['type'][] = ['RiskRuleDefined', 'RiskRuleUpdated'];

export interface RiskRuleSetState {
  /** Rules stored in the ledger (defined, or defaults once updated). */
  rules: Record<string, RiskRule>;
}

export function initialState(): RiskRuleSetState {
  return { rules: {} };
}

export function evolve(state: RiskRuleSetState, event: RiskRuleEvent): RiskRuleSetState {
  switch (event.type) {
    case 'RiskRuleDefined':
      return { rules: { ...state.rules, [event.data.rule.ruleId]: { ...event.data.rule } } };
    case 'RiskRuleUpdated':
      return { rules: { ...state.rules, [event.data.ruleId]: { ...event.data.rule } } };
    default:
      return assertNever(event);
  }
}

/** The rules in force: defaults overlaid by the ledger's rules, each marked with where it came from. */
export function effectiveRules(state: RiskRuleSetState): AppliedRule[] {
  const out = new Map<string, AppliedRule>(DEFAULT_RULES.map((r) => [r.ruleId, { ...r, source: 'default' as const }]));
  for (const r of Object.values(state.rules)) out.set(r.ruleId, { ...r, source: 'ledger' });
  return [...out.values()];
}

function assertMinistry(ctx: DecisionContext): void {
  if (ctx.actor.role !== 'ministry-admin' && ctx.actor.role !== 'system') {
    throw new BusinessRuleError('NOT_ALLOWED', 'risk indicators and levels are maintained by the ministry', { role: ctx.actor.role });
  }
}

export function decide(command: RiskRuleCommand, state: RiskRuleSetState, ctx: DecisionContext): RiskRuleEvent[] {
  assertMinistry(ctx);
  const now = ctx.now.toISOString();
  const rules = effectiveRules(state);
  switch (command.type) {
    case 'DefineRiskRule': {
      const rule = validateRule(command.data.rule);
      if (rules.some((r) => r.ruleId === rule.ruleId)) {
        throw new InvalidStateError(`rule ${rule.ruleId} already exists; update it instead`, { ruleId: rule.ruleId });
      }
      return [{ type: 'RiskRuleDefined', data: { rule, definedAt: now, definedBy: ctx.actor.userId } }];
    }
    case 'UpdateRiskRule': {
      const ruleId = requireText(command.data.ruleId, 'ruleId', 64);
      const current = rules.find((r) => r.ruleId === ruleId);
      if (!current) throw new ValidationError('ruleId', `no rule ${ruleId}`, { known: rules.map((r) => r.ruleId) });
      const c = command.data.changes;
      if (typeof c !== 'object' || c === null) throw new ValidationError('changes', 'changes are required');
      const changes: RuleChanges = {};
      if (c.name !== undefined) changes.name = requireText(c.name, 'changes.name', 200);
      if (c.level !== undefined) {
        if (!isWarningLevel(c.level)) throw new ValidationError('changes.level', `changes.level must be one of ${WARNING_LEVELS.join(', ')}`);
        changes.level = c.level;
      }
      if (c.params !== undefined) changes.params = validateParams(current.indicator, c.params, 'changes.params');
      if (c.enabled !== undefined) {
        if (typeof c.enabled !== 'boolean') throw new ValidationError('changes.enabled', 'changes.enabled must be true or false');
        changes.enabled = c.enabled;
      }
      if (Object.keys(changes).length === 0) throw new ValidationError('changes', 'changes must contain at least one field');
      const { source: _s, ...base } = current;
      return [{ type: 'RiskRuleUpdated', data: { ruleId, changes, rule: { ...base, ...changes }, updatedAt: now, updatedBy: ctx.actor.userId } }];
    }
    default:
      return assertNever(command);
  }
}

export const decider: Decider<RiskRuleCommand, RiskRuleEvent, RiskRuleSetState, DecisionContext> = { decide, evolve, initialState };
