import { decider, type RecallEvent } from '../../../../domain/recall';
import type { Actor } from '../../../../domain/shared/actor';
import { BusinessRuleError, InvalidStateError, ValidationError } from '../../../../domain/shared/errors';
import { NOW, spec } from '../support/decider-spec';

const HOLDER: Actor = { userId: 'u-gd', orgId: 'ent-gd', role: 'producer', regionCode: '440111' };
const ctx = { now: NOW, actor: HOLDER };
const DEADLINE = '2026-03-11T02:00:00.000Z';
const issued = (): RecallEvent =>
  decider.decide(
    {
      type: 'IssueRecallNotice',
      data: {
        incidentId: 'inc-1',
        holder: { entityId: 'ent-gd', name: '广州江南果菜批发市场', eid: null, regionCode: '440111', contact: { person: '陈', phone: '13902010002' } },
        lots: [{ traceCode: 'T-GD', product: '豇豆', unit: 'kg', received: 300, passedOn: 100 }],
        deadline: DEADLINE,
      },
    },
    decider.initialState(),
    ctx,
  )[0]!;
const acknowledged = (): RecallEvent => decider.decide({ type: 'AcknowledgeRecall', data: { note: null } }, decider.evolve(decider.initialState(), issued()), ctx)[0]!;
const report = (lots: unknown[]) => ({ type: 'ReportRecallQuantities', data: { reportId: 'r1', lots, note: null } }) as const;

describe('recall decider (召回)', () => {
  it('a notice states what the holder must account for: received less passed on', () => {
    expect(issued().data).toMatchObject({ standing: [{ traceCode: 'T-GD', affected: 200, accountedFor: 0 }] });
  });

  it('reports add up, in any unit convertible to the lot’s, and carry the standing after them', () => {
    spec(decider, ctx)
      .given([issued(), acknowledged()])
      .when(report([{ traceCode: 'T-GD', recovered: { amount: 150, unit: 'kg' }, soldToConsumers: { amount: 100, unit: 'jin' } }]) as never)
      .thenMatches(([e]) => expect(e!.data).toMatchObject({ lots: [{ recovered: 150, soldToConsumers: 50, destroyed: 0 }], standing: [{ affected: 200, accountedFor: 200 }] }));
  });

  it('refuses more than the holder must account for, naming the field that crosses it', () => {
    const err = spec(decider, ctx)
      .given([issued(), acknowledged()])
      .when(report([{ traceCode: 'T-GD', recovered: { amount: 150, unit: 'kg' }, destroyed: { amount: 60, unit: 'kg' } }]) as never)
      .thenThrows(BusinessRuleError, 'RECALL_EXCEEDS_HOLDING') as BusinessRuleError;
    expect(err.details.field).toBe('lots[0].destroyed');
  });

  it('refuses a lot not on the notice, an empty report and a report before acknowledging', () => {
    spec(decider, ctx).given([issued(), acknowledged()]).when(report([{ traceCode: 'T-BJ', recovered: { amount: 1, unit: 'kg' } }]) as never).thenThrows(ValidationError, 'lots[0].traceCode');
    spec(decider, ctx).given([issued(), acknowledged()]).when(report([{ traceCode: 'T-GD' }]) as never).thenThrows(ValidationError, 'lots[0]');
    spec(decider, ctx).given([issued(), acknowledged()]).when(report([{ traceCode: 'T-GD', recovered: { amount: 1, unit: 'box' } }]) as never).thenThrows(ValidationError, 'unit');
    spec(decider, ctx).given([issued()]).when(report([{ traceCode: 'T-GD', recovered: { amount: 1, unit: 'kg' } }]) as never).thenThrows(InvalidStateError);
  });

  it('acknowledging twice is refused', () => {
    spec(decider, ctx).given([issued(), acknowledged()]).when({ type: 'AcknowledgeRecall', data: { note: null } }).thenThrows(InvalidStateError);
  });

  it('escalates a holder who has not acknowledged by the deadline, once; never one who has', () => {
    const late = { now: new Date(Date.parse(DEADLINE) + 1000), actor: HOLDER };
    spec(decider, ctx).given([issued()]).when({ type: 'EscalateOverdueRecall', data: {} }).then([]);
    const { events } = spec(decider, late).given([issued()]).when({ type: 'EscalateOverdueRecall', data: {} }).then([
      { type: 'RecallEscalated', data: { incidentId: 'inc-1', holderEntityId: 'ent-gd', regionCode: '440111', holderName: '广州江南果菜批发市场', deadline: DEADLINE, escalatedAt: late.now.toISOString() } },
    ]);
    spec(decider, late).given([issued(), ...events]).when({ type: 'EscalateOverdueRecall', data: {} }).then([]);
    spec(decider, late).given([issued(), acknowledged()]).when({ type: 'EscalateOverdueRecall', data: {} }).then([]);
  });

  it('an update adds a lot or changes what was passed on; the same lots again change nothing', () => {
    spec(decider, ctx).given([issued()]).when({ type: 'UpdateRecallLots', data: { lots: [{ traceCode: 'T-GD', product: '豇豆', unit: 'kg', received: 300, passedOn: 100 }] } }).then([]);
    spec(decider, ctx)
      .given([issued()])
      .when({ type: 'UpdateRecallLots', data: { lots: [{ traceCode: 'T-GD', product: '豇豆', unit: 'kg', received: 300, passedOn: 250 }] } })
      .thenMatches(([e]) => expect(e!.data).toMatchObject({ standing: [{ affected: 50 }] }));
  });
});
