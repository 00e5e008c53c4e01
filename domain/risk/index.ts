export * from './levels';
export * from './rules';
export * as warnings from './warning';
export * as ruleSet from './rule-set';
export { warningStreamId, WARNING_EVENT_TYPES, type WarningSubject, type WarningCause, type WarningEvent } from './warning';
export { RISK_RULES_STREAM, RISK_RULE_EVENT_TYPES, effectiveRules, type RiskRuleEvent } from './rule-set';
