import * as fc from 'fast-check';
import { InvalidStateError, ValidationError } from '../../../../domain/shared/errors';
import { decider, fingerprintOf, validateFields, type OriginRecordEvent, type OriginRecordInput } from '../../../../domain/origin';
import { NOW, spec } from '../support/decider-spec';
import { COLLECTOR, COUNTY, ctx, places, plantingInput } from './fixtures';

const collect = (fields: OriginRecordInput = plantingInput()) => ({ type: 'CollectOriginRecord' as const, data: { recordId: 'r1', fields, channel: 'import' as const, importId: 'imp-1', row: 3 } });
const change = (fields: OriginRecordInput) => ({ type: 'ChangeOriginRecord' as const, data: { fields, channel: 'form' as const } });
const collected = (): OriginRecordEvent => decider.decide(collect(), decider.initialState(), ctx())[0]!;
const later = (iso: string, actor = COUNTY) => ctx({ now: new Date(iso), actor });
const returned = (): OriginRecordEvent =>
  decider.decide({ type: 'ReturnOriginRecord', data: { reason: '经纬度不准', deadline: '2026-03-17T10:00:00.000Z' } }, decider.evolve(decider.initialState(), collected()), later('2026-03-11T02:00:00.000Z'))[0]!;

describe('origin record decider', () => {
  it('collecting gives one event with the fields, the scope verdict, the place and when it is due again', () => {
    spec(decider, ctx()).given([]).when(collect()).thenMatches(([e]) => {
      expect(e!.type).toBe('OriginRecordCollected');
      const d = e!.data as Extract<OriginRecordEvent, { type: 'OriginRecordCollected' }>['data'];
      expect(d).toMatchObject({ recordId: 'r1', countyCode: '110101', townshipCode: '110101001', villageCode: '110101001001', channel: 'import', importId: 'imp-1', row: 3, reviewState: 'pending', collectedAt: NOW.toISOString(), refreshDueAt: '2026-09-30T15:59:59.999Z' });
      expect(d.scope).toEqual({ inScope: true, threshold: { amount: '0.5', unit: '亩' }, ruleSet: 'national', keyProduct: true });
      expect(d.collectedBy).toEqual({ userId: COLLECTOR.userId, orgId: COLLECTOR.orgId, role: COLLECTOR.role, regionCode: COLLECTOR.regionCode });
      expect(d.fingerprint).toBe(fingerprintOf(validateFields(plantingInput(), places)));
    });
  });

  it('a record below the threshold is kept and marked 规模以下', () => {
    spec(decider, ctx()).given([]).when(collect(plantingInput({ scale: { amount: '0.3', unit: '亩' } }))).thenMatches(([e]) => {
      expect((e!.data as { scope: { inScope: boolean } }).scope.inScope).toBe(false);
    });
  });

  it('collecting twice is refused; a bad field is a ValidationError naming it', () => {
    spec(decider, ctx()).given([collected()]).when(collect()).thenThrows(InvalidStateError, 'INVALID_STATE');
    spec(decider, ctx()).given([]).when(collect(plantingInput({ point: { lat: '39.91634', lon: '116.397154' } }))).thenThrows(ValidationError, 'point.lat');
  });

  it('the same content again appends nothing (a re-import)', () => {
    spec(decider, ctx()).given([collected()]).when(change(plantingInput())).then([]);
  });

  it('信息变更: a change keeps history — names each changed field with before and after, and goes back to review', () => {
    spec(decider, ctx()).given([collected()]).when(change(plantingInput({ scale: { amount: '3', unit: '亩' }, contact: { name: '王芳', mobile: '13900001111' } }))).thenMatches(([e], state) => {
      expect(e!.type).toBe('OriginRecordChanged');
      expect((e!.data as { changed: unknown }).changed).toEqual([
        { field: 'contact.mobile', before: '13800138000', after: '13900001111' },
        { field: 'scale.amount', before: '2.5', after: '3' },
      ]);
      expect(state.reviewState).toBe('pending');
    });
  });

  it('the county approves a pending record once; approving again is refused', () => {
    const approve = { type: 'ApproveOriginRecord' as const, data: {} };
    spec(decider, ctx()).given([collected()]).when(approve, later('2026-03-11T02:00:00.000Z')).thenMatches(([e], state) => {
      expect(e).toMatchObject({ type: 'OriginRecordApproved', data: { recordId: 'r1', collectorUserId: COLLECTOR.userId, approvedBy: { userId: COUNTY.userId } } });
      expect(state.reviewState).toBe('approved');
    });
    const approvedEvent = decider.decide(approve, decider.evolve(decider.initialState(), collected()), later('2026-03-11T02:00:00.000Z'))[0]!;
    spec(decider, ctx()).given([collected(), approvedEvent]).when(approve, later('2026-03-12T02:00:00.000Z')).thenThrows(InvalidStateError);
  });

  it('a return needs a reason and a future deadline', () => {
    const ret = (reason: string, deadline: string) => ({ type: 'ReturnOriginRecord' as const, data: { reason, deadline } });
    spec(decider, ctx()).given([collected()]).when(ret('', '2026-03-17T10:00:00Z'), later('2026-03-11T02:00:00Z')).thenThrows(ValidationError, 'reason');
    spec(decider, ctx()).given([collected()]).when(ret('坐标错', '2026-03-01T10:00:00Z'), later('2026-03-11T02:00:00Z')).thenThrows(ValidationError, 'deadline');
    spec(decider, ctx()).given([collected()]).when(ret('坐标错', 'soon'), later('2026-03-11T02:00:00Z')).thenThrows(ValidationError, 'deadline');
  });

  it('a return unanswered after its deadline is flagged overdue once; before the deadline nothing happens', () => {
    const flag = { type: 'FlagOverdueReturn' as const, data: {} };
    spec(decider, ctx()).given([collected(), returned()]).when(flag, later('2026-03-17T10:00:00.000Z')).then([]);
    const { events } = spec(decider, ctx()).given([collected(), returned()]).when(flag, later('2026-03-17T10:00:01.000Z')).then([
      { type: 'OriginReturnOverdue', data: { countyCode: '110101', townshipCode: '110101001', villageCode: '110101001001', recordId: 'r1', collectorUserId: COLLECTOR.userId, returnedAt: '2026-03-11T02:00:00.000Z', deadline: '2026-03-17T10:00:00.000Z', flaggedAt: '2026-03-17T10:00:01.000Z' } },
    ]);
    spec(decider, ctx()).given([collected(), returned(), ...events]).when(flag, later('2026-03-20T10:00:00.000Z')).then([]);
  });

  it('the fix answers the return, saying whether it was late', () => {
    const fixed = plantingInput({ point: { lat: '39.9163450', lon: '116.3971550' } });
    spec(decider, ctx()).given([collected(), returned()]).when(change(fixed), later('2026-03-18T00:00:00.000Z', COLLECTOR)).thenMatches(([e], state) => {
      expect((e!.data as { answeredReturn: unknown }).answeredReturn).toEqual({ returnedAt: '2026-03-11T02:00:00.000Z', deadline: '2026-03-17T10:00:00.000Z', late: true });
      expect([state.reviewState, state.openReturn]).toEqual(['pending', null]);
    });
  });

  it('a retired record refuses changes', () => {
    const retired = decider.decide({ type: 'RetireOriginRecord', data: { reason: '重复' } }, decider.evolve(decider.initialState(), collected()), ctx())[0]!;
    spec(decider, ctx()).given([collected(), retired]).when(change(plantingInput({ alias: null }))).thenThrows(InvalidStateError);
  });

  it('property: the fingerprint does not depend on the order the form lists its keys', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(Object.keys(plantingInput()), { minLength: Object.keys(plantingInput()).length }), (keys) => {
        const input = plantingInput() as unknown as Record<string, unknown>;
        const reordered = Object.fromEntries(keys.map((k) => [k, input[k]])) as unknown as OriginRecordInput;
        return fingerprintOf(validateFields(reordered, places)) === fingerprintOf(validateFields(plantingInput(), places));
      }),
      { numRuns: 30 },
    );
  });
});
