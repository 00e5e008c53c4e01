import { BusinessRuleError, InvalidStateError, ValidationError } from '../../../../domain/shared/errors';
import { decider, sampleStreamId, type SampleEvent, type TakeSample } from '../../../../domain/sampling';
import { NOW, spec } from '../support/decider-spec';
import { AGENCY, ctx, FAILING, LAB, LOT, LOT_CODE, MODEL, OTHER_LAB, PASSING, TASK, ENFORCEMENT } from './quality-fixtures';

const at = NOW.toISOString();
const sampledAt = '2026-03-10T01:30:00.000Z';
const takeData: TakeSample['data'] = {
  sampleId: 's-1',
  task: TASK,
  source: { kind: 'lot', lot: LOT },
  place: { address: '乐东县佛罗镇丹村豇豆基地', regionCode: '469027', lat: 18.601234, lon: 108.780512 },
  sampledAt,
  sampler: { name: '王抽样', certificateNo: 'HN-0231' },
  quantity: { amount: 2, unit: 'kg' },
};
const take = (patch: Partial<TakeSample['data']> = {}) => ({ type: 'TakeSample' as const, data: { ...takeData, ...patch } });
const subject = { entityId: 'ent-1', eid: LOT.eid, entityName: LOT.entityName, regionCode: '469027' };
const taken: SampleEvent = {
  type: 'SampleTaken',
  data: {
    sampleId: 's-1',
    taskId: 'task-1',
    taskKind: 'special',
    taskTitle: TASK.title,
    publisher: TASK.publisher,
    labOrgId: LAB.orgId,
    product: '豇豆',
    subject,
    traceCode: LOT_CODE,
    lot: LOT,
    manual: null,
    place: takeData.place,
    sampledAt,
    sampler: { name: '王抽样', certificateNo: 'HN-0231' },
    quantity: { amount: 2, unit: 'kg' },
    note: null,
    model: MODEL,
    takenAt: at,
    takenBy: LAB.userId,
  },
};
const record = (analytes: unknown[] = FAILING, testedAt = '2026-03-10T01:50:00.000Z') => ({ type: 'RecordResult' as const, data: { analytes, testedAt, reportNo: 'HN-2026-0001' } });
const sample = () => spec(decider, ctx(LAB));

function resultOf(events: SampleEvent[]) {
  const e = events[0]!;
  if (e.type !== 'ResultRecorded') throw new Error('expected ResultRecorded');
  return e.data;
}

describe('sample: TakeSample', () => {
  it('takes a sample by trace code: the lot’s details come with it, the model is snapshotted', () => {
    const { state } = sample().given([]).when(take()).then([taken]);
    expect(state).toMatchObject({ status: 'taken', traceCode: LOT_CODE, labOrgId: LAB.orgId });
    expect(sampleStreamId('s-1')).toBe('sample-s-1');
  });

  it('takes a hand-entered sample of an unlabelled product', () => {
    sample()
      .given([])
      .when(take({ source: { kind: 'manual', manual: { product: '豇豆', entityName: '东方市某菜摊', regionCode: '469007', address: '八所镇农贸市场' } }, place: { address: '八所镇农贸市场', regionCode: '469007' } }))
      .thenMatches(([e]) => {
        expect(e!.type).toBe('SampleTaken');
        expect(e!.data).toMatchObject({ traceCode: null, lot: null, subject: { entityId: null, entityName: '东方市某菜摊', regionCode: '469007' } });
      });
  });

  it('refuses a lab that has no part in the task, a product outside the model, a place outside the region', () => {
    sample().given([]).when(take(), ctx(OTHER_LAB)).thenThrows(BusinessRuleError, 'NOT_ALLOWED');
    sample().given([]).when(take({ source: { kind: 'lot', lot: { ...LOT, product: '芒果' } } })).thenThrows(BusinessRuleError, 'PRODUCT_NOT_IN_MODEL');
    sample().given([]).when(take({ place: { address: '济南', regionCode: '370105' } })).thenThrows(ValidationError, 'place.regionCode');
  });

  it('needs a distributed task, a sampling time inside the period and not in the future', () => {
    sample().given([]).when(take({ task: { ...TASK, status: 'configured' } })).thenThrows(BusinessRuleError, 'TASK_NOT_OPEN');
    sample().given([]).when(take({ sampledAt: '2026-02-27T01:00:00.000Z' })).thenThrows(BusinessRuleError, 'OUTSIDE_TASK_PERIOD');
    sample().given([]).when(take({ sampledAt: '2026-03-10T03:00:00.000Z' })).thenThrows(ValidationError, 'sampledAt');
  });

  it('a spot check samples only drawn or key entities; enforcement may take it for one of the task’s labs', () => {
    const spot = { ...TASK, kind: 'spotCheck' as const, eligibleEntityIds: ['ent-9'] };
    sample().given([]).when(take({ task: spot })).thenThrows(BusinessRuleError, 'ENTITY_NOT_SELECTED');
    sample().given([]).when(take({ task: { ...spot, eligibleEntityIds: ['ent-1'] } }), ctx(ENFORCEMENT)).thenThrows(ValidationError, 'labOrgId');
    sample()
      .given([])
      .when(take({ task: { ...spot, eligibleEntityIds: ['ent-1'] }, labOrgId: LAB.orgId }), ctx(ENFORCEMENT))
      .thenMatches(([e]) => expect(e!.data).toMatchObject({ labOrgId: LAB.orgId, taskKind: 'spotCheck' }));
  });

  it('is taken once', () => {
    sample().given([taken]).when(take()).thenThrows(InvalidStateError);
  });
});

describe('sample: RecordResult', () => {
  it('judges the values against the snapshotted limits', () => {
    sample()
      .given([taken])
      .when(record())
      .thenMatches((events, state) => {
        const r = resultOf(events);
        expect(r).toMatchObject({ round: 'initial', verdict: 'fail', failed: ['噻虫胺', '克百威'], traceCode: LOT_CODE, reportNo: 'HN-2026-0001' });
        expect(r.outcomes[0]).toMatchObject({ code: 'clothianidin', valueInLimitUnit: 0.035, verdict: 'fail' });
        expect(state.status).toBe('tested');
      });
    sample().given([taken]).when(record(PASSING)).thenMatches((events) => expect(resultOf(events).verdict).toBe('pass'));
  });

  it('only the sample’s lab records it, once, not before sampling nor in the future', () => {
    sample().given([taken]).when(record(), ctx(OTHER_LAB)).thenThrows(BusinessRuleError, 'NOT_ALLOWED');
    sample().given([taken]).when(record(FAILING, '2026-03-10T01:00:00.000Z')).thenThrows(ValidationError, 'testedAt');
    sample().given([taken]).when(record(FAILING, '2026-03-11T01:00:00.000Z')).thenThrows(ValidationError, 'testedAt');
  });

  it('a second result needs a re-test request', () => {
    const first = decider.decide(record(), [taken].reduce(decider.evolve, decider.initialState()), ctx(LAB));
    sample().given([taken, ...first]).when(record()).thenThrows(InvalidStateError);
  });
});

describe('sample: re-test (复检)', () => {
  const initialFail = () => decider.decide(record(), [taken].reduce(decider.evolve, decider.initialState()), ctx(LAB));
  const retestLab = { orgId: 'lab-national', name: '农业农村部农产品质量安全监督检验测试中心' };
  const request = { type: 'RequestRetest' as const, data: { reason: '企业对检测结果有异议', retestLab, requestedBy: '乐东豇豆合作社' } };

  it('is issued by a supervision agency after a failed result; the re-test lab records the final verdict', () => {
    const failed = initialFail();
    const { events: requested, state } = spec(decider, ctx(AGENCY))
      .given([taken, ...failed])
      .when(request)
      .then([{ type: 'RetestRequested', data: { sampleId: 's-1', taskId: 'task-1', traceCode: LOT_CODE, reason: '企业对检测结果有异议', retestLab, requestedBy: '乐东豇豆合作社', requestedAt: at } }]);
    expect(state.status).toBe('retest-requested');
    const retester = { userId: 'u-nat', orgId: 'lab-national', role: 'lab' as const };
    spec(decider, ctx(retester))
      .given([taken, ...failed, ...requested])
      .when(record(PASSING))
      .thenMatches((events, s) => {
        expect(resultOf(events)).toMatchObject({ round: 'retest', verdict: 'pass', labOrgId: 'lab-national' });
        expect(s).toMatchObject({ status: 'retested', initialVerdict: 'fail', retestVerdict: 'pass' });
      });
    spec(decider, ctx(LAB)).given([taken, ...failed, ...requested]).when(record(PASSING)).thenThrows(BusinessRuleError, 'NOT_ALLOWED');
  });

  it('is refused for a passing result, before any result, twice, and by a lab', () => {
    const passed = decider.decide(record(PASSING), [taken].reduce(decider.evolve, decider.initialState()), ctx(LAB));
    spec(decider, ctx(AGENCY)).given([taken, ...passed]).when(request).thenThrows(BusinessRuleError, 'RETEST_NOT_APPLICABLE');
    spec(decider, ctx(AGENCY)).given([taken]).when(request).thenThrows(InvalidStateError);
    spec(decider, ctx(LAB)).given([taken, ...initialFail()]).when(request).thenThrows(BusinessRuleError, 'NOT_ALLOWED');
    spec(decider, ctx(AGENCY)).given([taken, ...initialFail()]).when({ ...request, data: { ...request.data, reason: ' ' } }).thenThrows(ValidationError, 'reason');
  });
});

describe('sample: ReferSample', () => {
  it('records the enforcement case of a failed sample, once; a passing sample is not referred', () => {
    const failed = decider.decide(record(), [taken].reduce(decider.evolve, decider.initialState()), ctx(LAB));
    const { state } = sample().given([taken, ...failed]).when({ type: 'ReferSample', data: { caseId: 'c-1' } }).then([
      { type: 'SampleReferred', data: { sampleId: 's-1', taskId: 'task-1', caseId: 'c-1', referredAt: at } },
    ]);
    expect(state.caseId).toBe('c-1');
    const passed = decider.decide(record(PASSING), [taken].reduce(decider.evolve, decider.initialState()), ctx(LAB));
    sample().given([taken, ...passed]).when({ type: 'ReferSample', data: { caseId: 'c-1' } }).thenThrows(BusinessRuleError, 'NOT_FAILED');
  });
});

