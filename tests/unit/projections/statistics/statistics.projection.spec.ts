import { bucketId } from '../../../../projections/statistics';
import { applied, approved, certified, confirmed, lotCreated, rejected, resultRecorded, sampleTaken, shipped, transferRejected, warningAcknowledged, warningClosed, warningRaised } from './events';
import { collection, counters, fold } from './fold';

const HAIKOU_XIUYING = '460105';
const SANYA_HAITANG = '460202';
const SHENZHEN_NANSHAN = '440305';
const kg = (amount: number) => ({ amount, unit: 'kg' });

describe('statistics projection: given events, then counts', () => {
  it('counts registrations by region, day, month and type; pending and overdue follow the reviews', async () => {
    const docs = await fold([
      applied('e1', HAIKOU_XIUYING, '2026-03-02T02:00:00Z', '2026-03-09T15:59:59Z', 'cooperative'),
      applied('e2', HAIKOU_XIUYING, '2026-03-02T03:00:00Z', '2026-03-09T15:59:59Z', 'familyFarm'),
      applied('e3', SANYA_HAITANG, '2026-03-03T03:00:00Z', '2026-03-10T15:59:59Z', 'enterprise'),
      approved('e1', '2026-03-04T03:00:00Z'),
      rejected('e2', '2026-03-12T03:00:00Z'), // after its deadline
    ]);
    expect(counters(docs, bucketId('day', '2026-03-02', '460105', '*'))).toEqual({
      entitiesApplied: 2, 'entitiesApplied:cooperative': 1, 'entitiesApplied:familyFarm': 1, entitiesPending: 2,
    });
    expect(counters(docs, bucketId('month', '2026-03', '46', '*'))).toEqual({
      entitiesApplied: 3, 'entitiesApplied:cooperative': 1, 'entitiesApplied:familyFarm': 1, 'entitiesApplied:enterprise': 1,
      entitiesApproved: 1, 'entitiesApproved:cooperative': 1, entitiesRejected: 1, 'entitiesRejected:familyFarm': 1,
      entitiesPending: 1, reviewsOnTime: 1, reviewsLate: 1, reviewsDueOpen: 1,
    });
    // Overdue is read from the deadline's day: e3's review is still open on its deadline 2026-03-10.
    expect(counters(docs, bucketId('day', '2026-03-10', '4602', '*'))).toEqual({ reviewsDueOpen: 1 });
    expect(counters(docs, bucketId('day', '2026-03-09', '460105', '*'))).toEqual({});
    expect(counters(docs, bucketId('all', 'all', '', '*')).entitiesPending).toBe(1);
  });

  it('counts lots, normalised quantities, hand-overs, certificates and the flows between regions, once per bucket', async () => {
    const docs = await fold([
      lotCreated('L1', 'p1', HAIKOU_XIUYING, '豇豆', kg(1000), '2026-04-01T01:00:00Z'),
      lotCreated('L2', 'p1', HAIKOU_XIUYING, '豇豆', { amount: 2, unit: 't' }, '2026-04-01T02:00:00Z'),
      shipped('T1', 'L1', 'p1', HAIKOU_XIUYING, '豇豆', kg(400), { entityId: 'w1', county: SHENZHEN_NANSHAN }, '2026-04-02T01:00:00Z'),
      confirmed('T1', 'L1', 'L1c', '豇豆', kg(400), { entityId: 'w1', county: SHENZHEN_NANSHAN }, '2026-04-02T05:00:00Z'),
      lotCreated('L1c', 'w1', SHENZHEN_NANSHAN, '豇豆', kg(400), '2026-04-02T05:00:00Z', { traceCode: 'L1', transferId: 'T1' }, HAIKOU_XIUYING),
      shipped('T2', 'L2', 'p1', HAIKOU_XIUYING, '豇豆', { amount: 500, unit: 'jin' }, { entityId: 'w2', county: SANYA_HAITANG }, '2026-04-03T01:00:00Z'),
      transferRejected('T2', 'L2', kg(250), '2026-04-03T02:00:00Z'),
      certified('L1c', SHENZHEN_NANSHAN, kg(100), '2026-04-05T01:00:00Z'),
      certified('L1c', SHENZHEN_NANSHAN, kg(50), '2026-04-06T01:00:00Z'),
    ]);
    expect(counters(docs, bucketId('month', '2026-04', '460105', '豇豆'))).toEqual({
      lotsCreated: 2, lotsProduced: 2, 'producedQty:g': 3_000_000, transfersInitiated: 2, transfersConfirmed: 1, 'transferredQty:g': 400_000, transfersRejected: 1,
    });
    expect(counters(docs, bucketId('month', '2026-04', '440305', '豇豆'))).toEqual({
      lotsCreated: 1, lotsReceived: 1, certificates: 2, 'certifiedQty:g': 150_000, lotsCertified: 1,
    });
    // Both producers trade electronically: the shipper once (two shipments), the receiver at its confirmation.
    expect(counters(docs, bucketId('all', 'all', '', '*')).entitiesTrading).toBe(2);
    const flows = collection(docs, 'stats_flows');
    expect(flows.get('transfer:province:month:2026-04|46>44|*')!.c).toEqual({ moves: 1, 'qty:g': 400_000 });
    expect(flows.get('transfer:county:month:2026-04|460105>440305|豇豆')!.c).toEqual({ moves: 1, 'qty:g': 400_000 });
    // Flows are monthly only: the flow map reads months.
    expect([...flows.keys()].filter((id) => id.includes(':all:'))).toEqual([]);
    // 产地 → 市场: the certified lot was produced in Haikou (its base), it entered a Shenzhen market.
    expect(flows.get('market:county:month:2026-04|460105>440305|*')!.c).toEqual({ moves: 2, 'qty:g': 150_000 });
  });

  it('counts samples, results per analyte and verdict, and warnings by level and state', async () => {
    const docs = await fold([
      sampleTaken('S1', SANYA_HAITANG, '豇豆', '2026-05-01T01:00:00Z', 'spotCheck'),
      resultRecorded('S1', SANYA_HAITANG, '豇豆', [['cyromazine', 'fail'], ['chlorpyrifos', 'pass']], '2026-05-03T01:00:00Z'),
      sampleTaken('S2', SANYA_HAITANG, '芒果', '2026-05-01T02:00:00Z'),
      resultRecorded('S2', SANYA_HAITANG, '芒果', [['chlorpyrifos', 'pass']], '2026-05-03T02:00:00Z'),
      warningRaised('W1', SANYA_HAITANG, '豇豆', 'orange', '2026-05-03T01:00:01Z'),
      warningRaised('W2', SANYA_HAITANG, null, 'red', '2026-05-03T01:00:02Z'),
      warningAcknowledged('W1', '2026-05-04T01:00:00Z'),
      warningClosed('W1', '2026-05-05T01:00:00Z'),
      warningClosed('W1', '2026-05-05T02:00:00Z'), // a repeat changes nothing
    ]);
    expect(counters(docs, bucketId('month', '2026-05', '460202', '*'))).toEqual({
      samples: 2, 'samples:spotCheck': 1, 'samples:routine': 1,
      results: 2, 'results:fail': 1, 'results:pass': 1,
      'analyteTested:cyromazine': 1, 'analyteFail:cyromazine': 1, 'analyteTested:chlorpyrifos': 2, 'analytePass:chlorpyrifos': 2,
      warningsRaised: 2, 'warningsRaised:orange': 1, 'warningsRaised:red': 1, warningsAcknowledged: 1, warningsClosed: 1,
      warningsOpen: 1, 'warningsOpen:red': 1, 'warningState:raised': 1, 'warningState:closed': 1,
    });
    // The warning without a product counts only under all products.
    expect(counters(docs, bucketId('month', '2026-05', '460202', '豇豆'))).toMatchObject({ warningsRaised: 1, warningsClosed: 1 });
    expect(counters(docs, bucketId('month', '2026-05', '460202', '豇豆')).warningsOpen).toBeUndefined();
  });

  it('gives the same buckets whatever the batches the log is cut into', async () => {
    const log = [
      applied('e1', HAIKOU_XIUYING, '2026-03-02T02:00:00Z', '2026-03-09T15:59:59Z'),
      approved('e1', '2026-03-04T03:00:00Z'),
      lotCreated('L1', 'e1', HAIKOU_XIUYING, '豇豆', kg(10), '2026-03-05T01:00:00Z'),
      certified('L1', HAIKOU_XIUYING, kg(5), '2026-03-05T02:00:00Z'),
      certified('L1', HAIKOU_XIUYING, kg(5), '2026-03-05T03:00:00Z'),
    ];
    const strip = (m: Map<string, { _v: number }>) => new Map([...m].map(([k, v]) => [k, { ...v, _v: 0 }]));
    expect(strip(await fold(log, 1))).toEqual(strip(await fold(log, 500)));
  });
});
