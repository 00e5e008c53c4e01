import { BusinessRuleError, InvalidStateError, ValidationError } from '../../../../domain/shared/errors';
import { DEFAULT_RULES, ruleSet, warnings, applicableRule, repeatedFailuresTriggered, overShipmentTriggered, registrationReviewDeadline, transferConfirmationDeadline } from '../../../../domain/risk';
import { CN_HOLIDAYS } from '../../../../domain/shared/holidays-cn';
import { NOW, spec } from '../support/decider-spec';
import { AGENCY, ctx, LOT_CODE, MINISTRY } from '../sampling/quality-fixtures';

const at = NOW.toISOString();
const rule = { ...DEFAULT_RULES[0]!, source: 'default' as const };
const subject: warnings.WarningSubject = { kind: 'lot', regionCode: '469027', traceCode: LOT_CODE, entityId: 'ent-1', entityName: '乐东豇豆合作社', product: '豇豆', transferId: null, sampleId: null };
const cause: warnings.WarningCause = { kind: 'sample', ref: 's-1', sampleId: 's-1', sourceTraceCode: null, sourceWarningId: null };
const raiseData: warnings.RaiseWarning['data'] = { warningId: 'w-1', rule, subject, reason: '噻虫胺、克百威超标', cause, hold: true, evidence: { failed: ['噻虫胺', '克百威'] } };
const raise = (patch: Partial<warnings.RaiseWarning['data']> = {}) => ({ type: 'RaiseWarning' as const, data: { ...raiseData, ...patch } });
const raised: warnings.WarningEvent = { type: 'WarningRaised', data: { ...raiseData, raisedAt: at } };
const w = () => spec(warnings.decider, ctx(AGENCY));

describe('risk warning lifecycle: raised → acknowledged → closed', () => {
  it('raises a hold on a lot', () => {
    const { state } = w().given([]).when(raise()).then([raised]);
    expect(state).toMatchObject({ status: 'raised', hold: true, level: 'orange' });
    expect(warnings.warningStreamId('w-1')).toBe('warning-w-1');
  });

  it('acknowledges, then closes with a resolution; the subject travels with each event', () => {
    const { events: ack } = w()
      .given([raised])
      .when({ type: 'AcknowledgeWarning', data: { note: '已通知企业下架' } })
      .then([{ type: 'WarningAcknowledged', data: { warningId: 'w-1', subject, note: '已通知企业下架', acknowledgedAt: at, acknowledgedBy: AGENCY.userId } }]);
    const { state } = w()
      .given([raised, ...ack])
      .when({ type: 'CloseWarning', data: { reason: '复检合格', resolution: 'retest-passed' } })
      .then([{ type: 'WarningClosed', data: { warningId: 'w-1', subject, hold: true, reason: '复检合格', resolution: 'retest-passed', closedAt: at, closedBy: AGENCY.userId } }]);
    expect(warnings.isOpen(state)).toBe(false);
  });

  it('refuses to acknowledge twice, close twice, or raise an existing warning', () => {
    const ack = warnings.decide({ type: 'AcknowledgeWarning', data: {} }, [raised].reduce(warnings.evolve, warnings.initialState()), ctx(AGENCY));
    w().given([raised, ...ack]).when({ type: 'AcknowledgeWarning', data: {} }).thenThrows(InvalidStateError);
    const closed = warnings.decide({ type: 'CloseWarning', data: { reason: 'x', resolution: 'handled' } }, [raised].reduce(warnings.evolve, warnings.initialState()), ctx(AGENCY));
    w().given([raised, ...closed]).when({ type: 'CloseWarning', data: { reason: 'x', resolution: 'handled' } }).thenThrows(InvalidStateError);
    w().given([raised]).when(raise()).thenThrows(InvalidStateError);
    w().given([]).when({ type: 'AcknowledgeWarning', data: {} }).thenThrows(InvalidStateError);
  });

  it('names bad fields: only lots are held; a subject names its key', () => {
    w().given([]).when(raise({ subject: { ...subject, kind: 'entity', traceCode: null } })).thenThrows(ValidationError, 'hold');
    w().given([]).when(raise({ subject: { ...subject, traceCode: null } })).thenThrows(ValidationError, 'subject.traceCode');
    w().given([]).when(raise({ subject: { ...subject, regionCode: '12' } })).thenThrows(ValidationError, 'subject.regionCode');
    w().given([raised]).when({ type: 'CloseWarning', data: { reason: 'x', resolution: 'whatever' as never } }).thenThrows(ValidationError, 'resolution');
  });
});

describe('risk rules as data (the ministry’s indicators and levels)', () => {
  const rules = () => spec(ruleSet.decider, ctx(MINISTRY));
  const custom = { ruleId: 'failed-result-strict', indicator: 'failedResult' as const, name: '检测不合格（严格）', level: 'red' as const, params: {}, enabled: true };

  it('defaults stand until changed; an update stores the whole rule', () => {
    expect(ruleSet.effectiveRules(ruleSet.initialState()).map((r) => r.ruleId)).toEqual(DEFAULT_RULES.map((r) => r.ruleId));
    const { state } = rules()
      .given([])
      .when({ type: 'UpdateRiskRule', data: { ruleId: 'repeated-failures', changes: { params: { count: 3, windowDays: 30 }, level: 'orange' } } })
      .then([
        {
          type: 'RiskRuleUpdated',
          data: {
            ruleId: 'repeated-failures',
            changes: { params: { count: 3, windowDays: 30 }, level: 'orange' },
            rule: { ...DEFAULT_RULES[1]!, params: { count: 3, windowDays: 30 }, level: 'orange' },
            updatedAt: at,
            updatedBy: MINISTRY.userId,
          },
        },
      ]);
    expect(ruleSet.effectiveRules(state).find((r) => r.ruleId === 'repeated-failures')).toMatchObject({ level: 'orange', source: 'ledger', params: { count: 3 } });
  });

  it('defines new rules; the most severe applicable rule wins', () => {
    const { state } = rules().given([]).when({ type: 'DefineRiskRule', data: { rule: custom } }).then([{ type: 'RiskRuleDefined', data: { rule: custom, definedAt: at, definedBy: MINISTRY.userId } }]);
    expect(applicableRule(ruleSet.effectiveRules(state), 'failedResult')?.ruleId).toBe('failed-result-strict');
  });

  it('is the ministry’s alone; parameters are checked per indicator', () => {
    spec(ruleSet.decider, ctx(AGENCY)).given([]).when({ type: 'DefineRiskRule', data: { rule: custom } }).thenThrows(BusinessRuleError, 'NOT_ALLOWED');
    rules().given([]).when({ type: 'DefineRiskRule', data: { rule: { ...custom, ruleId: 'failed-result' } } }).thenThrows(InvalidStateError);
    rules().given([]).when({ type: 'DefineRiskRule', data: { rule: { ...custom, indicator: 'repeatedFailures', params: { count: 1, windowDays: 30 } } } }).thenThrows(ValidationError, 'rule.params.count');
    rules().given([]).when({ type: 'DefineRiskRule', data: { rule: { ...custom, params: { hours: 3 } } } }).thenThrows(ValidationError, 'rule.params.hours');
    rules().given([]).when({ type: 'UpdateRiskRule', data: { ruleId: 'nope', changes: { enabled: false } } }).thenThrows(ValidationError, 'ruleId');
    rules().given([]).when({ type: 'UpdateRiskRule', data: { ruleId: 'over-shipment', changes: {} } }).thenThrows(ValidationError, 'changes');
    rules().given([]).when({ type: 'UpdateRiskRule', data: { ruleId: 'over-shipment', changes: { level: 'purple' as never } } }).thenThrows(ValidationError, 'changes.level');
  });

  it('a disabled rule does not apply', () => {
    const off = ruleSet.decide({ type: 'UpdateRiskRule', data: { ruleId: 'failed-result', changes: { enabled: false } } }, ruleSet.initialState(), ctx(MINISTRY));
    expect(applicableRule(ruleSet.effectiveRules(off.reduce(ruleSet.evolve, ruleSet.initialState())), 'failedResult')).toBeUndefined();
  });
});

describe('rule evaluation', () => {
  const [, repeated, overShipment, overdue, unconfirmed] = DEFAULT_RULES;
  it('repeated failures: ≥ 2 in 90 days', () => {
    expect(repeatedFailuresTriggered(repeated!, ['2026-03-01T00:00:00Z'], NOW)).toBe(false);
    expect(repeatedFailuresTriggered(repeated!, ['2025-11-01T00:00:00Z', '2026-03-01T00:00:00Z'], NOW)).toBe(false);
    expect(repeatedFailuresTriggered(repeated!, ['2026-01-01T00:00:00Z', '2026-03-01T00:00:00Z'], NOW)).toBe(true);
  });
  it('over-shipment attempts: ≥ 2 in 24 h', () => {
    expect(overShipmentTriggered(overShipment!, ['2026-03-09T01:00:00Z', '2026-03-10T01:00:00Z'], NOW)).toBe(false);
    expect(overShipmentTriggered(overShipment!, ['2026-03-09T03:00:00Z', '2026-03-10T01:00:00Z'], NOW)).toBe(true);
  });
  it('registration review: late after the 5th working day (CST, holidays and 调休 counted)', () => {
    // Applied Friday 2026-09-18 CST; Sunday 09-20 is a make-up working day (调休): 20, 21, 22, 23, 24.
    expect(registrationReviewDeadline(overdue!, new Date('2026-09-18T02:00:00Z'), CN_HOLIDAYS).toISOString()).toBe('2026-09-24T15:59:59.999Z');
    // Applied Thursday 09-24: 09-25..27 is 中秋, so 28, 29, 30, then 10-01..07 国庆, then 08, 09.
    expect(registrationReviewDeadline(overdue!, new Date('2026-09-24T02:00:00Z'), CN_HOLIDAYS).toISOString()).toBe('2026-10-09T15:59:59.999Z');
  });
  it('transfer unconfirmed: 72 h after it was initiated', () => {
    expect(transferConfirmationDeadline(unconfirmed!, NOW).toISOString()).toBe('2026-03-13T02:00:00.000Z');
  });
});
