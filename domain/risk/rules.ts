import { ValidationError } from '../shared/errors';
import { requireText } from '../shared/validate';
import { addWorkingDays, type HolidayCalendar } from '../shared/working-days';
import { isWarningLevel, severity, WARNING_LEVELS, type WarningLevel } from './levels';

/**
 * Risk indicators (风险预警指标) the platform can evaluate, and the parameters each takes. Which rules are
 * active, with which thresholds and levels, is data maintained by the ministry (stream `riskrules-national`);
 * DEFAULT_RULES apply until the ministry first changes one. Every warning records the rule it applied.
 */
export const INDICATORS = ['failedResult', 'repeatedFailures', 'overShipmentAttempts', 'registrationReviewOverdue', 'transferUnconfirmed'] as const;
export type Indicator = (typeof INDICATORS)[number];

export const INDICATOR_LABELS_ZH: Record<Indicator, string> = {
  failedResult: '检测不合格',
  repeatedFailures: '同一主体多次检测不合格',
  overShipmentAttempts: '超量出货（疑似混批）',
  registrationReviewOverdue: '主体注册审核超期',
  transferUnconfirmed: '交易长时间未确认',
};

export type RuleParams = Record<string, number>;

/** Each indicator's parameters: name → [min, max] (whole numbers). */
export const INDICATOR_PARAMS: Record<Indicator, Record<string, [number, number]>> = {
  failedResult: {},
  repeatedFailures: { count: [2, 1000], windowDays: [1, 3650] },
  overShipmentAttempts: { count: [1, 1000], windowHours: [1, 8760] },
  registrationReviewOverdue: { workingDays: [1, 60] },
  transferUnconfirmed: { hours: [1, 8760] },
};

export interface RiskRule {
  ruleId: string;
  indicator: Indicator;
  name: string;
  level: WarningLevel;
  params: RuleParams;
  enabled: boolean;
}

/** What a warning records about the rule that raised it. `source` says whether it was a built-in default. */
export type AppliedRule = RiskRule & { source: 'default' | 'ledger' };

export const DEFAULT_RULES: readonly RiskRule[] = [
  { ruleId: 'failed-result', indicator: 'failedResult', name: '检测不合格', level: 'orange', params: {}, enabled: true },
  { ruleId: 'repeated-failures', indicator: 'repeatedFailures', name: '同一主体90天内2次及以上检测不合格', level: 'red', params: { count: 2, windowDays: 90 }, enabled: true },
  { ruleId: 'over-shipment', indicator: 'overShipmentAttempts', name: '24小时内2次及以上超量出货（疑似混批）', level: 'yellow', params: { count: 2, windowHours: 24 }, enabled: true },
  { ruleId: 'registration-overdue', indicator: 'registrationReviewOverdue', name: '主体注册超过5个工作日未审核', level: 'blue', params: { workingDays: 5 }, enabled: true },
  { ruleId: 'transfer-unconfirmed', indicator: 'transferUnconfirmed', name: '交易超过72小时未确认', level: 'blue', params: { hours: 72 }, enabled: true },
];

export function isIndicator(value: unknown): value is Indicator {
  return typeof value === 'string' && (INDICATORS as readonly string[]).includes(value);
}

export function validateParams(indicator: Indicator, params: unknown, field = 'params'): RuleParams {
  const spec = INDICATOR_PARAMS[indicator];
  const given = (params ?? {}) as Record<string, unknown>;
  if (typeof given !== 'object' || Array.isArray(given)) throw new ValidationError(field, `${field} must be an object`);
  const unknown = Object.keys(given).filter((k) => !(k in spec));
  if (unknown.length > 0) throw new ValidationError(`${field}.${unknown[0]}`, `${indicator} takes no parameter ${unknown[0]}`, { allowed: Object.keys(spec) });
  const out: RuleParams = {};
  for (const [name, [min, max]] of Object.entries(spec)) {
    const v = given[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      throw new ValidationError(`${field}.${name}`, `${field}.${name} must be a whole number from ${min} to ${max}`, { value: v });
    }
    out[name] = v;
  }
  return out;
}

export function validateRule(r: unknown, field = 'rule'): RiskRule {
  if (typeof r !== 'object' || r === null) throw new ValidationError(field, `${field} is required`);
  const x = r as Record<string, unknown>;
  const ruleId = requireText(x.ruleId, `${field}.ruleId`, 64);
  if (!/^[a-z0-9][a-z0-9-]*$/.test(ruleId)) throw new ValidationError(`${field}.ruleId`, `${field}.ruleId must be lowercase letters, digits and dashes`);
  if (!isIndicator(x.indicator)) throw new ValidationError(`${field}.indicator`, `${field}.indicator must be one of ${INDICATORS.join(', ')}`, { value: x.indicator });
  if (!isWarningLevel(x.level)) throw new ValidationError(`${field}.level`, `${field}.level must be one of ${WARNING_LEVELS.join(', ')}`, { value: x.level });
  if (x.enabled !== undefined && typeof x.enabled !== 'boolean') throw new ValidationError(`${field}.enabled`, `${field}.enabled must be true or false`);
  return {
    ruleId,
    indicator: x.indicator,
    name: requireText(x.name, `${field}.name`, 200),
    level: x.level,
    params: validateParams(x.indicator, x.params, `${field}.params`),
    enabled: x.enabled !== false,
  };
}

/**
 * The rule that applies for an indicator when several are triggered: the most severe. `triggered` decides
 * per rule (e.g. "≥ count failures in the window"). Undefined when none is enabled and triggered.
 */
export function applicableRule(rules: readonly AppliedRule[], indicator: Indicator, triggered: (rule: AppliedRule) => boolean = () => true): AppliedRule | undefined {
  return rules
    .filter((r) => r.enabled && r.indicator === indicator && triggered(r))
    .sort((a, b) => severity(b.level) - severity(a.level) || a.ruleId.localeCompare(b.ruleId))[0];
}

function within(times: readonly string[], now: Date, windowMs: number): number {
  const from = now.getTime() - windowMs;
  return times.filter((t) => {
    const ms = Date.parse(t);
    return ms > from && ms <= now.getTime();
  }).length;
}

/** repeatedFailures: at least `count` failed results of one entity in the last `windowDays` days. */
export function repeatedFailuresTriggered(rule: RiskRule, failureTimes: readonly string[], now: Date): boolean {
  return within(failureTimes, now, rule.params.windowDays! * 86_400_000) >= rule.params.count!;
}

/** overShipmentAttempts: at least `count` refused over-shipments of one entity in the last `windowHours` hours. */
export function overShipmentTriggered(rule: RiskRule, attemptTimes: readonly string[], now: Date): boolean {
  return within(attemptTimes, now, rule.params.windowHours! * 3_600_000) >= rule.params.count!;
}

/** registrationReviewOverdue: the review is late after the end of the n-th working day after the application. */
export function registrationReviewDeadline(rule: RiskRule, appliedAt: Date, calendar: HolidayCalendar): Date {
  return addWorkingDays(appliedAt, rule.params.workingDays!, calendar);
}

/** transferUnconfirmed: still pending `hours` after it was initiated. */
export function transferConfirmationDeadline(rule: RiskRule, initiatedAt: Date): Date {
  return new Date(initiatedAt.getTime() + rule.params.hours! * 3_600_000);
}
