import type { Actor } from '../../../../domain/shared/actor';
import { InvalidStateError, ValidationError } from '../../../../domain/shared/errors';
import { decider, faultStreamId, nextDeadline, type FaultEvent, type ReportFault } from '../../../../domain/faults';
import { spec } from '../support/decider-spec';
import { ctx, MINISTRY } from '../sampling/quality-fixtures';

const OPS: Actor = { userId: 'u-ops', orgId: 'platform-ops', role: 'county-admin', regionCode: '' };
const T0 = new Date('2026-03-10T02:00:00.000Z');
const h = (hours: number) => new Date(T0.getTime() + hours * 3_600_000);
const iso = (hours: number) => h(hours).toISOString();
const reportData = (level: 1 | 2 | 3): ReportFault['data'] => ({
  faultId: 'f-1',
  level,
  occurredAt: iso(-0.5),
  place: '国家追溯平台 主数据中心',
  description: '部分用户扫码交易提交失败',
  affectedScope: '扫码交易（部分省份）',
  measures: '切换备用应用服务器',
  expectedRecoveryAt: iso(1),
  reporter: { name: '运维值班', contact: '010-59198539' },
});
const reported = (level: 1 | 2 | 3): FaultEvent => ({ type: 'FaultReported', data: { ...reportData(level), reportedAt: iso(0), reportedBy: OPS.userId } });
const at = (hours: number, actor = OPS) => ctx(actor, h(hours));
const check = { type: 'CheckFaultDeadlines' as const, data: {} };
const fault = () => spec(decider, at(0));

describe('fault: report and escalation deadlines (2 h, 6 h, 12 h / 24 h)', () => {
  it('reports a level-1 fault with what the guide asks for', () => {
    const { state } = fault().given([]).when({ type: 'ReportFault', data: reportData(1) }).then([reported(1)]);
    expect(state).toMatchObject({ status: 'open', level: 1, levelSince: iso(0) });
    expect(nextDeadline(state)).toEqual({ kind: 'escalate', toLevel: 2, dueAt: iso(2) });
    expect(faultStreamId('f-1')).toBe('fault-f-1');
  });

  it('nothing is due before 2 h; at 2 h level 1 becomes level 2', () => {
    fault().given([reported(1)]).when(check, at(1.99)).then([]);
    fault()
      .given([reported(1)])
      .when(check, at(2))
      .then([{ type: 'FaultEscalated', data: { faultId: 'f-1', fromLevel: 1, toLevel: 2, automatic: true, dueAt: iso(2), detectedAt: iso(2), reason: 'not cleared within 2 h' } }]);
  });

  it('a late check records every deadline that passed, each at its own due time', () => {
    fault()
      .given([reported(1)])
      .when(check, at(40))
      .thenMatches((events, state) => {
        expect(events.map((e) => [e.type, (e.data as { dueAt: string }).dueAt])).toEqual([
          ['FaultEscalated', iso(2)],
          ['FaultEscalated', iso(8)],
          ['FaultOverdue', iso(20)],
          ['FaultOverdue', iso(32)],
        ]);
        expect(state).toMatchObject({ level: 3, overdue: [12, 24] });
        expect(nextDeadline(state)).toBeNull();
      });
  });

  it('level 2 from the start escalates after 6 h; level 3 is overdue at 12 h and 24 h', () => {
    fault().given([reported(2)]).when(check, at(6)).thenMatches(([e]) => expect(e!.data).toMatchObject({ fromLevel: 2, toLevel: 3, dueAt: iso(6) }));
    fault().given([reported(3)]).when(check, at(12)).thenMatches((events) => expect(events).toEqual([{ type: 'FaultOverdue', data: { faultId: 'f-1', level: 3, hours: 12, dueAt: iso(12), detectedAt: iso(12) } }]));
  });
});

describe('fault: resolution and the post-recovery integrity check', () => {
  it('resolved within the limit', () => {
    fault()
      .given([reported(1)])
      .when({ type: 'ResolveFault', data: { resolution: '已切换备用服务器，恢复正常' } }, at(1.5, MINISTRY))
      .then([{ type: 'FaultResolved', data: { faultId: 'f-1', level: 1, resolution: '已切换备用服务器，恢复正常', resolvedAt: iso(1.5), resolvedBy: MINISTRY.userId, minutesOpen: 90, withinLimit: true } }]);
  });

  it('a resolution first records the deadlines that passed before it; then no more escalation', () => {
    const events = decider.decide({ type: 'ResolveFault', data: { resolution: '恢复' } }, [reported(1)].reduce(decider.evolve, decider.initialState()), at(3, MINISTRY));
    expect(events.map((e) => e.type)).toEqual(['FaultEscalated', 'FaultResolved']);
    expect(events[1]!.data).toMatchObject({ level: 2, withinLimit: false, minutesOpen: 180 });
    fault().given([reported(1), ...events]).when(check, at(100)).then([]);
    fault().given([reported(1), ...events]).when({ type: 'ResolveFault', data: { resolution: 'again' } }).thenThrows(InvalidStateError);
  });

  it('records the integrity check only after recovery', () => {
    const checkData = { ok: true, eventsChecked: 120, streamsChecked: 14, headPosition: 120, breaks: 0, firstBreaks: [], checkedAt: iso(2) };
    fault().given([reported(1)]).when({ type: 'RecordIntegrityCheck', data: checkData }).thenThrows(InvalidStateError);
    const resolved = decider.decide({ type: 'ResolveFault', data: { resolution: 'ok' } }, [reported(1)].reduce(decider.evolve, decider.initialState()), at(1));
    fault().given([reported(1), ...resolved]).when({ type: 'RecordIntegrityCheck', data: checkData }).then([{ type: 'FaultIntegrityChecked', data: { faultId: 'f-1', ...checkData } }]);
  });
});

describe('fault: manual reclassification and progress', () => {
  it('raises the level by hand (clock restarts), never lowers it', () => {
    fault()
      .given([reported(1)])
      .when({ type: 'ReclassifyFault', data: { level: 3, reason: '数据库无法连接' } }, at(1))
      .thenMatches(([e], state) => {
        expect(e!.data).toMatchObject({ fromLevel: 1, toLevel: 3, automatic: false, dueAt: iso(1) });
        expect(nextDeadline(state)).toEqual({ kind: 'overdue', hours: 12, dueAt: iso(13) });
      });
    fault().given([reported(2)]).when({ type: 'ReclassifyFault', data: { level: 1, reason: 'x' } }, at(1)).thenThrows(ValidationError, 'level');
  });

  it('progress reports record passed deadlines first', () => {
    fault().given([reported(1)]).when({ type: 'ReportFaultProgress', data: { note: '已定位原因' } }, at(2.5)).thenMatches((events) => {
      expect(events.map((e) => e.type)).toEqual(['FaultEscalated', 'FaultProgressReported']);
      expect(events[1]!.data).toMatchObject({ level: 2 });
    });
  });

  it('names bad fields', () => {
    fault().given([]).when({ type: 'ReportFault', data: { ...reportData(1), level: 4 as never } }).thenThrows(ValidationError, 'level');
    fault().given([]).when({ type: 'ReportFault', data: { ...reportData(1), occurredAt: iso(1) } }).thenThrows(ValidationError, 'occurredAt');
    fault().given([]).when({ type: 'ReportFault', data: { ...reportData(1), expectedRecoveryAt: iso(-2) } }).thenThrows(ValidationError, 'expectedRecoveryAt');
    fault().given([]).when({ type: 'ReportFault', data: { ...reportData(1), affectedScope: '' } }).thenThrows(ValidationError, 'affectedScope');
  });
});
