import type { DecisionContext } from '../shared/actor';
import type { Decider } from '../shared/decider';
import { BusinessRuleError, ValidationError } from '../shared/errors';
import { assertNever, type DomainEvent } from '../shared/event';
import { requireText } from '../shared/validate';
import {
  CATEGORIES,
  DEFAULT_QUALITY_RULES,
  isCategory,
  isSeverity,
  SEVERITIES,
  validateBounds,
  validateFields,
  validateQualityParams,
  type AppliedQualityRule,
  type Category,
  type QualityRule,
  type Severity,
} from './rules';
import type { YieldBound } from './yield-bounds';

/**
 * The data-quality rules in force (清洗规则设置, seed 004 §六(三)) as an aggregate, stream `dqrules-national`, on the
 * pattern of the risk rules: the bundled defaults stand until the ministry changes one; each change appends the
 * whole rule after it, so the data-quality projection folds the rules it applies from the log (a rebuild
 * applies each rule as it was when each record arrived).
 */
export const QUALITY_RULES_STREAM = 'dqrules-national';

export interface QualityRuleChanges {
  name?: string;
  category?: Category;
  severity?: Severity;
  params?: Record<string, number>;
  fields?: string[];
  bounds?: Record<string, YieldBound>;
  enabled?: boolean;
}

export type UpdateQualityRule = { type: 'UpdateQualityRule'; data: { ruleId: string; changes: QualityRuleChanges } };
export type QualityRuleCommand = UpdateQualityRule;

export type QualityRuleUpdated = DomainEvent<'QualityRuleUpdated', { ruleId: string; changes: QualityRuleChanges; rule: QualityRule; updatedAt: string; updatedBy: string }>;
export type QualityRuleEvent = QualityRuleUpdated;
export const QUALITY_RULE_EVENT_TYPES: QualityRuleEvent['type'][] = ['QualityRuleUpdated'];

export interface QualityRuleSetState {
  rules: Record<string, QualityRule>;
}

export function initialState(): QualityRuleSetState {
  return { rules: {} };
}

export function evolve(state: QualityRuleSetState, event: QualityRuleEvent): QualityRuleSetState {
  switch (event.type) {
    case 'QualityRuleUpdated':
      return { rules: { ...state.rules, [event.data.ruleId]: structuredClone(event.data.rule) } };
    default:
      return assertNever(event.type);
  }
}

/** Defaults overlaid by the ledger's rules, each marked with where it came from. */
export function effectiveQualityRules(state: QualityRuleSetState): AppliedQualityRule[] {
  const out = new Map<string, AppliedQualityRule>(DEFAULT_QUALITY_RULES.map((r) => [r.ruleId, { ...structuredClone(r), source: 'default' as const }]));
  for (const r of Object.values(state.rules)) out.set(r.ruleId, { ...structuredClone(r), source: 'ledger' });
  return [...out.values()];
}

export function decide(command: QualityRuleCommand, state: QualityRuleSetState, ctx: DecisionContext): QualityRuleEvent[] {
  if (ctx.actor.role !== 'ministry-admin' && ctx.actor.role !== 'system') {
    throw new BusinessRuleError('NOT_ALLOWED', 'data-quality rules are maintained by the ministry', { role: ctx.actor.role });
  }
  switch (command.type) {
    case 'UpdateQualityRule': {
      const ruleId = requireText(command.data.ruleId, 'ruleId', 64);
      const current = effectiveQualityRules(state).find((r) => r.ruleId === ruleId);
      if (!current) throw new ValidationError('ruleId', `no rule ${ruleId}`, { known: effectiveQualityRules(state).map((r) => r.ruleId) });
      const c = command.data.changes as Record<string, unknown> | null;
      if (typeof c !== 'object' || c === null || Array.isArray(c)) throw new ValidationError('changes', 'changes are required');
      const known = ['name', 'category', 'severity', 'params', 'fields', 'bounds', 'enabled'];
      const stray = Object.keys(c).find((k) => !known.includes(k));
      if (stray) throw new ValidationError(`changes.${stray}`, `a rule has no field ${stray}`, { allowed: known });
      const changes: QualityRuleChanges = {};
      if (c.name !== undefined) changes.name = requireText(c.name, 'changes.name', 200);
      if (c.category !== undefined) {
        if (!isCategory(c.category)) throw new ValidationError('changes.category', `changes.category must be one of ${CATEGORIES.join(', ')}`);
        changes.category = c.category;
      }
      if (c.severity !== undefined) {
        if (!isSeverity(c.severity)) throw new ValidationError('changes.severity', `changes.severity must be one of ${SEVERITIES.join(', ')}`);
        changes.severity = c.severity;
      }
      if (c.params !== undefined) changes.params = validateQualityParams(current.check, c.params, 'changes.params');
      if (c.fields !== undefined) {
        if (current.check !== 'missingFields') throw new ValidationError('changes.fields', `${current.check} takes no field list`);
        changes.fields = validateFields(c.fields, 'changes.fields');
      }
      if (c.bounds !== undefined) {
        if (current.check !== 'implausibleQuantity') throw new ValidationError('changes.bounds', `${current.check} takes no yield bounds`);
        changes.bounds = validateBounds(c.bounds, 'changes.bounds');
      }
      if (c.enabled !== undefined) {
        if (typeof c.enabled !== 'boolean') throw new ValidationError('changes.enabled', 'changes.enabled must be true or false');
        changes.enabled = c.enabled;
      }
      if (Object.keys(changes).length === 0) throw new ValidationError('changes', 'changes must contain at least one field');
      const { source: _source, ...base } = current;
      const rule: QualityRule = { ...base, ...changes };
      return [{ type: 'QualityRuleUpdated', data: { ruleId, changes, rule, updatedAt: ctx.now.toISOString(), updatedBy: ctx.actor.userId } }];
    }
    default:
      return assertNever(command.type);
  }
}

export const decider: Decider<QualityRuleCommand, QualityRuleEvent, QualityRuleSetState, DecisionContext> = { decide, evolve, initialState };
