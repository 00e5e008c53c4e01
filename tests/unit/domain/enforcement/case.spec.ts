import { InvalidStateError, ValidationError } from '../../../../domain/shared/errors';
import { caseStreamId, decider, type CaseEvent, type OpenCase } from '../../../../domain/enforcement';
import { NOW, spec } from '../support/decider-spec';
import { ctx, ENFORCEMENT, LOT_CODE } from '../sampling/quality-fixtures';

const at = NOW.toISOString();
const openData: OpenCase['data'] = {
  caseId: 'c-1',
  referral: { kind: 'sample', sampleId: 's-1', taskId: 't-1', verdict: 'fail', failed: ['噻虫胺'], reportNo: 'HN-0001' },
  subject: { entityId: 'ent-1', eid: null, entityName: '乐东豇豆合作社', regionCode: '469027' },
  product: '豇豆',
  traceCodes: [LOT_CODE],
  summary: '豇豆样品噻虫胺超标，移交执法',
  referredBy: { orgId: 'lab-ledong', userId: 'u-lab' },
};
const opened: CaseEvent = { type: 'CaseOpened', data: { ...openData, openedAt: at } };
const c = () => spec(decider, ctx(ENFORCEMENT));

describe('enforcement case: opened by referral → actions → closed with an outcome', () => {
  it('opens from a failed sample', () => {
    const { state } = c().given([]).when({ type: 'OpenCase', data: openData }).then([opened]);
    expect(state).toMatchObject({ status: 'open', regionCode: '469027' });
    expect(caseStreamId('c-1')).toBe('case-c-1');
  });

  it('records numbered actions, then closes; nothing after closing', () => {
    const { events: first } = c()
      .given([opened])
      .when({ type: 'RecordCaseAction', data: { kind: 'recall', description: '责令召回下游全部批次', takenOn: '2026-03-10' } })
      .then([{ type: 'CaseActionRecorded', data: { caseId: 'c-1', regionCode: '469027', seq: 1, kind: 'recall', description: '责令召回下游全部批次', takenOn: '2026-03-10', recordedAt: at, recordedBy: ENFORCEMENT.userId } }]);
    c().given([opened, ...first]).when({ type: 'RecordCaseAction', data: { kind: 'penalty', description: '罚款' } }).thenMatches(([e]) => expect(e!.data).toMatchObject({ seq: 2, takenOn: '2026-03-10' }));
    const { events: closed } = c()
      .given([opened, ...first])
      .when({ type: 'CloseCase', data: { outcome: 'penalized', summary: '没收并罚款', penaltyYuan: 50000 } })
      .then([{ type: 'CaseClosed', data: { caseId: 'c-1', regionCode: '469027', outcome: 'penalized', summary: '没收并罚款', penaltyYuan: 50000, closedAt: at, closedBy: ENFORCEMENT.userId } }]);
    c().given([opened, ...closed]).when({ type: 'RecordCaseAction', data: { kind: 'other', description: 'x' } }).thenThrows(InvalidStateError);
    c().given([opened, ...closed]).when({ type: 'CloseCase', data: { outcome: 'rectified', summary: 'x' } }).thenThrows(InvalidStateError);
  });

  it('names bad fields', () => {
    c().given([]).when({ type: 'OpenCase', data: { ...openData, referral: { kind: 'phone' } as never } }).thenThrows(ValidationError, 'referral.kind');
    c().given([opened]).when({ type: 'RecordCaseAction', data: { kind: 'arrest' as never, description: 'x' } }).thenThrows(ValidationError, 'kind');
    c().given([opened]).when({ type: 'RecordCaseAction', data: { kind: 'notice', description: 'x', takenOn: '10 March' } }).thenThrows(ValidationError, 'takenOn');
    c().given([opened]).when({ type: 'CloseCase', data: { outcome: 'penalized', summary: 'x' } }).thenThrows(ValidationError, 'penaltyYuan');
    c().given([]).when({ type: 'CloseCase', data: { outcome: 'rectified', summary: 'x' } }).thenThrows(InvalidStateError);
  });
});
