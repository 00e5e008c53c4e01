import { InvalidStateError, ValidationError } from '../../../../domain/shared/errors';
import { SYSTEM_ACTOR } from '../../../../domain/shared/actor';
import { decider, nextRectificationDue, rectificationDueAt, type CaseCommand, type CaseEvent, type OpenCase } from '../../../../domain/enforcement';
import { NOW, spec } from '../support/decider-spec';
import { ctx, ENFORCEMENT } from '../sampling/quality-fixtures';

/**
 * 自行立案 with an unregistered party recorded on site, and 责令限期整改: an order's deadline, its verification
 * (整改复查) and what happens when the deadline passes unverified (RectificationOverdue, decided by the
 * platform's deadline job on its clock).
 */
const at = NOW.toISOString(); // 2026-03-10 10:00 CST
const own: OpenCase['data'] = {
  caseId: 'c-own',
  referral: { kind: 'own', source: 'on-site', ref: null },
  subject: { entityId: null, eid: null, entityName: '佛罗镇无名豇豆收购点', regionCode: '469027', unregistered: { address: '乐东县佛罗镇丹村路口', responsible: '陈某', phone: null, creditCode: null } },
  product: '豇豆',
  traceCodes: [],
  summary: '现场发现未注册收购点无追溯凭证收购豇豆',
  referredBy: { orgId: 'enf-ledong', userId: 'u-enf' },
};
const opened: CaseEvent = { type: 'CaseOpened', data: { ...own, openedAt: at } };
const c = () => spec(decider, ctx(ENFORCEMENT));
/** The events a command decides on a history, as enforcement at NOW (for building the next `given`). */
const decide = (history: CaseEvent[], command: CaseCommand) => decider.decide(command, history.reduce(decider.evolve, decider.initialState()), ctx(ENFORCEMENT));
const order = (deadline = '2026-03-20') => ({ type: 'RecordCaseAction' as const, data: { kind: 'rectification-order' as const, description: '建立进货查验记录', deadline } });

describe('enforcement opens a case itself', () => {
  it('records an unregistered party found on site in the case', () => {
    const { state } = c().given([]).when({ type: 'OpenCase', data: own }).then([opened]);
    expect(state).toMatchObject({ status: 'open', regionCode: '469027', referral: { kind: 'own', source: 'on-site' } });
  });

  it('a registered entity is not also recorded as unregistered; an unregistered party needs an address; sources are named', () => {
    c().given([]).when({ type: 'OpenCase', data: { ...own, subject: { ...own.subject, entityId: 'ent-1' } } }).thenThrows(ValidationError, 'subject.unregistered');
    c().given([]).when({ type: 'OpenCase', data: { ...own, subject: { ...own.subject, unregistered: { ...own.subject.unregistered!, address: '' } } } }).thenThrows(ValidationError, 'subject.unregistered.address');
    c().given([]).when({ type: 'OpenCase', data: { ...own, referral: { kind: 'own', source: 'rumour' as never, ref: null } } }).thenThrows(ValidationError, 'referral.source');
  });
});

describe('责令限期整改: an order to correct within a deadline', () => {
  it('keeps the deadline, due at the end of that day in China Standard Time', () => {
    expect(rectificationDueAt('2026-03-20')).toBe('2026-03-20T16:00:00.000Z');
    c()
      .given([opened])
      .when(order())
      .then([
        {
          type: 'CaseActionRecorded',
          data: { caseId: 'c-own', regionCode: '469027', seq: 1, kind: 'rectification-order', description: '建立进货查验记录', takenOn: '2026-03-10', recordedAt: at, recordedBy: 'u-enf', deadline: '2026-03-20', dueAt: '2026-03-20T16:00:00.000Z' },
        },
      ]);
  });

  it('an order needs a deadline not before it; only an order has one', () => {
    c().given([opened]).when({ type: 'RecordCaseAction', data: { kind: 'rectification-order', description: 'x' } }).thenThrows(ValidationError, 'deadline');
    c().given([opened]).when(order('2026-03-09')).thenThrows(ValidationError, 'deadline');
    c().given([opened]).when({ type: 'RecordCaseAction', data: { kind: 'penalty', description: 'x', deadline: '2026-03-20' } }).thenThrows(ValidationError, 'deadline');
  });

  it('becomes overdue once its deadline passes unverified — not a moment before, and only once', () => {
    const history = [opened, ...decide([opened], order())];
    expect(nextRectificationDue(history.reduce(decider.evolve, decider.initialState()))).toBe('2026-03-20T16:00:00.000Z');
    const check = { type: 'CheckRectificationDeadlines' as const, data: {} };
    c().given(history).when(check, ctx(SYSTEM_ACTOR, new Date('2026-03-20T15:59:59.999Z'))).then([]);
    const late = new Date('2026-03-21T01:00:00.000Z');
    const { events: overdue, state: after } = c()
      .given(history)
      .when(check, ctx(SYSTEM_ACTOR, late))
      .then([{ type: 'RectificationOverdue', data: { caseId: 'c-own', regionCode: '469027', orderSeq: 1, deadline: '2026-03-20', dueAt: '2026-03-20T16:00:00.000Z', recordedAt: late.toISOString() } }]);
    expect(after.orders).toEqual([{ seq: 1, deadline: '2026-03-20', dueAt: '2026-03-20T16:00:00.000Z', status: 'overdue' }]);
    expect(nextRectificationDue(after)).toBeNull();
    c().given([...history, ...overdue]).when(check, ctx(SYSTEM_ACTOR, late)).then([]);
  });

  it('a verified order never becomes overdue; a second verification is refused; a closed case is not checked', () => {
    const history = [opened, ...decide([opened], order())];
    const verified = decide(history, { type: 'RecordCaseAction', data: { kind: 'rectification-verified', description: '复查：已建立进货查验记录', orderSeq: 1 } });
    expect(verified[0]!.data).toMatchObject({ seq: 2, kind: 'rectification-verified', orderSeq: 1 });
    const done = [...history, ...verified];
    expect(done.reduce(decider.evolve, decider.initialState()).orders[0]!.status).toBe('complied');
    c().given(done).when({ type: 'CheckRectificationDeadlines', data: {} }, ctx(SYSTEM_ACTOR, new Date('2026-04-01T00:00:00Z'))).then([]);
    c().given(done).when({ type: 'RecordCaseAction', data: { kind: 'rectification-verified', description: 'again', orderSeq: 1 } }).thenThrows(InvalidStateError);
    c().given(history).when({ type: 'RecordCaseAction', data: { kind: 'rectification-verified', description: 'x', orderSeq: 7 } }).thenThrows(ValidationError, 'orderSeq');
    const closed = decide(history, { type: 'CloseCase', data: { outcome: 'rectified', summary: '整改完毕' } });
    c().given([...history, ...closed]).when({ type: 'CheckRectificationDeadlines', data: {} }, ctx(SYSTEM_ACTOR, new Date('2026-04-01T00:00:00Z'))).then([]);
  });
});
