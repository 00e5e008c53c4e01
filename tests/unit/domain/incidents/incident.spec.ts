import { decider, leadRegionFor, type IncidentCommand, type IncidentEvent, type RecordIncident } from '../../../../domain/incidents';
import type { Actor } from '../../../../domain/shared/actor';
import { BusinessRuleError, InvalidStateError, ValidationError } from '../../../../domain/shared/errors';
import { NOW, spec } from '../support/decider-spec';

const COUNTY: Actor = { userId: 'u-ledong', orgId: 'org-ledong', role: 'county-admin', regionCode: '469027' };
const ctx = { now: NOW, actor: COUNTY };
const ORIGIN = '469027';
const record = (over: Partial<RecordIncident['data']> = {}): RecordIncident => ({
  type: 'RecordIncident',
  data: {
    incidentId: 'inc-1',
    title: '豇豆抽检不合格',
    description: '克百威超标',
    occurredAt: '2026-03-09T02:00:00.000Z',
    place: { address: '乐东县佛罗镇', regionCode: ORIGIN },
    category: 'product-safety',
    level: 'general',
    traceCodes: [],
    entityIds: ['ent-1'],
    source: { kind: 'failed-result', sampleId: 's-1' },
    responsible: { userId: 'u-ledong', name: '李科长', phone: '13807610001' },
    chain: { regionsTouched: [ORIGIN], traceCodes: ['T1'], holderEntityIds: ['ent-1'] },
    ...over,
  },
});
const recorded = (): IncidentEvent => decider.decide(record(), decider.initialState(), ctx)[0]!;
const scope = (regions: string[]) => ({ regionsTouched: regions, traceCodes: ['T1', 'T2'], holderEntityIds: ['ent-1', 'ent-2'] });
const DEADLINE = '2026-03-12T02:00:00.000Z';

describe('incident decider (应急事件)', () => {
  it('records with the lead agency of the chain: a county chain is led by the county', () => {
    spec(decider, ctx).given([]).when(record()).thenMatches(([e]) => expect(e).toMatchObject({ type: 'IncidentRecorded', data: { leadRegionCode: ORIGIN, recordedBy: 'u-ledong' } }));
  });

  it.each([
    [['469027', '460105'], '46'], // two Hainan counties: the province (4690 is a grouping row without an agency)
    [['469027', '440111', '110105'], ''], // three provinces: the ministry
    [['440111', '440106'], '4401'], // two districts of 广州: the city
    [['110101', '110105'], '11'], // two districts of 北京 (1101 市辖区): the municipality
    [['469027'], '469027'],
  ])('the lead of %j is %j', (regions, lead) => {
    expect(leadRegionFor(regions)).toBe(lead);
  });

  it.each([
    ['title', { title: ' ' }],
    ['occurredAt', { occurredAt: '2027-01-01T00:00:00Z' }],
    ['place.regionCode', { place: { address: 'x', regionCode: '999999' } }],
    ['category', { category: 'weather' as never }],
    ['level', { level: 'huge' as never }],
    ['traceCodes[0]', { traceCodes: ['nope'] }],
    ['responsible.phone', { responsible: { userId: 'u', name: 'n', phone: 'abc' } }],
    ['source.kind', { source: { kind: 'rumour' } as never }],
  ])('refuses bad input naming the field: %s', (field, over) => {
    spec(decider, ctx).given([]).when(record(over)).thenThrows(ValidationError, field);
  });

  it('only the responsible person reviews', () => {
    const other = { now: NOW, actor: { ...COUNTY, userId: 'u-other' } };
    spec(decider, ctx).given([recorded()]).when({ type: 'ReviewIncident', data: { decision: 'start-response', opinion: '启动', chain: scope([ORIGIN]), recallDeadline: DEADLINE } }, other).thenThrows(BusinessRuleError, 'NOT_ALLOWED');
  });

  it('starting the response escalates the lead when the chain has grown beyond it', () => {
    spec(decider, ctx)
      .given([recorded()])
      .when({ type: 'ReviewIncident', data: { decision: 'start-response', opinion: '同意', chain: scope([ORIGIN, '440111']), recallDeadline: DEADLINE } })
      .thenMatches((events, state) => {
        expect(events.map((e) => e.type)).toEqual(['IncidentReviewed', 'LeadAgencyEscalated', 'ResponseStarted']);
        expect(events[1]!.data).toMatchObject({ from: ORIGIN, to: '' });
        expect(events[2]!.data).toMatchObject({ leadRegionCode: '', regionsTouched: ['440111', ORIGIN], traceCodes: ['T1', 'T2'], recallDeadline: DEADLINE });
        expect(state).toMatchObject({ status: 'responding', leadRegionCode: '' });
      });
  });

  it('declining the response keeps the incident closable, not reviewable again', () => {
    const declined = decider.decide({ type: 'ReviewIncident', data: { decision: 'no-response', opinion: '不启动', chain: scope([ORIGIN]), recallDeadline: DEADLINE } }, decider.evolve(decider.initialState(), recorded()), ctx);
    spec(decider, ctx).given([recorded(), ...declined]).when({ type: 'ReviewIncident', data: { decision: 'start-response', opinion: 'x', chain: scope([ORIGIN]), recallDeadline: DEADLINE } }).thenThrows(InvalidStateError);
  });

  it('extending the chain appends only what is new, and nothing when nothing is', () => {
    spec(decider, ctx).given([recorded()]).when({ type: 'ExtendIncidentChain', data: { chain: { regionsTouched: [ORIGIN], traceCodes: ['T1'], holderEntityIds: ['ent-1'] }, cause: 'x' } }).then([]);
    spec(decider, ctx)
      .given([recorded()])
      .when({ type: 'ExtendIncidentChain', data: { chain: scope([ORIGIN, '460105']), cause: '交接确认' } })
      .thenMatches((events) => {
        expect(events[0]).toMatchObject({ type: 'IncidentChainExtended', data: { addedTraceCodes: ['T2'], addedRegions: ['460105'], addedHolderEntityIds: ['ent-2'] } });
        expect(events[1]).toMatchObject({ type: 'LeadAgencyEscalated', data: { from: ORIGIN, to: '46' } });
      });
  });

  it('a public notice concerns lots of the chain only, and only while the response runs', () => {
    spec(decider, ctx).given([recorded()]).when({ type: 'PublishPublicNotice', data: { noticeId: 'n1', title: 't', body: 'b', traceCodes: [] } }).thenThrows(InvalidStateError);
  });

  it('a closed incident refuses every command, and closing needs the handling record', () => {
    spec(decider, ctx).given([recorded()]).when({ type: 'CloseIncident', data: { record: { summary: 's', cause: '', measures: 'm', outcome: 'o' } } }).thenThrows(ValidationError, 'record.cause');
    const closed = decider.decide({ type: 'CloseIncident', data: { record: { summary: 's', cause: 'c', measures: 'm', outcome: 'o' } } }, decider.evolve(decider.initialState(), recorded()), ctx);
    expect(closed[0]).toMatchObject({ type: 'IncidentClosed', data: { responseRan: false, traceCodes: ['T1'] } });
    const commands: IncidentCommand[] = [
      { type: 'LogHandling', data: { kind: 'action', description: 'x', documents: [], people: [] } },
      { type: 'GradeIncident', data: { level: 'major', reason: 'x' } },
      { type: 'CloseIncident', data: { record: { summary: 's', cause: 'c', measures: 'm', outcome: 'o' } } },
    ];
    for (const cmd of commands) {
      spec(decider, ctx).given([recorded(), ...closed]).when(cmd).thenThrows(InvalidStateError, 'INVALID_STATE');
    }
  });

  it('the handling log numbers its entries', () => {
    const first = decider.decide({ type: 'LogHandling', data: { kind: 'document', description: '处置方案', documents: [{ name: '方案.pdf', sha256: null }], people: [] } }, decider.evolve(decider.initialState(), recorded()), ctx);
    spec(decider, ctx)
      .given([recorded(), ...first])
      .when({ type: 'LogHandling', data: { kind: 'personnel', description: '派出检查组', documents: [], people: [{ name: '王', role: '组长', phone: null }] } })
      .thenMatches(([e]) => expect(e!.data).toMatchObject({ seq: 2, kind: 'personnel' }));
  });
});
