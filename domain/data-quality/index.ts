/** Data quality (追溯数据清洗 / 审核, seed 004 §六(三)): rules as data, their pure checks, the rule-set aggregate. */
export * from './rules';
export * from './checks';
export * from './geo';
export * from './yield-bounds';
export * from './score';
export * as qualityRuleSet from './rule-set';
export { QUALITY_RULES_STREAM, QUALITY_RULE_EVENT_TYPES, effectiveQualityRules, type QualityRuleEvent } from './rule-set';
