import { BusinessRuleError, InvalidStateError, ValidationError } from '../../../../domain/shared/errors';
import { decider, inspectionStreamId, type InspectionEvent, type PublishInspectionTask, type RecordInspection } from '../../../../domain/inspection';
import { NOW, spec } from '../support/decider-spec';
import { FARM_EID } from '../support/fixtures';
import { ctx, INSPECTOR, LAB } from '../sampling/quality-fixtures';

const at = NOW.toISOString();
const COUNTY = { userId: 'u-county', orgId: 'county-469027', role: 'county-admin' as const, regionCode: '469027' };
const publishData: PublishInspectionTask['data'] = {
  inspectionId: 'i-1',
  title: '3月豇豆基地巡查',
  regionCode: '469027',
  inspectors: [{ userId: INSPECTOR.userId, name: '李巡查' }],
  dueDate: '2026-03-31',
  publisher: { orgId: COUNTY.orgId, name: '乐东县农业农村局' },
};
const published: InspectionEvent = { type: 'InspectionTaskPublished', data: { ...publishData, targets: [], publishedAt: at } };
const recordData: RecordInspection['data'] = {
  recordId: 'r-1',
  subject: { kind: 'registered', entityId: 'ent-1', eid: FARM_EID, name: '乐东豇豆合作社', regionCode: '469027' },
  visitedAt: '2026-03-10T01:00:00.000Z',
  checklist: [{ item: '农药使用记录', ok: false, note: '记录缺失' }],
  findings: [{ description: '仓库存放禁用农药克百威', severity: 'critical' }],
  conclusion: '发现禁用农药，移交执法',
};
const record = (patch: Partial<RecordInspection['data']> = {}) => ({ type: 'RecordInspection' as const, data: { ...recordData, ...patch } });
const recorded: InspectionEvent = {
  type: 'InspectionRecorded',
  data: { inspectionId: 'i-1', ...recordData, checklist: recordData.checklist!, guidedToRegister: false, inspector: { userId: INSPECTOR.userId, orgId: INSPECTOR.orgId }, recordedAt: at },
};

describe('inspection (基地巡查): task → records → referral', () => {
  it('an agency publishes a task to its inspectors', () => {
    spec(decider, ctx(COUNTY)).given([]).when({ type: 'PublishInspectionTask', data: publishData }).then([published]);
    spec(decider, ctx(INSPECTOR)).given([]).when({ type: 'PublishInspectionTask', data: publishData }).thenThrows(BusinessRuleError, 'NOT_ALLOWED');
    expect(inspectionStreamId('i-1')).toBe('inspection-i-1');
  });

  it('an assigned inspector records a visit by e-ID, or an unregistered entity by hand', () => {
    spec(decider, ctx(INSPECTOR)).given([published]).when(record()).then([recorded]);
    spec(decider, ctx(INSPECTOR))
      .given([published])
      .when(record({ recordId: 'r-2', subject: { kind: 'unregistered', name: '符某某', regionCode: '469027', address: '佛罗镇', products: ['豇豆'] }, findings: [], guidedToRegister: true }))
      .thenMatches(([e]) => expect(e!.data).toMatchObject({ guidedToRegister: true, subject: { kind: 'unregistered', name: '符某某' } }));
  });

  it('refuses other users, bad e-IDs, places outside the region, unknown severities', () => {
    spec(decider, ctx(LAB)).given([published]).when(record()).thenThrows(BusinessRuleError, 'NOT_ALLOWED');
    spec(decider, ctx(INSPECTOR)).given([published]).when(record({ subject: { ...recordData.subject, eid: 'NOT-AN-EID' } as never })).thenThrows(ValidationError, 'subject.eid');
    spec(decider, ctx(INSPECTOR)).given([published]).when(record({ subject: { ...recordData.subject, regionCode: '370686' } as never })).thenThrows(ValidationError, 'subject.regionCode');
    spec(decider, ctx(INSPECTOR)).given([published]).when(record({ findings: [{ description: 'x', severity: 'huge' as never }] })).thenThrows(ValidationError, 'findings[0].severity');
    spec(decider, ctx(INSPECTOR)).given([published, recorded]).when(record()).thenThrows(InvalidStateError);
  });

  it('refers a record with findings to enforcement once; completes', () => {
    const { events } = spec(decider, ctx(INSPECTOR))
      .given([published, recorded])
      .when({ type: 'ReferInspectionFindings', data: { recordId: 'r-1', caseId: 'c-9' } })
      .then([{ type: 'InspectionReferred', data: { inspectionId: 'i-1', recordId: 'r-1', caseId: 'c-9', subject: recordData.subject, findings: recordData.findings, note: null, referredAt: at } }]);
    spec(decider, ctx(INSPECTOR)).given([published, recorded, ...events]).when({ type: 'ReferInspectionFindings', data: { recordId: 'r-1', caseId: 'c-10' } }).thenThrows(InvalidStateError);
    spec(decider, ctx(INSPECTOR)).given([published, recorded]).when({ type: 'ReferInspectionFindings', data: { recordId: 'r-9', caseId: 'c-10' } }).thenThrows(ValidationError, 'recordId');
    const clean: InspectionEvent = { ...recorded, data: { ...recorded.data, recordId: 'r-3', findings: [] } } as InspectionEvent;
    spec(decider, ctx(INSPECTOR)).given([published, clean]).when({ type: 'ReferInspectionFindings', data: { recordId: 'r-3', caseId: 'c-10' } }).thenThrows(BusinessRuleError, 'NOTHING_TO_REFER');
    const { state } = spec(decider, ctx(COUNTY))
      .given([published, recorded])
      .when({ type: 'CompleteInspection', data: { summary: '巡查1家' } })
      .then([{ type: 'InspectionCompleted', data: { inspectionId: 'i-1', regionCode: '469027', summary: '巡查1家', records: 1, completedAt: at } }]);
    expect(state.status).toBe('completed');
  });
});
