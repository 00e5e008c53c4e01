import { BusinessRuleError, InvalidStateError, ValidationError } from '../../../../domain/shared/errors';
import { decider, drawSample, SELECTION_ALGORITHM, taskStreamId, type PublishTask, type TaskEvent, type TaskSummary } from '../../../../domain/monitoring';
import { NOW, spec } from '../support/decider-spec';
import { AGENCY, ctx, LAB, LEAD_LAB, MODEL, OTHER_LAB } from '../sampling/quality-fixtures';

const at = NOW.toISOString();
const publishData: PublishTask['data'] = {
  taskId: 't-1',
  kind: 'spotCheck',
  title: '2026年一季度豇豆监督抽查',
  regionCode: '460000',
  period: { from: '2026-03-01', to: '2026-03-31' },
  urgency: 'urgent',
  publisher: { orgId: AGENCY.orgId, name: '海南省农业农村厅' },
  leadLab: { orgId: LEAD_LAB.orgId, name: '海南省农产品质量安全检测中心' },
};
const publish = (patch: Partial<PublishTask['data']> = {}) => ({ type: 'PublishTask' as const, data: { ...publishData, ...patch } });
const published: TaskEvent = { type: 'TaskPublished', data: { ...publishData, urgency: 'urgent', publishedAt: at } };
const configured: TaskEvent = { type: 'MonitoringModelConfigured', data: { taskId: 't-1', model: MODEL, configuredAt: at, configuredBy: LEAD_LAB.userId } };
const assignment = { orgId: LAB.orgId, name: '乐东县农产品质量安全检测站', regionCode: '469027', quota: 30 };
const distributed: TaskEvent = { type: 'TaskDistributed', data: { taskId: 't-1', assignments: [assignment], distributedAt: at } };
const summary: TaskSummary = { samples: 2, tested: 2, passed: 1, failed: 1, inconclusive: 0, passRate: 0.5, analytes: [], failedSamples: [] };

const asAgency = () => spec(decider, ctx(AGENCY));
const asLead = () => spec(decider, ctx(LEAD_LAB));

describe('monitoring task: publish → configure → distribute', () => {
  it('a supervision agency publishes to a lead lab', () => {
    const { state } = asAgency().given([]).when(publish()).then([published]);
    expect(state).toMatchObject({ status: 'published', kind: 'spotCheck', urgency: 'urgent' });
    expect(taskStreamId('t-1')).toBe('task-t-1');
  });

  it('a lab cannot publish; bad fields are named', () => {
    spec(decider, ctx(LAB)).given([]).when(publish()).thenThrows(BusinessRuleError, 'NOT_ALLOWED');
    asAgency().given([]).when(publish({ kind: 'annual' as never })).thenThrows(ValidationError, 'kind');
    asAgency().given([]).when(publish({ regionCode: '999999' })).thenThrows(ValidationError, 'regionCode');
    asAgency().given([]).when(publish({ period: { from: '2026-04-01', to: '2026-03-01' } })).thenThrows(ValidationError, 'period.to');
    asAgency().given([published]).when(publish()).thenThrows(InvalidStateError);
  });

  it('only the lead lab configures the model, and only before distribution', () => {
    asLead().given([published]).when({ type: 'ConfigureModel', data: { model: MODEL } }).then([configured]);
    spec(decider, ctx(LAB)).given([published]).when({ type: 'ConfigureModel', data: { model: MODEL } }).thenThrows(BusinessRuleError, 'NOT_ALLOWED');
    asLead().given([published, configured, distributed]).when({ type: 'ConfigureModel', data: { model: MODEL } }).thenThrows(InvalidStateError);
  });

  it('validates the model: limits, units, LOD for 不得检出', () => {
    const bad = (analyte: object) => ({ type: 'ConfigureModel' as const, data: { model: { ...MODEL, analytes: [analyte as never] } } });
    asLead().given([published]).when(bad({ code: 'x', name: 'x', limit: { kind: 'max', value: 0, unit: 'mg/kg' } })).thenThrows(ValidationError, 'model.analytes[0].limit.value');
    asLead().given([published]).when(bad({ code: 'x', name: 'x', limit: { kind: 'max', value: 1, unit: 'kg' } })).thenThrows(ValidationError, 'model.analytes[0].limit.unit');
    asLead().given([published]).when(bad({ code: 'x', name: 'x', limit: { kind: 'notDetected' } })).thenThrows(ValidationError, 'model.analytes[0].lod');
    asLead().given([published]).when({ type: 'ConfigureModel', data: { model: { ...MODEL, products: [] } } }).thenThrows(ValidationError, 'model.products');
  });

  it('distributes to undertaking labs inside the task’s region, after the model', () => {
    const { state } = asLead().given([published, configured]).when({ type: 'DistributeTask', data: { assignments: [assignment] } }).then([distributed]);
    expect(state.status).toBe('distributed');
    asLead().given([published]).when({ type: 'DistributeTask', data: { assignments: [assignment] } }).thenThrows(InvalidStateError);
    asLead().given([published, configured]).when({ type: 'DistributeTask', data: { assignments: [{ ...assignment, regionCode: '370686' }] } }).thenThrows(ValidationError, 'assignments[0].regionCode');
    asLead().given([published, configured, distributed]).when({ type: 'DistributeTask', data: { assignments: [assignment] } }).thenThrows(ValidationError, 'assignments[0].orgId');
  });
});

describe('monitoring task: spot-check random selection', () => {
  const candidates = ['e-05', 'e-01', 'e-03', 'e-02', 'e-04', 'e-06', 'e-07', 'e-08'];
  const select = { type: 'SelectSpotCheckEntities' as const, data: { seed: 'HN-2026-Q1-0001', candidates, count: 3, keyEntities: ['e-key'], samplerCandidates: ['s-a', 's-b', 's-c'], samplerCount: 2 } };

  it('draws from the sorted candidates with the seed, records seed, algorithm, candidates and result; key entities go in directly', () => {
    asLead()
      .given([published, configured, distributed])
      .when(select)
      .thenMatches(([e], state) => {
        expect(e!.type).toBe('SpotCheckEntitiesSelected');
        const d = e!.data as Extract<TaskEvent, { type: 'SpotCheckEntitiesSelected' }>['data'];
        expect(d).toMatchObject({ seed: 'HN-2026-Q1-0001', algorithm: SELECTION_ALGORITHM, count: 3, keyEntities: ['e-key'], candidates: [...candidates].sort() });
        expect(d.selected).toEqual(drawSample('HN-2026-Q1-0001', candidates, 3));
        expect(d.selected).toHaveLength(3);
        expect(d.selectedSamplers).toHaveLength(2);
        expect(state.selection?.selected).toEqual(d.selected);
      });
  });

  it('is for spot checks only, never repeated, by the task’s organisations', () => {
    const routine: TaskEvent = { type: 'TaskPublished', data: { ...publishData, kind: 'routine', urgency: 'normal', publishedAt: at } };
    asLead().given([routine, configured, distributed]).when(select).thenThrows(BusinessRuleError, 'NOT_A_SPOT_CHECK');
    const drawn = decider.decide(select, [published, configured, distributed].reduce(decider.evolve, decider.initialState()), ctx(LEAD_LAB));
    asLead().given([published, configured, distributed, ...drawn]).when(select).thenThrows(InvalidStateError);
    spec(decider, ctx(OTHER_LAB)).given([published, configured, distributed]).when(select).thenThrows(BusinessRuleError, 'NOT_ALLOWED');
    asLead().given([published, configured, distributed]).when({ ...select, data: { ...select.data, count: 0 } }).thenThrows(ValidationError, 'count');
    asLead().given([published, configured, distributed]).when({ ...select, data: { ...select.data, candidates: [], keyEntities: [] } }).thenThrows(BusinessRuleError, 'NO_CANDIDATES');
  });
});

describe('monitoring task: reports', () => {
  it('an undertaking lab submits its summary; the lead lab reports to the agency, which closes the task', () => {
    spec(decider, ctx(LAB))
      .given([published, configured, distributed])
      .when({ type: 'SubmitLabReport', data: { summary, note: '完成30批次' } })
      .then([{ type: 'LabReportSubmitted', data: { taskId: 't-1', lab: { orgId: LAB.orgId, name: assignment.name }, summary, note: '完成30批次', submittedAt: at } }]);
    const { state } = asLead()
      .given([published, configured, distributed])
      .when({ type: 'SubmitTaskReport', data: { summary, conclusion: '合格率50%，不合格样品已移交执法' } })
      .then([{ type: 'TaskReported', data: { taskId: 't-1', summary, conclusion: '合格率50%，不合格样品已移交执法', reportedTo: publishData.publisher, reportedAt: at } }]);
    expect(state.status).toBe('reported');
  });

  it('refuses inconsistent summaries and foreign labs', () => {
    spec(decider, ctx(LAB)).given([published, configured, distributed]).when({ type: 'SubmitLabReport', data: { summary: { ...summary, passed: 2 } } }).thenThrows(ValidationError, 'summary.tested');
    spec(decider, ctx(OTHER_LAB)).given([published, configured, distributed]).when({ type: 'SubmitLabReport', data: { summary } }).thenThrows(BusinessRuleError, 'NOT_ALLOWED');
    spec(decider, ctx(LAB)).given([published, configured, distributed]).when({ type: 'SubmitTaskReport', data: { summary, conclusion: 'x' } }).thenThrows(BusinessRuleError, 'NOT_ALLOWED');
  });
});
