import { qualityRuleSet } from '../../../../domain/data-quality';
import type { QualityRuleEvent } from '../../../../domain/data-quality/rule-set';
import { BusinessRuleError, ValidationError } from '../../../../domain/shared/errors';
import { NOW, spec } from '../support/decider-spec';

/** The rules in force as data (清洗规则设置): the ministry changes thresholds, severities, fields; defaults stand until then. */
const ministry = { now: NOW, actor: { userId: 'u-min', orgId: 'moa', role: 'ministry-admin' as const, regionCode: '' } };
const county = { now: NOW, actor: { userId: 'u-c', orgId: 'c', role: 'county-admin' as const, regionCode: '469027' } };
const rules = spec(qualityRuleSet.decider, ministry);

describe('data-quality rule set', () => {
  it('given the defaults, when the ministry widens the duplicate radius and lowers the severity, then the whole rule after it is recorded', () => {
    const { state } = rules
      .given([])
      .when({ type: 'UpdateQualityRule', data: { ruleId: 'duplicate-base', changes: { params: { radiusMetres: 10 }, severity: 'low' } } })
      .then([
        {
          type: 'QualityRuleUpdated',
          data: {
            ruleId: 'duplicate-base',
            changes: { params: { radiusMetres: 10 }, severity: 'low' },
            rule: { ruleId: 'duplicate-base', check: 'duplicateBase', name: '基地点位重复（5米内）', category: 'duplicate', severity: 'low', params: { radiusMetres: 10 }, enabled: true },
            updatedAt: NOW.toISOString(),
            updatedBy: 'u-min',
          },
        },
      ]);
    const effective = qualityRuleSet.effectiveQualityRules(state);
    expect(effective.find((r) => r.ruleId === 'duplicate-base')).toMatchObject({ source: 'ledger', params: { radiusMetres: 10 } });
    expect(effective.find((r) => r.ruleId === 'coordinate-precision')).toMatchObject({ source: 'default' });
  });

  it('given a changed rule, when it is changed again, then the earlier change is kept', () => {
    const first: QualityRuleEvent = qualityRuleSet.decide({ type: 'UpdateQualityRule', data: { ruleId: 'missing-base-fields', changes: { fields: ['areaMu'] } } }, qualityRuleSet.initialState(), ministry)[0]!;
    rules.given([first]).when({ type: 'UpdateQualityRule', data: { ruleId: 'missing-base-fields', changes: { enabled: false } } }).thenMatches((events) => {
      expect(events[0]!.data.rule).toMatchObject({ fields: ['areaMu'], enabled: false });
    });
  });

  it('refuses a radius beyond what the grid serves, a field list on another check, an unknown rule and an empty change', () => {
    rules.given([]).when({ type: 'UpdateQualityRule', data: { ruleId: 'duplicate-base', changes: { params: { radiusMetres: 5000 } } } }).thenThrows(ValidationError, 'changes.params.radiusMetres');
    rules.given([]).when({ type: 'UpdateQualityRule', data: { ruleId: 'duplicate-base', changes: { fields: ['x'] } } }).thenThrows(ValidationError, 'changes.fields');
    rules.given([]).when({ type: 'UpdateQualityRule', data: { ruleId: 'no-such-rule', changes: { enabled: false } } }).thenThrows(ValidationError, 'ruleId');
    rules.given([]).when({ type: 'UpdateQualityRule', data: { ruleId: 'duplicate-base', changes: {} } }).thenThrows(ValidationError, 'changes');
    rules.given([]).when({ type: 'UpdateQualityRule', data: { ruleId: 'implausible-quantity', changes: { bounds: { 生猪: { kgPerMu: -1 } } } } }).thenThrows(ValidationError, 'changes.bounds.生猪.kgPerMu');
  });

  it('given a county admin, when it changes a rule, then it is refused: the rules are the ministry’s', () => {
    rules.given([]).when({ type: 'UpdateQualityRule', data: { ruleId: 'duplicate-base', changes: { enabled: false } } }, county).thenThrows(BusinessRuleError, 'NOT_ALLOWED');
  });
});
